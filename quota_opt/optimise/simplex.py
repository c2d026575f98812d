"""A small bounded primal simplex, warm-started from an optimal basis of a nearby sample.

Weight sampling solves one LP relaxation for many cost vectors that differ little. From an
optimal basis found for one sample, a few pivots usually reach an optimal basis for the next --
often without moving the 0/1 point at all (the vertices of these problems are degenerate: many
bases describe one selection, and a new sample mostly needs another basis of the same selection,
not another selection). Compiled (:mod:`.pivot`), a pivot costs microseconds where a call into a
solver costs a millisecond.

The LP in the form used here: variables v = (x, r), x the n columns within [lb, ub] and r the m
row activities within [row_lo, row_hi], and the m equations A x - r = 0. A basis is m of the
n + m variables; the others sit at one of their bounds. It is held in its small form: the basic
columns, as many tight rows (those whose activity is non-basic; every other row's activity is
basic, with dual 0), and the inverse of A[tight, columns] -- a dozen or two rows where the whole
basis has 57 or 69. Costs are in whole units (10^-6 points), minimised.

:meth:`Simplex.run_many` pivots the samples, each from the anchor basis it is given, and accepts
a sample only through :func:`prove_many`: a proof, checked on the 0/1 point itself, that no other
selection scores as much. A sample it cannot prove -- a start outside the sample's bounds, a
fractional optimum, too many pivots, a singular basis -- is left to the caller, who solves it
with the backend as before. So a fault in the pivoting can only cost time, never change a
selection.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np


# Pivots from the warm basis before giving up (the backend then solves the sample).
MAX_PIVOTS = 200
# Degenerate pivots in a row after which Bland's rule (smallest index) prevents cycling.
_BLAND_AFTER = 12
_FEAS = 1e-9  # bound tolerance on values (0/1 data: values are small whole numbers)
_DUAL = 1e-7  # a reduced cost beyond this (in 10^-6 points) makes a variable enter
_PIVOT = 1e-9  # smallest |alpha| accepted as a pivot
_CHUNK_BYTES = 16 * 2 ** 20  # working memory of the compiled simplex's output, per chunk of samples
_SPLIT_FROM = 64  # samples from which one chunk is pivoted as two halves on two threads
_SPARE_SLOTS = 8  # room for basic columns beyond the anchors' largest basis (a sample needing more is left)
# Columns priced first: those the anchors use, and the best by the samples' mean cost, as many as the
# anchors pick (times this) and a few more. Fewer are cheaper to price and rarely miss: a sample stops
# only when no column at all improves its cost.
_LIKELY_FACTOR = 1
_EXTRA_COLUMNS = 8
_LIKELY_SAMPLES = 512  # samples whose mean cost ranks the columns priced first


@dataclass
class Basis:
    """A basis at a 0/1 point ``x``: in the whole form, ``basis`` (m variable indices: j < n a
    column, n + i row i's activity) and its inverse; or in the small form (``small``): the basic
    columns, the rows whose activity is non-basic (tight; as many), and the inverse of
    A[tight, columns] -- all that pricing and pivoting need."""

    basis: np.ndarray | None
    inverse: np.ndarray | None
    x: np.ndarray
    small: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    activity: np.ndarray | None = None  # the rows' activities at x, when known (else A x is worked out)

    def columns_and_tight(self, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Basic columns (sorted), the rows whose activity is non-basic, and the inverse of
        A[tight, columns] (in the whole form, a block of the whole inverse)."""
        if self.small is not None:
            return self.small
        pos = np.flatnonzero(self.basis < n)
        order = np.argsort(self.basis[pos], kind="stable")
        pos = pos[order]
        tight = np.ones(m, dtype=bool)
        tight[self.basis[self.basis >= n] - n] = False
        tight_rows = np.flatnonzero(tight)
        return self.basis[pos], tight_rows, self.inverse[np.ix_(pos, tight_rows)]


class Simplex:
    """The rows of one problem as a dense matrix, and the pivoting on them."""

    def __init__(self, A: np.ndarray, row_lo: np.ndarray, row_hi: np.ndarray):
        """``A``: the problem's rows as a dense 0/1 matrix (rows x projects); the rows' bounds."""
        self.m, self.n = A.shape
        self.A = np.ascontiguousarray(A, dtype=float)
        self.AT = np.ascontiguousarray(A.T)
        self.col_ptr, self.col_rows = compiled_arrays(self.A)
        self.row_lo, self.row_hi = np.asarray(row_lo, dtype=float), np.asarray(row_hi, dtype=float)

    def start(self, x: np.ndarray, cols: np.ndarray, tight: np.ndarray) -> Basis | None:
        """The basis of basic columns ``cols`` and non-basic activities of the rows ``tight`` at the
        0/1 point ``x``, in the small form (None when singular)."""
        cols, tight = np.sort(np.asarray(cols, dtype=np.int64)), np.sort(np.asarray(tight, dtype=np.int64))
        if len(cols) != len(tight) or len(np.unique(tight)) != len(tight):
            return None
        tight_mask = np.zeros(self.m, dtype=bool)
        tight_mask[tight] = True
        basis = np.concatenate([cols, self.n + np.flatnonzero(~tight_mask)])
        if not self.nonsingular(basis[None])[0]:
            return None
        try:
            inverse = np.linalg.inv(self.A[np.ix_(tight, cols)]) if len(cols) else np.zeros((0, 0))
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(inverse)):
            return None
        return Basis(None, None, np.asarray(x, dtype=float), small=(cols, tight, inverse))

    def nonsingular(self, basis: np.ndarray) -> np.ndarray:
        """Whether each basis (rows of variable indices) is non-singular. With the basic row
        activities' columns (-e_i) taken out, what is left is A[tight rows, basic columns], square
        and usually small; its determinant, a whole number, is computed (LU, one stack per size)
        and must be at least 1/2 in size."""
        n, m = self.n, self.m
        K = len(basis)
        out = np.zeros(K, dtype=bool)
        ordered = np.sort(basis, axis=1)
        distinct = np.all(ordered[:, 1:] != ordered[:, :-1], axis=1)  # a variable twice: singular
        is_col = basis < n
        size = is_col.sum(axis=1)
        tight = np.ones((K, m), dtype=bool)
        rows = np.repeat(np.arange(K), m - size)
        tight[rows, basis[~is_col] - n] = False
        cols_sorted = np.sort(np.where(is_col, basis, np.iinfo(np.int64).max), axis=1)
        tight_first = np.argsort(~tight, axis=1, kind="stable")
        for s in np.unique(size):
            g = np.flatnonzero(size == s)
            if s == 0:
                out[g] = True
                continue
            T, cols = tight_first[g, :s], cols_sorted[g, :s]
            out[g] = np.abs(np.linalg.det(self.A[T[:, :, None], cols[:, None, :]])) >= 0.5
        return out & distinct


