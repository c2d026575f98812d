"""The numpy simplex that pivots many samples at once (issue 13, item 1): whatever it proves is
the only best selection, checked against every subset of small random pools -- also when it is
handed a wrong inverse -- and a singular basis is never a start."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from factories import make_pool
from quota_opt.optimise import SCALE, SelectionModel, build_problem
from quota_opt.optimise.batch import _rows, _simplex
from quota_opt.optimise.problem import ZERO
from quota_opt.optimise.simplex import Anchors, Basis, Simplex
from quota_opt.scenario import default_scenario
from quota_opt.score import score
from test_properties import FAST, cases


def every_subset(problem):
    """All selections (rows of 0/1), which keep every rule, and the rows' matrix and bounds."""
    n = problem.n
    X = np.array(list(itertools.product((0.0, 1.0), repeat=n))).reshape(-1, n)
    A = np.zeros((len(problem.rules), n))
    for i, rule in enumerate(problem.rules):
        A[i, list(rule.members)] = 1.0
    lo, hi = problem.row_bounds()
    lb, ub = problem.bounds()
    r = X @ A.T
    keeps = np.all((r >= lo) & (r <= hi), axis=1) & np.all((X >= lb) & (X <= ub), axis=1)
    return X, keeps, A, lo, hi, lb, ub


def small_problem(case):
    """The problem of a drawn case, its simplex and every selection that keeps the rules (None when
    there is no row or no such selection)."""
    pool, scores, quota, constraints = case
    problem = build_problem(pool, scores, quota, constraints)
    if problem.n == 0 or not problem.rules:
        return None
    X, keeps, A, lo, hi, lb, ub = every_subset(problem)
    if not keeps.any():
        return None
    return problem, Simplex(A, lo, hi), X[keeps], lb, ub


def slack_start(simplex: Simplex, x: np.ndarray) -> Basis:
    """The basis of every row activity at the 0/1 point x (every column non-basic at its bound)."""
    m = simplex.m
    return Basis(simplex.n + np.arange(m), -np.eye(m), x.astype(float))


def assert_only_proofs_of_the_unique_best(problem, costs, many):
    X, keeps, *_ = every_subset(problem)
    for k in np.flatnonzero(many.optimal):
        values = X[keeps] @ costs[k]  # minimised
        best = values.min()
        winners = X[keeps][values == best]
        assert len(winners) == 1, "a proof where two selections tie"
        assert np.array_equal(winners[0] > 0.5, many.picks[k]), "a proof of a selection that is not the best"


@FAST
@given(cases(max_n=9), st.data())
def test_every_proof_is_of_the_only_best_selection_by_every_subset(case, data):
    made = small_problem(case)
    if made is None:
        return
    problem, simplex, selections, lb, ub = made
    start = selections[data.draw(st.integers(0, len(selections) - 1))]
    k = data.draw(st.integers(1, 8))
    coarse = st.sampled_from([0, 10, 20, 30, 45, 50, 100])  # ties everywhere
    rows = data.draw(st.lists(st.lists(st.one_of(coarse, st.integers(0, 100)), min_size=problem.n,
                                       max_size=problem.n), min_size=k, max_size=k))
    costs = -np.array(rows, dtype=float).reshape(k, problem.n) * SCALE
    many = simplex.run_many(costs, lb, ub, Anchors(simplex, [slack_start(simplex, start)]), np.zeros(k, dtype=int),
                            ZERO)
    assert_only_proofs_of_the_unique_best(problem, costs, many)


@FAST
@given(cases(max_n=8), st.integers(0, 2 ** 32 - 1))
def test_a_wrong_inverse_never_proves_a_wrong_selection(case, seed):
    made = small_problem(case)
    if made is None:
        return
    problem, simplex, selections, lb, ub = made
    rng = np.random.default_rng(seed)
    start = slack_start(simplex, selections[0])
    start.inverse = start.inverse + rng.normal(0, rng.choice([1e-9, 1e-3, 1.0]), start.inverse.shape)
    costs = -np.rint(rng.uniform(0, 100, (6, problem.n))) * SCALE
    many = simplex.run_many(costs, lb, ub, Anchors(simplex, [start]), np.zeros(6, dtype=int), ZERO)
    assert_only_proofs_of_the_unique_best(problem, costs, many)


