"""The problem's data: projects in project_id order, their scores and every named rule (row).

Data first: :func:`build_problem` turns an eligible pool, its scores, the quota and the scenario's
constraints into a :class:`SelectionProblem`, whose rows (:class:`Rule`) are named after the rule
they encode (see the package doc for the model). Nothing here knows a solver.
"""

from __future__ import annotations

import functools
import hashlib
import math
import unicodedata
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
        position = dict(zip(self.project_ids, range(len(self.project_ids))))
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
        return _aligned(self.project_ids, scores)

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


# A rule's names and wording, remembered: every weight change builds the same rules again.
@functools.lru_cache(maxsize=4096)
def _solver_name(family: str, key: str) -> str:
    if not key:
        return family
    return f"{family}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


@functools.lru_cache(maxsize=4096)
def _describe(family: str, key: str, bound: int) -> tuple[str, str]:
    if family == "quota":
        return f"推荐总数不超过名额 {bound} 个", f"at most the quota of {bound} projects in total"
    _, zh_dim, en_dim = _DIMENSION[family]
    if family.startswith("max"):
        return f"{zh_dim}“{key}”最多推荐 {bound} 个", f"at most {bound} from {en_dim} {key}"
    return f"{zh_dim}“{key}”至少推荐 {bound} 个", f"at least {bound} from {en_dim} {key}"


def _aligned(project_ids: tuple[str, ...], scores: pd.Series | np.ndarray | Mapping[str, float]) -> np.ndarray:
    """The scores of ``project_ids`` in their order, rounded to SCORE_DECIMALS; each must be finite and >= 0.

    A Series is matched by ``str(label)``. The usual one (numbers indexed by distinct text labels, as
    :func:`quota_opt.score.score` gives) is looked up through its index at once; any other (repeated or
    non-text labels, a mapping) label by label, a later label winning over an earlier equal one.
    """
    if isinstance(scores, np.ndarray):
        arr = np.asarray(scores, dtype=float)
        if arr.shape != (len(project_ids),):
            raise InputError(f"得分个数（{arr.shape}）与项目数（{len(project_ids)}）不符",
                             f"got {arr.shape} scores for {len(project_ids)} projects")
    elif (isinstance(scores, pd.Series) and isinstance(scores.dtype, np.dtype) and scores.dtype.kind in "fiu"
          and pd.api.types.infer_dtype(scores.index, skipna=False) == "string" and scores.index.is_unique):
        # an object Index: pandas would make an array of ids a str Index, which holds no lone surrogate
        at = scores.index.get_indexer(pd.Index(project_ids, dtype=object))
        _no_score([project_ids[k] for k in np.flatnonzero(at < 0)[:10]])
        arr = scores.to_numpy(dtype=float)[at]
    else:
        lookup = {str(k): v for k, v in (scores.items() if isinstance(scores, (pd.Series, Mapping)) else scores)}
        _no_score([p for p in project_ids if p not in lookup][:10])
        arr = np.array([lookup[p] for p in project_ids], dtype=float)
    return _checked(arr)


def _in_row_order(scores: object, eligible: pd.DataFrame) -> bool:
    """Whether ``scores`` is a Series of numbers labelled by the table's project ids, as text, row by row
    (the scores :func:`quota_opt.score.score` gives for this table)."""
    return (isinstance(scores, pd.Series) and isinstance(scores.dtype, np.dtype) and scores.dtype.kind in "fiu"
            and isinstance(scores.index.dtype, pd.StringDtype)
            and scores.index.array.equals(eligible["project_id"].array))  # the same values and str dtype


def _checked(scores: np.ndarray) -> np.ndarray:
    """The scores rounded to SCORE_DECIMALS; each must be finite and >= 0."""
    if not np.all(np.isfinite(scores)) or np.any(scores < 0):
        raise InputError("得分必须是非负的有限数", "scores must be finite and non-negative")
    return np.round(scores, SCORE_DECIMALS)


