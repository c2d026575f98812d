"""Weight robustness: frequencies, classes and rank ranges over sampled weights, checked the slow way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_pool
from reference_ranks import rank_percentiles_the_plain_way
from quota_opt.errors import InputError
from quota_opt.optimise import build_problem, optimise
from quota_opt.result import build_recommendation
from quota_opt.scenario import default_scenario
from quota_opt.score import SCORE_DECIMALS, score
from quota_opt.sensitivity import (PROJECT_COLUMNS, classify, rank_percentiles, sample_weights,
                                   sensitivity)

RULES = dict(max_per_industry=3, max_per_city=2, min_per_city=1, max_per_group=1)


def scenario(**rules):
    return default_scenario().with_constraints(**(rules or RULES))


@pytest.fixture(scope="module")
def pool():
    return make_pool(60, seed=11, cities=("成都市", "绵阳市", "德阳市", "宜宾市", "泸州市", "南充市", "乐山市"))


def test_spread_0_reproduces_the_base_selection_exactly(pool):
    scen = scenario()
    rep = sensitivity(pool, 12, scen, samples=40, spread=0.0)
    rec = build_recommendation(pool, 12, scen)
    assert rep.status == "optimal" and rep.base_selected == tuple(r["project_id"] for r in rec.selected)
    freq = rep.projects.set_index("project_id")["selection_frequency"]
    assert set(freq[freq == 1.0].index) == set(rep.base_selected)
    assert (freq[~freq.index.isin(rep.base_selected)] == 0.0).all()
    assert np.array_equal(rep.weights, np.tile(list(rep.base_weights.values()), (40, 1)))
    assert rep.counts() == {"core": 12, "borderline": 0, "exterior": len(pool) - 12}


def test_every_eligible_project_is_listed_with_frequencies_in_0_1_summing_to_at_most_the_quota(pool):
    rep = sensitivity(pool, 12, scenario(), samples=200, spread=0.5)
    t = rep.projects
    assert list(t.columns[:len(PROJECT_COLUMNS)]) == list(PROJECT_COLUMNS)
    assert sorted(t["project_id"]) == sorted(pool["project_id"]) and t["project_id"].is_unique
    assert t["selection_frequency"].between(0, 1).all()
    assert t["selection_frequency"].sum() <= 12 + 1e-9
    assert (t["rank_p05"] <= t["rank_p50"]).all() and (t["rank_p50"] <= t["rank_p95"]).all()
    assert t["rank_p05"].min() >= 1 and t["rank_p95"].max() <= len(pool)
    assert rep.counts()["borderline"] > 0  # a wide spread moves some picks
    assert list(t["selection_frequency"]) == sorted(t["selection_frequency"], reverse=True)


def test_the_same_seed_gives_the_same_report_and_another_seed_another(pool):
    a = sensitivity(pool, 12, scenario(), samples=100, seed=7)
    b = sensitivity(pool, 12, scenario(), samples=100, seed=7)
    c = sensitivity(pool, 12, scenario(), samples=100, seed=8)
    pd.testing.assert_frame_equal(a.projects, b.projects)
    assert np.array_equal(a.weights, b.weights) and not np.array_equal(a.weights, c.weights)
    assert {k: v for k, v in a.to_dict().items() if k != "timings"} == {k: v for k, v in b.to_dict().items()
                                                                         if k != "timings"}


def test_report_equals_scoring_and_solving_each_sample_the_plain_way(pool):
    """score() with each sampled weight vector, optimise() on it, ranks by sorting: the same numbers."""
    scen = scenario()
    k = 25
    rep = sensitivity(pool, 10, scen, samples=k, spread=0.3, seed=3)
    weights = sample_weights(rep.base_weights, k, 0.3, 3)
    assert np.array_equal(weights, rep.weights)
    counts = dict.fromkeys(pool["project_id"], 0)
    ranks = {pid: [] for pid in pool["project_id"]}
    for w in weights:
        scores = score(pool, scen.with_weights(dict(zip(rep.criteria, w)))).scores
        for pid in optimise(pool, scores, 10, scen).selected:
            counts[pid] += 1
        ranked = sorted(scores.index, key=lambda p: (-scores[p], p))
        for r, pid in enumerate(ranked, start=1):
            ranks[pid].append(r)
    t = rep.projects.set_index("project_id")
    for pid in pool["project_id"]:
        assert t.loc[pid, "selection_frequency"] == counts[pid] / k
        expected = np.percentile(ranks[pid], [5, 50, 95])
        assert list(t.loc[pid, ["rank_p05", "rank_p50", "rank_p95"]]) == list(expected)


@pytest.mark.parametrize("count,samples,cls", [
    (19, 20, "core"), (20, 20, "core"), (18, 20, "borderline"), (2, 20, "borderline"), (1, 20, "exterior"),
    (0, 20, "exterior"), (950, 1000, "core"), (949, 1000, "borderline"), (50, 1000, "exterior"), (51, 1000, "borderline"),
])
def test_classes_at_the_rpm_thresholds(count, samples, cls):
    assert classify(count, samples) == cls


def test_uniform_samples_stay_within_the_spread_and_sum_to_one():
    base = {"a": 0.5, "b": 0.3, "c": 0.2}
    w = sample_weights(base, 500, 0.2, 1)
    assert w.shape == (500, 3) and np.allclose(w.sum(axis=1), 1.0)
    ratio = w[:, 0] / w[:, 1]
    assert ratio.min() >= (0.5 / 0.3) * 0.8 / 1.2 and ratio.max() <= (0.5 / 0.3) * 1.2 / 0.8
    assert ratio.max() - ratio.min() > 1.0  # really spread


def test_dirichlet_samples_are_centred_on_the_weights():
    base = {"a": 0.5, "b": 0.3, "c": 0.2}
    w = sample_weights(base, 4000, seed=2, dirichlet=200.0)
    assert np.allclose(w.mean(axis=0), [0.5, 0.3, 0.2], atol=0.005)
    loose = sample_weights(base, 4000, seed=2, dirichlet=5.0)
    assert loose.std(axis=0)[0] > 3 * w.std(axis=0)[0]
    assert np.array_equal(w, sample_weights(base, 4000, seed=2, dirichlet=200.0))


def test_dirichlet_report_names_its_method(pool):
    rep = sensitivity(pool, 12, scenario(), samples=50, dirichlet=100.0)
    doc = rep.to_dict()
    assert doc["method"] == "dirichlet" and doc["concentration"] == 100.0 and doc["spread"] is None


@pytest.mark.parametrize("options,english", [
    ({"samples": 0}, "samples"), ({"samples": -5}, "samples"), ({"samples": 2.5}, "samples"),
    ({"samples": True}, "samples"), ({"spread": -0.1}, "spread"), ({"spread": 1.5}, "spread"),
    ({"spread": float("nan")}, "spread"), ({"seed": -1}, "seed"), ({"dirichlet": 0.0}, "Dirichlet"),
    ({"dirichlet": float("inf")}, "Dirichlet"), ({"samples": 10 ** 7}, "too many samples"),
])
def test_bad_options_are_bad_input(pool, options, english):
    with pytest.raises(InputError) as err:
        sensitivity(pool, 5, scenario(), **{"samples": 10, **options})
    assert english in err.value.message_en


def test_an_infeasible_base_case_is_a_result_with_exit_code_1(pool):
    rep = sensitivity(pool, 3, scenario(min_per_city=1), samples=20)
    assert rep.status == "infeasible" and rep.exit_code == 1 and rep.explanation
    assert rep.feasible_samples == 0 and (rep.projects["selection_frequency"] == 0).all()


def test_progress_reaches_the_end(pool):
    calls = []
    sensitivity(pool, 12, scenario(), samples=300, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (300, 300) and len(calls) >= 100


def test_sampled_scores_are_the_problem_scores_at_spread_0(pool):
    """The matrix route and score() agree for the base weights too (the base case is one of the samples)."""
    scen = scenario()
    scored = score(pool, scen)
    problem = build_problem(pool, scored, 12, scen)
    rep = sensitivity(pool, 12, scen, samples=3, spread=0.0)
    t = rep.projects.set_index("project_id").loc[list(problem.project_ids)]
    assert t["base_score"].to_numpy().tobytes() == problem.scores.tobytes()
    assert list(t["rank_p05"]) == list(t["rank_p95"]) == list(t["base_rank"].astype(float))


def test_the_same_seed_gives_the_same_samples_whatever_the_order_of_the_weights():
    base = {"expert_score": 0.5, "ai_scenario_share": 0.3, "efficiency_gain": 0.2}
    flipped = dict(reversed(list(base.items())))
    for dirichlet in (None, 50.0):
        a = sample_weights(base, 200, 0.3, 7, dirichlet)
        b = sample_weights(flipped, 200, 0.3, 7, dirichlet)
        # the same draws; only the order of a sum in the normalisation differs (last-bit rounding)
        np.testing.assert_allclose(a, b[:, ::-1], rtol=0, atol=1e-15)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_rank_percentiles_equal_numpys_percentiles_of_the_rank_matrix(k, n, distinct, seed):
    """Ranks by score (1 the highest, equal scores by project_id) and their 5th, 50th and 95th percentiles
    equal the slow way exactly, with many ties (few distinct scores), more samples than projects or fewer."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0, 100, distinct), SCORE_DECIMALS)
    scores = values[rng.integers(0, distinct, (k, n))]
    assert np.array_equal(rank_percentiles(scores), rank_percentiles_the_plain_way(scores))


