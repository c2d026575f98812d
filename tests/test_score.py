"""Scores and weights, each checked against a worked example."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from factories import make_pool
from quota_opt.errors import InputError
from quota_opt.scenario import Scenario, default_scenario
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from quota_opt.score import (ahp_weights, cr_limit, blend_weights, entropy_weights, minmax_normalise, normalise_weights, score,
                             weighted_scores)


def pool3(**extra):
    frame = pd.DataFrame({
        "project_id": ["P1", "P2", "P3"],
        "expert_score": [90.0, 70.0, 80.0],
        "investment": [100.0, 50.0, 150.0],
        **extra,
    })
    return frame


def scenario(weights, direction=None, **scoring):
    data = {"weights": weights, "direction": direction or {}}
    if scoring:
        data["scoring"] = scoring
    return Scenario.from_dict(data)


# ---------------------------------------------------------------------- min-max scores


def test_minmax_score_by_hand():
    """expert_score (benefit, weight 3): r = (1, 0, 0.5); investment (cost, weight 1): r = (0.5, 1, 0).
    Weights normalise to 0.75 / 0.25, so scores are 100*(0.75 + 0.125) = 87.5, 100*0.25 = 25, 100*0.375 = 37.5."""
    result = score(pool3(), scenario({"expert_score": 3, "investment": 1}, {"investment": "cost"}))
    assert result.scores.to_dict() == {"P1": 87.5, "P2": 25.0, "P3": 37.5}
    assert result.weights == {"expert_score": 0.75, "investment": 0.25}
    assert result.contributions.loc["P1"].to_dict() == {"expert_score": 75.0, "investment": 12.5}
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores)
    assert result.directions == {"expert_score": "benefit", "investment": "cost"}


def test_scaling_all_weights_changes_nothing():
    pool = make_pool(40, seed=3)
    base = score(pool, default_scenario())
    scaled = score(pool, default_scenario().with_weights({k: v * 37 for k, v in default_scenario().weights.items()}))
    pd.testing.assert_series_equal(base.scores, scaled.scores)


def test_row_order_changes_nothing():
    pool = make_pool(40, seed=4)
    shuffled = pool.sample(frac=1, random_state=1)
    a, b = score(pool, default_scenario()), score(shuffled, default_scenario())
    pd.testing.assert_series_equal(a.scores.sort_index(), b.scores.sort_index())


def test_a_constant_criterion_adds_its_full_weight_to_everyone_and_keeps_the_ranking():
    with_const = score(pool3(flat=[7.0, 7.0, 7.0]), scenario({"expert_score": 1, "flat": 1}))
    without = score(pool3(), scenario({"expert_score": 1}))
    assert (with_const.contributions["flat"] == 50.0).all()
    assert list(with_const.scores.sort_values().index) == list(without.scores.sort_values().index)
    assert any("does not separate" in w for w in with_const.warnings)


def test_a_single_project_scores_100():
    result = score(pool3().iloc[:1], default_scenario().with_weights({"expert_score": 1, "investment": 1}))
    assert result.scores.to_dict() == {"P1": 100.0}


def test_a_missing_value_is_the_worst_never_the_best_and_is_flagged():
    frame = pool3()
    frame.loc[0, "expert_score"] = np.nan  # P1 would have been the best
    result = score(frame, scenario({"expert_score": 1}))
    assert result.scores["P1"] == 0.0 == result.normalised["expert_score"].min(skipna=True) * 100
    assert result.scores.idxmax() == "P3"
    assert result.missing == {"P1": ("expert_score",)}
    assert any("P1" in w and "worst" in w and "专家评审得分" in w for w in result.warnings)


def test_a_canonical_column_the_file_lacks_counts_as_missing_everywhere():
    frame = pool3().drop(columns=["investment"])
    result = score(frame, scenario({"expert_score": 1, "ai_scenario_share": 1}))
    assert (result.contributions["ai_scenario_share"] == 0).all()
    assert result.scores.max() == 50.0
    assert any("no 'AI scenario share' column" in w or "ai scenario share" in w.lower() for w in result.warnings)


def test_a_weight_on_a_column_not_in_the_pool_is_bad_input_naming_it():
    with pytest.raises(InputError) as info:
        score(pool3(), scenario({"专利数量": 1}))
    assert "专利数量" in info.value.message_zh and "专利数量" in info.value.message_en


def test_a_weight_on_a_text_column_is_bad_input():
    with pytest.raises(InputError, match="not a numeric"):
        score(pool3(note=["a", "b", "c"]), scenario({"note": 1}))
    with pytest.raises(InputError, match="not a numeric criterion"):
        score(pool3(), scenario({"city": 1}))


def test_an_extra_numeric_column_is_weighted_by_its_header():
    result = score(pool3(专利数量=[1, 3, 2]), scenario({"专利数量": 1}))
    assert result.scores.to_dict() == {"P1": 0.0, "P2": 100.0, "P3": 50.0}


def test_zero_weights_are_dropped_and_need_no_column():
    result = score(pool3(), scenario({"expert_score": 1, "nowhere": 0}))
    assert list(result.weights) == ["expert_score"]


# ---------------------------------------------------------------------- AHP

SAATY_1990_HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_ahp_reproduces_saaty_1990_house_example():
    """Saaty, T. L. (1990). How to make a decision: The Analytic Hierarchy Process. European Journal of
    Operational Research 48(1): 9-26, the house example: the criteria matrix (size, transportation,
    neighbourhood, age, yard, modern facilities, general condition, financing) has priorities
    .173 .054 .188 .018 .031 .036 .167 .333, lambda_max = 9.669, CI = 0.238, CR = 0.169 (> 0.1)."""
    names = ["size", "transport", "neighbourhood", "age", "yard", "facilities", "condition", "financing"]
    result = ahp_weights(SAATY_1990_HOUSE, names)
    assert [round(result.weights[n], 3) for n in names] == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.ci, 3) == 0.238 and result.ri == 1.41 and round(result.cr, 3) == 0.169
    assert not result.consistent and "0.169" in result.warning()


def test_ahp_consistent_matrix_by_hand():
    """a_ij = w_i / w_j for w = (4, 2, 1)/7 is perfectly consistent: the eigenvector is w, lambda_max = n = 3, CR = 0."""
    result = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]], ["a", "b", "c"])
    assert result.weights == pytest.approx({"a": 4 / 7, "b": 2 / 7, "c": 1 / 7})
    assert result.lambda_max == pytest.approx(3.0) and result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.consistent and result.warning() is None


@pytest.mark.parametrize("matrix,english", [
    ([[1, 3], [3, 1]], "not reciprocal"),
    ([[1, 2], [0.5, 2]], "diagonal"),
    ([[1, -2], [-0.5, 1]], "positive"),
    ([[1, 2, 3], [0.5, 1, 1]], "square"),
    ([[1] * 11 for _ in range(11)], "at most 10"),
])
def test_ahp_rejects_a_bad_matrix(matrix, english):
    with pytest.raises(InputError, match=english):
        ahp_weights(matrix)


def test_ahp_accepts_rounded_reciprocals():
    assert ahp_weights([[1, 3], [0.33, 1]]).weights["C1"] == pytest.approx(0.75, abs=0.01)


def test_scores_with_ahp_weights_and_the_cr_warning():
    s = Scenario.from_dict({"scoring": {"weights_method": "ahp", "ahp": {
        "criteria": ["expert_score", "investment", "ai_scenario_share"],
        "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]}}})
    result = score(pool3(ai_scenario_share=[10.0, 20.0, 30.0]), s)
    assert result.ahp is not None and result.ahp.cr > 0.1
    assert any("CR" in w for w in result.warnings)
    assert sum(result.weights.values()) == pytest.approx(1.0)


# ---------------------------------------------------------------------- entropy

NOTEBOOK_X = pd.DataFrame(
    [[80, 100, 50, 60, 10], [82, 100, 50, 85, 40], [78, 100, 50, 95, 90]],
    columns=["C1", "C2", "C3", "C4", "C5"], index=["A1", "A2", "A3"], dtype=float,
)


def test_entropy_weights_worked_example():
    """The decision matrix of the entropy-weight worked example in AlexdeyCheng/assessment_models,
    Entropy/ewm.ipynb (熵权法: min-max r_ij, p_ij = r_ij / sum_i r_ij, k = 1/ln m, 0 ln 0 = 0, and a
    column with max = min carries no information, weight 0). By hand, with m = 3:
    C1: r = (1/2, 1, 0), p = (1/3, 2/3, 0), e = (ln 3 - (2/3) ln 2) / ln 3 = 0.579380
    C4: r = (0, 5/7, 1), p = (0, 5/12, 7/12), e = 0.618228
    C5: r = (0, 3/8, 1), p = (0, 3/11, 8/11), e = 0.533357
    C2, C3 constant: e = 1, d = 0.  d = (0.420620, 0, 0, 0.381772, 0.466643), sum 1.269034,
    w = (0.33145, 0, 0, 0.30084, 0.36771)."""
    result = entropy_weights(NOTEBOOK_X)
    ln3 = math.log(3)
    e1 = (ln3 - (2 / 3) * math.log(2)) / ln3
    e4 = -((5 / 12) * math.log(5 / 12) + (7 / 12) * math.log(7 / 12)) / ln3
    e5 = -((3 / 11) * math.log(3 / 11) + (8 / 11) * math.log(8 / 11)) / ln3
    assert result.entropy == pytest.approx({"C1": e1, "C2": 1.0, "C3": 1.0, "C4": e4, "C5": e5})
    assert [round(result.entropy[c], 6) for c in ("C1", "C4", "C5")] == [0.579380, 0.618228, 0.533357]
    assert [round(result.weights[c], 5) for c in NOTEBOOK_X.columns] == [0.33145, 0.0, 0.0, 0.30084, 0.36771]
    assert result.uninformative == ("C2", "C3")


def test_entropy_of_a_cost_criterion_uses_the_reversed_scale():
    benefit = entropy_weights(NOTEBOOK_X[["C1", "C5"]])
    cost = entropy_weights(NOTEBOOK_X[["C1", "C5"]], {"C5": __import__("quota_opt").columns.Direction.COST})
    # C5 reversed: r = (1, 5/8, 0), p = (8/13, 5/13, 0)
    e5 = -((8 / 13) * math.log(8 / 13) + (5 / 13) * math.log(5 / 13)) / math.log(3)
    assert cost.entropy["C5"] == pytest.approx(e5) and benefit.entropy["C5"] != pytest.approx(e5)


def test_entropy_with_no_varying_criterion_falls_back_to_equal_weights():
    result = entropy_weights(NOTEBOOK_X[["C2", "C3"]])
    assert result.weights == {"C2": 0.5, "C3": 0.5}
    assert any("weighted equally" in w for w in result.warnings())


def test_entropy_ignores_missing_values_rather_than_rewarding_them():
    x = NOTEBOOK_X[["C1"]].copy()
    with_gap = pd.concat([x, pd.DataFrame({"C1": [np.nan]}, index=["A4"])])
    assert entropy_weights(with_gap).entropy["C1"] == pytest.approx(entropy_weights(x).entropy["C1"])


# ---------------------------------------------------------------------- blends


def test_blend_linear_and_multiplicative_by_hand():
    s, e = {"a": 0.6, "b": 0.4}, {"a": 0.2, "b": 0.8}
    assert blend_weights(s, e, 0.5, "linear") == pytest.approx({"a": 0.4, "b": 0.6})
    assert blend_weights(s, e, 0.25, "linear") == pytest.approx({"a": 0.3, "b": 0.7})
    # 0.6*0.2 = 0.12, 0.4*0.8 = 0.32; normalised by 0.44
    assert blend_weights(s, e, form="multiplicative") == pytest.approx({"a": 0.12 / 0.44, "b": 0.32 / 0.44})
    with pytest.raises(InputError, match="undefined"):
        blend_weights({"a": 1}, {"b": 1}, form="multiplicative")


def test_entropy_and_blend_weights_through_a_scenario():
    pool = pool3(ai_scenario_share=[10.0, 10.0, 40.0])
    ent = score(pool, scenario({"expert_score": 1, "ai_scenario_share": 1}, weights_method="entropy"))
    direct = entropy_weights(pool[["expert_score", "ai_scenario_share"]].set_index(pool["project_id"]))
    assert ent.weights == pytest.approx(direct.weights)
    blend = score(pool, scenario({"expert_score": 3, "ai_scenario_share": 1}, weights_method="blend", blend_alpha=0.5))
    assert blend.weights == pytest.approx(blend_weights({"expert_score": 0.75, "ai_scenario_share": 0.25},
                                                        direct.weights, 0.5))


def test_minmax_normalise_keeps_missing_missing():
    out = minmax_normalise(pd.DataFrame({"a": [1.0, np.nan, 3.0]}))
    assert out["a"].tolist()[0] == 0.0 and math.isnan(out["a"].tolist()[1]) and out["a"].tolist()[2] == 1.0


@given(st.lists(st.one_of(st.floats(1e-6, 1e6), st.sampled_from([0.07, 0.07, 1.0, 3.0])), min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_normalised_weights_add_up_to_exactly_one_and_normalising_again_changes_no_bit(raw):
    w = normalise_weights(np.array(raw))
    total = 0.0
    for x in w:
        total += x
    assert total == 1.0 and np.all(w > 0)
    assert normalise_weights(w).tobytes() == w.tobytes()
    np.testing.assert_allclose(w, np.array(raw) / sum(raw), rtol=1e-12, atol=1e-15)


def test_scores_of_many_weight_vectors_at_once_equal_score_for_each_bit_for_bit():
    pool = make_pool(60, seed=3)
    base = default_scenario()
    result = score(pool, base)
    norm = result.normalised.fillna(0.0).to_numpy()
    rng = np.random.default_rng(5)
    weights = normalise_weights(np.array(list(result.weights.values())) * rng.uniform(0.5, 1.5, (6, len(result.weights))))
    batch = weighted_scores(norm, weights)
    for k in range(6):
        alone = score(pool, base.with_weights(dict(zip(result.weights, weights[k])))).scores.to_numpy()
        assert batch[k].tobytes() == alone.tobytes()
        assert weighted_scores(norm, weights[k]).tobytes() == alone.tobytes()


def _reciprocal(n: int, upper: tuple) -> list[list[float]]:
    a, k = [[1.0] * n for _ in range(n)], 0
    for i in range(n):
        for j in range(i + 1, n):
            a[i][j], a[j][i], k = upper[k], 1 / upper[k], k + 1
    return a


@pytest.mark.parametrize("n,upper,cr,consistent", [
    (3, (2, 5, 1), 0.081, False),  # acceptable under 0.10, not under Saaty's 0.05 for 3 criteria
    (3, (2, 4, 1), 0.046, True),
    (4, (5, 1 / 2, 1, 1 / 2, 1 / 2, 2), 0.094, False),  # above 0.08, Saaty's limit for 4 criteria
    (4, (2, 2, 4, 1, 3, 1), 0.044, True),
    (5, (2, 1 / 3, 1 / 3, 1, 1 / 4, 1 / 2, 1 / 5, 3, 1, 1 / 3), 0.094, True),  # 0.10 from 5 criteria
])
def test_ahp_consistency_threshold_depends_on_the_matrix_size_as_saaty_gives_it(n, upper, cr, consistent):
    """Saaty (1994, Interfaces 24(6)): CR at most 0.05 for a 3x3 matrix, 0.08 for 4x4, 0.10 for larger."""
    result = ahp_weights(_reciprocal(n, upper))
    assert round(result.cr, 3) == cr
    assert result.consistent is consistent
    assert result.limit == {3: 0.05, 4: 0.08, 5: 0.10}[n]
    if not consistent:
        assert f"> {result.limit:g}" in result.warning()


@given(st.floats(min_value=1 / 9, max_value=9))
def test_ahp_with_two_criteria_is_always_consistent(a):
    result = ahp_weights([[1, a], [1 / a, 1]])
    assert result.consistent and result.warning() is None and cr_limit(2) == float("inf")
# ---------------------------------------------------------------------- numbers at the edge of floating point


def test_weights_of_1e308_normalise_without_overflow():
    assert normalise_weights(np.array([1e308, 1e308])).tolist() == [0.5, 0.5]
    assert normalise_weights(np.array([[1e308, 1e308, 0.0], [3.0, 1.0, 0.0]])).tolist() == [[0.5, 0.5, 0.0],
                                                                                             [0.75, 0.25, 0.0]]
    huge = score(pool3(), scenario({"expert_score": 1e308, "investment": 1e308}))
    plain = score(pool3(), scenario({"expert_score": 1, "investment": 1}))
    assert huge.weights == plain.weights == {"expert_score": 0.5, "investment": 0.5}
    assert huge.scores.tolist() == plain.scores.tolist()


def test_blended_weights_of_1e308_do_not_overflow():
    blended = blend_weights({"a": 1e308, "b": 1e308}, {"a": 0.5, "b": 0.5})
    assert blended == pytest.approx({"a": 0.5, "b": 0.5})


def test_weights_near_underflow_normalise_too():
    assert normalise_weights(np.array([5e-324, 5e-324])).tolist() == [0.5, 0.5]


@settings(max_examples=60, deadline=None)
@given(factor=st.floats(min_value=1e-300, max_value=1e300), seed=st.integers(0, 50))
def test_weights_scaled_by_any_factor_give_the_same_scores_and_selection(factor, seed):
    pool = make_pool(30, seed=seed)
    base = {"expert_score": 0.5, "ai_scenario_share": 0.3, "investment": 0.2}
    plain = score(pool, scenario(base))
    scaled = score(pool, scenario({k: v * factor for k, v in base.items()}))
    assert scaled.weights == pytest.approx(plain.weights, rel=1e-12)
    assert np.allclose(scaled.scores.to_numpy(), plain.scores.to_numpy(), rtol=0, atol=1.01e-6)

    def top(result, k=10):  # the quota-only selection: best scores, ties by project id
        return sorted(result.scores.items(), key=lambda kv: (-round(kv[1], 5), kv[0]))[:k]

    assert [p for p, _ in top(scaled)] == [p for p, _ in top(plain)]


@pytest.mark.parametrize("values,expected", [
    ([-1e308, 0.0, 1e308], [0.0, 50.0, 100.0]),
    ([1.7e308, -1.7e308, 1.7e308], [100.0, 0.0, 100.0]),
    ([1e308, 0.0, 5e307], [100.0, 0.0, 50.0]),
])
def test_a_criterion_holding_plus_minus_1e308_scores_correctly_not_all_zero(values, expected):
    frame = pool3(patents=values)
    result = score(frame, scenario({"patents": 1}))
    assert result.scores.tolist() == expected
    cost = score(frame, scenario({"patents": 1}, {"patents": "cost"}))
    assert cost.scores.tolist() == [100.0 - e for e in expected]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 25), st.integers(1, 40), st.integers(1, 5), st.integers(1, 90), st.integers(0, 2**32 - 1))
def test_scores_computed_in_blocks_equal_one_sum_over_the_whole_matrix(n, k, p, block, seed):
    """weighted_scores works in blocks of rows (issue 13): any block size gives, bit for bit, the sum of
    the criteria in order over the whole matrix, rounded to 9 and then SCORE_DECIMALS decimals."""
    import quota_opt.score as score_module
    from reference_ranks import scores_the_plain_way

    rng = np.random.default_rng(seed)
    norm = rng.uniform(0, 1, (n, p)).round(rng.integers(1, 8))
    weights = normalise_weights(rng.uniform(0.1, 1.0, (k, p)))
    expected = scores_the_plain_way(norm, weights)
    saved = score_module._BLOCK_CELLS
    try:
        score_module._BLOCK_CELLS = block
        assert weighted_scores(norm, weights).tobytes() == expected.tobytes()
        assert weighted_scores(norm, weights[0]).tobytes() == expected[0].tobytes()
    finally:
        score_module._BLOCK_CELLS = saved


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 30), st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_many_samples_scored_by_compiled_code_equal_the_numpy_blocks_bit_for_bit(n, k, p, seed):
    """From _COMPILED_ROWS weight vectors on, weighted_scores is compiled (quota_opt.sample_scores): the
    same sums in the same order and the same roundings, so the same scores bit for bit -- ties included."""
    import quota_opt.score as score_module
    from reference_ranks import scores_the_plain_way

    rng = np.random.default_rng(seed)
    norm = rng.uniform(0, 1, (n, p)).round(rng.integers(1, 8))
    norm[rng.random((n, p)) < 0.2] = 0.0
    weights = normalise_weights(rng.uniform(0.1, 1.0, (k, p)))
    weights[: k // 2] = weights[0]  # repeated vectors: equal weights written once give equal scores
    saved = score_module._COMPILED_ROWS
    try:
        score_module._COMPILED_ROWS = 1
        compiled = weighted_scores(norm, weights)
    finally:
        score_module._COMPILED_ROWS = saved
    assert compiled.tobytes() == scores_the_plain_way(norm, weights).tobytes()
    assert compiled.tobytes() == weighted_scores(norm, weights).tobytes()  # the numpy blocks (k < 256)


VALUE = st.one_of(st.floats(-1e6, 1e6), st.just(float("nan")), st.sampled_from([0.0, 5.0, 5.0, 1e308, -1e308, math.inf]))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 12), st.data())
def test_score_equals_the_column_by_column_pandas_scoring_bit_for_bit(n, data):
    """score (issue 13: each criterion's min-max and checks on its values at once, one table made at the
    end) equals the pandas scoring it replaced, bit for bit: scores, contributions, normalised values,
    missing values and every warning, with constant, missing, empty, huge, infinite and boolean columns,
    cost criteria and canonical columns the pool lacks."""
    from reference_score import reference_minmax_normalise, reference_score
    from quota_opt.score import criterion_values

    draw = data.draw
    criteria = ["expert_score", "investment", "efficiency_gain", "energy_reduction", "maturity_level", "c6"]
    present = draw(st.lists(st.sampled_from(criteria), unique=True, min_size=1))
    pool = pd.DataFrame({"project_id": [f"P{i}" for i in range(n)]})
    for c in present:
        pool[c] = draw(st.lists(VALUE, min_size=n, max_size=n)) if c != "c6" else draw(
            st.lists(st.booleans(), min_size=n, max_size=n))
    weighted = draw(st.lists(st.sampled_from([c for c in criteria if c != "c6" or c in present]), unique=True,
                             min_size=1))
    weights = {c: draw(st.sampled_from([1.0, 2.5, 30.0])) for c in weighted}
    direction = {c: draw(st.sampled_from(["benefit", "cost"])) for c in weighted}
    scen = scenario(weights, direction)
    try:
        expected = reference_score(pool, scen)
    except InputError as exc:
        with pytest.raises(InputError) as err:
            score(pool, scen)
        assert err.value.message_en == exc.message_en
        return
    got = score(pool, scen)
    pd.testing.assert_series_equal(got.scores, expected["scores"], check_exact=True)
    pd.testing.assert_frame_equal(got.contributions, expected["contributions"], check_exact=True)
    pd.testing.assert_frame_equal(got.normalised, expected["normalised"], check_exact=True)
    assert (got.missing, got.warnings, got.weights, got.directions) == \
        (expected["missing"], expected["warnings"], expected["weights"], expected["directions"])
    values, _ = criterion_values(pool, list(got.weights))
    directions = {c: scen.direction_of(c) for c in got.weights}
    pd.testing.assert_frame_equal(minmax_normalise(values, directions), reference_minmax_normalise(values, directions),
                                  check_exact=True)


NUMERIC = ["expert_score", "ai_scenario_share", "maturity_level", "efficiency_gain", "cost_reduction",
           "defect_reduction", "rd_cycle_reduction", "energy_reduction", "investment"]
LOOKALIKE_IDS = ["SC-001", "SC-001 ", "ＳＣ-001", "sc-001", "SC-01", "SC-1", "项目1", "项目１", "P\u00e9", "Pe\u0301", "10", "9"]


@st.composite
def scored_pools(draw):
    """A seeded pool (tests/factories.py) with missing and equal values, criteria typed as text (numbers,
    blanks, words), boolean and missing columns, look-alike or repeated ids, and a scenario with manual, AHP,
    entropy or blended weights and cost criteria."""
    n = draw(st.integers(0, 14))
    pool = make_pool(n, seed=draw(st.integers(0, 5)))
    ids = draw(st.sampled_from(["factory", "lookalike", "numbers", "repeated"]))
    if ids == "lookalike":
        pool["project_id"] = draw(st.lists(st.sampled_from(LOOKALIKE_IDS), min_size=n, max_size=n, unique=n <= 12))
    elif ids == "numbers":
        pool["project_id"] = pd.Series(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n, unique=True)), dtype="int64")
    elif ids == "repeated" and n >= 2:
        pool.loc[pool.index[-1], "project_id"] = pool["project_id"].iloc[0]
    weighted = draw(st.lists(st.sampled_from(NUMERIC + ["专利数量"]), unique=True, min_size=1, max_size=6))
    for c in draw(st.lists(st.sampled_from([c for c in weighted if c in NUMERIC] or NUMERIC), unique=True, max_size=4)):
        change = draw(st.sampled_from(["gaps", "gaps", "gaps", "equal", "all missing", "text", "words", "bool", "drop",
                                       "inf"]))
        if change == "gaps":
            pool[c] = [np.nan if draw(st.booleans()) else v for v in pool[c].tolist()]
        elif change == "equal":
            pool[c] = [draw(st.sampled_from([5.0, np.nan]))] * n if n else []
        elif change == "all missing":
            pool[c] = np.full(n, np.nan)
        elif change == "text":  # numbers typed into a text column, with blanks
            pool[c] = pd.Series([draw(st.sampled_from(["", " ", None])) if draw(st.booleans()) else f" {v} "
                                 for v in pool[c].tolist()], dtype="str")
        elif change == "words" and n:
            pool[c] = pd.Series(["高"] + [str(v) for v in pool[c].tolist()[1:]], dtype=object)
        elif change == "bool":
            pool[c] = [draw(st.booleans()) for _ in range(n)]
        elif change == "drop":
            pool = pool.drop(columns=[c])
        elif change == "inf" and n:
            pool[c] = [draw(st.sampled_from([np.inf, -np.inf, 1e308, -1e308]))] + pool[c].astype(float).tolist()[1:]
    data = {"weights": {c: draw(st.sampled_from([0.07, 1.0, 2.5] if c == weighted[0] else [0.0, 0.07, 1.0, 2.5]))
                        for c in weighted},
            "direction": {c: "cost" for c in weighted if draw(st.booleans())}}
    method = draw(st.sampled_from(["manual", "manual", "ahp", "entropy", "blend"]))
    if method != "manual":
        data["scoring"] = {"weights_method": method}
    if method == "ahp" or (method == "blend" and draw(st.booleans())):
        three = draw(st.lists(st.sampled_from(NUMERIC), unique=True, min_size=3, max_size=3))
        a, b, c = (draw(st.sampled_from([1.0, 3.0, 9.0, 1 / 3])) for _ in range(3))
        data["scoring"]["ahp"] = {"criteria": three, "matrix": [[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]]}
    if method == "blend":
        data["scoring"].update(blend_alpha=draw(st.sampled_from([0.0, 0.3, 1.0])),
                               blend_form=draw(st.sampled_from(["linear", "multiplicative"])))
    try:
        return pool, Scenario.from_dict(data)
    except InputError:  # a scenario file the scenario reader refuses never reaches scoring
        assume(False)


@settings(max_examples=300, deadline=None)
@given(scored_pools())
def test_score_equals_the_previous_scoring_in_every_field_on_random_pools(case):
    """Every field of the ScoreResult (scores, contributions, normalised values, weights, directions, method,
    AHP and entropy results, missing values, every warning in order and wording) equals what score gave before
    it worked on arrays (tests/reference_score.py: previous_score) and, but for a criterion holding -inf, the
    pandas scoring before that (reference_score); an error is the same error with the same message."""
    from reference_score import previous_score, reference_score, score_differences

    pool, scen = case
    try:
        expected = previous_score(pool, scen)
    except InputError as exc:
        event("an input error")
        with pytest.raises(InputError) as err:
            score(pool, scen)
        assert (err.value.message_zh, err.value.message_en) == (exc.message_zh, exc.message_en)
        return
    got = score(pool, scen)
    event("scored" + (", some values missing" if got.missing else ""))
    assert score_differences(got, expected) == []
    if not any(np.isneginf(pool[c]).any() for c in NUMERIC if c in pool and pool[c].dtype.kind == "f"):
        assert score_differences(got, reference_score(pool, scen)) == []