def _no_score(missing: list[str]) -> None:
    """Projects without a score (the first ten) are an :class:`InputError`."""
    if missing:
        raise InputError(f"缺少项目得分：{'、'.join(missing)}", f"no score for: {', '.join(missing)}")


def _cell_text(value: object) -> str:
    """One cell as text: a missing cell (None, NaN) is "", anything else its :func:`normalise_text`."""
    return normalise_text("" if value is None or (isinstance(value, float) and value != value) else value)


@dataclass(frozen=True)
class _Coded:
    """A text column as codes: cell i reads ``texts[codes[i]]``. The texts need not differ (two cells
    written differently may read the same once normalised), nor be read by any cell (the empty group,
    where every project without a group is read as its enterprise)."""

    codes: np.ndarray
    texts: list[str]

    def values(self, order: np.ndarray | None = None) -> np.ndarray:
        """Each cell's text (in ``order`` when given), an object array of str."""
        table = np.empty(len(self.texts), dtype=object)
        table[:] = self.texts
        return table[self.codes if order is None else self.codes[order]]


def _normalised(texts: list[str]) -> list[str]:
    """:func:`normalise_text` of each text (each a str). Most texts of a pool are normalised already: when
    all are (one check over them all), they are returned as they are, else each is normalised.

    The check: the texts joined by U+0000 are unchanged by NFKC and hold no white space. U+0000 is a
    stable code point of NFKC (combining class 0, no decomposition, composes with nothing: UAX #15), so
    NFKC of the joined text is the U+0000-join of each text's NFKC, and NFKC brings no U+0000 of its own:
    the joined text is unchanged exactly when every text is. Only plain str qualify (normalise_text gives
    a plain str for a str subclass such as numpy's).
    """
    joined = "\x00".join(texts)
    if (unicodedata.is_normalized("NFKC", joined) and joined.split() == [joined]
            and set(map(type, texts)) == {str}):
        return texts
    return [normalise_text(t) for t in texts]


def _texts(eligible: pd.DataFrame, column: str, rows: np.ndarray | None = None) -> _Coded:
    """The cells of ``column`` (at the positions ``rows`` only, when given) as :func:`_cell_text` reads them; a
    column the table lacks reads "" everywhere.

    Each distinct value is normalised once (a pool has few cities, industries and groups): the column is
    factorised and only its distinct values are normalised. A column holding anything but text (numbers
    typed into a text column) goes cell by cell, since factorising would merge values that are equal but
    read differently (1 and 1.0, True and 1).
    """
    if column not in eligible.columns:
        size = len(eligible) if rows is None else len(rows)
        return _Coded(np.zeros(size, dtype=np.intp), [""] if size else [])
    cells = eligible[column].array if rows is None else eligible[column].array.take(rows)
    codes, uniques = cells.factorize()  # a missing cell (None, NaN, pd.NA, NaT) has code -1
    if pd.api.types.infer_dtype(uniques, skipna=False) not in ("string", "empty"):
        return _Coded(np.arange(len(cells), dtype=np.intp), [_cell_text(v) for v in cells.tolist()])
    texts = _normalised(uniques.tolist())
    gaps = np.flatnonzero(codes < 0)
    if len(gaps):  # None and NaN read "", any other missing marker as normalise_text gives it ("<NA>")
        codes[gaps] = len(texts) + np.arange(len(gaps))
        texts += [_cell_text(v) for v in cells.take(gaps).tolist()]
    return _Coded(codes.astype(np.intp, copy=False), texts)


def _group_texts(eligible: pd.DataFrame) -> _Coded:
    """:func:`group_keys`, coded: the group's text, or the enterprise's where the group reads "" (only
    those enterprises are read)."""
    group = _texts(eligible, "group")
    rows = np.flatnonzero(np.array([t == "" for t in group.texts], dtype=bool)[group.codes])
    if not len(rows):
        return group
    enterprise = _texts(eligible, "enterprise", rows)
    codes = group.codes.copy()
    codes[rows] = len(group.texts) + enterprise.codes
    return _Coded(codes, group.texts + enterprise.texts)


