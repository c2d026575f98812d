"""The tie rule's shortcuts (issue 13): fixing projects by reduced costs against selections already
known, and trying every subset of the few projects left free, give exactly the selection the
exact priority walk gives -- the best selection first in priority order -- checked against every
subset of small random pools with ties everywhere."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from quota_opt.optimise import SCALE, SelectionModel, build_problem
from quota_opt.optimise.backends import Outcome
from quota_opt.optimise.ties import _enumerate_first_best, _fixed_by_reduced_cost, lexmax
from test_properties import FAST, cases
from test_simplex import every_subset

COARSE = st.sampled_from([0, 10, 20, 30, 45, 50, 100])  # whole points: ties everywhere


def first_best_by_every_subset(problem, S, lb, ub):
    """The best selection within the bounds that keeps every rule, first in priority order (score
    high to low, then project_id: problem order), by trying them all; None when there is none."""
    X, keeps, *_ = every_subset(problem)
    keeps &= np.all((X >= lb) & (X <= ub), axis=1)
    if not keeps.any():
        return None
    X = X[keeps]
    totals = X.astype(np.int64) @ S
    best = X[totals == totals.max()]
    order = np.argsort(-S, kind="stable")
    ranked = best[:, order]  # each best selection read in priority order
    first = max(range(len(ranked)), key=lambda r: tuple(ranked[r]))
    return best[first]


def drawn(case, data):
    """A drawn problem with rows, whole-point scores (ties everywhere), its backend and bounds, and
    its first best selection by every subset (None when no selection keeps the rules); None when
    the problem has no project or no row."""
    pool, scores, quota, constraints = case
    problem = build_problem(pool, scores, quota, constraints)
    if problem.n == 0 or not problem.rules:
        return None
    S = np.array(data.draw(st.lists(COARSE, min_size=problem.n, max_size=problem.n)), dtype=np.int64) * SCALE
    lb, ub = problem.bounds()
    return problem, S, SelectionModel(problem)._backend, lb, ub, first_best_by_every_subset(problem, S, lb, ub)


@FAST
@given(cases(max_n=10), st.data())
def test_trying_every_free_subset_finds_the_first_best_selection(case, data):
    made = drawn(case, data)
    if made is None:
        return
    problem, S, backend, lb, ub, expected = made
    found = _enumerate_first_best(backend, S, lb, ub, None)
    assert (found is None) == (expected is None)
    if expected is not None:
        assert np.array_equal(found > 0.5, expected > 0.5)


@FAST
@given(cases(max_n=10), st.data())
def test_fixing_by_reduced_costs_keeps_every_best_selection_and_lexmax_its_answer(case, data):
    made = drawn(case, data)
    if made is None:
        return
    problem, S, backend, lb, ub, expected = made
    root = backend.solve(-S.astype(float), lb, ub, slot="lp")
    if expected is None:
        assert lexmax(backend, S, lb, ub).status == "infeasible"
        return
    X, keeps, *_ = every_subset(problem)
    keeps &= np.all((X >= lb) & (X <= ub), axis=1)
    feasible = X[keeps]
    known = feasible[data.draw(st.lists(st.integers(0, len(feasible) - 1), min_size=1, max_size=4))]
    lb2, ub2 = _fixed_by_reduced_cost(root, S, lb, ub, known)
    totals = feasible.astype(np.int64) @ S
    for best in feasible[totals == totals.max()]:
        assert np.all((best >= lb2) & (best <= ub2)), "a best selection was fixed away"
    solved = lexmax(backend, S, lb, ub, known=known)
    assert solved.status == "optimal" and np.array_equal(solved.x > 0.5, expected > 0.5)


@FAST
@given(cases(max_n=10), st.data())
def test_a_selection_counts_as_lp_optimal_exactly_when_the_relaxation_reaches_its_total(case, data):
    """``lp_integral`` counts the samples whose LP relaxation has an integral optimum: the same
    whichever optimal vertex the solver happens to return first (it used to depend on the warm
    start), checked against the best total of every subset."""
    made = drawn(case, data)
    if made is None or made[-1] is None:
        return
    problem, S, backend, lb, ub, expected = made
    relaxed = backend.solve(-S.astype(float), lb, ub, slot="scratch").value  # the relaxation's optimum
    best = int(expected.astype(np.int64) @ S)
    solved = lexmax(backend, S, lb, ub)
    # whole points times SCALE: a fractional optimum below the best total misses it by far more than 1
    assert solved.lp_optimal == (abs(relaxed + best) <= 1.0)


def test_an_odd_cycle_of_caps_is_not_counted_lp_optimal_and_a_tie_of_vertices_is():
    """Three projects, each two sharing a cap of one (an industry, a city, a group): the relaxation
    takes half of each (1.5 projects' worth), no selection more than one, so the selection is not an
    optimum of the relaxation. With a fourth project outside the cycle and a quota of one, the
    relaxation's optima include a fractional vertex and the 0/1 one: counted, whichever comes first."""
    import pandas as pd

    from quota_opt.scenario import Constraints

    pool = pd.DataFrame({"project_id": ["A", "B", "C"], "industry": ["x", "x", "r"], "city": ["p", "y", "y"],
                         "group": ["z", "q", "z"], "enterprise": ["e1", "e2", "e3"]})
    rules = Constraints(max_per_industry=1, max_per_city=1, max_per_group=1)
    problem = build_problem(pool, pd.Series([50.0, 50.0, 50.0], index=["A", "B", "C"]), 3, rules)
    lb, ub = problem.bounds()
    backend = SelectionModel(problem)._backend
    solved = lexmax(backend, np.full(3, 50 * SCALE, dtype=np.int64), lb, ub)
    assert solved.path == "mip" and solved.x.sum() == 1 and not solved.lp_optimal
    assert SelectionModel(problem).solve_many(np.full((2, 3), 50.0)).lp_integral == 0

    pool = pd.concat([pool, pd.DataFrame({"project_id": ["D"], "industry": ["w"], "city": ["v"], "group": ["u"],
                                          "enterprise": ["e4"]})], ignore_index=True)
    problem = build_problem(pool, pd.Series([50.0, 50.0, 50.0, 75.0], index=list("ABCD")), 2, rules)
    lb, ub = problem.bounds()
    # the fractional optimum (A and B half each, D), with its dual (the quota's row alone is priced)
    x = np.array([0.5, 0.5, 0.0, 1.0])
    quota_row = np.array([r.family == "quota" for r in problem.rules])
    row_value = np.array([x[list(r.members)].sum() for r in problem.rules])
    fractional = Outcome("optimal", -125.0 * SCALE, x, np.array([0.0, 0.0, 0.0, -25.0]) * SCALE,
                         np.where(quota_row, -50.0 * SCALE, 0.0), row_value)
    solved = lexmax(SelectionModel(problem)._backend, np.array([50, 50, 50, 75], dtype=np.int64) * SCALE, lb, ub,
                    root=fractional)
    assert solved.path == "mip" and list(solved.x) == [1, 0, 0, 1] and solved.lp_optimal
