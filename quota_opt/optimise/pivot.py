"""The pivoting of :mod:`.simplex`, compiled (numba): one sample after another, each from its anchor
basis, a bounded primal simplex on the small form of the basis.

The small form: b basic columns, b tight rows (the rows whose activity is non-basic; every other
row's activity is basic, with dual 0) and the b x b inverse of A[tight, columns]. A sample's duals
come from that inverse (b^2), its reduced costs from the few rows each column belongs to (the
matrix is 0/1 and sparse: a project is in the quota's row, its industry's, its city's, its group's),
so a pivot costs a few microseconds where a solver call costs a millisecond. A pivot that swaps a
column for a column, or a row for a row, updates the inverse by rank one; one that adds a basic
column with its row borders it, one that drops both takes them out (the Schur complement, both ways).

Dantzig's rule gives way to Bland's after a run of degenerate pivots, so it cannot cycle; pivots
per sample are capped. Nothing here is trusted: every basis it reaches is proved, or not, by
:func:`.simplex.prove_many` in numpy, so a fault in this code can only cost time.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_NOT_AT_BOUND = 2.0  # a non-basic variable found between its bounds: the sample is given up


@njit(cache=True, nogil=True)
def _bound(v, lo, hi, feas):
    """-1 at the lower bound (may rise), +1 at the upper (may fall), 0 fixed, 2 at neither."""
    if hi - lo <= feas:
        return 0.0
    if abs(v - lo) <= feas:
        return -1.0
    if abs(v - hi) <= feas:
        return 1.0
    return _NOT_AT_BOUND


@njit(cache=True, nogil=True, inline="always")
def _reduced_cost(C, k, j, col_ptr, col_rows, y):
    """Column j's reduced cost for sample k: its cost less the duals of the rows it belongs to."""
    d = C[k, j]
    for p in range(col_ptr[j], col_ptr[j + 1]):
        d -= y[col_rows[p]]
    return d


@njit(cache=True, nogil=True, inline="always")
def _entering(C, k, columns, direction, col_ptr, col_rows, y, q, best_gain, first):
    """The column of ``columns`` that improves sample k's cost most (``first``: the first that
    improves it, Bland's rule), if more than ``best_gain``; else ``q`` as it was."""
    for h in range(len(columns)):
        j = columns[h]
        if direction[j] == 0.0:
            continue
        g = _reduced_cost(C, k, j, col_ptr, col_rows, y) * direction[j]
        if g > best_gain:
            q = j
            best_gain = g
            if first:
                break
    return q, best_gain


@njit(cache=True, nogil=True, inline="always")
def _row_times(w, Minv, b, out):
    """``out[:b]`` = the row vector ``w[:b]`` times ``Minv[:b, :b]`` (rows of zeros skipped)."""
    for s in range(b):
        out[s] = 0.0
    for c in range(b):
        f = w[c]
        if f != 0.0:
            for s in range(b):
                out[s] += f * Minv[c, s]


@njit(cache=True, nogil=True, inline="always")
def _ratio(delta, value, lo, hi, tol):
    """How far a basic variable at ``value`` within [lo, hi] lets the step go when it changes by
    ``delta`` per unit (inf when it barely changes)."""
    if delta > tol:
        return max((hi - value) / delta, 0.0)
    if delta < -tol:
        return max((lo - value) / delta, 0.0)
    return np.inf


