"""Properties on random small pools with random rules (hypothesis), checked against brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute import brute_force
from quota_opt.optimise import Selection, SelectionModel, build_problem, group_keys
from quota_opt.scenario import Constraints, FrozenMap, Scenario
from quota_opt.score import score

INDUSTRIES = ("汽车", "医药", "电子")
CITIES = ("成都", "绵阳", "德阳")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


ROW = st.tuples(
    st.sampled_from(INDUSTRIES),
    st.sampled_from(CITIES),
    st.sampled_from(["", "", "甲集团", "乙集团"]),
    st.sampled_from(["企业一", "企业二", "企业三", "企业四", "企业五"]),
    st.integers(0, 4),
    st.one_of(st.none(), st.integers(0, 9)),
    st.floats(0, 100, allow_nan=False),
    # coarse scores: many ties, the hard case for the tie rule
    st.sampled_from([0.0, 10.0, 20.0, 30.0, 30.0, 45.5, 50.0, 100.0]),
)
NUMBERS = st.permutations(range(61))
CAP = st.one_of(st.none(), st.integers(1, 4))
FLOOR = st.one_of(st.none(), st.integers(0, 2))
GROUP_CAP = st.one_of(st.none(), st.integers(1, 2))
MIN_SCORE = st.one_of(st.none(), st.sampled_from([5.0, 25.0, 45.5]))
INDUSTRY_MAX = st.dictionaries(st.sampled_from(INDUSTRIES), st.integers(0, 2), max_size=1)
CITY_MIN = st.dictionaries(st.sampled_from((*CITIES, "攀枝花")), st.integers(0, 2), max_size=1)
PICK = st.lists(st.integers(0, 13), max_size=2, unique=True)


@st.composite
def cases(draw, max_n: int = 14):
    rows = draw(st.lists(ROW, max_size=max_n))
    n = len(rows)
    ids = [f"P{k:02d}" for k in draw(NUMBERS)[:n]]
    pool = pd.DataFrame(rows, columns=["industry", "city", "group", "enterprise", "c1", "c2", "c3", "score"],
                        dtype=object)
    pool.insert(0, "project_id", ids)
    pool = pool.astype({"c1": float, "c2": float, "c3": float})
    scores = pd.Series(pool.pop("score").astype(float).to_numpy(), index=ids)
    include = [ids[k] for k in draw(PICK) if k < n]
    exclude = [ids[k] for k in draw(PICK) if k < n and ids[k] not in include]
    constraints = Constraints(
        max_per_industry=draw(CAP),
        min_per_industry=draw(st.one_of(st.none(), st.integers(0, 1))),
        max_per_city=draw(CAP),
        min_per_city=draw(FLOOR),
        max_per_group=draw(GROUP_CAP),
        min_score=draw(MIN_SCORE),
        include=tuple(include),
        exclude=tuple(exclude),
        industry_max=FrozenMap(draw(INDUSTRY_MAX)),
        city_min=FrozenMap(draw(CITY_MIN)),
    )
    quota = draw(st.integers(0, 8))
    return pool, scores, quota, constraints


def solve(pool, scores, quota, constraints, solver="highs"):
    problem = build_problem(pool, scores, quota, constraints)
    return problem, SelectionModel(problem, solver).solve(explain=False)


@FAST
@given(cases())
def test_the_optimum_equals_brute_force(case):
    problem, sel = solve(*case)
    status, picks, objective = brute_force(problem)
    assert sel.status == status
    assert sel.selected == picks
    assert sel.objective == objective


@SLOW
@given(cases(max_n=10))
def test_cbc_equals_brute_force_too(case):
    problem, sel = solve(*case, solver="cbc")
    assert (sel.status, sel.selected, sel.objective) == brute_force(problem)


@FAST
@given(cases())
def test_no_rule_is_ever_broken(case):
    pool, scores, quota, c = case
    _, sel = solve(pool, scores, quota, c)
    if sel.status != "optimal":
        return
    picked = pool[pool["project_id"].isin(sel.selected)].assign(_group=lambda f: group_keys(f))
    assert len(picked) == len(sel.selected) <= quota
    assert set(c.include) <= set(sel.selected) and not set(c.exclude) & set(sel.selected)
    if c.min_score is not None:
        assert all(scores[p] >= c.min_score or p in c.include for p in sel.selected)
    for dim, cap_all, table in (("industry", c.max_per_industry, c.industry_max), ("city", c.max_per_city, {}),
                                ("_group", c.max_per_group, {})):
        for key, count in picked[dim].value_counts().items():
            cap = table.get(key, cap_all)
            assert cap is None or count <= cap
    for dim, floor_all, table in (("city", c.min_per_city, c.city_min), ("industry", c.min_per_industry, {})):
        counts = picked[dim].value_counts()
        for key in set(pool[dim]) | set(table):
            floor = table.get(key, floor_all if key in set(pool[dim]) else None)
            assert floor is None or counts.get(key, 0) >= floor


@FAST
@given(cases(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(case, rnd):
    pool, scores, quota, c = case
    order = list(range(len(pool)))
    rnd.shuffle(order)
    _, a = solve(pool, scores, quota, c)
    _, b = solve(pool.iloc[order].reset_index(drop=True), scores.iloc[order], quota, c)
    assert (a.status, a.selected, a.objective) == (b.status, b.selected, b.objective)


@FAST
@given(cases(), st.lists(st.integers(1, 9), min_size=3, max_size=3), st.floats(1e-3, 1e3))
def test_scaling_all_weights_changes_nothing(case, weights, factor):
    pool, _, quota, c = case
    base = Scenario.from_dict({"weights": dict(zip(("c1", "c2", "c3"), weights)), "direction": {"c3": "cost"}})
    scaled = base.with_weights({k: v * factor for k, v in base.weights.items()})
    s1, s2 = score(pool, base), score(pool, scaled)
    pd.testing.assert_series_equal(s1.scores, s2.scores)
    _, a = solve(pool, s1.scores, quota, c)
    _, b = solve(pool, s2.scores, quota, c)
    assert (a.status, a.selected) == (b.status, b.selected)


@FAST
@given(cases(), st.data())
def test_raising_a_picked_projects_score_never_drops_it(case, data):
    pool, scores, quota, c = case
    _, sel = solve(pool, scores, quota, c)
    if sel.status != "optimal" or not sel.selected:
        return
    chosen = data.draw(st.sampled_from(sel.selected))
    raised = scores.copy()
    raised[chosen] += data.draw(st.sampled_from([0.000001, 0.5, 10.0, 55.0]))
    _, again = solve(pool, raised, quota, c)
    assert again.status == "optimal" and chosen in again.selected


SCORE = st.one_of(st.sampled_from([0.0, 10.0, 30.0, 30.0, 45.5, 100.0]), st.floats(0, 100, allow_nan=False))


@FAST
@given(cases(), st.data())
def test_solve_many_gives_each_row_what_solve_gives_it(case, data):
    """The batch loop (one model, only the objective changes) keeps the exact tie rule and the
    min_score fixings, which change with the scores, row by row."""
    pool, scores, quota, c = case
    problem = build_problem(pool, scores, quota, c)
    rows = data.draw(st.integers(1, 4))
    matrix = np.array([[data.draw(SCORE) for _ in range(problem.n)] for _ in range(rows)]).reshape(rows, problem.n)
    batch = SelectionModel(problem).solve_many(matrix)
    single = SelectionModel(problem)
    for k in range(rows):
        one = single.solve(matrix[k], explain=False)
        assert batch.feasible[k] == one.feasible
        assert set(problem.ids_array[batch.picks[k]]) == set(one.selected)
        assert batch.objectives[k] == one.objective


@FAST
@given(cases())
def test_a_selections_mask_marks_exactly_its_picks(case):
    """Selection.mask (looked up by position, issue 13) marks the picks and nothing else, as comparing
    every project id with every pick does."""
    pool, scores, quota, c = case
    problem = build_problem(pool, scores, quota, c)
    sel = SelectionModel(problem).solve()
    assert sel.mask().tolist() == np.isin(problem.ids_array, np.array(sel.selected, dtype=object)).tolist()
    other = Selection("optimal", (*sel.selected, "not-a-project"), 0.0, sel.score_values, problem)
    assert other.mask().tolist() == sel.mask().tolist()
