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


def lexmax(backend: Backend, S: np.ndarray, lb: np.ndarray, ub: np.ndarray, order: np.ndarray | None = None
            ) -> Solved:
    """The best selection that comes first in priority order (see the module doc); ``order`` is
    the priority order (made from ``S`` when needed and not given)."""
    cost = -S.astype(float)
    root = backend.solve(cost, lb, ub, slot="lp")
    if root.status == "infeasible":
        return Solved("infeasible", None, "lp")
    x = integral(root.x)
    path = "lp"
    if x is None:
        path = "mip"
        mip = backend.solve(cost, lb, ub, integer=True, slot="mip")
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
        return Solved("optimal", x, path)
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
    return Solved("optimal", x, path)


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

