"""The problem's data: projects in project_id order, their scores and every named rule (row).

Data first: :func:`build_problem` turns an eligible pool, its scores, the quota and the scenario's
constraints into a :class:`SelectionProblem`, whose rows (:class:`Rule`) are named after the rule
they encode (see the package doc for the model). Nothing here knows a solver.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..columns import normalise_text
from ..errors import InputError
from ..scenario import Constraints, Scenario
from ..score import SCORE_DECIMALS, ScoreResult

SCALE = 10 ** SCORE_DECIMALS
INTEGRAL_TOL = 1e-6
# Reduced costs and duals are in units of 10^-6 points; anything smaller than half a unit is
# treated as zero, which only ever widens the set of selections checked (never wrong, at most slower).
ZERO = 0.5

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
    seen: dict[str, str] = {}  # a text normalised once per distinct value (a pool has few cities)
    out = []
    for v in eligible[column].tolist():
        if type(v) is str:
            t = seen.get(v)
            if t is None:
                t = seen[v] = normalise_text(v)
        else:
            t = normalise_text("" if v is None or (isinstance(v, float) and v != v) else v)
        out.append(t)
    return out


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
        rules.append(Rule(name, _solver_name(family, key), family, key, tuple(map(int, members)),
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

