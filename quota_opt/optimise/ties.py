"""The tie rule: among all best selections, the first in priority order (see the package doc).

:func:`priority_order` states the order (score high to low, then project_id); :func:`lexmax`
finds that selection exactly with any backend (LP first, reduced-cost and tableau certificates,
an exact priority walk only when a tie is possible).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .backends import Backend, Outcome
from .problem import INTEGRAL_TOL, ZERO

# Free projects up to which, once fixed by reduced costs, every subset is tried instead of solving
# an integer program (2^16 subsets take about a millisecond or two; a solver call on the whole
# program takes tens).
_ENUMERATE = 16


def integral(x: np.ndarray) -> np.ndarray | None:
    r = np.rint(x)
    return r if np.all(np.abs(x - r) <= INTEGRAL_TOL) else None


def priority_order(project_ids: Sequence[str], scores: np.ndarray) -> np.ndarray:
    """Positions in priority order: score high to low, then project_id ascending."""
    ids = np.asarray(project_ids, dtype=object)
    if len(ids) > 1 and not np.all(ids[:-1] <= ids[1:]):
        ids_rank = np.argsort(ids, kind="stable")
        id_pos = np.empty(len(ids), dtype=np.int64)
        id_pos[ids_rank] = np.arange(len(ids))
        return np.lexsort((id_pos, -np.asarray(scores, dtype=float)))
    # Already in project_id order (a SelectionProblem): a stable sort keeps it within equal scores.
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")


@dataclass
class Solved:
    status: str
    x: np.ndarray | None
    path: str  # lp: the LP relaxation was integral; mip: the integer program was solved
    # the selection is an optimum of the LP relaxation too (the relaxation has an integral optimum):
    # true on the lp path; on the mip path when the selection lies on the relaxation's optimal face
    # (whichever optimal vertex the solver returned first, so the count does not depend on it);
    # read only when optimal
    lp_optimal: bool = True


def lexmax(backend: Backend, S: np.ndarray, lb: np.ndarray, ub: np.ndarray, order: np.ndarray | None = None,
           known: np.ndarray | None = None, root: Outcome | None = None) -> Solved:
    """The best selection that comes first in priority order (see the module doc); ``order`` is
    the priority order (made from ``S`` when needed and not given).

    ``known``: selections (rows of 0/1) that keep every rule, for instance other samples' picks.
    When the LP relaxation is fractional, the best of them within the bounds caps the optimum, and
    every project whose LP reduced cost shows it cannot be in a selection that good, in or out, is
    fixed before the integer program is solved: a smaller program, the same optimum and the same
    best selections (only projects in none of them, or in all, are fixed). ``root``: the LP
    relaxation just solved for these scores and bounds in the backend's ``lp`` slot, when the
    caller has it (not solved again)."""
    cost = -S.astype(float)
    if root is None:
        root = backend.solve(cost, lb, ub, slot="lp")
    if root.status == "infeasible":
        return Solved("infeasible", None, "lp")
    x = integral(root.x)
    path = "lp"
    if x is None:
        path = "mip"
        mlb, mub = _fixed_by_reduced_cost(root, S, lb, ub, known)
        if (mlb < mub).sum() <= _ENUMERATE:
            x = _enumerate_first_best(backend, S, mlb, mub, order)
            if x is None:
                return Solved("infeasible", None, path)
            return Solved("optimal", x, path, on_optimal_face(backend, root, x))
        mip = backend.solve(cost, mlb, mub, integer=True, slot="mip")
        if mip.status == "infeasible":
            return Solved("infeasible", None, path)
        x = np.rint(mip.x)
    xi = x.astype(np.int64)
    best = -int(S @ xi)  # the minimum of cost . x, a whole number
    free = lb < ub
    # Any selection containing i is worth at most root.value + max(d_i, 0) (LP reduced-cost bound).
    possible = free & (root.value + np.maximum(root.col_dual, 0.0) <= best + ZERO)
    cand = possible & (xi == 0)
    if not cand.any():
        return Solved("optimal", x, path, path == "lp" or on_optimal_face(backend, root, x))
    if path == "lp":
        cand &= ~backend.tableau_prunes(cand, root, lb, ub)
        if not cand.any() or not face_allows(backend, root, x, lb, ub, cand):
            return Solved("optimal", x, path)
    # Exact priority walk over every project that might be in a best selection (a pick may be
    # displaced by an earlier project and must then be tested again).
    if order is None:
        order = np.argsort(-S, kind="stable")  # S is in project_id order: see priority_order
    positions = np.empty(len(order), dtype=np.int64)
    positions[order] = np.arange(len(order))
    for i in sorted(np.flatnonzero(possible), key=lambda j: positions[j]):
        if x[i] == 1:
            continue
        earlier = order[: positions[i]]
        lb2, ub2 = lb.copy(), ub.copy()
        lb2[earlier] = x[earlier]
        ub2[earlier] = x[earlier]
        lb2[i] = 1.0
        if lb2[i] > ub2[i]:
            continue
        test = backend.solve(cost, lb2, ub2, slot="scratch")
        if test.status == "infeasible" or test.value > best + ZERO:
            continue
        found = integral(test.x)
        if found is None:
            mip = backend.solve(cost, lb2, ub2, integer=True, slot="mip")
            if mip.status == "infeasible" or mip.value > best + ZERO:
                continue
            found = np.rint(mip.x)
        x = found
    return Solved("optimal", x, path, path == "lp" or on_optimal_face(backend, root, x))


def on_optimal_face(backend: Backend, root: Outcome, x: np.ndarray) -> bool:
    """Whether the 0/1 point ``x`` is an optimum of the LP relaxation ``root`` solved: with one
    optimal dual, every optimal solution keeps each column with a non-zero reduced cost at the
    root's value and each row with a non-zero dual at the root's activity (complementary
    slackness), and every feasible point that does is optimal. So the answer does not depend on
    which optimal vertex the solver returned."""
    fixed = np.abs(root.col_dual) > ZERO
    if np.any(x[fixed] != np.rint(root.x[fixed])):
        return False
    tight = np.flatnonzero(np.abs(root.row_dual) > ZERO)
    if not len(tight):
        return True
    activity = np.bincount(backend.row_of, weights=x[backend.row_index], minlength=len(backend.row_start) - 1)
    return bool(np.all(activity[tight] == np.rint(root.row_value[tight])))


def _fixed_by_reduced_cost(root: Outcome, S: np.ndarray, lb: np.ndarray, ub: np.ndarray, known: np.ndarray | None
                           ) -> tuple[np.ndarray, np.ndarray]:
    """The bounds with every project fixed that the LP relaxation's reduced costs show to be out of
    (or in) every selection at least as good as the best of ``known`` within the bounds: selecting
    a project at 0 in the LP optimum costs at least its reduced cost d_j, leaving out one at 1 at
    least -d_j, over the LP's value; beyond the known selection's cost by the margin, no best
    selection does it."""
    if known is None or not len(known):
        return lb, ub
    inside = np.all((known >= lb - 0.5) & (known <= ub + 0.5), axis=1)
    if not inside.any():
        return lb, ub
    incumbent = -int((known[inside].astype(np.int64) @ S.astype(np.int64)).max())  # its cost, a whole number
    d = root.col_dual
    free = lb < ub
    out = free & (root.x <= INTEGRAL_TOL) & (root.value + d > incumbent + ZERO)
    into = free & (root.x >= 1 - INTEGRAL_TOL) & (root.value - d > incumbent + ZERO)
    lb2, ub2 = lb.copy(), ub.copy()
    ub2[out] = 0.0
    lb2[into] = 1.0
    return lb2, ub2


def _enumerate_first_best(backend: Backend, S: np.ndarray, lb: np.ndarray, ub: np.ndarray, order: np.ndarray | None
                          ) -> np.ndarray | None:
    """Among every selection within the bounds (few projects free: each subset of them is tried),
    the best that keeps every rule, first in priority order: the selections of best total are
    compared on the free projects in priority order, the one holding the earliest project where
    they differ coming first -- the selection the exact priority walk finds. None when none keeps
    every rule."""
    free = np.flatnonzero(lb < ub)
    if order is None:
        order = np.argsort(-S, kind="stable")  # S is in project_id order: see priority_order
    positions = np.empty(len(order), dtype=np.int64)
    positions[order] = np.arange(len(order))
    free = free[np.argsort(positions[free], kind="stable")]  # earliest in priority first
    f = len(free)
    base = np.where(lb == ub, lb, 0.0).astype(np.int64)
    m = len(backend.row_start) - 1
    row_of, members = backend.row_of, backend.row_index
    fixed = np.bincount(row_of, weights=base[members], minlength=m)  # each row's activity from the fixed projects
    where = np.full(len(S), -1, dtype=np.int64)
    where[free] = np.arange(f)
    inside = where[members]
    on_free = np.zeros((m, f), dtype=np.int64)  # and which free projects it holds
    on_free[row_of[inside >= 0], inside[inside >= 0]] = 1
    lo, hi = backend.base_row_lo - 0.5, backend.base_row_hi + 0.5
    touched = on_free.any(axis=1)
    if np.any(~touched & ((fixed < lo) | (fixed > hi))):  # a row no free project can mend
        return None
    # Every subset's totals and rows (those holding a free project), by doubling: subset s holds
    # free project i when bit f-1-i of s is set (the earliest project is the highest bit), so
    # adding the projects from the last to the first appends each one's half after the other.
    rows = on_free[touched].T.astype(np.int32)
    value = S[free].astype(np.int64)
    activity = fixed[touched].astype(np.int32)[None, :]
    totals = np.zeros(1, dtype=np.int64)
    for i in range(f - 1, -1, -1):
        activity = np.concatenate([activity, activity + rows[i]])
        totals = np.concatenate([totals, totals + value[i]])
    keeps = np.all((activity >= lo[touched]) & (activity <= hi[touched]), axis=1)
    if not keeps.any():
        return None
    totals = np.where(keeps, totals, np.iinfo(np.int64).min)
    first = np.flatnonzero(totals == totals.max())[-1]  # the earliest project where best ones differ: the highest bit
    x = base.astype(float)
    x[free] = (first >> np.arange(f - 1, -1, -1)) & 1
    return x


def face_allows(backend: Backend, root: Outcome, x: np.ndarray, lb: np.ndarray, ub: np.ndarray,
                 cand: np.ndarray) -> bool:
    """Whether some LP-optimal solution gives a candidate a positive value.

    With one optimal dual, complementary slackness describes every optimal solution: a column
    with a non-zero reduced cost stays at its bound and a row with a non-zero dual stays tight.
    Maximising the candidates' sum over that face (widened by treating near-zero values as zero)
    shows at once whether any of them can enter a best selection.
    """
    fixed = np.abs(root.col_dual) > ZERO
    lb2 = np.where(fixed, x, lb)
    ub2 = np.where(fixed, x, ub)
    tight = np.abs(root.row_dual) > ZERO
    activity = np.rint(root.row_value)
    row_lo = np.where(tight, activity, backend.base_row_lo)
    row_hi = np.where(tight, activity, backend.base_row_hi)
    face = backend.solve(-cand.astype(float), lb2, ub2, slot="scratch", row_lo=row_lo, row_hi=row_hi)
    # x itself lies on the face, so a failed face solve is numerical: then check exactly (walk).
    return face.status != "optimal" or -face.value > INTEGRAL_TOL