@njit(cache=True, nogil=True)
def pivot_samples(A, col_ptr, col_rows, lb, row_lo, row_hi, C, UB, start, a_size, a_cols, a_tight, a_inv, a_vals,
                  cand, max_pivots, bland_after, feas, dual, tol, reached, V_out, cols_out, tight_out, inv_out):
    """Each sample k (row of the costs ``C`` and upper bounds ``UB``: one row shared by all, or one
    per sample) from the anchor ``start[k]``
    (size, columns, tight rows, inverse, values) until no variable improves its cost, or the
    pivots run out. Writes ``reached[k]`` and, where reached, the values and the basis (padded to
    the output's slots with -1; of the inverse, only its first b x b block). Returns the pivots made.

    Partial pricing: the columns ``cand`` (those the samples are likely to move) are priced first,
    and all of them only when none of those improves the cost (so a sample stops only when no
    column at all does); under Bland's rule every column is priced, smallest index first."""
    m, n = A.shape
    N = n + m
    K = C.shape[0]
    S = cols_out.shape[1]
    Minv = np.zeros((m, m))
    cols = np.full(m, -1, dtype=np.int64)
    tight = np.full(m, -1, dtype=np.int64)
    col_slot = np.full(n, -1, dtype=np.int64)
    tight_slot = np.full(m, -1, dtype=np.int64)
    V = np.zeros(N)
    lo = np.zeros(N)
    hi = np.zeros(N)
    direction = np.zeros(N)
    y_t = np.zeros(m)
    y = np.zeros(m)
    u = np.zeros(m)
    dr = np.zeros(m)
    z = np.zeros(m)
    w = np.zeros(m)
    total = 0
    every = np.arange(n)
    for j in range(n):
        lo[j] = lb[j]
    for i in range(m):
        lo[n + i] = row_lo[i]
        hi[n + i] = row_hi[i]
    for k in range(K):
        reached[k] = False
        a = start[k]
        b = a_size[a]
        u_row = 0 if UB.shape[0] == 1 else k
        for j in range(n):
            hi[j] = UB[u_row, j]
            col_slot[j] = -1
        for i in range(m):
            tight_slot[i] = -1
        ok = True
        for v in range(N):
            V[v] = a_vals[a, v]
            if not (V[v] >= lo[v] - feas and V[v] <= hi[v] + feas):  # NaN: an anchor that does not fit
                ok = False
        if not ok:
            continue
        for s in range(b):
            cols[s] = a_cols[a, s]
            tight[s] = a_tight[a, s]
            col_slot[cols[s]] = s
            tight_slot[tight[s]] = s
            for t in range(b):
                Minv[s, t] = a_inv[a, s, t]
        for v in range(N):
            basic = col_slot[v] >= 0 if v < n else tight_slot[v - n] < 0
            direction[v] = 0.0 if basic else _bound(V[v], lo[v], hi[v], feas)
            if direction[v] == _NOT_AT_BOUND:
                ok = False
        if not ok:
            continue
        degenerate = 0
        done = False
        for _ in range(max_pivots + 1):
            # the duals of the tight rows (0 on the others), and the entering variable
            for i in range(m):
                y[i] = 0.0
            for c in range(b):
                w[c] = C[k, cols[c]]  # the basic columns' costs
            _row_times(w, Minv, b, y_t)
            for s in range(b):
                y[tight[s]] = y_t[s]
            bland = degenerate >= bland_after
            q = -1
            best_gain = dual
            # the columns likely to move first (not under Bland's rule), then, if none improves, all
            if not bland:
                q, best_gain = _entering(C, k, cand, direction, col_ptr, col_rows, y, q, best_gain, False)
            if q < 0:
                q, best_gain = _entering(C, k, every, direction, col_ptr, col_rows, y, q, best_gain, bland)
            if q < 0 or not bland:
                for i in range(m):
                    s = tight_slot[i]
                    if s < 0 or direction[n + i] == 0.0:
                        continue
                    g = y_t[s] * direction[n + i]
                    if g > best_gain:
                        q = n + i
                        best_gain = g
                        if bland:
                            break
            if q < 0:
                done = True
                break
            sigma = -direction[q]
            # the basic columns' change per unit of the entering variable, and the basic rows'
            if q < n:
                for s in range(b):
                    z[s] = A[tight[s], q]  # the entering column on the tight rows
                for c in range(b):
                    acc = 0.0
                    for s in range(b):
                        acc += Minv[c, s] * z[s]
                    u[c] = -acc
            else:
                sk = tight_slot[q - n]
                for c in range(b):
                    u[c] = Minv[c, sk]
            for i in range(m):
                dr[i] = 0.0
            for c in range(b):
                j = cols[c]
                for p in range(col_ptr[j], col_ptr[j + 1]):
                    dr[col_rows[p]] += u[c]
            if q < n:
                for p in range(col_ptr[q], col_ptr[q + 1]):
                    dr[col_rows[p]] += 1.0
            # the ratio test: the smallest step, then among those at it the largest change (Bland: smallest index)
            best = np.inf
            for c in range(b):
                j = cols[c]
                best = min(best, _ratio(sigma * u[c], V[j], lo[j], hi[j], tol))
            for i in range(m):
                if tight_slot[i] < 0:
                    best = min(best, _ratio(sigma * dr[i], V[n + i], lo[n + i], hi[n + i], tol))
            span = hi[q] - lo[q]
            pivot = best < span
            step = best if pivot else span
            if not np.isfinite(step):  # unbounded: cannot happen with 0/1 columns; given up
                break
            leave = -1  # the leaving variable (a column j, or n + i a row)
            leave_slot = -1
            leave_delta = 0.0
            if pivot:
                for v in range(b + m):  # the basic columns (by slot), then the basic rows
                    if v < b:
                        j, delta = cols[v], sigma * u[v]
                    elif tight_slot[v - b] < 0:
                        j, delta = n + v - b, sigma * dr[v - b]
                    else:
                        continue
                    if _ratio(delta, V[j], lo[j], hi[j], tol) <= best + feas and (
                            leave < 0 or (j < leave if bland else abs(delta) > abs(leave_delta))):
                        leave, leave_slot, leave_delta = j, (v if v < b else -1), delta
            # move
            for c in range(b):
                V[cols[c]] += sigma * step * u[c]
            for i in range(m):
                if tight_slot[i] < 0:
                    V[n + i] += sigma * step * dr[i]
            V[q] += sigma * step
            degenerate = degenerate + 1 if step <= feas else 0
            total += 1
            if not pivot:  # the entering variable went to its other bound: non-basic, facing the other way
                V[q] = hi[q] if sigma > 0 else lo[q]
                direction[q] = -direction[q]
                continue
            V[leave] = hi[leave] if leave_delta > 0 else lo[leave]
            direction[leave] = _bound(V[leave], lo[leave], hi[leave], feas)
            direction[q] = 0.0
            if q < n and leave < n:  # a column for a column: rank one on the column slot
                c = leave_slot
                for t in range(b):
                    w[t] = -u[t]
                piv = w[c]
                for s in range(b):
                    z[s] = Minv[c, s] / piv
                for r_ in range(b):
                    if r_ != c:
                        f = w[r_]
                        for s in range(b):
                            Minv[r_, s] -= f * z[s]
                for s in range(b):
                    Minv[c, s] = z[s]
                cols[c] = q
                col_slot[leave] = -1
                col_slot[q] = c
            elif q >= n and leave >= n:  # a row for a row: rank one on the tight slot
                k_row, i_row = q - n, leave - n
                sk = tight_slot[k_row]
                piv = 0.0
                for c in range(b):
                    w[c] = A[i_row, cols[c]]  # the new tight row on the basic columns
                _row_times(w, Minv, b, z)
                for c in range(b):
                    piv += w[c] * u[c]
                z[sk] -= 1.0
                for c in range(b):
                    f = u[c] / piv
                    for s in range(b):
                        Minv[c, s] -= f * z[s]
                tight[sk] = i_row
                tight_slot[k_row] = -1
                tight_slot[i_row] = sk
            elif q < n:  # a column in with a row: the inverse bordered by one
                i_row = leave - n
                for c in range(b):
                    w[c] = -u[c]  # M^-1 A[tight, q]
                s_ = A[i_row, q]
                for c in range(b):
                    dr[c] = A[i_row, cols[c]]  # the new tight row on the basic columns (dr is free here)
                for c in range(b):
                    s_ -= dr[c] * w[c]
                _row_times(dr, Minv, b, z)
                for c in range(b):
                    for s in range(b):
                        Minv[c, s] += w[c] * z[s] / s_
                    Minv[c, b] = -w[c] / s_
                for s in range(b):
                    Minv[b, s] = -z[s] / s_
                Minv[b, b] = 1.0 / s_
                cols[b] = q
                tight[b] = i_row
                col_slot[q] = b
                tight_slot[i_row] = b
                b += 1
            else:  # a row's activity in for a column: both taken out (the pivot on Minv[c, sk])
                c = leave_slot
                k_row = q - n
                sk = tight_slot[k_row]
                piv = Minv[c, sk]
                for r_ in range(b):
                    if r_ == c:
                        continue
                    f = Minv[r_, sk] / piv
                    for s in range(b):
                        if s != sk:
                            Minv[r_, s] -= f * Minv[c, s]
                last = b - 1
                if c != last:  # the last column slot fills the gap
                    for s in range(b):
                        Minv[c, s] = Minv[last, s]
                    cols[c] = cols[last]
                    col_slot[cols[c]] = c
                if sk != last:  # the last tight slot fills the other
                    for r_ in range(b):
                        Minv[r_, sk] = Minv[r_, last]
                    tight[sk] = tight[last]
                    tight_slot[tight[sk]] = sk
                col_slot[leave] = -1
                tight_slot[k_row] = -1
                cols[last] = -1
                tight[last] = -1
                b -= 1
        if not done or b > S:
            continue
        reached[k] = True
        for v in range(N):
            V_out[k, v] = V[v]
        for s in range(S):
            cols_out[k, s] = cols[s] if s < b else -1
            tight_out[k, s] = tight[s] if s < b else -1
        for s in range(b):
            for t in range(b):
                inv_out[k, s, t] = Minv[s, t]
    return total


