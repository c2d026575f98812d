"""A small bounded primal simplex in numpy, warm-started from an optimal basis of a nearby sample.

Weight sampling solves one LP relaxation for many cost vectors that differ little. From an
optimal basis found for one sample, a few pivots usually reach an optimal basis for the next --
often without moving the 0/1 point at all (the vertices of these problems are degenerate: many
bases describe one selection, and a new sample mostly needs another basis of the same selection,
not another selection). Made in numpy, a pivot costs tens of microseconds where a call into a
solver costs a millisecond.

The LP in the form used here: variables v = (x, r), x the n columns within [lb, ub] and r the m
row activities within [row_lo, row_hi], and the m equations A x - r = 0. A basis is m of the
n + m variables; the others sit at one of their bounds. Costs are in whole units (10^-6 points),
minimised. Every sample of a chunk is priced by one matrix product, and Dantzig's rule gives way to
Bland's after a run of degenerate pivots, so it cannot cycle.

:meth:`Simplex.run_many` pivots the samples in lockstep, each from the anchor basis it is given,
and accepts a sample only through :func:`prove_many`: a proof, checked on the 0/1 point itself,
that no other selection scores as much. A sample it cannot prove -- a start outside the sample's
bounds, a fractional optimum, too many pivots, a singular basis -- is left to the caller, who
solves it with the backend as before. So a fault in the pivoting can only cost time, never change
a selection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Pivots from the warm basis before giving up (the backend then solves the sample).
MAX_PIVOTS = 200
# Degenerate pivots in a row after which Bland's rule (smallest index) prevents cycling.
_BLAND_AFTER = 12
_FEAS = 1e-9  # bound tolerance on values (0/1 data: values are small whole numbers)
_DUAL = 1e-7  # a reduced cost beyond this (in 10^-6 points) makes a variable enter
_PIVOT = 1e-9  # smallest |alpha| accepted as a pivot
_CHUNK_BYTES = 4 * 2 ** 20  # working memory of the lockstep simplex, per chunk of samples (more spills the cache)


@dataclass
class Basis:
    """A basis at a 0/1 point: ``basis`` (m variable indices: j < n a column, n + i row i's
    activity), its inverse, the point ``x`` and the row activities."""

    basis: np.ndarray
    inverse: np.ndarray
    x: np.ndarray

    def columns_and_tight(self, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Basic columns (sorted), the rows whose activity is non-basic, and the inverse of
        A[tight, columns] (a block of the whole inverse)."""
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
        self.A = A
        self.AT = np.ascontiguousarray(A.T)
        self.AT_ext = np.concatenate([self.AT, -np.eye(self.m)])  # column j of [A, -I] as row j
        self.row_lo, self.row_hi = np.asarray(row_lo, dtype=float), np.asarray(row_hi, dtype=float)

    def basis_matrix(self, basis: np.ndarray) -> np.ndarray:
        B = np.zeros((self.m, self.m))
        xs = basis < self.n
        B[:, xs] = self.A[:, basis[xs]]
        rs = np.flatnonzero(~xs)
        B[basis[rs] - self.n, rs] = -1.0
        return B

    def start(self, x: np.ndarray, cols: np.ndarray, tight: np.ndarray) -> Basis | None:
        """The basis of basic columns ``cols`` and non-basic activities of the rows ``tight`` at the
        0/1 point ``x`` (None when singular)."""
        tight_mask = np.zeros(self.m, dtype=bool)
        tight_mask[tight] = True
        basis = np.concatenate([np.asarray(cols, dtype=np.int64), self.n + np.flatnonzero(~tight_mask)])
        if len(basis) != self.m:
            return None
        if not self.nonsingular(basis[None])[0]:
            return None
        inverse = self._inverse(basis)
        return None if inverse is None else Basis(basis, inverse, np.asarray(x, dtype=float))

    def _inverse(self, basis: np.ndarray) -> np.ndarray | None:
        try:
            inverse = np.linalg.inv(self.basis_matrix(basis))
        except np.linalg.LinAlgError:
            return None
        return inverse if np.all(np.isfinite(inverse)) else None

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


