"""The tie rule's shortcuts (issue 13): fixing projects by reduced costs against selections already
known, and trying every subset of the few projects left free, give exactly the selection the
exact priority walk gives -- the best selection first in priority order -- checked against every
subset of small random pools with ties everywhere."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from quota_opt.optimise import SCALE, SelectionModel, build_problem
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