def group_keys(eligible: pd.DataFrame) -> pd.Series:
    """Each project's group: its ``group``, or its enterprise when the group is empty."""
    return pd.Series(_group_texts(eligible).values(), index=eligible.index, dtype=object)


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


def _project_ids(eligible: pd.DataFrame) -> list[str]:
    """The project ids as text (``str`` of each cell), in row order."""
    cells = eligible["project_id"]
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow" and not cells.hasnans:
        return cells.tolist()  # Arrow's text: plain str already
    return [str(v) for v in cells.tolist()]


@dataclass(frozen=True)
class _Keys:
    """One dimension (industry, city or group) grouped by its distinct texts, the keys.

    The projects of ``keys[k]`` are ``order[start[k]:start[k] + count[k]]``, positions in the problem's
    order, ascending. ``keys`` are in no particular order and include texts no project reads
    (``count`` 0); :meth:`limited` gives the keys a rule applies to in code-point order (Python's
    ``sorted``), so only those are sorted (a pool has hundreds of one-project groups, few of them capped).
    """

    keys: list[str]
    count: np.ndarray
    start: np.ndarray
    order: np.ndarray

    @classmethod
    def of(cls, column: _Coded, perm: np.ndarray) -> "_Keys":
        """Grouped through the codes (in the problem's order ``perm``) by one stable integer sort."""
        if len(set(column.texts)) == len(column.texts):  # the usual case: every text differs
            distinct, codes = column.texts, column.codes[perm]
        else:  # texts that read the same are one key
            table = np.empty(len(column.texts), dtype=object)
            table[:] = column.texts
            merged, unique = pd.factorize(table)
            distinct, codes = unique.tolist(), merged[column.codes[perm]]
        count = np.bincount(codes, minlength=len(distinct))
        return cls(distinct, count, np.cumsum(count) - count, np.argsort(codes, kind="stable"))

    @functools.cached_property
    def present(self) -> dict[str, int]:
        """Key -> k, for the keys some project reads."""
        used = np.flatnonzero(self.count)
        return dict(zip([self.keys[k] for k in used.tolist()], used.tolist()))

    def members(self, k: int) -> tuple[int, ...]:
        return tuple(self.order[self.start[k]:self.start[k] + self.count[k]].tolist())

    def limited(self, table: Mapping[str, int], default: int | None, candidates: np.ndarray) -> list[tuple[int, int]]:
        """(k, limit) in code-point order of the keys, for every key some project reads that ``table``
        names (its limit is the table's) or that ``candidates`` (a mask) marks (its limit is ``default``)."""
        named = {self.present[key]: value for key, value in table.items() if key in self.present} if table else {}
        chosen = set(np.flatnonzero(candidates & (self.count > 0)).tolist()) | set(named)
        return [(k, named.get(k, default)) for k in sorted(chosen, key=self.keys.__getitem__)]