@njit(cache=True, nogil=True)
def _nonsingular(A, cols, tight, b, work):
    """Whether A[tight[:b], cols[:b]] is non-singular: its determinant, a whole number (0/1 entries),
    computed by elimination with partial pivoting, is at least 1/2 in size."""
    for r in range(b):
        for c in range(b):
            work[r, c] = A[tight[r], cols[c]]
    det = 1.0
    for c in range(b):
        p = c
        for r in range(c + 1, b):
            if abs(work[r, c]) > abs(work[p, c]):
                p = r
        if work[p, c] == 0.0:
            return False
        if p != c:
            for t in range(b):
                work[c, t], work[p, t] = work[p, t], work[c, t]
        det *= work[c, c]
        for r in range(c + 1, b):
            f = work[r, c] / work[c, c]
            if f != 0.0:
                for t in range(c, b):
                    work[r, t] -= f * work[c, t]
    return abs(det) >= 0.5


@njit(cache=True, nogil=True)
def prove_samples(A, col_ptr, col_rows, lb, row_lo, row_hi, C, UB, V, cols, tight, inverse, margin, feas, ok):
    """Which samples marked in ``ok`` have their 0/1 point proved the only best selection by
    ``margin`` (``ok[k]`` is left true for those only), from the basis each reached (small form,
    padded: ``cols``, ``tight``, ``inverse`` as computed); ``UB``: one row shared by all, or one per
    sample.

    The proof holds for any dual vector y: for every feasible (x, r) with A x = r,
    c.x - c.x* = sum_j d_j (x_j - x*_j) + sum_i y_i (r_i - r*_i), with d = c - y A. Here y is 0 on
    the rows whose activity is basic and comes from the inverse on the tight rows; x* is the 0/1
    point (the values rounded, within 10^-6) and keeps every bound and every row, its activities
    computed from it; every non-basic variable sits at a bound with its reduced cost beyond
    ``margin`` pointing there (so it adds more than the margin when it moves: between 0/1 points
    every move is a whole unit); and the basic columns' reduced costs sum, times n (the largest
    move), below a quarter of the margin -- whatever the accuracy of the inverse that gave y. The
    basis matrix, 0 and +-1 entries, has a whole-number determinant, that of A[tight, cols],
    computed to be at least 1/2 in size: it is non-singular, so the basic variables follow from the
    others and a point that keeps every non-basic variable is x* itself. Any other selection
    therefore scores strictly less."""
    m, n = A.shape
    K = C.shape[0]
    S = cols.shape[1]
    x = np.zeros(n)
    r = np.zeros(m)
    y = np.zeros(m)
    y_t = np.zeros(S)
    basic = np.zeros(n, dtype=np.bool_)
    is_tight = np.zeros(m, dtype=np.bool_)
    work = np.zeros((S, S))
    for k in range(K):
        if not ok[k]:
            continue
        ok[k] = False
        u_row = 0 if UB.shape[0] == 1 else k
        b = 0
        while b < S and cols[k, b] >= 0:
            b += 1
        good = True
        for s in range(b):
            if tight[k, s] < 0:
                good = False
        if not good:
            continue
        # the 0/1 point, within its bounds, and the rows' activities from it
        for j in range(n):
            x[j] = np.rint(V[k, j])
            if abs(V[k, j] - x[j]) > 1e-6 or x[j] < lb[j] - feas or x[j] > UB[u_row, j] + feas:
                good = False
        if not good:
            continue
        for i in range(m):
            r[i] = 0.0
            y[i] = 0.0
            is_tight[i] = False
        for j in range(n):
            basic[j] = False
            if x[j] != 0.0:
                for p in range(col_ptr[j], col_ptr[j + 1]):
                    r[col_rows[p]] += x[j]
        for i in range(m):
            if r[i] < row_lo[i] - feas or r[i] > row_hi[i] + feas:
                good = False
        if not good:
            continue
        # the duals, and a basis naming no variable twice
        for s in range(b):
            if basic[cols[k, s]] or is_tight[tight[k, s]]:
                good = False
            basic[cols[k, s]] = True
            is_tight[tight[k, s]] = True
        if not good:
            continue
        for s in range(b):
            acc = 0.0
            for c in range(b):
                acc += C[k, cols[k, c]] * inverse[k, c, s]
            y_t[s] = acc
            y[tight[k, s]] = acc
        # every column's reduced cost: near 0 where basic, beyond the margin towards its bound elsewhere
        drift = 0.0
        for j in range(n):
            d = _reduced_cost(C, k, j, col_ptr, col_rows, y)
            if basic[j]:
                drift += abs(d)
                continue
            at_lo = abs(x[j] - lb[j]) <= feas
            at_hi = abs(x[j] - UB[u_row, j]) <= feas
            if not ((at_lo and at_hi) or (at_lo and d > margin) or (at_hi and d < -margin)):
                good = False
                break
        if not good or drift * max(n, 1) >= margin / 4:
            continue
        # the tight rows' activities, non-basic: at a bound with the dual pointing there
        for s in range(b):
            i = tight[k, s]
            at_lo = abs(r[i] - row_lo[i]) <= feas
            at_hi = abs(r[i] - row_hi[i]) <= feas
            d = y_t[s]
            if not ((at_lo and at_hi) or (at_lo and d > margin) or (at_hi and d < -margin)):
                good = False
        if not good:
            continue
        ok[k] = _nonsingular(A, cols[k], tight[k], b, work)
