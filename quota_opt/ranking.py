"""Rank bounds when some figures are missing.

Provinces are ranked by a figure in descending order with *competition ranking*: tied
provinces share the better rank (1 + the number of provinces strictly above). When some
figures are missing, each province's rank is known only to lie in an interval. This module
computes the exact interval each province can take, given

* the known figures (which fix the order of the provinces that have them), and
* stated rank bounds (``rank_min``/``rank_max``) from sourced material,

by treating ranks as positions 1..N and asking, for every province and every position,
whether some complete ranking puts it there. With the known provinces' intervals made
monotone along their order, that question is an interval matching problem, which the
earliest-deadline-first greedy answers exactly (Glover 1967). A swap argument shows the
order of the known provinces then comes for free.

Tied known provinces are kept in one order (by name) and all take the rank of the first of
them, as competition ranking does. Where tied figures and missing figures meet, the matching
may place a missing province between tied ones, so the bounds are then sound but may be wider
than the truth (never narrower): a quota may stay undetermined, never be given wrongly.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass


@dataclass(frozen=True)
class RankBounds:
    lo: int  # best feasible rank
    hi: int  # worst feasible rank
    tied_with: tuple[str, ...] = ()  # known provinces with exactly the same figure


@dataclass(frozen=True)
class RankingResult:
    bounds: dict[str, RankBounds]
    conflicts: tuple[str, ...]  # provinces whose stated bounds contradict the figures (ignored)
    consistent: bool  # False when even without those the data admit no ranking


def _feasible(lo: list[int], hi: list[int]) -> bool:
    """Can every item i take a distinct position in [lo[i], hi[i]]? (EDF greedy, exact.)"""
    n = len(lo)
    order = sorted(range(n), key=lambda i: lo[i])
    heap: list[int] = []
    k = 0
    for pos in range(1, n + 1):
        while k < n and lo[order[k]] <= pos:
            heapq.heappush(heap, hi[order[k]])
            k += 1
        if not heap:
            return False
        if heapq.heappop(heap) < pos:
            return False
    return k == n and not heap


def _tighten(lo: list[int], hi: list[int], chain: list[int]) -> bool:
    """Make intervals monotone along the chain of known items; False if that empties one."""
    for a, b in zip(chain, chain[1:]):
        lo[b] = max(lo[b], lo[a] + 1)
    for a, b in reversed(list(zip(chain, chain[1:]))):
        hi[a] = min(hi[a], hi[b] - 1)
    return all(lo[i] <= hi[i] for i in range(len(lo)))


def _solve(names: list[str], values: dict[str, float | None], stated: dict[str, tuple[int | None, int | None]]):
    n = len(names)
    idx = {name: i for i, name in enumerate(names)}
    known = sorted((v for v in names if values.get(v) is not None), key=lambda p: (-values[p], p))
    chain = [idx[p] for p in known]
    # Tie blocks: the first member carries the block's rank; later members sit right after it.
    offset = {p: 0 for p in names}
    for i in range(1, len(known)):
        if values[known[i]] == values[known[i - 1]]:
            offset[known[i]] = offset[known[i - 1]] + 1
    lo = [1] * n
    hi = [n] * n
    for p in names:
        smin, smax = stated.get(p, (None, None))
        i = idx[p]
        if smin is not None:
            lo[i] = max(lo[i], smin + offset[p])
        if smax is not None:
            hi[i] = min(hi[i], smax + offset[p])
    if not _tighten(lo, hi, chain) or not _feasible(lo, hi):
        return None
    bounds_lo, bounds_hi = lo[:], hi[:]
    for i in range(n):
        feasible_positions = []
        for pos in range(lo[i], hi[i] + 1):
            tlo, thi = lo[:], hi[:]
            tlo[i] = thi[i] = pos
            if _tighten(tlo, thi, chain) and _feasible(tlo, thi):
                feasible_positions.append(pos)
        bounds_lo[i], bounds_hi[i] = min(feasible_positions), max(feasible_positions)
    result = {}
    for p in names:
        first = p
        if offset[p]:
            k = known.index(p) - offset[p]
            first = known[k]
        i = idx[first]
        tied = tuple(q for q in known if q != p and values[q] == values.get(p)) if values.get(p) is not None else ()
        result[p] = RankBounds(bounds_lo[i], bounds_hi[i], tied)
    return result


def rank_bounds(
    values: dict[str, float | None],
    stated: dict[str, tuple[int | None, int | None]] | None = None,
) -> RankingResult:
    """Exact rank intervals of every province in ``values`` (missing figures as None).

    ``stated`` maps a province to its sourced (rank_min, rank_max). Stated bounds that
    contradict the figures are reported in ``conflicts`` and ignored.
    """
    stated = {p: b for p, b in (stated or {}).items() if b != (None, None)}
    names = sorted(values)
    solved = _solve(names, values, stated)
    if solved is not None:
        return RankingResult(solved, (), True)
    # Find the stated bounds that clash with the figures: a province whose bounds alone,
    # together with the figures and no other bounds, admit no ranking.
    conflicts = tuple(p for p in sorted(stated) if _solve(names, values, {p: stated[p]}) is None)
    kept = {p: b for p, b in stated.items() if p not in conflicts}
    solved = _solve(names, values, kept)
    if solved is not None:
        return RankingResult(solved, conflicts, True)
    # Bounds clash only with one another: ignore them all.
    solved = _solve(names, values, {})
    return RankingResult(solved, tuple(sorted(stated)), False)