def build_problem(eligible: pd.DataFrame, scores: pd.Series | ScoreResult | Mapping[str, float], quota: int,
                  constraints: Constraints | Scenario, *, known_ids: Iterable[str] | None = None,
                  ineligible: Mapping[str, object] | Iterable[str] | None = None) -> SelectionProblem:
    """The data of the integer program: projects in project_id order, their scores, every named rule.

    Worked out by columns: the ids sorted once (Python's ``sorted``: code-point order), each text column
    normalised per distinct value, and each dimension's members found by grouping its values.
    """
    if isinstance(constraints, Scenario):
        constraints = constraints.constraints
    if isinstance(scores, ScoreResult):
        scores = scores.scores
    if isinstance(quota, bool) or not isinstance(quota, (int, np.integer)) or quota < 0:
        raise InputError(f"名额应为非负整数，而不是 {quota!r}", f"the quota must be a whole number >= 0, not {quota!r}")
    raw_ids = _project_ids(eligible)
    perm = np.array(sorted(range(len(raw_ids)), key=raw_ids.__getitem__), dtype=np.intp)
    sorted_ids = np.empty(len(raw_ids), dtype=object)
    sorted_ids[:] = raw_ids
    sorted_ids = sorted_ids[perm]
    repeated = sorted_ids[1:] == sorted_ids[:-1]  # equal ids are neighbours once sorted
    if repeated.any():
        dupes = sorted(set(sorted_ids[1:][repeated].tolist()))
        raise InputError(f"项目编号重复：{'、'.join(dupes)}", f"duplicate project ids: {', '.join(dupes)}")
    check_named_projects(constraints, raw_ids, known_ids, ineligible)
    ids = tuple(sorted_ids.tolist())
    columns = {"industry": _texts(eligible, "industry"), "city": _texts(eligible, "city"), "_group": _group_texts(eligible)}
    if _in_row_order(scores, eligible):  # scored from this table: the scores need only the ids' order
        score_arr = _checked(scores.to_numpy(dtype=float)[perm])
    else:
        score_arr = _aligned(ids, scores)

    c = constraints
    rules: list[Rule] = []
    warnings: list[str] = []

    def add(family: str, key: str, members: tuple[int, ...], lower: int | None, upper: int | None) -> None:
        bound = upper if upper is not None else lower
        zh, en = _describe(family, key, int(bound))
        name = family if family == "quota" else f"{family}[{key}]"
        rules.append(Rule(name, _solver_name(family, key), family, key, members, lower, upper, zh, en))

    add("quota", "", tuple(range(len(ids))), None, int(quota))
    for dim, cap_family, floor_family, cap_all, floor_all, cap_table, floor_table in (
        ("industry", "max_per_industry", "min_per_industry", c.max_per_industry, c.min_per_industry, c.industry_max, c.industry_min),
        ("city", "max_per_city", "min_per_city", c.max_per_city, c.min_per_city, c.city_max, c.city_min),
        ("_group", "max_per_group", None, c.max_per_group, None, c.group_max, {}),
    ):
        groups = _Keys.of(columns[dim], perm)
        label_zh, label_en = {"industry": ("行业", "industry"), "city": ("城市", "city"), "_group": ("企业集团", "group")}[dim]
        over = groups.count > cap_all if cap_all is not None else np.zeros(len(groups.keys), dtype=bool)
        for k, cap in groups.limited(cap_table, cap_all, over):
            if cap is not None and cap < groups.count[k]:
                add(cap_family, groups.keys[k], groups.members(k), None, int(cap))
        for key in cap_table:
            if key not in groups.present:
                warnings.append(f"方案为{label_zh}“{key}”设了上限，但它没有符合条件的候选项目 / the scenario caps "
                                f"{label_en} '{key}', which has no eligible candidate")
        if floor_family is None:
            continue
        every = np.full(len(groups.keys), bool(floor_all))
        for k, floor in groups.limited(floor_table, floor_all, every):
            if floor:
                add(floor_family, groups.keys[k], groups.members(k), int(floor), None)
        for key, floor in floor_table.items():
            if key not in groups.present and floor > 0:
                add(floor_family, key, (), int(floor), None)

    return SelectionProblem(
        project_ids=ids,
        industries=tuple(columns["industry"].values(perm).tolist()),
        cities=tuple(columns["city"].values(perm).tolist()),
        groups=tuple(columns["_group"].values(perm).tolist()),
        scores=score_arr,
        quota=int(quota),
        rules=tuple(rules),
        include=tuple(c.include),
        exclude=tuple(c.exclude),
        min_score=c.min_score,
        warnings=tuple(warnings),
    )
