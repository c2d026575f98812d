"""Problems that are a sort: the quota alone, or the quota with caps of one kind, never sent to a solver.

When the rows are the quota and, at most, caps of one family (at most k per industry, or per city,
or per group: sets that do not overlap), the selections that keep every rule form a matroid (a
laminar one: each cap's projects lie inside the quota's). On a matroid the greedy walk is exact and
follows the tie rule (see :mod:`.ties`): take the must-include projects, then walk every other
project that may be picked in priority order -- score high to low, then project_id -- and take it
when its cap and the quota still have room. Each step takes a project exactly when some best
selection agreeing on the projects before it contains it, which is the tie rule's definition, so
the result equals the solver's on every input, ties included (a project scoring 0 still fills a
place: it breaks no rule). It costs a sort: a 200,000-row pool takes a fraction of a second, where
a solver would need the whole model (and once ran out of time).

Infeasible only when the must-include projects alone exceed the quota or a cap.
"""

from __future__ import annotations

import numpy as np

from .problem import SelectionProblem

_CAPS = ("max_per_industry", "max_per_city", "max_per_group")


def is_sortable(problem: SelectionProblem) -> bool:
    """Whether the rows are the quota and caps of at most one family (fixings are column bounds)."""
    return sortable_families({r.family for r in problem.rules})


def sortable_families(families: set[str]) -> bool:
    """:func:`is_sortable` for a problem whose rows are of these families."""
    return "quota" in families and len(families - {"quota"}) <= 1 and families <= {"quota", *_CAPS}


def _caps(problem: SelectionProblem) -> tuple[np.ndarray, np.ndarray]:
    """Each project's capped set (-1: none) and each set's cap."""
    label = np.full(problem.n, -1, dtype=np.int64)
    caps = []
    for rule in problem.rules:
        if rule.family != "quota":
            label[list(rule.members)] = len(caps)
            caps.append(int(rule.upper))
    return label, np.array(caps, dtype=np.int64)


def sort_select_many(problem: SelectionProblem, S: np.ndarray, ub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The tie rule's selection for every row of the integer scores ``S`` (samples x projects,
    problem order, which is project_id order) of a sortable problem; ``ub`` the column upper
    bounds, one row or one per sample (a minimum score fixes different projects in different
    samples). Returns the picks (bool, samples x projects) and which samples are feasible."""
    K, n = S.shape
    lb, _ = problem.bounds()
    forced = lb >= 1
    label, caps = _caps(problem)
    room_quota = problem.quota - int(forced.sum())
    room = caps - np.bincount(label[forced & (label >= 0)], minlength=len(caps))
    if room_quota < 0 or np.any(room < 0):
        return np.zeros((K, n), dtype=bool), np.zeros(K, dtype=bool)
    picks = np.broadcast_to(forced, (K, n)).copy()
    if not (n and K and room_quota):
        return picks, np.ones(K, dtype=bool)
    free = (np.broadcast_to(ub, (K, n)) >= 1) & ~forced
    order = np.argsort(-S, axis=1, kind="stable")  # stable: project_id breaks equal scores
    rows = np.arange(K)[:, None]
    free_in_order = free[rows, order]
    if len(caps):
        # rank of each free project within its capped set, in priority order
        sets = np.where(free_in_order, label[order], -1)
        by_set = np.argsort(sets, axis=1, kind="stable")
        sorted_sets = np.take_along_axis(sets, by_set, axis=1)
        position = np.broadcast_to(np.arange(n), (K, n))
        starts = np.where(np.diff(sorted_sets, axis=1, prepend=-2) != 0, position, 0)
        rank_sorted = position - np.maximum.accumulate(starts, axis=1)
        rank = np.empty_like(rank_sorted)
        np.put_along_axis(rank, by_set, rank_sorted, axis=1)
        fits = (sets < 0) | (rank < room[np.maximum(sets, 0)])
        free_in_order &= fits
    take = free_in_order & (np.cumsum(free_in_order, axis=1) <= room_quota)
    picks[rows, order] |= take
    return picks, np.ones(K, dtype=bool)


def sort_select(problem: SelectionProblem, S: np.ndarray, ub: np.ndarray) -> np.ndarray | None:
    """:func:`sort_select_many` for one score vector: the picks as 0/1 floats, or ``None`` when infeasible."""
    picks, feasible = sort_select_many(problem, S[None, :], ub)
    return picks[0].astype(float) if feasible[0] else None


__all__ = ["is_sortable", "sort_select", "sort_select_many", "sortable_families"]