def _run_chunk(self: "Simplex", C: np.ndarray, lb: np.ndarray, UB: np.ndarray, warm: "Anchors", start: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The lockstep simplex on the samples of one chunk: (reached an optimum, values, bases, inverses,
    pivots). The working arrays hold the samples still pivoting only (finished ones are written out)."""
    n, m = self.n, self.m
    K = len(C)
    lo_all = np.concatenate([lb, self.row_lo])
    hi_all = np.concatenate([UB, np.broadcast_to(self.row_hi, (K, m))], axis=1)
    V_all = warm.values[start]
    ok = np.all((V_all >= lo_all - _FEAS) & (V_all <= hi_all + _FEAS), axis=1)
    basis_all = warm.basis[start]
    Binv_all = np.empty((K, m, m))
    reached = np.zeros(K, dtype=bool)
    AT_ext = self.AT_ext
    # the working set: samples still pivoting
    ids = np.flatnonzero(ok)
    V, hi, basis = V_all[ids], hi_all[ids], basis_all[ids]
    Binv = warm.inverse[start[ids]]
    Cx = np.concatenate([C[ids], np.zeros((len(ids), m))], axis=1)  # costs of x, then of the activities (0)
    direction = np.where(np.abs(V - lo_all) <= _FEAS, -1.0, np.where(np.abs(V - hi) <= _FEAS, 1.0, 0.0))
    rows = np.arange(len(ids))
    direction[rows[:, None], basis] = 0.0
    direction[hi - lo_all <= _FEAS] = 0.0
    cB = _gather(Cx, basis)
    degenerate = np.zeros(len(ids), dtype=np.int64)
    frozen = np.zeros(len(ids), dtype=bool)  # finished, kept in the working arrays until they shrink
    pivots = 0
    for _ in range(MAX_PIVOTS + 1):
        if not len(ids):
            break
        y = np.matmul(cB[:, None, :], Binv)[:, 0, :]
        gain = np.concatenate([Cx[:, :n] - y @ self.A, y], axis=1) * direction
        finished = (gain.max(axis=1) <= _DUAL) & ~frozen
        if finished.any():  # optimal: written out (whether strictly so is proved afterwards)
            f = ids[finished]
            reached[f] = True
            V_all[f], basis_all[f], Binv_all[f] = V[finished], basis[finished], Binv[finished]
            frozen |= finished
            if frozen.all():
                break
            if frozen.sum() * 4 >= len(ids):  # a quarter finished: the working arrays shrink
                keep = ~frozen
                ids, V, hi, basis, Binv, Cx, direction, cB, degenerate, gain, frozen = (
                    a[keep] for a in (ids, V, hi, basis, Binv, Cx, direction, cB, degenerate, gain, frozen))
        gain[frozen] = 0.0
        rows = np.arange(len(ids))
        bland = degenerate >= _BLAND_AFTER
        q = np.where(bland, np.argmax(gain > _DUAL, axis=1), np.argmax(gain, axis=1))
        sigma = -direction[rows, q]
        alpha = np.matmul(Binv, AT_ext[q][:, :, None])[:, :, 0]
        delta = -sigma[:, None] * alpha
        value = _gather(V, basis)
        low = lo_all[basis]
        high = _gather(hi, basis)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(delta > _PIVOT, (high - value) / delta,
                             np.where(delta < -_PIVOT, (low - value) / delta, np.inf))
        np.maximum(ratio, 0.0, out=ratio)
        span = hi[rows, q] - lo_all[q]
        best = ratio.min(axis=1)
        pivot = (best < span) & ~frozen
        step = np.where(frozen, 0.0, np.where(pivot, best, span))
        if not np.all(np.isfinite(step)):  # unbounded: cannot happen with 0/1 columns; give those up
            keep = np.isfinite(step)
            ids, V, hi, basis, Binv, Cx, direction, cB, degenerate, frozen = (
                a[keep] for a in (ids, V, hi, basis, Binv, Cx, direction, cB, degenerate, frozen))
            q, sigma, alpha, delta, value, ratio, best, pivot, step, bland = (
                a[keep] for a in (q, sigma, alpha, delta, value, ratio, best, pivot, step, bland))
            rows = np.arange(len(ids))
        # the leaving variable: among the ratios at the minimum, the largest |alpha| (Bland: smallest index)
        tie = ratio <= best[:, None] + _FEAS
        by_alpha = np.argmax(np.where(tie, np.abs(alpha), -1.0), axis=1)
        by_index = np.argmin(np.where(tie, basis, np.iinfo(np.int64).max), axis=1)
        p = np.where(bland, by_index, by_alpha)
        np.put_along_axis(V, basis, value + delta * step[:, None], axis=1)
        V[rows, q] += sigma * step
        degenerate = np.where(step <= _FEAS, degenerate + 1, 0)
        flip = ~pivot & ~frozen  # the entering variable went to its other bound: it stays non-basic, facing the other way
        direction[rows[flip], q[flip]] *= -1.0
        pv = np.flatnonzero(pivot)
        if len(pv):
            kp, qq = p[pv], q[pv]
            leaving = basis[pv, kp]
            at_high = delta[pv, kp] > 0
            V[pv, leaving] = np.where(at_high, hi[pv, leaving], lo_all[leaving])
            fixed = hi[pv, leaving] - lo_all[leaving] <= _FEAS
            direction[pv, leaving] = np.where(fixed, 0.0, np.where(at_high, 1.0, -1.0))
            direction[pv, qq] = 0.0
            cB[pv, kp] = Cx[pv, qq]
            basis[pv, kp] = qq
            # B^-1 after the pivot: row p divided by alpha_p, alpha_i times it taken from every other row
            a = np.where(pivot[:, None], alpha, 0.0)
            a_p = np.where(pivot, alpha[rows, p], 1.0)
            prow = Binv[rows, p] / a_p[:, None]
            Binv -= a[:, :, None] * prow[:, None, :]
            Binv[pv, kp] = prow[pv]
            pivots += len(pv)
    return reached, V_all, basis_all, Binv_all, pivots


def prove_many(self: "Simplex", C: np.ndarray, lb: np.ndarray, UB: np.ndarray, V: np.ndarray, basis: np.ndarray,
               inverse: np.ndarray, margin: float, known: np.ndarray | None = None) -> np.ndarray:
    """Which samples (rows of ``C``, with values ``V`` of x and the row activities, bases ``basis``
    and their inverses as computed, one per sample) have their 0/1 point proved the only best
    selection (no other 0/1 point that keeps every rule scores as much), by ``margin``; ``known``
    marks samples whose basis is already known to be non-singular.

    The proof holds for any dual vector y: for every feasible (x, r) with A x = r,
    c.x - c.x* = sum_j d_j (x_j - x*_j) + sum_i y_i (r_i - r*_i), with d = c - y A. Here x* is 0/1
    and feasible, every non-basic variable sits at a bound with its reduced cost beyond ``margin``
    pointing there (so it adds more than the margin when it moves: between 0/1 points every move is
    a whole unit), and the basic variables' reduced costs are checked to sum, times the largest
    move (n: a row's activity lies within its size), below a quarter of the margin -- whatever
    the accuracy of the inverse that gave y. The basis matrix, 0 and +-1 entries, has a whole-number
    determinant, computed (LU) to be at least 1/2 in size (:meth:`Simplex.nonsingular`): it is non-singular, so the basic
    variables follow from the others and a point that keeps every non-basic variable is x*
    itself. Any other selection therefore scores strictly less."""
    n, m = self.n, self.m
    K = len(C)
    if not K:
        return np.zeros(0, dtype=bool)
    lo = np.concatenate([lb, self.row_lo])
    hi = np.concatenate([np.broadcast_to(UB, (K, n)), np.broadcast_to(self.row_hi, (K, m))], axis=1)
    # the point proved is the 0/1 point, with its row activities computed from it (not carried along)
    x = np.rint(V[:, :n])
    ok = np.all(np.abs(V[:, :n] - x) <= 1e-6, axis=1)
    V = np.concatenate([x, x @ self.AT], axis=1)
    ok &= np.all((V >= lo - _FEAS) & (V <= hi + _FEAS), axis=1)
    Cx = np.concatenate([C, np.zeros((K, m))], axis=1)
    y = np.matmul(_gather(Cx, basis)[:, None, :], inverse)[:, 0, :]
    d = np.concatenate([C - y @ self.A, y], axis=1)
    ok &= np.abs(_gather(d, basis)).sum(axis=1) * max(n, 1) < margin / 4
    nonbasic = np.ones((K, n + m), dtype=bool)
    np.put_along_axis(nonbasic, basis, False, axis=1)
    at_lo, at_hi = np.abs(V - lo) <= _FEAS, np.abs(V - hi) <= _FEAS
    strict = (at_lo & at_hi) | (at_lo & (d > margin)) | (at_hi & (d < -margin))
    ok &= np.all(strict | ~nonbasic, axis=1)
    check = np.flatnonzero(ok if known is None else ok & ~known)
    if len(check):
        ok[check] &= self.nonsingular(basis[check])
    return ok


class Anchors:
    """Bases to start from: one per anchor, with its inverse and the values of x and the rows."""

    def __init__(self, simplex: "Simplex", bases: list[Basis]):
        self.basis = np.array([b.basis for b in bases], dtype=np.int64).reshape(len(bases), simplex.m)
        self.inverse = np.array([b.inverse for b in bases]).reshape(len(bases), simplex.m, simplex.m)
        x = np.array([b.x for b in bases], dtype=float).reshape(len(bases), simplex.n)
        self.values = np.concatenate([x, x @ simplex.AT], axis=1)

    def __len__(self) -> int:
        return len(self.basis)


def run_many(self: "Simplex", C: np.ndarray, lb: np.ndarray, UB, warm: Anchors, start: np.ndarray, margin: float,
             keep: int = 0, rows: np.ndarray | None = None) -> Many:
    """The simplex for the rows ``rows`` of the costs ``C`` (samples x n; all rows by default) at once,
    in lockstep, the k-th from the anchor ``start[k]`` of ``warm``; ``UB`` the column upper bounds:
    one row shared by all, or a function of sample indices (rows of ``C``) giving theirs. A sample
    is ``optimal`` when it reached a 0/1 point whose basis proves it the only best selection by ``margin``
    (:func:`prove_many`). Samples go in chunks that keep the inverses within a few MB. With
    ``keep``, the bases of up to that many proved samples are returned (``Many.kept``: position in
    ``rows``, Basis), to start later samples from."""
    rows = np.arange(len(C)) if rows is None else np.asarray(rows)
    K = len(rows)
    optimal = np.zeros(K, dtype=bool)
    picks = np.zeros((K, self.n), dtype=bool)
    kept: list[tuple[int, Basis]] = []
    pivots = 0
    chunk = max(1, min(K, _CHUNK_BYTES // (8 * self.m * self.m + 8 * (self.n + self.m) * 4)))
    for first in range(0, K, chunk):
        part = np.arange(first, min(K, first + chunk))
        Cp = C[rows[part]]
        UBp = np.broadcast_to(UB(rows[part]) if callable(UB) else UB, (len(part), self.n))
        reached, V, basis, Binv, made = _run_chunk(self, Cp, lb, UBp, warm, start[part])
        pivots += made
        g = np.flatnonzero(reached)
        same = np.all(basis[g] == warm.basis[start[part[g]]], axis=1)  # an anchor's basis: proved before
        reached[g] = prove_many(self, Cp[g], lb, UBp[g], V[g], basis[g], Binv[g], margin, same)
        optimal[part], picks[part] = reached, V[:, :self.n] > 0.5
        for k in np.flatnonzero(reached)[:max(0, keep - len(kept))]:
            kept.append((int(part[k]), Basis(basis[k].copy(), Binv[k].copy(), np.rint(V[k, :self.n]))))
    return Many(optimal, picks, pivots, kept)


Simplex.run_many = run_many
Simplex.prove_many = prove_many
__all__ = ["Anchors", "Basis", "Many", "Simplex", "MAX_PIVOTS"]