def test_the_pivots_prove_most_samples_of_a_real_pool_and_agree_with_the_solver():
    pool = make_pool(200, seed=7)
    scen = default_scenario().with_constraints(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1)
    scored = score(pool, scen)
    problem = build_problem(pool, scored, 20, scen)
    model = SelectionModel(problem)
    rng = np.random.default_rng(0)
    scores = problem.scores * rng.uniform(0.8, 1.2, (200, problem.n))
    batch = model.solve_many(scores)
    assert batch.feasible.all() and batch.pivoted >= 150 and batch.solves <= 20
    plain = SelectionModel(problem).solve_many(scores, screen=False)
    assert np.array_equal(batch.picks, plain.picks)


def test_a_singular_basis_is_never_a_start():
    pool = make_pool(30, seed=2)
    scen = default_scenario().with_constraints(max_per_city=2)
    problem = build_problem(pool, score(pool, scen), 5, scen)
    model = SelectionModel(problem)
    simplex = _simplex(model._backend)
    assert simplex is not None and _rows(model._backend).dense is not None
    m = simplex.m
    first_city = next(i for i, r in enumerate(problem.rules) if r.family == "max_per_city")
    members = list(problem.rules[first_city].members)
    # two columns of one city, with the quota's and the city's rows tight and every other row's
    # activity basic: on those two rows both columns read (1, 1), so the basis is singular
    cols = np.array(members[:2])
    quota_row = next(i for i, r in enumerate(problem.rules) if r.family == "quota")
    tight = np.array(sorted([quota_row, first_city]))
    x = np.zeros(problem.n)
    assert simplex.start(x, cols, tight) is None
    # while a non-singular one is (the city's first column and the quota's row alone)
    assert simplex.start(x, cols[:1], np.array([quota_row])) is not None and m >= 2


def test_a_basis_naming_a_variable_twice_is_singular():
    pool = make_pool(30, seed=2)
    scen = default_scenario().with_constraints(max_per_city=2)
    problem = build_problem(pool, score(pool, scen), 5, scen)
    simplex = _simplex(SelectionModel(problem)._backend)
    n, m = simplex.n, simplex.m
    slack = n + np.arange(m)
    twice = slack.copy()
    twice[1] = twice[0]  # one row's activity named twice, another's left out
    assert simplex.nonsingular(np.array([slack, twice])).tolist() == [True, False]


def test_a_certificate_checks_an_inverse_handed_to_it_before_other_samples_rely_on_it():
    from quota_opt.optimise.batch import _Certificate

    pool = make_pool(60, seed=4)
    scen = default_scenario().with_constraints(max_per_city=2, max_per_group=1)
    problem = build_problem(pool, score(pool, scen), 8, scen)
    model = SelectionModel(problem)
    backend = model._backend
    cost = -np.rint(problem.scores * SCALE)
    lb, ub = problem.bounds()
    root = backend.solve(cost, lb, ub, slot="lp")
    basic = backend.basic_variables()
    cols = np.sort(basic[basic >= 0])
    tight = np.setdiff1d(np.arange(len(problem.rules)), -basic[basic < 0] - 1)
    assert len(cols) == len(tight) > 0
    x = np.rint(root.x)
    wrong = np.full((len(tight), len(tight)), 0.5)
    cert = _Certificate.from_basis(backend, x, cols, tight, cost, wrong)
    M = _rows(backend).dense[np.ix_(tight, cols)]
    assert cert is not None and np.allclose(cert.inverse @ M, np.eye(len(tight)))


def test_warming_up_compiles_the_pivoting_and_its_proof():
    from quota_opt.optimise import pivot
    from quota_opt.optimise.simplex import warm_up

    warm_up()
    assert pivot.pivot_samples.signatures and pivot.prove_samples.signatures
