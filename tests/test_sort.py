"""The quota alone, or with caps of one kind, is a sort (issue 13, item 3; issue 9: a 200,000-row
quota-only pool must not fail on the solver's time limit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from brute import brute_force
from quota_opt.optimise import SCALE, SelectionModel, build_problem, make_solver
from quota_opt.optimise.sort import is_sortable, sort_select_many
from quota_opt.optimise.ties import lexmax
from quota_opt.scenario import Constraints
from test_properties import FAST, cases


def sortable(case) -> tuple:
    """The case with its floors and all but one kind of cap dropped."""
    pool, scores, quota, c = case
    kind = int(np.random.default_rng(len(pool)).integers(0, 4))
    caps = [{}, {"max_per_industry": c.max_per_industry, "industry_max": c.industry_max},
            {"max_per_city": c.max_per_city}, {"max_per_group": c.max_per_group}][kind]
    return pool, scores, quota, Constraints(min_score=c.min_score, include=c.include, exclude=c.exclude, **caps)


@FAST
@given(cases())
def test_a_sort_equals_the_solver_and_brute_force_ties_included(case):
    problem = build_problem(*sortable(case))
    assert is_sortable(problem)
    sel = SelectionModel(problem).solve(explain=False)
    assert sel.solves == 0 and sel.path == "sort"
    assert (sel.status, sel.selected, sel.objective) == brute_force(problem)
    S = np.rint(problem.scores * SCALE).astype(np.int64)
    lb, ub = problem.bounds()
    solved = lexmax(make_solver("highs").attach(problem), S, lb, ub)
    assert solved.status == sel.status
    if solved.status == "optimal":
        assert np.array_equal(solved.x > 0.5, sel.mask())


@FAST
@given(cases(), st.data())
def test_a_batch_of_sorts_gives_each_row_what_the_solver_gives_it(case, data):
    problem = build_problem(*sortable(case))
    k = data.draw(st.integers(1, 8))
    matrix = np.array(data.draw(st.lists(st.lists(st.sampled_from([0.0, 10.0, 30.0, 45.5, 100.0]),
                                                  min_size=problem.n, max_size=problem.n), min_size=k, max_size=k)),
                      dtype=float).reshape(k, problem.n)
    batch = SelectionModel(problem).solve_many(matrix)
    backend = make_solver("highs").attach(problem)
    for row, scores in enumerate(matrix):
        lb, ub = problem.bounds(scores)
        solved = lexmax(backend, np.rint(scores * SCALE).astype(np.int64), lb, ub)
        assert batch.feasible[row] == (solved.status == "optimal")
        if batch.feasible[row]:
            assert np.array_equal(batch.picks[row], solved.x > 0.5)


def test_rules_that_overlap_or_floors_are_not_a_sort():
    pool = pd.DataFrame({"project_id": ["A", "B"], "industry": ["x", "x"], "city": ["c", "c"], "group": ["", ""],
                         "enterprise": ["e1", "e2"]})
    scores = pd.Series([1.0, 2.0], index=["A", "B"])
    assert is_sortable(build_problem(pool, scores, 1, Constraints(max_per_industry=1)))
    assert not is_sortable(build_problem(pool, scores, 1, Constraints(max_per_industry=1, max_per_city=1)))
    assert not is_sortable(build_problem(pool, scores, 1, Constraints(min_per_city=1)))


def test_must_include_projects_beyond_the_quota_are_infeasible_and_explained():
    pool = pd.DataFrame({"project_id": ["A", "B", "C"], "industry": "x", "city": "c", "group": "", "enterprise": "e"})
    problem = build_problem(pool, pd.Series([1.0, 2.0, 3.0], index=["A", "B", "C"]), 1,
                            Constraints(include=("A", "B")))
    sel = SelectionModel(problem).solve()
    assert sel.status == "infeasible" and sel.solves == 0 and sel.explanation
    picks, feasible = sort_select_many(problem, np.zeros((2, 3), dtype=np.int64), np.ones(3))
    assert not feasible.any() and not picks.any()


def test_a_200000_row_quota_only_pool_is_ordered_by_a_sort():
    n = 200_000
    rng = np.random.default_rng(0)
    ids = [f"P{i:06d}" for i in range(n)]
    pool = pd.DataFrame({"project_id": ids, "industry": "x", "city": "c", "group": "", "enterprise": ids})
    scores = pd.Series(np.round(rng.uniform(0, 100, n), 1), index=ids)  # one decimal: many ties
    problem = build_problem(pool, scores, 500, Constraints())
    sel = SelectionModel(problem).solve()
    assert sel.status == "optimal" and sel.solves == 0 and sel.path == "sort" and len(sel.selected) == 500
    expected = sorted(ids, key=lambda p: (-scores[p], p))[:500]
    assert list(sel.selected) == expected