def test_rank_percentiles_of_scores_a_millionth_apart_keep_their_order():
    scores = np.array([[50.000001, 50.0, 50.000001, 0.0, 100.0], [0.000001, 0.0, 0.0, 100.0, 99.999999]])
    assert np.array_equal(rank_percentiles(scores), rank_percentiles_the_plain_way(scores))


@pytest.mark.parametrize("samples", [1, 19, 20, 1000])
def test_classes_of_all_counts_at_once_equal_classify(samples):
    from quota_opt.sensitivity import _classes

    counts = np.arange(samples + 1)
    assert _classes(counts, samples).tolist() == [classify(int(c), samples) for c in counts]


@settings(max_examples=25, deadline=None)
@given(st.integers(8, 40), st.integers(0, 2**16), st.sampled_from([{}, RULES, dict(max_per_industry=2, min_per_industry=1),
                                                                    dict(max_per_city=1, min_score=60.0)]),
       st.floats(0.0, 0.8), st.integers(0, 2**16))
def test_selection_frequencies_equal_the_reports_frequency_and_class(n, pool_seed, rules, spread, seed):
    """The results page's 入选频率 (issue 13): the two columns of the full report, value for value."""
    from quota_opt.sensitivity import analyse, selection_frequencies

    pool = make_pool(n, seed=pool_seed, cities=("成都市", "绵阳市", "德阳市", "宜宾市"))
    scen = default_scenario().with_constraints(**rules) if rules else default_scenario()
    scored = score(pool, scen)
    problem = build_problem(pool, scored, max(1, n // 4), scen)
    full = analyse(problem, scored, samples=60, spread=spread, seed=seed).projects.set_index("project_id")
    fast = selection_frequencies(problem, scored, samples=60, spread=spread, seed=seed)
    assert list(fast.index) == list(problem.project_ids) and list(fast.columns) == ["selection_frequency", "class"]
    pd.testing.assert_frame_equal(fast, full.loc[fast.index, ["selection_frequency", "class"]])


def test_selection_frequencies_refuse_what_the_report_refuses(pool):
    from quota_opt.sensitivity import MAX_CELLS, MAX_SAMPLES, selection_frequencies

    scored = score(pool, scenario())
    problem = build_problem(pool, scored, 12, scenario())
    with pytest.raises(InputError, match="samples"):
        selection_frequencies(problem, scored, samples=0)
    with pytest.raises(InputError, match="spread"):
        selection_frequencies(problem, scored, spread=1.5)
    big = make_pool(MAX_CELLS // MAX_SAMPLES + 1)
    big_scored = score(big, scenario())
    with pytest.raises(InputError, match="too many samples"):
        selection_frequencies(build_problem(big, big_scored, 12, scenario()), big_scored, samples=MAX_SAMPLES)


def test_each_project_is_shown_with_its_own_name_city_industry_and_group(pool):
    """The display columns come from each project's own row, whatever the order of the table given;
    a project the given table lacks is shown with them empty."""
    from quota_opt.sensitivity import analyse

    scen = scenario()
    scored = score(pool, scen)
    problem = build_problem(pool, scored, 12, scen)
    shuffled = pool.sample(frac=1.0, random_state=3)
    table = analyse(problem, scored, samples=20, eligible=shuffled).projects
    own = pool.set_index("project_id")
    for column in ("project_name", "enterprise", "city", "industry", "group"):
        assert list(table[column]) == list(own.loc[table["project_id"], column]), column
    partial = analyse(problem, scored, samples=20, eligible=shuffled.iloc[5:]).projects.set_index("project_id")
    missing = list(shuffled["project_id"].iloc[:5])
    assert partial.loc[missing, "city"].isna().all()
    assert list(partial.drop(index=missing)["city"]) == list(own.loc[partial.drop(index=missing).index, "city"])
