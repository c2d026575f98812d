"""Rank bounds with missing figures: sound, exact on small cases (checked against enumeration)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from quota_opt.ranking import rank_bounds


def _brute(values, stated):
    names = sorted(values)
    unknown = [p for p in names if values[p] is None]
    lo = {p: 10**9 for p in names}
    hi = {p: -1 for p in names}
    known_vals = sorted({v for v in values.values() if v is not None})
    # Unknown figures are placed between, below or above known ones (distinct half-steps).
    slots = [known_vals[0] - 1] + [v + 0.5 for v in known_vals] if known_vals else [0.0]
    for choice in itertools.product(range(len(slots) * len(unknown) + 1), repeat=len(unknown)):
        if len(set(choice)) < len(choice):
            continue  # missing figures are taken as distinct: an exact tie has no weight
        filled = dict(values)
        for u, c in zip(unknown, choice):
            filled[u] = slots[c % len(slots)] + c / 1000.0
        ranks = {p: 1 + sum(1 for q in names if filled[q] > filled[p]) for p in names}
        if any(
            (stated.get(p, (None, None))[0] or 1) > ranks[p] or ranks[p] > (stated.get(p, (None, None))[1] or 99)
            for p in names
        ):
            continue
        for p in names:
            lo[p] = min(lo[p], ranks[p])
            hi[p] = max(hi[p], ranks[p])
    return lo, hi


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(1, 5).map(float)), min_size=2, max_size=5),
    st.dictionaries(st.integers(0, 4), st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=2),
)
def test_rank_bounds_equal_enumeration_on_small_cases(raw, bounds):
    values = {f"p{i}": v for i, v in enumerate(raw)}
    if sum(v is None for v in raw) > 2:
        return
    stated = {f"p{i}": (min(a, b), max(a, b)) for i, (a, b) in bounds.items() if i < len(raw)}
    result = rank_bounds(values, stated)
    lo, hi = _brute(values, stated)
    known = [v for v in raw if v is not None]
    relaxed = len(set(known)) < len(known) and None in raw  # ties among known figures, and missing ones
    if any(h < 0 for h in hi.values()):
        assert result.conflicts or not result.consistent or relaxed
        return
    for p in values:
        got = (result.bounds[p].lo, result.bounds[p].hi)
        if relaxed:  # sound: never narrower than the truth
            assert got[0] <= lo[p] and got[1] >= hi[p], (values, stated, p)
        elif not result.conflicts:
            assert got == (lo[p], hi[p]), (values, stated, p)


def test_all_known_is_competition_ranking():
    r = rank_bounds({"a": 3.0, "b": 2.0, "c": 2.0, "d": 1.0})
    assert {p: (b.lo, b.hi) for p, b in r.bounds.items()} == {"a": (1, 1), "b": (2, 2), "c": (2, 2), "d": (4, 4)}
    assert r.bounds["b"].tied_with == ("c",)
