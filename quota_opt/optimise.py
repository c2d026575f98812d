"""The integer program: pick at most the quota so that the total score is highest under the rules.

Data first (:func:`build_problem` -> :class:`SelectionProblem`), model second (the named rows of
the problem, as a PuLP model by :func:`build_pulp_model` or a HiGHS model), solve third
(:class:`SelectionModel`, with a solver from :func:`make_solver`).

Model. One binary x_i per eligible project i, s_i its score::

    maximise    sum_i s_i x_i
    subject to  sum_i x_i                  <= quota                         quota          (notice 二（二）2 / 三（二）2)
                sum_{i in industry k} x_i  <= cap_k,  >= floor_k            max_per_industry[k], min_per_industry[k]
                sum_{i in city c} x_i      <= cap_c,  >= floor_c            max_per_city[c], min_per_city[c]
                sum_{i in group g} x_i     <= cap_g                         max_per_group[g]
                x_i = 1  (include),  x_i = 0  (exclude; score below min_score unless included)

A group is the project's ``group`` or, when that is empty, its enterprise. A floor set by
``min_per_city`` / ``min_per_industry`` applies to every city / industry with an eligible
candidate; a floor named in ``city_min`` / ``industry_min`` applies even where there is none
(and then cannot hold). A cap no larger than the number of candidates it covers is not a row.

Scores enter as whole numbers of 10^-6 points (scores rounded to ``SCORE_DECIMALS``), so totals
compare exactly.

Tie rule (deterministic among equal optima). Among all selections with the highest total
score, the one returned is the first in priority order: walk the projects by score (high to
low), then project_id (ascending, plain character order); at each project, the chosen
selection includes it if any best selection that agrees on the projects before it does. So a
higher-scored project is preferred to a lower one and, between equal scores, the smaller
project_id; and the quota is filled when a project adds nothing (score 0) but breaks no rule.
Both solvers follow the same procedure and return the same selection:

1. solve the LP relaxation; if its optimum is integral it is an optimal selection, otherwise
   solve the integer program;
2. a non-picked project can be in another best selection only if the LP reduced-cost bound
   allows it; when the LP optimum was integral, the simplex tableau row of each remaining
   candidate (HiGHS) and then one LP over the optimal face (fixing what complementary slackness
   fixes) certify that none can -- the usual case, with no further solve;
3. otherwise the priority walk tests each remaining project exactly (LP, then MIP if fractional).

:class:`SelectionModel` keeps the HiGHS models between solves, so a loop that changes only the
scores (weight sampling, :meth:`SelectionModel.solve_many`) re-solves from the previous basis.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .columns import normalise_text
from .quiet import new_highs
from .errors import InputError, ModelError
from .scenario import Constraints, Scenario
from .score import SCORE_DECIMALS, ScoreResult

SCALE = 10 ** SCORE_DECIMALS
DEFAULT_TIME_LIMIT = 60.0
_INTEGRAL_TOL = 1e-6
# Reduced costs and duals are in units of 10^-6 points; anything smaller than half a unit is
# treated as zero, which only ever widens the set of selections checked (never wrong, at most slower).
_ZERO = 0.5
# Largest rows x columns for which the HiGHS backend keeps a dense copy of the 0/1 matrix.
_DENSE_LIMIT = 4_000_000

FAMILIES = ("quota", "max_per_industry", "min_per_industry", "max_per_city", "min_per_city", "max_per_group")
FIXING_FAMILIES = ("include", "exclude", "min_score")

_DIMENSION = {
    "max_per_industry": ("industry", "行业", "industry"),
    "min_per_industry": ("industry", "行业", "industry"),
    "max_per_city": ("city", "城市", "city"),
    "min_per_city": ("city", "城市", "city"),
    "max_per_group": ("group", "企业集团", "group"),
}


# ---------------------------------------------------------------------- data


@dataclass(frozen=True)
class Rule:
    """One named row of the model: ``lower <= sum of x over members <= upper``."""

    name: str  # e.g. max_per_industry[汽车制造业]
    solver_name: str  # ASCII, for solvers (e.g. max_per_industry_3f2a9c1b)
    family: str
    key: str  # the industry, city or group ("" for the quota)
    members: tuple[int, ...]  # positions in the problem's project order
    lower: int | None = None
    upper: int | None = None
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class SelectionProblem:
    """Everything the integer program needs, in project_id order."""

    project_ids: tuple[str, ...]
    industries: tuple[str, ...]
    cities: tuple[str, ...]
    groups: tuple[str, ...]
    scores: np.ndarray  # float, rounded to SCORE_DECIMALS
    quota: int
    rules: tuple[Rule, ...]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_score: float | None = None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Derived look-ups, made once (the solve loop reuses them).
        position = {pid: i for i, pid in enumerate(self.project_ids)}
        include = np.zeros(len(self.project_ids), dtype=bool)
        exclude = np.zeros(len(self.project_ids), dtype=bool)
        include[[position[p] for p in self.include]] = True
        exclude[[position[p] for p in self.exclude]] = True
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "ids_array", np.array(self.project_ids, dtype=object))
        object.__setattr__(self, "include_mask", include)
        object.__setattr__(self, "exclude_mask", exclude)
        object.__setattr__(self, "index", pd.Index(list(self.project_ids), name="project_id", dtype=object))

    @property
    def n(self) -> int:
        return len(self.project_ids)

    def with_fixings(self, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> "SelectionProblem":
        """The same problem with more must-include / excluded projects (same rows, so a model can be reused)."""
        include, exclude = tuple(include), tuple(exclude)
        unknown = [pid for pid in (*include, *exclude) if pid not in self.position]
        if unknown:
            raise InputError(f"项目 {'、'.join(unknown)} 不是符合条件的候选项目",
                             f"project {', '.join(unknown)} is not an eligible candidate")
        inc = tuple(dict.fromkeys((*self.include, *include)))
        exc = tuple(dict.fromkeys((*self.exclude, *exclude)))
        both = sorted(set(inc) & set(exc))
        if both:
            raise InputError(f"项目 {'、'.join(both)} 同时被指定必须推荐和不推荐",
                             f"project {', '.join(both)} is both must-include and excluded")
        return replace(self, include=inc, exclude=exc)

    def descriptions(self) -> dict[str, tuple[str, str]]:
        """Rule name -> (Chinese, English) description, for every row and fixing."""
        out = {r.name: (r.zh, r.en) for r in self.rules}
        for pid in self.include:
            out[f"include[{pid}]"] = (f"必须推荐 {pid}", f"{pid} must be recommended")
        for pid in self.exclude:
            out[f"exclude[{pid}]"] = (f"不推荐 {pid}", f"{pid} must not be recommended")
        if self.min_score is not None:
            for i in np.flatnonzero(self.below_min(self.scores)):
                pid = self.project_ids[i]
                out[f"min_score[{pid}]"] = (
                    f"{pid} 得分 {self.scores[i]:.2f} 低于最低分 {self.min_score:g}，不推荐",
                    f"{pid} scores {self.scores[i]:.2f}, below the minimum score {self.min_score:g}: not recommended",
                )
        return out

    def below_min(self, scores: np.ndarray) -> np.ndarray:
        """Mask of projects under the minimum score that are not must-include."""
        if self.min_score is None:
            return np.zeros(self.n, dtype=bool)
        return (scores < self.min_score) & ~self.include_mask

    def bounds(self, scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Column bounds: include fixes x = 1; exclude and a score below min_score fix x = 0."""
        scores = self.scores if scores is None else scores
        lb = self.include_mask.astype(float)
        ub = np.where(self.exclude_mask | self.below_min(scores), 0.0, 1.0)
        return lb, ub

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.array([-math.inf if r.lower is None else r.lower for r in self.rules], dtype=float)
        hi = np.array([math.inf if r.upper is None else r.upper for r in self.rules], dtype=float)
        return lo, hi

    def align(self, scores: pd.Series | np.ndarray | Mapping[str, float]) -> np.ndarray:
        """Scores in problem order, rounded to SCORE_DECIMALS; each must be finite and >= 0."""
        if isinstance(scores, np.ndarray):
            arr = np.asarray(scores, dtype=float)
            if arr.shape != (self.n,):
                raise InputError(f"得分个数（{arr.shape}）与项目数（{self.n}）不符",
                                 f"got {arr.shape} scores for {self.n} projects")
        else:
            lookup = {str(k): v for k, v in (scores.items() if isinstance(scores, (pd.Series, Mapping)) else scores)}
            missing = [p for p in self.project_ids if p not in lookup]
            if missing:
                raise InputError(f"缺少项目得分：{'、'.join(missing[:10])}", f"no score for: {', '.join(missing[:10])}")
            arr = np.array([lookup[p] for p in self.project_ids], dtype=float)
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise InputError("得分必须是非负的有限数", "scores must be finite and non-negative")
        return np.round(arr, SCORE_DECIMALS)


    def align_many(self, scores: np.ndarray) -> np.ndarray:
        """A matrix of score vectors (one row per vector, columns in problem order), checked and
        rounded like :meth:`align`."""
        arr = np.asarray(scores, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != self.n:
            raise InputError(f"得分矩阵的形状（{arr.shape}）应为（样本数, {self.n}）",
                             f"the score matrix has shape {arr.shape}; expected (samples, {self.n})")
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise InputError("得分必须是非负的有限数", "scores must be finite and non-negative")
        return np.round(arr, SCORE_DECIMALS)


def _solver_name(family: str, key: str) -> str:
    if not key:
        return family
    return f"{family}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def _describe(family: str, key: str, bound: int) -> tuple[str, str]:
    if family == "quota":
        return f"推荐总数不超过名额 {bound} 个", f"at most the quota of {bound} projects in total"
    _, zh_dim, en_dim = _DIMENSION[family]
    if family.startswith("max"):
        return f"{zh_dim}“{key}”最多推荐 {bound} 个", f"at most {bound} from {en_dim} {key}"
    return f"{zh_dim}“{key}”至少推荐 {bound} 个", f"at least {bound} from {en_dim} {key}"


def _texts(eligible: pd.DataFrame, column: str) -> list[str]:
    if column not in eligible.columns:
        return [""] * len(eligible)
    return [normalise_text("" if v is None or (isinstance(v, float) and v != v) else v)
            for v in eligible[column].tolist()]


def group_keys(eligible: pd.DataFrame) -> pd.Series:
    """Each project's group: its ``group``, or its enterprise when the group is empty."""
    groups = [g or e for g, e in zip(_texts(eligible, "group"), _texts(eligible, "enterprise"))]
    return pd.Series(groups, index=eligible.index, dtype=object)


def _ineligible_text(value: object) -> tuple[str, str]:
    if isinstance(value, (list, tuple)) and value:
        rules = "、".join(map(str, value))
        return f"（未满足：{rules}）", f" (fails: {', '.join(map(str, value))})"
    return "", ""


def check_named_projects(constraints: Constraints, eligible_ids: Iterable[str], known_ids: Iterable[str] | None = None,
                         ineligible: Mapping[str, object] | Iterable[str] | None = None) -> None:
    """An include/exclude naming a project that is unknown or not eligible is an :class:`InputError`.

    ``known_ids`` is every project id of the input file (valid or not); ``ineligible`` the ids
    found ineligible (optionally mapped to their failed rule ids).
    """
    eligible = set(eligible_ids)
    if ineligible is None:
        ineligible_map: dict[str, object] = {}
    elif isinstance(ineligible, Mapping):
        ineligible_map = {str(k): v for k, v in ineligible.items()}
    else:
        ineligible_map = {str(k): None for k in ineligible}
    both = sorted(set(constraints.include) & set(constraints.exclude))
    if both:
        raise InputError(f"项目 {'、'.join(both)} 同时被指定必须推荐和不推荐",
                         f"project {', '.join(both)} is both must-include and excluded")
    known = set(known_ids) if known_ids is not None else eligible | set(ineligible_map)
    for key, verb_zh, verb_en in (("include", "必须推荐", "must-include"), ("exclude", "不推荐", "exclude")):
        for pid in getattr(constraints, key):
            if pid in eligible:
                continue
            if pid in ineligible_map:
                rz, re_ = _ineligible_text(ineligible_map[pid])
                raise InputError(f"{verb_zh}列表中的项目 {pid} 不符合申报条件{rz}",
                                 f"the {verb_en} list names project {pid}, which is not eligible{re_}")
            if pid in known:
                raise InputError(f"{verb_zh}列表中的项目 {pid} 所在行有错误，不是有效候选",
                                 f"the {verb_en} list names project {pid}, whose row is invalid: it is not a candidate")
            raise InputError(f"{verb_zh}列表中的项目 {pid} 不在候选表中",
                             f"the {verb_en} list names project {pid}, which is not in the candidate table")


def build_problem(eligible: pd.DataFrame, scores: pd.Series | ScoreResult | Mapping[str, float], quota: int,
                  constraints: Constraints | Scenario, *, known_ids: Iterable[str] | None = None,
                  ineligible: Mapping[str, object] | Iterable[str] | None = None) -> SelectionProblem:
    """The data of the integer program: projects in project_id order, their scores, every named rule."""
    if isinstance(constraints, Scenario):
        constraints = constraints.constraints
    if isinstance(scores, ScoreResult):
        scores = scores.scores
    if isinstance(quota, bool) or not isinstance(quota, (int, np.integer)) or quota < 0:
        raise InputError(f"名额应为非负整数，而不是 {quota!r}", f"the quota must be a whole number >= 0, not {quota!r}")
    raw_ids = [str(v) for v in eligible["project_id"].tolist()]
    seen: set[str] = set()
    dupes = sorted({i for i in raw_ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    if dupes:
        raise InputError(f"项目编号重复：{'、'.join(dupes)}", f"duplicate project ids: {', '.join(dupes)}")
    check_named_projects(constraints, raw_ids, known_ids, ineligible)
    perm = sorted(range(len(raw_ids)), key=raw_ids.__getitem__)
    ids = tuple(raw_ids[k] for k in perm)
    columns = {
        "industry": _texts(eligible, "industry"),
        "city": _texts(eligible, "city"),
        "_group": group_keys(eligible).tolist(),
    }
    columns = {k: [v[j] for j in perm] for k, v in columns.items()}
    score_arr = SelectionProblem(ids, (), (), (), np.zeros(len(ids)), int(quota), ()).align(scores)

    c = constraints
    rules: list[Rule] = []
    warnings: list[str] = []

    def add(family: str, key: str, members, lower: int | None, upper: int | None) -> None:
        bound = upper if upper is not None else lower
        zh, en = _describe(family, key, int(bound))
        name = family if family == "quota" else f"{family}[{key}]"
        rules.append(Rule(name, _solver_name(family, key), family, key, tuple(int(m) for m in members),
                          lower, upper, zh, en))

    add("quota", "", range(len(ids)), None, int(quota))
    for dim, cap_family, floor_family, cap_all, floor_all, cap_table, floor_table in (
        ("industry", "max_per_industry", "min_per_industry", c.max_per_industry, c.min_per_industry, c.industry_max, c.industry_min),
        ("city", "max_per_city", "min_per_city", c.max_per_city, c.min_per_city, c.city_max, c.city_min),
        ("_group", "max_per_group", None, c.max_per_group, None, c.group_max, {}),
    ):
        members_of: dict[str, list[int]] = {}
        for j, value in enumerate(columns[dim]):
            members_of.setdefault(value, []).append(j)
        keys = sorted(members_of)
        label_zh, label_en = {"industry": ("行业", "industry"), "city": ("城市", "city"), "_group": ("企业集团", "group")}[dim]
        for key in keys:
            cap = cap_table.get(key, cap_all)
            if cap is not None and cap < len(members_of[key]):
                add(cap_family, key, members_of[key], None, int(cap))
        for key in cap_table:
            if key not in members_of:
                warnings.append(f"方案为{label_zh}“{key}”设了上限，但它没有符合条件的候选项目 / the scenario caps "
                                f"{label_en} '{key}', which has no eligible candidate")
        if floor_family is None:
            continue
        for key in keys:
            floor = floor_table.get(key, floor_all)
            if floor:
                add(floor_family, key, members_of[key], int(floor), None)
        for key, floor in floor_table.items():
            if key not in members_of and floor > 0:
                add(floor_family, key, [], int(floor), None)

    return SelectionProblem(
        project_ids=ids,
        industries=tuple(columns["industry"]),
        cities=tuple(columns["city"]),
        groups=tuple(columns["_group"]),
        scores=score_arr,
        quota=int(quota),
        rules=tuple(rules),
        include=tuple(c.include),
        exclude=tuple(c.exclude),
        min_score=c.min_score,
        warnings=tuple(warnings),
    )


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


# ---------------------------------------------------------------------- solvers


@dataclass(frozen=True)
class SolverSpec:
    """Which solver, how long it may run and whether it prints its log. Made by :func:`make_solver`."""

    name: str = "highs"
    time_limit: float = DEFAULT_TIME_LIMIT
    msg: bool = False

    def attach(self, problem: SelectionProblem) -> "_Backend":
        return _HighsBackend(problem, self) if self.name == "highs" else _CbcBackend(problem, self)


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
class _Outcome:
    status: str  # optimal | infeasible
    value: float = math.nan  # objective of the minimisation (minus the scaled total score)
    x: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    row_value: np.ndarray | None = None


class _Backend:
    name = ""

    def __init__(self, problem: SelectionProblem, spec: SolverSpec):
        self.problem = problem
        self.spec = spec
        self.seconds = 0.0
        self.solves = 0
        self.base_row_lo, self.base_row_hi = problem.row_bounds()

    def solve(self, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray, *, integer: bool = False, slot: str = "lp",
              row_lo: np.ndarray | None = None, row_hi: np.ndarray | None = None) -> _Outcome:
        raise NotImplementedError

    def tableau_prunes(self, cand: np.ndarray, root: _Outcome, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
        """Candidates (of the last LP solve) proven unable to enter any best selection; none by default."""
        return np.zeros_like(cand)

    def _limit(self) -> ModelError:
        return ModelError(
            f"求解器在时间上限 {self.spec.time_limit:g} 秒内未能证明最优",
            f"the solver did not prove optimality within the time limit of {self.spec.time_limit:g} s",
        )


class _HighsBackend(_Backend):
    """HiGHS through highspy, one model per slot, kept between solves (only changed data is passed)."""

    name = "highs"

    def __init__(self, problem: SelectionProblem, spec: SolverSpec):
        super().__init__(problem, spec)
        import highspy

        self._hs = highspy
        self._instances: dict[str, dict] = {}
        starts, index = [0], []
        for rule in problem.rules:
            index.extend(rule.members)
            starts.append(len(index))
        self._start = np.array(starts, dtype=np.int32)
        self._index = np.array(index, dtype=np.int32)
        self._cols = np.arange(problem.n, dtype=np.int32)
        self._rows = np.arange(len(problem.rules), dtype=np.int32)
        # The matrix column by column (every project is in the quota row, so no column is empty).
        row_of = np.repeat(np.arange(len(problem.rules)), np.diff(self._start))
        by_col = np.argsort(self._index, kind="stable")
        self._rows_by_col = row_of[by_col]
        self._col_starts = np.searchsorted(self._index[by_col], np.arange(problem.n))
        self._max_rows_per_col = int(np.bincount(self._index, minlength=problem.n).max()) if len(self._index) else 0
        # ... and dense when small: tableau rows are then one matrix product.
        self._dense = None
        if len(problem.rules) * problem.n <= _DENSE_LIMIT:
            self._dense = np.zeros((len(problem.rules), problem.n))
            self._dense[row_of, self._index] = 1.0

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
        lp.a_matrix_.start_ = self._start
        lp.a_matrix_.index_ = self._index
        lp.a_matrix_.value_ = np.ones(len(self._index))
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

    def solve(self, cost, lb, ub, *, integer=False, slot="lp", row_lo=None, row_hi=None) -> _Outcome:
        p = self.problem
        if p.n == 0:
            return _empty_outcome(self, row_lo, row_hi)
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
        started = time.perf_counter()
        h.run()
        self.seconds += time.perf_counter() - started
        self.solves += 1
        status = h.getModelStatus()
        ms = self._hs.HighsModelStatus
        if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
            return _Outcome("infeasible")
        if status != ms.kOptimal:
            if status in (ms.kTimeLimit, ms.kIterationLimit, ms.kInterrupt):
                raise self._limit()
            raise ModelError(f"求解器返回意外状态：{h.modelStatusToString(status)}",
                             f"the solver returned an unexpected status: {h.modelStatusToString(status)}")
        # (the all* accessors copy one vector each, where getSolution() copies all four)
        value = h.getObjectiveValue()
        x = np.array(h.allVariableValues())
        if integer:
            return _Outcome("optimal", value, x)
        return _Outcome("optimal", value, x, np.array(h.allVariableDuals()), np.array(h.allConstrDuals()),
                        np.array(h.allConstrValues()))


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
        check = np.flatnonzero(col_move & (d_cols <= _ZERO * self._max_rows_per_col * np.abs(binv).max()))
        # structural part of the tableau rows on those columns: (row of B^-1) . A
        if self._dense is not None:
            alpha_cols = np.abs(binv @ self._dense[:, check])
        else:
            alpha_cols = np.abs(np.add.reduceat(binv[:, self._rows_by_col], self._col_starts, axis=1))[:, check]
        alpha_rows = np.abs(binv)
        # min_j |d_j| / |a_j| > _ZERO, written without the division: |d_j| > _ZERO |a_j| wherever a_j != 0
        d_rows = np.where(row_basic, np.inf, np.abs(root.row_dual))
        ok = (np.all((alpha_cols <= 1e-9) | (d_cols[check] > _ZERO * alpha_cols), axis=1)
              & np.all((alpha_rows <= 1e-9) | (d_rows > _ZERO * alpha_rows), axis=1))
        out[todo[ok]] = True
        return out


class _CbcBackend(_Backend):
    """COIN-OR CBC through PuLP: the PuLP model is rebuilt for every solve (the plain approach)."""

    name = "cbc"

    def solve(self, cost, lb, ub, *, integer=False, slot="lp", row_lo=None, row_hi=None) -> _Outcome:
        import pulp

        p = self.problem
        if p.n == 0:
            return _empty_outcome(self, row_lo, row_hi)
        rlo = self.base_row_lo if row_lo is None else row_lo
        rhi = self.base_row_hi if row_hi is None else row_hi
        empty = np.array([not r.members for r in p.rules], dtype=bool)
        if np.any(empty & ((rlo > 0) | (rhi < 0))):
            return _Outcome("infeasible")
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
            return _Outcome("infeasible")
        if model.status != pulp.LpStatusOptimal or model.sol_status not in (pulp.LpSolutionOptimal,):
            if model.sol_status == pulp.LpSolutionIntegerFeasible or model.status == pulp.LpStatusNotSolved:
                raise self._limit()
            raise ModelError(f"CBC 返回意外状态：{pulp.LpStatus[model.status]}",
                             f"CBC returned an unexpected status: {pulp.LpStatus[model.status]}")
        x = np.array([v.varValue or 0.0 for v in xs])
        value = float(np.dot(cost, x))
        if integer:
            return _Outcome("optimal", value, x)
        dj = np.array([v.dj or 0.0 for v in xs])
        row_dual = np.zeros(len(p.rules))
        row_value = np.zeros(len(p.rules))
        for k, rule in enumerate(p.rules):
            row_value[k] = float(x[list(rule.members)].sum()) if rule.members else 0.0
            for suffix in ("", "_hi", "_lo"):
                con = model.constraints.get(rule.solver_name + suffix)
                if con is not None and con.pi:
                    row_dual[k] += con.pi
        return _Outcome("optimal", value, x, dj, row_dual, row_value)


def _empty_outcome(backend: _Backend, row_lo, row_hi) -> _Outcome:
    lo = backend.base_row_lo if row_lo is None else row_lo
    hi = backend.base_row_hi if row_hi is None else row_hi
    if np.any(lo > 0) or np.any(hi < 0):
        return _Outcome("infeasible")
    empty = np.zeros(0)
    return _Outcome("optimal", 0.0, empty, empty, np.zeros(len(lo)), np.zeros(len(lo)))


# ---------------------------------------------------------------------- the exact, deterministic solve


def _integral(x: np.ndarray) -> np.ndarray | None:
    r = np.rint(x)
    return r if np.all(np.abs(x - r) <= _INTEGRAL_TOL) else None


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
class _Solved:
    status: str
    x: np.ndarray | None
    path: str  # lp: the LP relaxation was integral; mip: the integer program was solved


def _lexmax(backend: _Backend, S: np.ndarray, lb: np.ndarray, ub: np.ndarray, order: np.ndarray | None = None
            ) -> _Solved:
    """The best selection that comes first in priority order (see the module doc); ``order`` is
    the priority order (made from ``S`` when needed and not given)."""
    cost = -S.astype(float)
    root = backend.solve(cost, lb, ub, slot="lp")
    if root.status == "infeasible":
        return _Solved("infeasible", None, "lp")
    x = _integral(root.x)
    path = "lp"
    if x is None:
        path = "mip"
        mip = backend.solve(cost, lb, ub, integer=True, slot="mip")
        if mip.status == "infeasible":
            return _Solved("infeasible", None, path)
        x = np.rint(mip.x)
    xi = x.astype(np.int64)
    best = -int(S @ xi)  # the minimum of cost . x, a whole number
    free = lb < ub
    # Any selection containing i is worth at most root.value + max(d_i, 0) (LP reduced-cost bound).
    possible = free & (root.value + np.maximum(root.col_dual, 0.0) <= best + _ZERO)
    cand = possible & (xi == 0)
    if not cand.any():
        return _Solved("optimal", x, path)
    if path == "lp":
        cand &= ~backend.tableau_prunes(cand, root, lb, ub)
        if not cand.any() or not _face_allows(backend, root, x, lb, ub, cand):
            return _Solved("optimal", x, path)
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
        if test.status == "infeasible" or test.value > best + _ZERO:
            continue
        found = _integral(test.x)
        if found is None:
            mip = backend.solve(cost, lb2, ub2, integer=True, slot="mip")
            if mip.status == "infeasible" or mip.value > best + _ZERO:
                continue
            found = np.rint(mip.x)
        x = found
    return _Solved("optimal", x, path)


def _face_allows(backend: _Backend, root: _Outcome, x: np.ndarray, lb: np.ndarray, ub: np.ndarray,
                 cand: np.ndarray) -> bool:
    """Whether some LP-optimal solution gives a candidate a positive value.

    With one optimal dual, complementary slackness describes every optimal solution: a column
    with a non-zero reduced cost stays at its bound and a row with a non-zero dual stays tight.
    Maximising the candidates' sum over that face (widened by treating near-zero values as zero)
    shows at once whether any of them can enter a best selection.
    """
    fixed = np.abs(root.col_dual) > _ZERO
    lb2 = np.where(fixed, x, lb)
    ub2 = np.where(fixed, x, ub)
    tight = np.abs(root.row_dual) > _ZERO
    activity = np.rint(root.row_value)
    row_lo = np.where(tight, activity, backend.base_row_lo)
    row_hi = np.where(tight, activity, backend.base_row_hi)
    face = backend.solve(-cand.astype(float), lb2, ub2, slot="scratch", row_lo=row_lo, row_hi=row_hi)
    # x itself lies on the face, so a failed face solve is numerical: then check exactly (walk).
    return face.status != "optimal" or -face.value > _INTEGRAL_TOL


# ---------------------------------------------------------------------- results


@dataclass(frozen=True)
class Selection:
    """The outcome of one solve: the picks in priority order, or infeasible with an explanation."""

    status: str  # optimal | infeasible
    selected: tuple[str, ...]
    objective: float  # the sum of the picks' (rounded) scores
    score_values: np.ndarray  # the scores used, in problem order (rounded to SCORE_DECIMALS)
    problem: SelectionProblem
    explanation: tuple = ()  # of quota_opt.explain.ExplanationLine
    solver: str = "highs"
    solver_seconds: float = 0.0
    solves: int = 0
    path: str = "lp"

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"

    @property
    def scores(self) -> pd.Series:
        """The scores used, indexed by project_id."""
        return pd.Series(self.score_values, index=self.problem.index, name="score")

    def mask(self) -> np.ndarray:
        """Picked or not, in problem order."""
        return np.isin(self.problem.ids_array, np.array(self.selected, dtype=object))


@dataclass(frozen=True)
class SelectionBatch:
    """The outcomes of :meth:`SelectionModel.solve_many`: one row per score vector."""

    picks: np.ndarray  # bool (samples x projects), problem (project_id) order
    feasible: np.ndarray  # bool (samples,)
    objectives: np.ndarray  # float (samples,): the picks' total score (0 when infeasible)
    lp_integral: int  # samples whose LP relaxation was integral (no integer program solved)
    solves: int  # solver calls
    seconds: float  # wall time of the loop
    solver_seconds: float  # of which inside the solver

    @property
    def samples(self) -> int:
        return len(self.feasible)


class SelectionModel:
    """A selection model built once and solved for many score vectors (only the objective and the
    column bounds change between solves).

    >>> model = SelectionModel(problem)                 # doctest: +SKIP
    >>> for scores in samples: model.solve(scores)      # doctest: +SKIP
    """

    def __init__(self, problem: SelectionProblem, solver: SolverSpec | str = "highs",
                 time_limit: float | None = DEFAULT_TIME_LIMIT):
        self.problem = problem
        self.solver = solver if isinstance(solver, SolverSpec) else make_solver(solver, time_limit)
        self._backend = self.solver.attach(problem)

    @property
    def solver_seconds(self) -> float:
        """Total time spent inside the solver by this model."""
        return self._backend.seconds

    def solve(self, scores: pd.Series | np.ndarray | Mapping[str, float] | None = None, explain: bool = True,
              force_in: Iterable[str] = (), force_out: Iterable[str] = ()) -> Selection:
        """The best selection for ``scores`` (default: the problem's), ties by the priority rule.

        ``force_in`` / ``force_out`` add must-include / exclude projects for this solve only (a
        what-if on the same model). An infeasible rule set gives status ``infeasible``, nothing
        selected and (with ``explain``) the conflicting rules with how much they conflict.
        """
        p = self.problem
        force_in, force_out = tuple(force_in), tuple(force_out)
        if force_in or force_out:
            p = p.with_fixings(force_in, force_out)
        s = p.scores if scores is None else p.align(scores)
        S = np.rint(s * SCALE).astype(np.int64)
        lb, ub = p.bounds(s)
        order = np.argsort(-s, kind="stable")  # problem order is project_id order: see priority_order
        seconds, solves = self._backend.seconds, self._backend.solves
        solved = _lexmax(self._backend, S, lb, ub, order)
        if solved.status == "infeasible":
            explanation: tuple = ()
            if explain:
                from .explain import explain_infeasible

                explanation = tuple(explain_infeasible(p, s, self.solver))
            return Selection("infeasible", (), 0.0, s, p, explanation, self.solver.name,
                             self._backend.seconds - seconds, self._backend.solves - solves, solved.path)
        x = solved.x
        picked = tuple(p.ids_array[order[x[order] == 1]])
        objective = round(int(S @ x.astype(np.int64)) / SCALE, SCORE_DECIMALS)
        return Selection("optimal", picked, objective, s, p, (), self.solver.name,
                         self._backend.seconds - seconds, self._backend.solves - solves, solved.path)


    def solve_many(self, scores: np.ndarray, *, progress: Callable[[int, int], None] | None = None
                   ) -> SelectionBatch:
        """The best selection for each row of ``scores`` (samples x projects, problem order), each
        exactly as :meth:`solve` would give it, ties by the priority rule.

        The loop of weight sampling: one model, only the objective changes, each solve starts from
        the previous basis. ``progress(done, total)`` is called about a hundred times along the way
        (and once at the end).
        """
        p = self.problem
        s = p.align_many(scores)
        total = len(s)
        S = np.rint(s * SCALE).astype(np.int64)
        picks = np.zeros((total, p.n), dtype=bool)
        feasible = np.zeros(total, dtype=bool)
        objectives = np.zeros(total)
        fixed_bounds = p.bounds() if p.min_score is None else None
        step = max(1, total // 100)
        started, seconds, solves = time.perf_counter(), self._backend.seconds, self._backend.solves
        lp_integral = 0
        for k in range(total):
            lb, ub = fixed_bounds if fixed_bounds is not None else p.bounds(s[k])
            solved = _lexmax(self._backend, S[k], lb, ub)
            if solved.status == "optimal":
                feasible[k] = True
                picks[k] = solved.x > 0.5
                objectives[k] = int(S[k][picks[k]].sum()) / SCALE
                lp_integral += solved.path == "lp"
            if progress is not None and ((k + 1) % step == 0 or k + 1 == total):
                progress(k + 1, total)
        if progress is not None and total == 0:
            progress(0, 0)
        return SelectionBatch(picks, feasible, np.round(objectives, SCORE_DECIMALS), lp_integral,
                              self._backend.solves - solves, time.perf_counter() - started,
                              self._backend.seconds - seconds)


def optimise(eligible: pd.DataFrame, scores: pd.Series | ScoreResult | Mapping[str, float], quota: int,
             constraints: Constraints | Scenario, *, solver: SolverSpec | str = "highs",
             time_limit: float | None = DEFAULT_TIME_LIMIT, known_ids: Iterable[str] | None = None,
             ineligible: Mapping[str, object] | Iterable[str] | None = None) -> Selection:
    """Build the problem, the model, and solve it once (see :class:`SelectionModel`)."""
    problem = build_problem(eligible, scores, quota, constraints, known_ids=known_ids, ineligible=ineligible)
    return SelectionModel(problem, solver, time_limit).solve()


__all__ = [
    "FAMILIES",
    "FIXING_FAMILIES",
    "Rule",
    "SOLVERS",
    "Selection",
    "SelectionBatch",
    "SelectionModel",
    "SelectionProblem",
    "SolverSpec",
    "build_problem",
    "build_pulp_model",
    "check_named_projects",
    "group_keys",
    "make_solver",
    "optimise",
    "priority_order",
]
