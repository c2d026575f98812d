"""Many score vectors at once: pivoted and proved by a compiled simplex, or screened by the optimal
bases already found; only what neither proves is solved.

Weight sampling solves one model for K score vectors that differ little. The vertices of these
problems are degenerate (many bases describe one selection), so a basis found for one sample
rarely proves the next even when the selection is the same: on the benchmark pool, 2,000
samples had 108 distinct selections but needed 810 solver calls. Two steps fix that.

**Pivoting, sample by sample, compiled** (:mod:`.simplex`, :mod:`.pivot`). From an optimal basis
of the LP relaxation (the base case's, or the first sample's: one solver call), every sample is
pivoted by a bounded primal simplex on the small form of the basis, in two rounds: 64 samples
spread over the batch, then the rest, each from the nearest basis proved so far (nearest by the
costs, through a fixed random projection), so that most samples are a few pivots from their
optimum (more rounds give nearer starts, but cost more than the pivots they save). A sample is
accepted only with a proof (:func:`.pivot.prove_samples`): its point is 0/1 and keeps every rule,
every non-basic variable's reduced cost points at its bound by more than 1/2 (units of 10^-6
points), the basic ones are checked near zero whatever the accuracy of the inverse, and the basis
is non-singular (a whole-number determinant). Then the point is the only best selection: any other
0/1 selection moves some non-basic variable by a whole unit, at a cost above the margin, which the
basic variables' near-zero reduced costs cannot make up (and one that moves none is the point
itself, the basis being non-singular). No other selection ties with it, so the tie rule has
nothing to choose: the sample's picks are exactly what :meth:`SelectionModel.solve` gives.

**Screening the rest** by the bases found. For a basis (B: basic columns, T: rows whose slack is
non-basic, ``|B| = |T|``) and the costs c_k = -S_k of every sample k at once::

    y_k = c_k[B] A[T, B]^-1          (the row duals; 0 on the other rows)
    d_k = c_k - y_k A[T, :]           (the reduced costs: two matrix products for all samples)

sample k is *accepted* when the basis's 0/1 point x* lies within its column bounds and the
certificate is strict: every non-basic free column at 0 has d_kj > 1/2, every one at 1 has
d_kj < -1/2, every tight cap has y_ki < -1/2 and every tight floor y_ki > 1/2 (an equality row is
fixed) -- the same proof. A sample left (a tie at the margin, a fractional vertex of the LP
relaxation, a selection that ties) is pivoted on its own from a basis of its best known
selection, or solved exactly as before (:func:`.ties.lexmax`, told the selections already proved:
they cap the optimum, so most projects are fixed before an integer program), and its basis joins
the pool. Each
sample keeps the best of the selections found so far under its own scores and is screened only
against the bases of that selection. When the selections change from sample to sample (past the
first few solves, fewer than one sample accepted for two solved), the screening stops and the
remaining samples are solved in turn: it never costs much more than :func:`solve_plain`.

Infeasibility does not depend on the scores: a sample with the same column bounds as an
infeasible one is infeasible without solving. A problem whose rows are the quota and caps of one
kind is a sort (:mod:`.sort`), for all samples at once. :func:`solve_plain` is the reference:
every sample solved in turn.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..score import SCORE_DECIMALS
from .backends import Backend
from .problem import SCALE, ZERO, SelectionProblem
from .simplex import Anchors, Basis, Simplex
from .sort import is_sortable, sort_select_many
from .ties import integral, lexmax

# Tight rows x projects up to which the rows of a basis are kept as a dense matrix.
_DENSE_ROWS_LIMIT = 4_000_000
# Columns checked first, for every candidate sample, before the rest for the samples still standing.
_FIRST_COLUMNS = 24
# Samples solved before screening may be given up: when, past them, fewer than one sample is
# accepted for every two solved, the rest are solved in turn (as solve_plain does).
_TRIAL = 16
# Bases with more tight rows than this are not inverted (their samples are solved instead).
_MAX_TIGHT = 1500
# Pivoting in rounds: samples in the first rounds (the rest in the last), bases kept to start from
# (at most this many, and within this memory), and the dimension the costs are compared in.
_ROUNDS = (64,)
# Rows up to which the compiled simplex is used (the rows are held as a dense matrix).
_MAX_SIMPLEX_ROWS = 400
_MAX_ANCHORS = 288
_ANCHOR_BYTES = 32 * 2 ** 20
_PROJECTION = 16

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SelectionBatch:
    """The outcomes of :meth:`SelectionModel.solve_many`: one row per score vector."""

    picks: np.ndarray  # bool (samples x projects), problem (project_id) order
    feasible: np.ndarray  # bool (samples,)
    objectives: np.ndarray  # float (samples,): the picks' total score (0 when infeasible)
    lp_integral: int  # samples whose selection is an optimum of the LP relaxation too (see ties.Solved.lp_optimal)
    solves: int  # solver calls
    seconds: float  # wall time of the loop
    solver_seconds: float  # of which inside the solver
    screened: int = 0  # samples proven optimal by a basis found for another sample (no solve)
    pivoted: int = 0  # samples proven optimal by a basis the compiled simplex reached from another's (no solve)

    @property
    def samples(self) -> int:
        return len(self.feasible)


class _Bounds:
    """Column bounds per sample: fixed, or (with a minimum score) one upper bound row per sample."""

    def __init__(self, problem: SelectionProblem, s: np.ndarray):
        self.lb, ub = problem.bounds()
        self.varies = problem.min_score is not None
        if self.varies:
            below = (s < problem.min_score) & ~problem.include_mask
            self.open = ~(problem.exclude_mask | below)  # bool: an eighth of the memory of float bounds
        else:
            self.ub = ub

    @property
    def ub_all(self) -> np.ndarray:
        """Every sample's upper bounds (samples x projects), or the one row they share."""
        return self.open.astype(float) if self.varies else self.ub

    def upper(self, k: int) -> np.ndarray:
        return self.open[k].astype(float) if self.varies else self.ub

    def uppers(self, idx: np.ndarray) -> np.ndarray:
        return self.open[idx].astype(float) if self.varies else self.ub

    def key(self, k: int) -> bytes:
        return np.packbits(self.open[k]).tobytes() if self.varies else b""


