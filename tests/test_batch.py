"""Screening a batch of score vectors by the optimal bases already found (issue 13, item 1): every
sample's picks equal solving it on its own, on random pools with every rule family, ties and
samples at the boundary of a basis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import make_pool
from quota_opt.optimise import SelectionModel, build_problem
from quota_opt.scenario import default_scenario
from quota_opt.score import score, weighted_scores
from quota_opt.sensitivity import sample_weights
from test_properties import FAST, cases

RULE_SETS = [
    dict(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1),  # the benchmark's rules
    dict(max_per_industry=3, min_per_industry=1, max_per_city=3, min_per_city=1, max_per_group=2, min_score=55.0),
    dict(max_per_city=2, max_per_group=1),
    dict(min_per_city=2, max_per_industry=4),
    dict(max_per_industry=2, min_score=60.0, include=["SC-003", "SC-010"], exclude=["SC-001", "SC-002"]),
    dict(max_per_group=1),  # a sort, no solver
]


def same(a, b) -> None:
    assert np.array_equal(a.picks, b.picks)
    assert np.array_equal(a.feasible, b.feasible)
    assert np.array_equal(a.objectives, b.objectives)
    assert a.lp_integral == b.lp_integral


def boundary_samples(s: np.ndarray, rng: np.random.Generator, min_score: float | None) -> np.ndarray:
    """Samples on the boundary of a basis: two projects given exactly equal scores (a reduced cost
    of exactly zero), scores rounded to whole points (many ties), and a score set to the minimum."""
    out = s.copy()
    k, n = out.shape
    rows = rng.integers(0, k, k // 3)
    a, b = rng.integers(0, n, len(rows)), rng.integers(0, n, len(rows))
    out[rows, a] = out[rows, b]
    coarse = rng.random(k) < 0.25
    out[coarse] = np.round(out[coarse])
    if min_score is not None:
        rows = rng.integers(0, k, k // 5)
        out[rows, rng.integers(0, n, len(rows))] = min_score
    # near-ties: one project a whole unit (10^-6 points) above another
    rows = rng.integers(0, k, k // 5)
    a, b = rng.integers(0, n, len(rows)), rng.integers(0, n, len(rows))
    out[rows, a] = out[rows, b] + 1e-6
    return np.clip(out, 0.0, None)


@pytest.mark.parametrize("seed", range(len(RULE_SETS)))
def test_screening_equals_solving_every_sample_on_random_pools_with_every_rule_family(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(60, 160))
    pool = make_pool(n, seed=100 + seed)
    scen = default_scenario().with_constraints(**RULE_SETS[seed])
    scored = score(pool, scen)
    problem = build_problem(pool, scored, int(rng.integers(8, 30)), scen)
    norm = scored.normalised.reindex(list(problem.project_ids)).fillna(0.0).to_numpy()
    samples = weighted_scores(norm, sample_weights(scored.weights, 300, float(rng.choice([0.1, 0.2, 0.4])), seed))
    samples = np.vstack([samples, boundary_samples(samples[:200], rng, problem.min_score)])
    screened = SelectionModel(problem).solve_many(samples)
    plain = SelectionModel(problem).solve_many(samples, screen=False)
    same(screened, plain)
    assert screened.solves <= plain.solves


def test_screening_accepts_samples_without_solving_them():
    pool = make_pool(200, seed=7)
    scen = default_scenario().with_constraints(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1)
    scored = score(pool, scen)
    problem = build_problem(pool, scored, 20, scen)
    norm = scored.normalised.reindex(list(problem.project_ids)).fillna(0.0).to_numpy()
    batch = SelectionModel(problem).solve_many(weighted_scores(norm, sample_weights(scored.weights, 200, 0.1, 0)))
    assert batch.screened + batch.pivoted >= 150 and batch.solves < 50 and batch.lp_integral == 200


def test_samples_with_the_bounds_of_an_infeasible_one_are_infeasible_without_solving():
    pool = make_pool(40, seed=3)
    scen = default_scenario().with_constraints(min_per_city=5)  # more floors than the quota holds
    scored = score(pool, scen)
    problem = build_problem(pool, scored, 6, scen)
    batch = SelectionModel(problem).solve_many(np.tile(problem.scores, (50, 1)) * np.linspace(0.5, 1, 50)[:, None])
    assert not batch.feasible.any() and batch.solves <= 2 and not batch.picks.any()


@FAST
@given(cases(), st.data())
def test_screening_equals_solving_each_row_on_small_pools_with_ties(case, data):
    pool, scores, quota, c = case
    problem = build_problem(pool, scores, quota, c)
    k = data.draw(st.integers(1, 12))
    values = st.sampled_from([0.0, 10.0, 20.0, 30.0, 45.5, 50.0, 100.0])  # coarse: ties everywhere
    rows = data.draw(st.lists(st.lists(st.one_of(values, st.floats(0, 100, allow_nan=False)),
                                       min_size=problem.n, max_size=problem.n), min_size=k, max_size=k))
    matrix = np.array(rows, dtype=float).reshape(k, problem.n)
    same(SelectionModel(problem).solve_many(matrix), SelectionModel(problem).solve_many(matrix, screen=False))


def test_screening_without_a_dense_copy_of_the_rows_gives_the_same_picks(monkeypatch):
    """Large pools keep each row's members instead of a dense matrix: the same certificates."""
    import quota_opt.optimise.batch as batch

    monkeypatch.setattr(batch, "_DENSE_ROWS_LIMIT", 0)
    for seed in (0, 1):
        test_screening_equals_solving_every_sample_on_random_pools_with_every_rule_family(seed)
