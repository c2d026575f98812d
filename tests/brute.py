"""Brute force over every subset: the reference the optimiser is checked against on small pools."""

from __future__ import annotations

import numpy as np

from quota_opt.optimise import SCALE, SelectionProblem, priority_order


def all_subsets(n: int) -> np.ndarray:
    """Every subset of n items as rows of a 0/1 matrix (2^n x n)."""
    codes = np.arange(2 ** n, dtype=np.int64)
    return ((codes[:, None] >> np.arange(n)) & 1).astype(np.int64)


def feasible_subsets(problem: SelectionProblem, scores: np.ndarray | None = None) -> np.ndarray:
    s = problem.scores if scores is None else scores
    m = all_subsets(problem.n)
    ok = np.ones(len(m), dtype=bool)
    lb, ub = problem.bounds(s)
    ok &= np.all(m >= lb, axis=1) & np.all(m <= ub, axis=1)
    for rule in problem.rules:
        count = m[:, list(rule.members)].sum(axis=1) if rule.members else np.zeros(len(m), dtype=np.int64)
        if rule.lower is not None:
            ok &= count >= rule.lower
        if rule.upper is not None:
            ok &= count <= rule.upper
    return m[ok]


def brute_force(problem: SelectionProblem, scores: np.ndarray | None = None) -> tuple[str, tuple[str, ...], float]:
    """(status, picks in priority order, objective) by enumeration, with the documented tie rule:
    the highest total; among equals, the first in priority order (score desc, project_id asc)."""
    s = problem.scores if scores is None else scores
    subsets = feasible_subsets(problem, s)
    if len(subsets) == 0:
        return "infeasible", (), 0.0
    S = np.rint(s * SCALE).astype(np.int64)
    totals = subsets @ S
    best = subsets[totals == totals.max()]
    order = priority_order(problem.project_ids, s)
    weights = 2 ** np.arange(problem.n - 1, -1, -1, dtype=np.int64)
    key = best[:, order] @ weights
    chosen = best[int(np.argmax(key))]
    picks = tuple(problem.project_ids[i] for i in order if chosen[i])
    return "optimal", picks, round(int(totals.max()) / SCALE, 6)