class _Rows:
    """The 0/1 matrix of a problem's rows: dense when small, else each row's members."""

    def __init__(self, backend: Backend):
        """From the backend's compressed rows (made once per model)."""
        start, index = backend.row_start, backend.row_index.astype(np.int64)
        m, n = len(start) - 1, backend.problem.n
        self.members = np.split(index, start[1:-1]) if m else []
        self.dense = None
        if m * n <= _DENSE_ROWS_LIMIT:
            self.dense = np.zeros((m, n))
            self.dense[backend.row_of, index] = 1.0

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), len(cols)))
        where = {int(c): j for j, c in enumerate(cols)}
        for r, t in enumerate(rows):
            for i in self.members[t]:
                j = where.get(int(i))
                if j is not None:
                    out[r, j] = 1.0
        return out


def _rows(backend: Backend) -> _Rows:
    rows = getattr(backend, "_screen_rows", None)
    if rows is None:
        rows = _Rows(backend)
        backend._screen_rows = rows
    return rows


def _simplex(backend: Backend) -> Simplex | None:
    """The simplex on the backend's rows (None when they are too many to hold densely)."""
    rows = _rows(backend)
    if rows.dense is None or not len(rows.members) or len(rows.members) > _MAX_SIMPLEX_ROWS:
        return None
    simplex = getattr(backend, "_screen_simplex", None)
    if simplex is None:
        simplex = Simplex(rows.dense, backend.base_row_lo, backend.base_row_hi)
        backend._screen_simplex = simplex
    return simplex


