"""The solver backends: HiGHS through highspy (models kept between solves) and COIN-OR CBC through
PuLP (rebuilt for every solve), behind one small interface (:class:`Backend`).

:func:`make_solver` is the one place a solver is chosen; every ``highspy.Highs`` is made by
:func:`quota_opt.quiet.new_highs`, so its banner never reaches standard output.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, ModelError
from ..quiet import new_highs
from .problem import SCALE, ZERO, SelectionProblem

DEFAULT_TIME_LIMIT = 60.0
# Largest rows x columns for which the HiGHS backend keeps a dense copy of the 0/1 matrix.
_DENSE_LIMIT = 4_000_000


def build_pulp_model(problem: SelectionProblem, cost: np.ndarray | None = None, lb: np.ndarray | None = None,
                     ub: np.ndarray | None = None, row_lo: np.ndarray | None = None, row_hi: np.ndarray | None = None,
                     integer: bool = True):
    """The model as a PuLP problem (minimise ``cost`` . x, by default minus the scaled scores),
    every row named after its rule (``solver_name``; ``SelectionProblem.descriptions`` maps back)."""
    import pulp

    if cost is None:
        cost = -np.rint(problem.scores * SCALE)
    if lb is None or ub is None:
        lb, ub = problem.bounds()
    if row_lo is None or row_hi is None:
        row_lo, row_hi = problem.row_bounds()
    model = pulp.LpProblem("quota_opt_selection", pulp.LpMinimize)
    xs = [pulp.LpVariable(f"x_{i:06d}", lowBound=float(lb[i]), upBound=float(ub[i]),
                          cat=pulp.LpInteger if integer else pulp.LpContinuous) for i in range(problem.n)]
    model += pulp.lpSum(float(cost[i]) * xs[i] for i in range(problem.n) if cost[i] != 0)
    for k, rule in enumerate(problem.rules):
        if not rule.members:
            continue  # an empty row holds or not by its bounds alone (checked by the caller)
        expr = pulp.lpSum(xs[i] for i in rule.members)
        if math.isfinite(row_hi[k]):
            model += (expr <= float(row_hi[k]), rule.solver_name if not math.isfinite(row_lo[k]) else rule.solver_name + "_hi")
        if math.isfinite(row_lo[k]):
            model += (expr >= float(row_lo[k]), rule.solver_name if not math.isfinite(row_hi[k]) else rule.solver_name + "_lo")
    return model, xs



@dataclass(frozen=True)
class SolverSpec:
    """Which solver, how long it may run and whether it prints its log. Made by :func:`make_solver`."""

    name: str = "highs"
    time_limit: float = DEFAULT_TIME_LIMIT
    msg: bool = False

    def attach(self, problem: SelectionProblem) -> "Backend":
        return HighsBackend(problem, self) if self.name == "highs" else CbcBackend(problem, self)


SOLVERS = ("highs", "cbc")


def make_solver(name: str = "highs", time_limit: float | None = DEFAULT_TIME_LIMIT, msg: bool = False) -> SolverSpec:
    """The one place a solver is made: ``highs`` (HiGHS through highspy, the fast default) or
    ``cbc`` (COIN-OR CBC through PuLP); quiet unless ``msg``; ``time_limit`` seconds per solve."""
    key = str(name).strip().lower()
    if key in ("highs", "highspy", "h"):
        key = "highs"
    elif key in ("cbc", "pulp", "coin", "coin-or", "pulp_cbc_cmd"):
        key = "cbc"
    else:
        raise InputError(f"未知的求解器“{name}”；可选：highs、cbc", f"unknown solver '{name}'; choose highs or cbc")
    limit = DEFAULT_TIME_LIMIT if time_limit is None else float(time_limit)
    if not limit > 0:
        raise InputError(f"求解时间上限应为正数（{time_limit}）", f"the time limit must be positive ({time_limit})")
    if key == "cbc":
        import pulp

        if not pulp.PULP_CBC_CMD(msg=False).available():
            raise ModelError("找不到 CBC 求解器（PuLP 自带的 cbc）", "the CBC solver bundled with PuLP is not available")
    return SolverSpec(key, limit, bool(msg))


@dataclass
class Outcome:
    status: str  # optimal | infeasible
    value: float = math.nan  # objective of the minimisation (minus the scaled total score)
    x: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    row_value: np.ndarray | None = None


class Backend:
    name = ""
    has_basis = False  # whether basic_variables() gives the last LP basis (for screening many samples)

    def __init__(self, problem: SelectionProblem, spec: SolverSpec):
        self.problem = problem
        self.spec = spec
        self.seconds = 0.0
        self.solves = 0
        self.base_row_lo, self.base_row_hi = problem.row_bounds()
        # the rows' members, row by row (compressed): row r holds row_index[row_start[r]:row_start[r + 1]]
        sizes = [len(rule.members) for rule in problem.rules]
        self.row_start = np.zeros(len(sizes) + 1, dtype=np.int32)
        np.cumsum(sizes, out=self.row_start[1:])
        self.row_index = np.fromiter((j for rule in problem.rules for j in rule.members), dtype=np.int32,
                                     count=int(self.row_start[-1]))
        self.row_of = np.repeat(np.arange(len(sizes)), sizes)  # each member's row
        self.last_lp: tuple | None = None  # (x, lb, ub) of the last optimal solve in the lp slot, whose basis it holds

    def solve(self, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray, *, integer: bool = False, slot: str = "lp",
              row_lo: np.ndarray | None = None, row_hi: np.ndarray | None = None) -> Outcome:
        raise NotImplementedError

    def tableau_prunes(self, cand: np.ndarray, root: Outcome, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
        """Candidates (of the last LP solve) proven unable to enter any best selection; none by default."""
        return np.zeros_like(cand)

    def basic_variables(self) -> np.ndarray | None:
        """The basic variables of the last LP solve in the ``lp`` slot (column j as j, row i as
        -i-1), or ``None`` when the backend does not expose its basis."""
        return None

    def _limit(self) -> ModelError:
        return ModelError(
            f"求解器在时间上限 {self.spec.time_limit:g} 秒内未能证明最优",
            f"the solver did not prove optimality within the time limit of {self.spec.time_limit:g} s",
        )


class HighsBackend(Backend):
    """HiGHS through highspy, one model per slot, kept between solves (only changed data is passed)."""

    name = "highs"
    has_basis = True

    def __init__(self, problem: SelectionProblem, spec: SolverSpec):
        super().__init__(problem, spec)
        import highspy

        self._hs = highspy
        self._instances: dict[str, dict] = {}
        self._cols = np.arange(problem.n, dtype=np.int32)
        self._rows = np.arange(len(problem.rules), dtype=np.int32)
        # The matrix column by column (every project is in the quota row, so no column is empty).
        by_col = np.argsort(self.row_index, kind="stable")
        self._rows_by_col = self.row_of[by_col]
        self._col_starts = np.searchsorted(self.row_index[by_col], np.arange(problem.n))
        self._max_rows_per_col = int(np.bincount(self.row_index, minlength=problem.n).max()) if len(self.row_index) else 0
        # ... and dense when small: tableau rows are then one matrix product.
        self._dense = None
        if len(problem.rules) * problem.n <= _DENSE_LIMIT:
            self._dense = np.zeros((len(problem.rules), problem.n))
            self._dense[self.row_of, self.row_index] = 1.0

    def _instance(self, slot: str, integer: bool) -> dict:
        key = f"{slot}:{'mip' if integer else 'lp'}"
        inst = self._instances.get(key)
        if inst is not None:
            return inst
        hs = self._hs
        h = new_highs()  # made without its banner on stdout (see quota_opt.quiet)
        h.setOptionValue("output_flag", bool(self.spec.msg))
        h.setOptionValue("time_limit", float(self.spec.time_limit))
        if integer:
            h.setOptionValue("mip_rel_gap", 0.0)
            h.setOptionValue("mip_abs_gap", 0.5)  # objective values are whole numbers: a gap below 1 proves optimality
        else:
            # A relaxation's first solve (later ones start from the last basis, without presolve
            # anyway): presolve costs more than it saves on these 0/1 rows. Measured on the pools of
            # benchmarks/bench_solve_loop.py's goal 2 with every rule family: 2.0 ms instead of 7.0
            # on 1,000 candidates, 74 instead of 141 on 10,000, 11.9 s instead of 14.6 on 100,000
            h.setOptionValue("presolve", "off")
        p = self.problem
        lp = hs.HighsLp()
        lp.num_col_ = p.n
        lp.num_row_ = len(p.rules)
        lp.col_cost_ = np.zeros(p.n)
        lp.col_lower_ = np.zeros(p.n)
        lp.col_upper_ = np.ones(p.n)
        lo, hi = self.base_row_lo, self.base_row_hi
        lp.row_lower_ = np.where(np.isfinite(lo), lo, -hs.kHighsInf)
        lp.row_upper_ = np.where(np.isfinite(hi), hi, hs.kHighsInf)
        lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = self.row_start
        lp.a_matrix_.index_ = self.row_index
        lp.a_matrix_.value_ = np.ones(len(self.row_index))
        lp.a_matrix_.num_col_ = p.n
        lp.a_matrix_.num_row_ = len(p.rules)
        if integer:
            lp.integrality_ = [hs.HighsVarType.kInteger] * p.n
        lp.row_names_ = [r.solver_name for r in p.rules]
        h.passModel(lp)
        inst = {"h": h, "cost": np.zeros(p.n), "lb": np.zeros(p.n), "ub": np.ones(p.n),
                "row_lo": lo.copy(), "row_hi": hi.copy()}
        self._instances[key] = inst
        return inst

    def solve(self, cost, lb, ub, *, integer=False, slot="lp", row_lo=None, row_hi=None) -> Outcome:
        p = self.problem
        if p.n == 0:
            return empty_outcome(self, row_lo, row_hi)
        inst = self._instance(slot, integer)
        h = inst["h"]
        inf = self._hs.kHighsInf
        if not np.array_equal(inst["cost"], cost):
            h.changeColsCost(p.n, self._cols, np.asarray(cost, dtype=float))
            inst["cost"] = np.array(cost, dtype=float)
        if not (np.array_equal(inst["lb"], lb) and np.array_equal(inst["ub"], ub)):
            h.changeColsBounds(p.n, self._cols, np.asarray(lb, dtype=float), np.asarray(ub, dtype=float))
            inst["lb"], inst["ub"] = np.array(lb, dtype=float), np.array(ub, dtype=float)
        rlo = self.base_row_lo if row_lo is None else row_lo
        rhi = self.base_row_hi if row_hi is None else row_hi
        if len(p.rules) and not (np.array_equal(inst["row_lo"], rlo) and np.array_equal(inst["row_hi"], rhi)):
            h.changeRowsBounds(len(p.rules), self._rows, np.where(np.isfinite(rlo), rlo, -inf),
                               np.where(np.isfinite(rhi), rhi, inf))
            inst["row_lo"], inst["row_hi"] = np.array(rlo), np.array(rhi)
        if slot == "lp" and not integer:
            self.last_lp = None  # the slot's basis is about to change
        started = time.perf_counter()
        h.run()
        self.seconds += time.perf_counter() - started
        self.solves += 1
        status = h.getModelStatus()
        ms = self._hs.HighsModelStatus
        if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
            return Outcome("infeasible")
        if status != ms.kOptimal:
            if status in (ms.kTimeLimit, ms.kIterationLimit, ms.kInterrupt):
                raise self._limit()
            raise ModelError(f"求解器返回意外状态：{h.modelStatusToString(status)}",
                             f"the solver returned an unexpected status: {h.modelStatusToString(status)}")
        # (the all* accessors copy one vector each, where getSolution() copies all four)
        value = h.getObjectiveValue()
        x = np.array(h.allVariableValues())
        if integer:
            return Outcome("optimal", value, x)
        if slot == "lp":
            self.last_lp = (x, inst["lb"], inst["ub"])
        return Outcome("optimal", value, x, np.array(h.allVariableDuals()), np.array(h.allConstrDuals()),
                        np.array(h.allConstrValues()))


    def basic_variables(self):
        inst = self._instances.get("lp:lp")
        if inst is None:
            return None
        return np.asarray(inst["h"].getBasicVariables()[1], dtype=np.int64)

    def tableau_prunes(self, cand, root, lb, ub):
        """A basic variable x_i at 0 moves only as the non-basic ones do: x_i = -sum_j a_j dx_j over
        the tableau row of x_i, while the objective rises by sum_j |d_j| |dx_j|. Raising x_i to 1
        therefore costs at least min_j |d_j| / |a_j| (over non-basic, non-fixed j with a_j != 0;
        rows count with their duals). Above half a unit, no best selection contains i."""
        inst = self._instances.get("lp:lp")
        out = np.zeros_like(cand)
        if inst is None:
            return out
        h = inst["h"]
        basic = np.asarray(h.getBasicVariables()[1])
        where = np.full(self.problem.n, -1, dtype=np.int64)
        k_of = np.flatnonzero(basic >= 0)
        where[basic[k_of]] = k_of
        todo = np.flatnonzero(cand & (where >= 0))  # a non-basic candidate (zero reduced cost) may truly tie
        if not len(todo):
            return out
        row_basic = np.zeros(len(self.problem.rules), dtype=bool)
        row_basic[-basic[basic < 0] - 1] = True
        col_basic = np.zeros(self.problem.n, dtype=bool)
        col_basic[basic[basic >= 0]] = True
        col_move = ~col_basic & (lb < ub)
        binv = np.array([h.getBasisInverseRow(int(where[i]))[1] for i in todo])  # tableau rows, logical part
        # |a_j| <= (rows of column j) * max |B^-1|: only columns with a reduced cost below that can fail.
        d_cols = np.abs(root.col_dual)
        check = np.flatnonzero(col_move & (d_cols <= ZERO * self._max_rows_per_col * np.abs(binv).max()))
        # structural part of the tableau rows on those columns: (row of B^-1) . A
        if self._dense is not None:
            alpha_cols = np.abs(binv @ self._dense[:, check])
        else:
            alpha_cols = np.abs(np.add.reduceat(binv[:, self._rows_by_col], self._col_starts, axis=1))[:, check]
        alpha_rows = np.abs(binv)
        # min_j |d_j| / |a_j| > ZERO, written without the division: |d_j| > ZERO |a_j| wherever a_j != 0
        d_rows = np.where(row_basic, np.inf, np.abs(root.row_dual))
        ok = (np.all((alpha_cols <= 1e-9) | (d_cols[check] > ZERO * alpha_cols), axis=1)
              & np.all((alpha_rows <= 1e-9) | (d_rows > ZERO * alpha_rows), axis=1))
        out[todo[ok]] = True
        return out


class CbcBackend(Backend):
    """COIN-OR CBC through PuLP: the PuLP model is rebuilt for every solve (the plain approach)."""

    name = "cbc"

    def solve(self, cost, lb, ub, *, integer=False, slot="lp", row_lo=None, row_hi=None) -> Outcome:
        import pulp

        p = self.problem
        if p.n == 0:
            return empty_outcome(self, row_lo, row_hi)
        rlo = self.base_row_lo if row_lo is None else row_lo
        rhi = self.base_row_hi if row_hi is None else row_hi
        empty = np.array([not r.members for r in p.rules], dtype=bool)
        if np.any(empty & ((rlo > 0) | (rhi < 0))):
            return Outcome("infeasible")
        model, xs = build_pulp_model(p, cost, lb, ub, rlo, rhi, integer=integer)
        solver = pulp.PULP_CBC_CMD(msg=self.spec.msg, timeLimit=self.spec.time_limit,
                                   **({"gapRel": 0.0, "gapAbs": 0.5} if integer else {}))
        started = time.perf_counter()
        try:
            model.solve(solver)
        except pulp.PulpSolverError as exc:
            raise ModelError(f"CBC 求解失败：{exc}", f"CBC failed: {exc}") from None
        self.seconds += time.perf_counter() - started
        self.solves += 1
        if model.status == pulp.LpStatusInfeasible:
            return Outcome("infeasible")
        if model.status != pulp.LpStatusOptimal or model.sol_status not in (pulp.LpSolutionOptimal,):
            if model.sol_status == pulp.LpSolutionIntegerFeasible or model.status == pulp.LpStatusNotSolved:
                raise self._limit()
            raise ModelError(f"CBC 返回意外状态：{pulp.LpStatus[model.status]}",
                             f"CBC returned an unexpected status: {pulp.LpStatus[model.status]}")
        x = np.array([v.varValue or 0.0 for v in xs])
        value = float(np.dot(cost, x))
        if integer:
            return Outcome("optimal", value, x)
        dj = np.array([v.dj or 0.0 for v in xs])
        row_dual = np.zeros(len(p.rules))
        row_value = np.zeros(len(p.rules))
        for k, rule in enumerate(p.rules):
            row_value[k] = float(x[list(rule.members)].sum()) if rule.members else 0.0
            for suffix in ("", "_hi", "_lo"):
                con = model.constraints.get(rule.solver_name + suffix)
                if con is not None and con.pi:
                    row_dual[k] += con.pi
        return Outcome("optimal", value, x, dj, row_dual, row_value)


def empty_outcome(backend: Backend, row_lo, row_hi) -> Outcome:
    lo = backend.base_row_lo if row_lo is None else row_lo
    hi = backend.base_row_hi if row_hi is None else row_hi
    if np.any(lo > 0) or np.any(hi < 0):
        return Outcome("infeasible")
    empty = np.zeros(0)
    return Outcome("optimal", 0.0, empty, empty, np.zeros(len(lo)), np.zeros(len(lo)))