@dataclass
class Many:
    """The outcome of :meth:`Simplex.run_many` for K samples."""

    optimal: np.ndarray  # bool (K,): an optimal 0/1 point was reached and proved strictly
    picks: np.ndarray  # bool (K, n): the 0/1 points (valid where ``optimal``)
    pivots: int  # pivots made, summed over the samples
    kept: list  # (sample, Basis) of some proved samples (see run_many's keep)


def _gather(rows: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.take_along_axis(rows, idx, axis=1)


class Anchors:
    """Bases to start from, held in the padded small form the compiled simplex reads: per anchor
    its basic columns and tight rows (the rows whose activity is non-basic: as many) in the first
    ``slots`` places (-1 after), the inverse of A[tight, columns] (1 on the diagonal of the empty
    slots), and the values of x and of the rows. More can be added (:meth:`extend`); the slots
    leave room for bases a few columns larger than the largest anchor."""

    def __init__(self, simplex: "Simplex", bases: list[Basis] = ()):
        self.simplex = simplex
        n, m = simplex.n, simplex.m
        self.slots = 0
        self.cols = np.zeros((0, 0), dtype=np.int64)
        self.tight = np.zeros((0, 0), dtype=np.int64)
        self.inverse = np.zeros((0, 0, 0))
        self.values = np.zeros((0, n + m))
        self.size = np.zeros(0, dtype=np.int64)
        self.used = np.zeros(n, dtype=bool)  # columns some anchor has basic or at 1
        self.most_picked = 0
        self.extend(bases)

    def __len__(self) -> int:
        return len(self.size)

    def extend(self, bases: list[Basis]) -> None:
        simplex = self.simplex
        n, m = simplex.n, simplex.m
        small = [b.columns_and_tight(n, m) for b in bases]
        if not small:
            return
        size = np.array([len(c) for c, _, _ in small], dtype=np.int64)
        need = int(min(m, max(int(size.max()), int(self.size.max()) if len(self) else 0) + _SPARE_SLOTS))
        if need > self.slots:  # room for larger bases: every anchor padded again
            grown = need
            cols = np.full((len(self), grown), -1, dtype=np.int64)
            tight = np.full((len(self), grown), -1, dtype=np.int64)
            inverse = np.tile(np.eye(grown), (len(self), 1, 1))
            S = self.slots
            cols[:, :S], tight[:, :S], inverse[:, :S, :S] = self.cols, self.tight, self.inverse
            self.cols, self.tight, self.inverse, self.slots = cols, tight, inverse, grown
        S = self.slots
        cols = np.full((len(small), S), -1, dtype=np.int64)
        tight = np.full((len(small), S), -1, dtype=np.int64)
        inverse = np.tile(np.eye(S), (len(small), 1, 1))
        for a, (c, r, inv) in enumerate(small):
            b = len(c)
            cols[a, :b], tight[a, :b], inverse[a, :b, :b] = c, r, inv
            self.used[c] = True
        x = np.array([b.x for b in bases], dtype=float).reshape(len(bases), n)
        self.used |= np.any(x > 0.5, axis=0)
        self.most_picked = max(self.most_picked, int((x > 0.5).sum(axis=1).max()))
        self.cols = np.concatenate([self.cols, cols])
        self.tight = np.concatenate([self.tight, tight])
        self.inverse = np.concatenate([self.inverse, inverse])
        if all(b.activity is not None for b in bases):
            activity = np.array([b.activity for b in bases], dtype=float).reshape(len(bases), m)
        else:
            activity = x @ simplex.AT
        self.values = np.concatenate([self.values, np.concatenate([x, activity], axis=1)])
        self.size = np.concatenate([self.size, size])


def compiled_arrays(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 0/1 matrix's columns as (start of each column, its rows): what the compiled code prices with."""
    nz = A.T != 0
    col_ptr = np.zeros(A.shape[1] + 1, dtype=np.int64)
    np.cumsum(nz.sum(axis=1), out=col_ptr[1:])
    return col_ptr, np.nonzero(nz)[1].astype(np.int64)


def _run_chunk(self: "Simplex", C: np.ndarray, lb: np.ndarray, UB: np.ndarray, warm: Anchors, start: np.ndarray,
               cand: np.ndarray):
    """The compiled simplex (:func:`.pivot.pivot_samples`) on the samples of one chunk: (reached an
    optimum, values, basic columns, tight rows, inverses, pivots), the bases padded to the anchors'
    slots."""
    from .pivot import pivot_samples  # numba: imported (and compiled, once per machine) when first needed

    cols_a, tight_a, inv_a, values_a = warm.cols, warm.tight, warm.inverse, warm.values
    K, S = len(C), warm.slots
    reached = np.zeros(K, dtype=np.bool_)
    V = np.empty((K, self.n + self.m))  # written where reached (only those are read)
    cols = np.full((K, S), -1, dtype=np.int64)
    tight = np.full((K, S), -1, dtype=np.int64)
    inverse = np.empty((K, S, S))  # its first b x b block written where reached
    made = pivot_samples(self.A, self.col_ptr, self.col_rows, np.asarray(lb, dtype=float), self.row_lo, self.row_hi,
                         np.ascontiguousarray(C, dtype=float), np.atleast_2d(np.asarray(UB, dtype=float)),
                         np.asarray(start, dtype=np.int64), warm.size, cols_a, tight_a, inv_a, values_a,
                         cand, MAX_PIVOTS, _BLAND_AFTER, _FEAS, _DUAL, _PIVOT, reached, V, cols, tight, inverse)
    return reached, V, cols, tight, inverse, int(made)


def prove_many(self: "Simplex", C: np.ndarray, lb: np.ndarray, UB: np.ndarray, V: np.ndarray, cols: np.ndarray,
               tight: np.ndarray, inverse: np.ndarray, margin: float, which: np.ndarray | None = None) -> np.ndarray:
    """Which samples (rows of ``C``, with values ``V`` of x and the row activities, and bases in the
    padded small form: basic columns ``cols``, tight rows ``tight``, the inverse of A[tight, cols]
    as computed) have their 0/1 point proved the only best selection (no other 0/1 point that keeps
    every rule scores as much), by ``margin``: see :func:`.pivot.prove_samples` for the proof.
    ``UB``: one row shared by all, or one per sample; ``which``: the samples to prove (all by
    default; the others are not)."""
    from .pivot import prove_samples

    ok = np.ones(len(C), dtype=np.bool_) if which is None else np.array(which, dtype=np.bool_)
    if len(C):
        prove_samples(self.A, self.col_ptr, self.col_rows, np.asarray(lb, dtype=float), self.row_lo, self.row_hi,
                      np.ascontiguousarray(C, dtype=float), np.atleast_2d(np.asarray(UB, dtype=float)),
                      np.ascontiguousarray(V, dtype=float), np.ascontiguousarray(cols, dtype=np.int64),
                      np.ascontiguousarray(tight, dtype=np.int64), np.ascontiguousarray(inverse, dtype=float),
                      float(margin), _FEAS, ok)
    return ok


def _likely_columns(self: "Simplex", C: np.ndarray, lb: np.ndarray, warm: Anchors) -> np.ndarray:
    """The columns priced first (:func:`.pivot.pivot_samples`): every column an anchor uses (basic,
    or at 1), every one fixed at 1, and the best by the samples' mean cost, as many as an anchor
    picks and a few more."""
    n = self.n
    use = (lb > 0.5) | warm.used
    top = min(n, _LIKELY_FACTOR * warm.most_picked + _EXTRA_COLUMNS)
    if top >= n:
        use[:] = True
    elif len(C):
        use[np.argpartition(C.mean(axis=0), top - 1)[:top]] = True
    return np.flatnonzero(use).astype(np.int64)


@functools.cache
def _second_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="quota-opt-simplex")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_many(self: "Simplex", C: np.ndarray, lb: np.ndarray, UB, warm: Anchors, start: np.ndarray, margin: float,
             keep: int = 0, rows: np.ndarray | None = None) -> Many:
    """The simplex for the rows ``rows`` of the costs ``C`` (samples x n; all rows by default), the
    k-th from the anchor ``start[k]`` of ``warm``; ``UB`` the column upper bounds: one row shared by
    all, or a function of sample indices (rows of ``C``) giving theirs. A sample is ``optimal`` when
    it reached a 0/1 point whose basis proves it the only best selection by ``margin``
    (:func:`prove_many`). Samples go in chunks that keep the working arrays within a few MB. With
    ``keep``, the bases of up to that many proved samples are returned (``Many.kept``: position in
    ``rows``, Basis, in the small form), to start later samples from."""
    n, m = self.n, self.m
    rows = np.arange(len(C)) if rows is None else np.asarray(rows)
    K = len(rows)
    optimal = np.zeros(K, dtype=bool)
    picks = np.zeros((K, n), dtype=bool)
    kept: list[tuple[int, Basis]] = []
    pivots = 0
    cand = _likely_columns(self, C[rows[:_LIKELY_SAMPLES]], lb, warm)
    slots = max(warm.slots, 1)
    chunk = max(1, min(K, _CHUNK_BYTES // (8 * (slots * slots + 3 * (n + m)))))

    def pivot_and_prove(part: np.ndarray):
        Cp = C[rows[part]]
        UBp = UB(rows[part]) if callable(UB) else UB  # one row per sample, or one for all
        reached, V, cols, tight, inverse, made = _run_chunk(self, Cp, lb, UBp, warm, start[part], cand)
        reached = prove_many(self, Cp, lb, UBp, V, cols, tight, inverse, margin, which=reached)
        return part, reached, V, cols, tight, inverse, made

    parts = [np.arange(first, min(K, first + chunk)) for first in range(0, K, chunk)]
    if len(parts) == 1 and K >= _SPLIT_FROM and _cores() > 1:  # one chunk: its halves on two threads
        parts = [parts[0][:K // 2], parts[0][K // 2:]]
    # the compiled code runs without the interpreter lock: parts go in pairs, the second of each on
    # a second thread (two parts' working arrays at a time)
    outcomes = []
    for i in range(0, len(parts), 2):
        other = _second_thread().submit(pivot_and_prove, parts[i + 1]) if i + 1 < len(parts) else None
        outcomes.append(pivot_and_prove(parts[i]))
        if other is not None:
            outcomes.append(other.result())
        for part, reached, V, cols, tight, inverse, made in outcomes:
            pivots += made
            optimal[part] = reached
            picks[part[reached]] = V[reached, :n] > 0.5
            take = np.flatnonzero(reached)[:max(0, keep - len(kept))]
            points = np.rint(V[take])  # a proved point is 0/1, its rows' activities whole numbers
            for k, b, v in zip(take, (cols[take] >= 0).sum(axis=1), points):
                small = (cols[k, :b], tight[k, :b], inverse[k, :b, :b])
                kept.append((int(part[k]), Basis(None, None, v[:n], small=small, activity=v[n:])))
        outcomes.clear()
    return Many(optimal, picks, pivots, kept)


def warm_up() -> None:
    """Compile the pivoting and its proof (:mod:`.pivot`) on a tiny problem, so the first real batch
    does not wait for it: numba compiles once per machine (a few seconds; cached after), and the
    app starts this in the background while its first pages are read."""
    A = np.ones((1, 2))
    simplex = Simplex(A, np.array([-np.inf]), np.array([1.0]))
    base = Basis(np.array([2]), -np.eye(1), np.zeros(2))
    simplex.run_many(-np.array([[2.0, 1.0]]), np.zeros(2), np.ones(2), Anchors(simplex, [base]),
                     np.zeros(1, dtype=np.int64), 0.5)


Simplex.run_many = run_many
Simplex.prove_many = prove_many
__all__ = ["Anchors", "Basis", "Many", "Simplex", "MAX_PIVOTS", "warm_up"]