def _columns_and_tight(basic: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """A backend's basic variables (column j as j, row i as -i-1) as the basic columns (sorted) and
    the rows whose slack is non-basic."""
    tight = np.ones(m, dtype=bool)
    tight[-basic[basic < 0] - 1] = False
    return np.sort(basic[basic >= 0]), np.flatnonzero(tight)


class _Certificate:
    """An optimal basis of the LP relaxation at a 0/1 point, ready to test many cost vectors."""

    def __init__(self, rows: _Rows, x: np.ndarray, cols: np.ndarray, tight: np.ndarray, inverse: np.ndarray,
                 row_sign: np.ndarray, own: np.ndarray):
        self.x = x
        self.own = own  # the costs of the sample the basis was found for
        self.picked = x > 0.5
        self.cols = cols  # basic columns
        self.tight = tight  # rows whose slack is non-basic
        self.inverse = inverse  # of A[tight, cols]
        self.members = [rows.members[t] for t in tight]
        self.dense = rows.dense[tight] if rows.dense is not None else None
        self.row_sign = row_sign  # +1 at a lower bound (the dual must be > 1/2), -1 at an upper bound, 0 fixed
        nonbasic = np.ones(len(x), dtype=bool)
        nonbasic[cols] = False
        self.at_lower = nonbasic & ~self.picked
        self.at_upper = nonbasic & self.picked
        self._checks: dict[bytes, tuple] = {}
        self.basis = None  # the whole basis (.simplex.Basis), made when first needed as a warm start

    @classmethod
    def of(cls, backend: Backend, x: np.ndarray, cost: np.ndarray) -> "_Certificate | None":
        """The certificate of the backend's last LP basis (found for ``cost``) at the 0/1 point ``x``
        (None without one)."""
        basic = backend.basic_variables()
        if basic is None:
            return None
        return cls.from_basis(backend, x, *_columns_and_tight(basic, len(backend.problem.rules)), cost)

    @classmethod
    def from_basis(cls, backend: Backend, x: np.ndarray, cols: np.ndarray, tight: np.ndarray, cost: np.ndarray,
                   inverse: np.ndarray | None = None) -> "_Certificate | None":
        """The certificate of the basis (basic columns ``cols``, rows ``tight`` whose slack is
        non-basic) at the 0/1 point ``x``, found for ``cost`` (None when it is not a usable basis)."""
        if len(cols) != len(tight) or len(tight) > _MAX_TIGHT:
            return None
        rows = _rows(backend)
        if rows.dense is not None:
            M = rows.dense[np.ix_(tight, cols)]
            activity = rows.dense[tight] @ x
        else:
            M = rows.block(tight, cols)
            activity = np.array([x[rows.members[t]].sum() for t in tight])
        if inverse is not None and len(tight) and np.abs(inverse @ M - np.eye(len(tight))).max() > 1e-9:
            inverse = None  # one handed in must be the inverse of A[tight, cols]: other samples rely on it
        if inverse is None:
            try:
                inverse = np.linalg.inv(M) if len(tight) else np.zeros((0, 0))
            except np.linalg.LinAlgError:
                return None
        # A basis of a 0/1 matrix has a small integer determinant; a huge inverse means numerical trouble.
        if len(tight) and not (np.all(np.isfinite(inverse)) and np.abs(inverse).max() < 1e6):
            return None
        lo, hi = backend.base_row_lo[tight], backend.base_row_hi[tight]
        at_lo, at_hi = np.abs(activity - lo) < 0.5, np.abs(activity - hi) < 0.5
        if not np.all(at_lo | at_hi):
            return None
        return cls(rows, x, cols, tight, inverse, np.where(at_lo & at_hi, 0.0, np.where(at_hi, -1.0, 1.0)), cost)

    def _checked(self, free: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The non-basic free columns, +1 at 0 / -1 at 1, and A[T, those columns], nearest the margin
        under the basis's own sample first (where other samples fail, when they do)."""
        key = np.packbits(free).tobytes()
        if key not in self._checks:
            cols = np.flatnonzero((self.at_lower | self.at_upper) & free)
            sign = np.where(self.at_lower[cols], 1.0, -1.0)
            part = self._rows_part(cols)
            y = self.own[self.cols] @ self.inverse if len(self.cols) else np.zeros(0)
            margin = sign * (self.own[cols] - y @ part)
            first = np.argsort(margin, kind="stable")
            self._checks[key] = (cols[first], sign[first], part[:, first])
        return self._checks[key]

    def _rows_part(self, cols: np.ndarray) -> np.ndarray:
        """A[T, cols] as a dense block."""
        if self.dense is not None:
            return self.dense[:, cols]
        out = np.zeros((len(self.members), len(cols)))
        where = np.full(len(self.x), -1, dtype=np.int64)
        where[cols] = np.arange(len(cols))
        for r, m in enumerate(self.members):
            j = where[m]
            out[r, j[j >= 0]] = 1.0
        return out

    def proves(self, C: np.ndarray, idx: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
        """Which samples ``idx`` (rows of the costs ``C``, with upper bounds ``ub``: one row, or one row
        per sample of ``idx``) have x* as the unique optimum of their LP relaxation, by a strict margin."""
        Y = C[np.ix_(idx, self.cols)] @ self.inverse if len(self.cols) else np.zeros((len(idx), 0))
        ok = np.all(self.row_sign * Y > ZERO, axis=1, where=self.row_sign != 0)
        varies = ub.ndim == 2  # a minimum score: each sample has its own upper bounds
        if varies:
            ok &= ~np.any(self.picked & (ub < 0.5), axis=1)
        elif np.any(self.picked & (ub < 0.5)):
            return np.zeros(len(idx), dtype=bool)
        cols, sign, part = self._checked(lb < (1.0 if varies else ub))
        # the columns nearest the margin first: most samples that fail, fail there, at little cost
        for lo, hi in ((0, _FIRST_COLUMNS), (_FIRST_COLUMNS, len(cols))):
            live = np.flatnonzero(ok)
            if not len(live) or lo >= len(cols):
                break
            D = C[np.ix_(idx[live], cols[lo:hi])] - Y[live] @ part[:, lo:hi]
            strict = sign[lo:hi] * D > ZERO
            if varies:  # a column fixed at 0 in a sample needs no margin there
                strict |= ~(lb[cols[lo:hi]] < ub[np.ix_(live, cols[lo:hi])])
            ok[live] &= strict.all(axis=1)
        return ok


def _lp_start(backend: Backend, simplex: Simplex, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> Basis | None:
    """An optimal basis of the LP relaxation at a 0/1 point, as a start for the compiled simplex:
    the backend's last one when its point is 0/1 and its bounds are these (the base case's,
    solved just before), else one solved for ``cost`` (None when infeasible or without a basis).
    Any such basis is a start: each sample pivots from it to its own optimum, and is proved there."""
    last = backend.last_lp
    if last is not None and np.array_equal(last[1], lb) and np.array_equal(last[2], ub):
        x = integral(last[0])
        basic = backend.basic_variables() if x is not None else None
        if basic is not None:
            start = simplex.start(x, *_columns_and_tight(basic, simplex.m))
            if start is not None:
                return start
    root = backend.solve(cost, lb, ub, slot="lp")
    basic = backend.basic_variables() if root.status == "optimal" else None
    if basic is None:
        return None
    return simplex.start(np.asarray(root.x, dtype=float), *_columns_and_tight(basic, simplex.m))


def _pivot_rounds(simplex: Simplex, C: np.ndarray, bounds: _Bounds, open_: np.ndarray, base: Basis):
    """The open samples pivoted (:meth:`.simplex.Simplex.run_many`), in rounds: a few
    spread over the batch from ``base``, then more, each from the nearest basis proved so far
    (nearest by the costs, compared through a fixed random projection), so later samples start a
    pivot or two from their optimum. Yields (samples proved, their picks) per round; a sample not
    proved is left open (the caller solves it)."""
    if not len(open_):
        return
    rng = np.random.default_rng(0)  # a fixed projection: the same starts, the same result
    R = rng.standard_normal((C.shape[1], _PROJECTION))
    P = (C @ R)[open_]
    anchors, anchor_points = Anchors(simplex, [base]), [P.mean(axis=0)]  # the base: placed at the batch's mean
    # anchors held: each its padded inverse (room for bases a few columns larger than the base) and values
    cap = max(1, min(_MAX_ANCHORS, _ANCHOR_BYTES // (8 * (anchors.slots ** 2 + simplex.n + simplex.m))))
    # projects open in some samples and closed in others (by a minimum score): None without one
    varying = np.flatnonzero(~bounds.open[open_].all(axis=0)) if bounds.varies else None
    tried = np.zeros(len(open_), dtype=bool)
    for size in (*_ROUNDS, len(open_)):
        left = np.flatnonzero(~tried)
        if not len(left):
            break
        take = left if size >= len(left) else left[np.unique(np.linspace(0, len(left) - 1, size).astype(np.int64))]
        tried[take] = True
        points = np.array(anchor_points)
        far = (points ** 2).sum(axis=1)[None, :] - 2.0 * P[take] @ points.T  # |p - a|^2 - |p|^2
        if varying is not None and len(varying):
            # a start must keep the sample's bounds: an anchor picking a project that a sample's
            # minimum score excludes is not that sample's start
            closed = (~bounds.open[np.ix_(open_[take], varying)]).astype(np.float32)
            picked = (anchors.values[:, varying] > 0.5).astype(np.float32)
            far[closed @ picked.T > 0.5] = np.inf
        near = np.argmin(far, axis=1)
        last = tried.all()  # no round after this one: no basis to keep
        many = simplex.run_many(C, bounds.lb, bounds.uppers, anchors, near, ZERO,
                                keep=0 if last else cap - len(anchors), rows=open_[take])
        anchors.extend([basis for _, basis in many.kept])
        anchor_points.extend(P[take[[k for k, _ in many.kept]]])
        if many.optimal.any():
            yield open_[take[many.optimal]], many.picks[many.optimal]


class _Reporter:
    """Calls ``progress(done, total)`` about a hundred times, at every hundredth of the samples
    reached (samples accepted together pass several marks at once), and once at the end."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total = progress, total
        self.step = max(1, total // 100)
        self.reported = 0

    def __call__(self, done: int) -> None:
        if self.progress is None:
            return
        mark = self.reported - self.reported % self.step + self.step
        while mark <= done:
            self.progress(mark, self.total)
            self.reported = mark
            mark += self.step
        if done == self.total and self.reported != done:
            self.progress(done, self.total)
            self.reported = done

    def end(self) -> None:
        if self.progress is not None and (self.total == 0 or self.reported != self.total):
            self.progress(self.total, self.total)


def _result(S: np.ndarray, picks: np.ndarray, feasible: np.ndarray, lp_integral: int, solves: int,
            started: float, solver_seconds: float, screened: int, pivoted: int = 0) -> SelectionBatch:
    totals = np.einsum("ij,ij->i", picks, S, dtype=np.int64)  # row by row: no samples x projects temporary
    objectives = np.where(feasible, totals, 0) / SCALE
    return SelectionBatch(picks, feasible, np.round(objectives, SCORE_DECIMALS), lp_integral, solves,
                          time.perf_counter() - started, solver_seconds, screened, pivoted)


def solve_plain(backend: Backend, problem: SelectionProblem, s: np.ndarray, progress: Progress | None = None
                ) -> SelectionBatch:
    """Every sample solved in turn by :func:`.ties.lexmax` (the reference the screened path equals)."""
    total = len(s)
    S = np.rint(s * SCALE).astype(np.int64)
    picks = np.zeros((total, problem.n), dtype=bool)
    feasible = np.zeros(total, dtype=bool)
    bounds = _Bounds(problem, s)
    report = _Reporter(progress, total)
    started, seconds, solves = time.perf_counter(), backend.seconds, backend.solves
    lp_integral = 0
    for k in range(total):
        solved = lexmax(backend, S[k], bounds.lb, bounds.upper(k))
        if solved.status == "optimal":
            feasible[k] = True
            picks[k] = solved.x > 0.5
            lp_integral += solved.lp_optimal
        report(k + 1)
    report.end()
    return _result(S, picks, feasible, lp_integral, backend.solves - solves, started, backend.seconds - seconds, 0)


def solve_screened(backend: Backend, problem: SelectionProblem, s: np.ndarray, progress: Progress | None = None
                   ) -> SelectionBatch:
    """Every sample's selection, equal to :func:`solve_plain`'s, solving only the samples no basis
    already found proves (see the module doc)."""
    # many middle-sized matrix products: BLAS threads cost more in waiting than they give
    with _blas_controller().limit(limits=1, user_api="blas"):
        return _solve_screened(backend, problem, s, progress)


@functools.cache
def _blas_controller():
    """threadpoolctl's view of the loaded BLAS libraries, made once (finding them takes milliseconds)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _solve_screened(backend: Backend, problem: SelectionProblem, s: np.ndarray, progress: Progress | None
                    ) -> SelectionBatch:
    total, n = s.shape
    C = np.rint(s * SCALE)  # whole units; then the costs (negated), in the same memory
    S = C.astype(np.int64)
    np.negative(C, out=C)
    bounds = _Bounds(problem, s)
    started, seconds, solves = time.perf_counter(), backend.seconds, backend.solves
    if is_sortable(problem):
        picks, feasible = sort_select_many(problem, S, bounds.ub_all)
        report = _Reporter(progress, total)
        report(total)
        report.end()
        return _result(S, picks, feasible, int(feasible.sum()), 0, started, 0.0, int(feasible.sum()))
    if total == 0 or n == 0 or not backend.has_basis:
        return solve_plain(backend, problem, s, progress)

    picks = np.zeros((total, n), dtype=bool)
    feasible = np.zeros(total, dtype=bool)
    done = np.zeros(total, dtype=bool)
    lp_path = np.zeros(total, dtype=bool)
    best_value = np.full(total, -1, dtype=np.int64)  # the best known selection's total, per sample
    best = np.full(total, -1, dtype=np.int64)  # which selection that is
    selections: dict[bytes, int] = {}
    certificates: list[list[_Certificate]] = []
    infeasible_keys: set[bytes] = set()
    report = _Reporter(progress, total)
    screened = 0
    pivoted = 0
    solved_here = 0
    simplex = _simplex(backend)
    if simplex is not None:
        # every sample pivoted, in rounds, from an optimal basis of the first one's LP
        # relaxation (see _pivot_rounds); what is not proved there is solved below
        start = _lp_start(backend, simplex, C[0], bounds.lb, bounds.upper(0))
        if start is not None:
            for hit, x in _pivot_rounds(simplex, C, bounds, np.arange(total), start):
                picks[hit] = x
                feasible[hit] = lp_path[hit] = done[hit] = True
                pivoted += len(hit)
            report(int(done.sum()))
    # the distinct selections proved so far: they keep every rule, and the best of them within a
    # sample's bounds lets lexmax fix projects before an integer program (see ties.lexmax)
    known = None
    if done.any() and not done.all():  # only samples left to solve use them
        packed = np.packbits(picks[done], axis=1)
        _, first = np.unique(packed.view(f"V{packed.shape[1]}").ravel(), return_index=True)
        known = picks[done][first]

    def accept(idx: np.ndarray, cert: _Certificate) -> int:
        ok = cert.proves(C, idx, bounds.lb, bounds.uppers(idx))
        hit = idx[ok]
        picks[hit] = cert.picked
        feasible[hit] = True
        lp_path[hit] = True
        done[hit] = True
        return len(hit)

    while True:
        pending = np.flatnonzero(~done)
        if not len(pending):
            break
        k = int(pending[0])
        ub = bounds.upper(k)
        key = bounds.key(k)
        if key in infeasible_keys:
            done[k] = True
            continue
        cert = None
        if simplex is not None and best[k] >= 0:
            # pivots from the last basis of the sample's best known selection
            warm = certificates[best[k]][-1]
            if warm.basis is None:
                warm.basis = simplex.start(warm.x, warm.cols, warm.tight)
            many = simplex.run_many(C, bounds.lb, ub, Anchors(simplex, [warm.basis]), np.zeros(1, dtype=np.int64),
                                    ZERO, keep=1, rows=np.array([k])) if warm.basis is not None else None
            if many is not None and many.kept:
                found = many.kept[0][1]
                cols, tight, inverse = found.columns_and_tight(n, simplex.m)
                cert = _Certificate.from_basis(backend, found.x, cols, tight, C[k], inverse)
                if cert is not None:
                    cert.basis = found
                    picks[k], feasible[k], lp_path[k] = cert.picked, True, True
                    pivoted += 1
        if cert is None:
            solved_here += 1
            if solved_here > _TRIAL and 2 * (screened + pivoted) < solved_here:
                # the selections change from sample to sample: screening would cost more than it saves
                solved = lexmax(backend, S[k], bounds.lb, ub, known=known)
                if solved.status == "optimal":
                    picks[k], feasible[k], lp_path[k] = solved.x > 0.5, True, solved.lp_optimal
                else:
                    infeasible_keys.add(key)
                done[k] = True
                report(total - len(pending) + 1)
                continue
            root = backend.solve(C[k], bounds.lb, ub, slot="lp")
            if root.status == "infeasible":
                infeasible_keys.add(key)
                done[k] = True
                continue
            x = integral(root.x)
            cert = _Certificate.of(backend, x, C[k]) if x is not None else None
            if cert is not None and cert.proves(C, np.array([k]), bounds.lb, ub)[0]:
                picks[k], feasible[k], lp_path[k] = cert.picked, True, True
            else:
                solved = lexmax(backend, S[k], bounds.lb, ub, known=known, root=root)
                if solved.status == "optimal":
                    picks[k], feasible[k], lp_path[k] = solved.x > 0.5, True, solved.lp_optimal
        done[k] = True
        if cert is not None:
            sel_key = np.packbits(cert.picked).tobytes()
            rest = np.flatnonzero(~done)
            if sel_key not in selections:
                selections[sel_key] = len(certificates)
                certificates.append([cert])
                sel = selections[sel_key]
                value = np.rint(-(C[rest] @ cert.x)).astype(np.int64)  # exact: totals stay far below 2^53
                better = value > best_value[rest]
                best_value[rest[better]] = value[better]
                best[rest[better]] = sel
                candidates = rest[better]
            else:
                sel = selections[sel_key]
                certificates[sel].append(cert)
                candidates = rest[best[rest] == sel]
            if len(candidates):
                screened += accept(candidates, cert)
        report(int(done.sum()))
    report.end()
    return _result(S, picks, feasible, int(lp_path.sum()), backend.solves - solves, started,
                   backend.seconds - seconds, screened, pivoted)


__all__ = ["SelectionBatch", "solve_plain", "solve_screened"]
