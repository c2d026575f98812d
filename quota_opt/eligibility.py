"""Eligibility of each candidate for a unit, a level and a notice year.

The conditions are data: the ``[[eligibility]]`` rules of the year's TOML file, each with an id,
a kind, a value, a severity and the clause it cites. A *hard* rule a project fails makes it
ineligible; an *advisory* rule it fails is a warning. Two structural rules apply every year:

* ``level-match`` -- the project's declared level (申报层级) is the level being recommended;
* ``unit-membership`` -- the project belongs to the recommending unit:
  a province's projects name it as their province, except that in a year where planned cities
  have a quota of their own (2024 excellent level: 计划单列市 5) the projects in a planned city
  belong to the city, not the province; a planned city's projects name the city and its
  province; the Corps' projects name 新疆生产建设兵团; a central enterprise recommends only its
  own group's projects (2025 notice 二（二）2: "有关中央企业组织本集团的项目推荐工作"), so every
  project must name that group -- the group of a named unit "中央企业:GROUP", or for the
  generic "中央企业" the group most projects name (ties broken by the group name, in Unicode
  order), reported in the notes.

Rule kinds: ``min_rating`` (current rating at or above the value, none < basic < advanced <
excellent), ``min_maturity`` (maturity level at or above the value), ``all_stages`` (all five
stage columns yes), ``ai_applied`` (AI scenario share above 0: "AI application explored" and
"wide AI application" both read so), ``min_ai_share`` (AI scenario share at or above the value).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Callable

import numpy as np
import pandas as pd

from .columns import CANDIDATE_COLUMNS, STAGE_COLUMNS, Level, Rating, UnitType, alias_key, column_label
from .errors import InputError, RulesError
from .rules import EligibilityRule, NoticeYear, load_notice, parse_level
from .units import Unit, lookup_unit, resolve_unit

LEVEL_MATCH = "level-match"
UNIT_MEMBERSHIP = "unit-membership"

TABLE_COLUMNS = ["project_id", "row", "eligible", "failed_rules", "warnings", "messages"]


@dataclass(frozen=True)
class RuleInfo:
    """One rule applied, for display: the year's rules and the two structural ones."""

    id: str
    kind: str
    severity: str  # hard | advisory
    clause: str
    text_zh: str
    text_en: str


@dataclass(frozen=True, eq=False)
class EligibilityResult:
    """Per-project eligibility (``table``, input order) and the eligible and ineligible candidates."""

    table: pd.DataFrame
    eligible: pd.DataFrame
    ineligible: pd.DataFrame
    notes: list[str]
    unit: str
    level: str
    year: int
    rules: list[RuleInfo] = field(default_factory=list)
    group: str | None = None  # the central enterprise's group, when the unit is one

    def to_records(self) -> list[dict]:
        """The table as JSON-ready dicts (project_id, row, eligible, failed_rules, warnings, messages)."""
        return [
            {
                "project_id": r["project_id"],
                "row": int(r["row"]),
                "eligible": bool(r["eligible"]),
                "failed_rules": list(r["failed_rules"]),
                "warnings": list(r["warnings"]),
                "messages": list(r["messages"]),
            }
            for r in self.table.to_dict("records")
        ]


# ------------------------------------------------------------------------------ rule kinds
# Each takes the rule and one candidate record and returns (passes, what the project has: zh, en).
Check = Callable[[EligibilityRule, dict], tuple[bool, str, str]]


def _rating(rule: EligibilityRule, rec: dict) -> tuple[bool, str, str]:
    need = Rating.parse(rule.value)
    if need is None:
        raise RulesError(f"规则 {rule.id} 的层级“{rule.value}”无法识别", f"rule {rule.id}: unknown rating '{rule.value}'")
    have = Rating(rec["current_rating"])
    return have.order >= need.order, f"已获评层级为{have.zh}", f"current rating {have.value}"


def _maturity(rule: EligibilityRule, rec: dict) -> tuple[bool, str, str]:
    have = int(rec["maturity_level"])
    return have >= int(rule.value), f"成熟度为{have}级", f"maturity level {have}"


def _stages(rule: EligibilityRule, rec: dict) -> tuple[bool, str, str]:
    missing = [s for s in STAGE_COLUMNS if not bool(rec[s])]
    if not missing:
        return True, "覆盖全部五个环节", "covers all five stages"
    return (
        False,
        "未覆盖：" + "、".join(column_label(s, "zh") for s in missing),
        "not covered: " + ", ".join(column_label(s, "en") for s in missing),
    )


def _share(rec: dict) -> float:
    value = rec["ai_scenario_share"]
    return math.nan if value is None else float(value)


def _ai_applied(rule: EligibilityRule, rec: dict) -> tuple[bool, str, str]:
    share = _share(rec)
    return share > 0, f"人工智能场景占比{share:g}%", f"AI scenario share {share:g}%"


def _ai_share(rule: EligibilityRule, rec: dict) -> tuple[bool, str, str]:
    share = _share(rec)
    return share >= float(rule.value), f"人工智能场景占比{share:g}%", f"AI scenario share {share:g}%"


RULE_KINDS: dict[str, Check] = {
    "min_rating": _rating,
    "min_maturity": _maturity,
    "all_stages": _stages,
    "ai_applied": _ai_applied,
    "min_ai_share": _ai_share,
}


# The same tests over whole columns: which candidates pass (the functions above word the failures).
def _rating_mask(rule: EligibilityRule, c: pd.DataFrame) -> np.ndarray:
    need = Rating.parse(rule.value)
    if need is None:
        raise RulesError(f"规则 {rule.id} 的层级“{rule.value}”无法识别", f"rule {rule.id}: unknown rating '{rule.value}'")
    order = {r.value: r.order for r in Rating}
    codes, ratings = pd.factorize(c["current_rating"], use_na_sentinel=False)
    return np.array([order.get(r, np.nan) for r in ratings.tolist()], dtype=float)[codes] >= need.order


def _share_values(c: pd.DataFrame) -> np.ndarray:
    return c["ai_scenario_share"].to_numpy(dtype=float)


# The columns each rule kind reads (its outcome and wording depend on nothing else).
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "min_rating": ("current_rating",),
    "min_maturity": ("maturity_level",),
    "all_stages": STAGE_COLUMNS,
    "ai_applied": ("ai_scenario_share",),
    "min_ai_share": ("ai_scenario_share",),
}

RULE_MASKS: dict[str, Callable[[EligibilityRule, pd.DataFrame], np.ndarray]] = {
    "min_rating": _rating_mask,
    "min_maturity": lambda rule, c: c["maturity_level"].to_numpy(dtype=np.int64) >= int(rule.value),
    "all_stages": lambda rule, c: c[list(STAGE_COLUMNS)].to_numpy(dtype=bool).all(axis=1),
    "ai_applied": lambda rule, c: _share_values(c) > 0,
    "min_ai_share": lambda rule, c: _share_values(c) >= float(rule.value),
}


# ------------------------------------------------------------------------------ membership
@dataclass(frozen=True)
class _Membership:
    unit: Unit
    level: Level
    notice: NoticeYear
    group: str | None  # central enterprise's group
    planned_city_own_quota: bool  # the year gives planned cities a quota of their own at this level

    def check(self, rec: dict) -> tuple[bool, str, str]:
        unit = self.unit
        province = rec["province"]
        city_unit = lookup_unit(rec["city"])
        city_is_planned = city_unit is not None and city_unit.unit_type is UnitType.PLANNED_CITY
        if unit.unit_type is UnitType.CENTRAL_ENTERPRISE:
            group = str(rec.get("group") or "").strip()
            if not group:
                return False, f"未填所属集团，不属于{self.group or '本集团'}", f"names no group, so not of {self.group or 'the group'}"
            if self.group is None or alias_key(group) != alias_key(self.group):
                return False, f"所属集团为“{group}”，不是“{self.group}”", f"group is '{group}', not '{self.group}'"
            return True, f"属于{self.group}", f"of {self.group}"
        if unit.unit_type is UnitType.PLANNED_CITY:
            if province == unit.parent and city_unit == unit:
                return True, f"位于{unit.name}", f"in {unit.name_en}"
            return False, f"位于{province}{rec['city']}，不在{unit.name}", f"in {rec['city']}, {province}, not in {unit.name_en}"
        # a province or the Corps
        if province != unit.name:
            return False, f"所在省份为{province}，不是{unit.name}", f"province is {province}, not {unit.name}"
        if city_is_planned and city_unit.parent == unit.name and self.planned_city_own_quota:
            return (
                False,
                f"位于计划单列市{city_unit.name}，{self.notice.year}年度由{city_unit.name}单独推荐",
                f"in the planned city {city_unit.name_en}, which recommends its own projects in {self.notice.year}",
            )
        return True, f"位于{unit.name}", f"in {unit.name_en}"


def _structural_rules(unit: Unit, level: Level, group: str | None) -> list[RuleInfo]:
    # The excellent-level round is section 二 of the notices, the leading-level round section 三.
    section = "二" if level is Level.EXCELLENT else "三"
    clause = f"{section}（二）2"
    if unit.unit_type is UnitType.CENTRAL_ENTERPRISE:
        member_zh = f"中央企业只推荐本集团（{group or '未确定'}）的项目"
        member_en = f"a central enterprise recommends only its own group's ({group or 'undetermined'}) projects"
    elif unit.unit_type is UnitType.PLANNED_CITY:
        member_zh, member_en = f"项目位于{unit.name}", f"the project is in {unit.name_en}"
    else:
        member_zh, member_en = f"项目所在省份为{unit.name}", f"the project's province is {unit.name}"
    return [
        RuleInfo(LEVEL_MATCH, "structural", "hard", section,
                 f"申报层级须为{level.zh}", f"the project's declared level must be {level.value}"),
        RuleInfo(UNIT_MEMBERSHIP, "structural", "hard", clause, member_zh, member_en),
    ]


def _own_quota(notice: NoticeYear, level: Level) -> bool:
    rule = notice.quota_rule(level, UnitType.PLANNED_CITY)
    return rule is not None and rule.kind not in ("via_province", "via_factory_province")


def _central_group(unit: Unit, candidates: pd.DataFrame, notes: list[str]) -> str | None:
    if unit.group:
        return unit.group.strip()
    written = candidates["group"].map(lambda g: g.strip() if isinstance(g, str) else "")
    per_text = written[written != ""].value_counts(sort=False)
    spellings: dict[str, set[str]] = {}
    for text in per_text.index:
        spellings.setdefault(alias_key(text), set()).add(text)
    if not spellings:
        notes.append(
            "候选项目均未填写所属集团，无法确定本中央企业的集团；请填写“所属集团”列，或以“中央企业:集团名称”指定单位 / "
            "no candidate names a group, so the central enterprise's group is unknown; fill the group column or "
            "name the unit as '中央企业:GROUP'"
        )
        return None
    # Spellings differing only in width or spacing are one group, shown by its first spelling in Unicode order.
    counts: Counter = Counter()
    for text, count in per_text.items():
        counts[min(spellings[alias_key(text)])] += int(count)
    # Most projects first, then the group name (Unicode order): the same pool always gives the same group.
    group, count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    tied = sorted(g for g, c in counts.items() if c == count and g != group)
    tie_zh = f"（与{'、'.join(tied)}并列，按名称取第一个）" if tied else ""
    tie_en = f" (tied with {', '.join(tied)}; the first by name was taken)" if tied else ""
    notes.append(
        f"本中央企业的集团取项目最多的“{group}”（{count}个项目）{tie_zh}；其他集团的项目不属于本单位 / "
        f"the central enterprise's group is taken as '{group}', named by the most projects ({count}){tie_en}; "
        "projects of other groups do not belong to this unit"
    )
    return group


class _Records:
    """Candidate rows read as dicts of plain Python values (as ``to_dict("records")`` gives them),
    fetched cell by cell and only for the rows that are looked at (to word a failure)."""

    def __init__(self, candidates: pd.DataFrame):
        self.candidates = candidates
        self.columns: dict[str, np.ndarray] = {}

    def column(self, name: str) -> np.ndarray:
        if name not in self.columns:
            self.columns[name] = self.candidates[name].to_numpy(dtype=object)
        return self.columns[name]

    def __getitem__(self, pos: int) -> Mapping:
        return _Row(self, pos)


class _Row(Mapping):
    __slots__ = ("records", "pos")

    def __init__(self, records: _Records, pos: int):
        self.records, self.pos = records, pos

    def __getitem__(self, key: str):
        if key not in self.records.candidates.columns:
            raise KeyError(key)
        return self.records.column(key)[self.pos]

    def __iter__(self):
        return iter(self.records.candidates.columns)

    def __len__(self) -> int:
        return len(self.records.candidates.columns)


def _distinct(candidates: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, list[int]]:
    """For every row the number of its distinct combination of ``keys``, and the first row of each."""
    if not len(candidates):
        return np.zeros(0, dtype=np.int64), []
    codes = candidates.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    _, firsts = np.unique(codes, return_index=True)
    return codes, firsts.tolist()


def _rule_message(rule_id: str, clause: str, text_zh: str, text_en: str, have_zh: str, have_en: str, hard: bool) -> str:
    """The problem in words first (what the rule asks, what this project has), then the clause and rule id.

    The rule id also stands alone in ``failed_rules`` / ``warnings``; here it only follows as a reference.
    """
    tag_zh = "不符合条件" if hard else "提示"
    tag_en = "not eligible" if hard else "advisory"
    text_zh = text_zh.rstrip("。；; ")
    text_en = text_en.rstrip(".; ")
    return (f"{tag_zh}：{text_zh}；本项目{have_zh}（依据：{clause}；规则 {rule_id}） / "
            f"{tag_en}: {text_en}; this project: {have_en} (basis: {clause}; rule {rule_id})")


def check_eligibility(
    candidates: pd.DataFrame,
    unit: Unit | str,
    level: Level | str,
    notice: NoticeYear | int | str,
) -> EligibilityResult:
    """Decide for every candidate whether ``unit`` may recommend it at ``level`` under ``notice``.

    ``candidates`` is :attr:`ValidationResult.candidates` (typed, canonical columns).
    A project is eligible when it passes every hard rule of the year and level and both
    structural rules (``level-match``, ``unit-membership``); advisory rules it fails are listed
    as warnings. The table keeps the input order.
    """
    s = _setting(candidates, unit, level, notice)
    level, level_info, member_info, membership = s.level, s.structural[0], s.structural[1], s.membership
    year_rules = s.year_rules
    n = len(candidates)
    # Lists only for the rows that fail something, in row order per rule; see _table for the others.
    failed: dict[int, list[str]] = {}
    warned: dict[int, list[str]] = {}
    messages: dict[int, list[str]] = {}
    records = _Records(candidates)
    for pos in np.flatnonzero(candidates["level"].to_numpy(dtype=object) != level.value).tolist():
        rec = records[pos]
        have = Level.parse(rec["level"])
        failed.setdefault(pos, []).append(LEVEL_MATCH)
        messages.setdefault(pos, []).append(_rule_message(
            LEVEL_MATCH, level_info.clause, level_info.text_zh, level_info.text_en,
            f"申报{have.zh if have else rec['level']}", f"declared {rec['level']}", True))
    # Membership depends on the province, city and group alone: checked once per distinct combination.
    keys = ["province", "city", "group"]
    combos, firsts = _distinct(candidates, keys)
    outcome = [membership.check(records[pos]) for pos in firsts]
    outside = [k for k, (ok, _, _) in enumerate(outcome) if not ok]
    if outside:
        worded = {k: _rule_message(UNIT_MEMBERSHIP, member_info.clause, member_info.text_zh, member_info.text_en,
                                   outcome[k][1], outcome[k][2], True) for k in outside}
        where = np.flatnonzero(np.isin(combos, outside))
        for pos, k in zip(where.tolist(), combos[where].tolist()):
            failed.setdefault(pos, []).append(UNIT_MEMBERSHIP)
            messages.setdefault(pos, []).append(worded[k])
    for rule in year_rules:
        passes = RULE_MASKS[rule.kind](rule, candidates) if rule.kind in RULE_MASKS else np.zeros(n, dtype=bool)
        fields = RULE_FIELDS.get(rule.kind)
        bad = np.flatnonzero(~passes)
        # The failure is worded once per distinct value of the fields the rule reads (the first row holding it).
        if fields:
            codes, firsts = _distinct(candidates[list(fields)].iloc[bad], list(fields))
        else:
            codes, firsts = np.arange(len(bad)), list(range(len(bad)))
        worded: list[str | None] = []
        for k in firsts:
            ok, have_zh, have_en = RULE_KINDS[rule.kind](rule, records[int(bad[k])])
            worded.append(None if ok else _rule_message(rule.id, rule.clause, rule.text_zh, rule.text_en,
                                                        have_zh, have_en, rule.hard))
        marked = failed if rule.hard else warned
        for pos, k in zip(bad.tolist(), codes.tolist()):
            if worded[k] is not None:
                marked.setdefault(pos, []).append(rule.id)
                messages.setdefault(pos, []).append(worded[k])
    eligible = np.ones(n, dtype=bool)
    eligible[list(failed)] = False
    table = pd.DataFrame({
        "project_id": candidates["project_id"].to_numpy(dtype=object),
        "row": candidates["row"].to_numpy(),
        "eligible": eligible,
        "failed_rules": _list_column(failed, n),
        "warnings": _list_column(warned, n),
        "messages": _list_column(messages, n),
    }, columns=TABLE_COLUMNS) if n else pd.DataFrame(columns=TABLE_COLUMNS)
    return _result(candidates, s, table)


def _list_column(lists: dict[int, list[str]], n: int) -> np.ndarray:
    """A column of ``n`` lists: ``lists[pos]`` where given, else an empty list. The rows with nothing share
    one empty list (a pool is mostly such rows, and a list for each would be n allocations the garbage
    collector then walks): the table's lists are read, never changed in place."""
    column = np.empty(n, dtype=object)
    column[:] = [[]] if n else []
    for pos, values in lists.items():
        column[pos] = values
    return column


@dataclass(frozen=True, eq=False)
class _Setting:
    """What a check needs besides the rows: the unit, level and notice, notes, the central enterprise's
    group, the membership test, the year's rules and the two structural ones."""

    unit: Unit
    level: Level
    notice: NoticeYear
    notes: list[str]
    group: str | None
    membership: _Membership
    year_rules: list[EligibilityRule]
    structural: list[RuleInfo]


def _setting(candidates: pd.DataFrame, unit: Unit | str, level: Level | str,
             notice: NoticeYear | int | str) -> _Setting:
    unit = resolve_unit(unit) if not isinstance(unit, Unit) else unit
    level = parse_level(level) if not isinstance(level, Level) else level
    notice = load_notice(notice) if not isinstance(notice, NoticeYear) else notice
    notice.require_level(level)
    needed = [c.name for c in CANDIDATE_COLUMNS] + ["row"]
    missing = [c for c in needed if c not in candidates.columns]
    if missing:
        raise InputError(
            f"候选项目表缺少列：{'、'.join(missing)}（请先经过校验）",
            f"the candidate table lacks columns: {', '.join(missing)} (validate it first)",
        )
    notes: list[str] = []
    group = _central_group(unit, candidates, notes) if unit.unit_type is UnitType.CENTRAL_ENTERPRISE else None
    own_quota = _own_quota(notice, level)
    quota_rule = notice.quota_rule(level, unit.unit_type)
    if quota_rule is not None and quota_rule.kind == "via_factory_province":
        notes.append(
            f"{notice.year}年度{unit.name}的{level.zh}项目由工厂所在省（区、市）统一推荐，请以各省为单位核对 / "
            f"in {notice.year} a central enterprise's {level.value}-level projects are recommended by the province "
            "where each factory is: check them with that province as the unit"
        )
    elif quota_rule is not None and quota_rule.kind == "via_province" and unit.parent:
        notes.append(
            f"{notice.year}年度{unit.name}的{level.zh}项目由{unit.parent}统一推荐，计入{unit.parent}名额 / "
            f"in {notice.year} the {level.value}-level projects of {unit.name_en} are recommended by {unit.parent}, "
            "within its quota"
        )
    if unit.unit_type is UnitType.PROVINCE and own_quota:
        notes.append(
            f"{notice.year}年度计划单列市单独推荐：位于本省计划单列市的项目不计入{unit.name} / "
            f"in {notice.year} planned cities recommend their own projects: those in this province's planned "
            f"cities do not belong to {unit.name}"
        )
    membership = _Membership(unit, level, notice, group, own_quota)
    year_rules = notice.eligibility(level)
    for rule in year_rules:
        if rule.kind not in RULE_KINDS:
            raise RulesError(f"规则 {rule.id} 的类型“{rule.kind}”未实现", f"rule {rule.id}: kind '{rule.kind}' is not implemented")
    structural = _structural_rules(unit, level, group)
    level_info, member_info = structural

    return _Setting(unit, level, notice, notes, group, membership, year_rules, structural)


def _result(candidates: pd.DataFrame, s: _Setting, table: pd.DataFrame) -> EligibilityResult:
    """The result of a check whose per-project table is ``table`` (typed, in input order)."""
    table["row"] = table["row"].astype("int64")
    table["eligible"] = table["eligible"].astype("bool")
    table["project_id"] = table["project_id"].astype("str")
    mask = table["eligible"].to_numpy(dtype=bool)
    rules = s.structural + [
        RuleInfo(r.id, r.kind, r.severity, r.clause, r.text_zh, r.text_en) for r in s.year_rules
    ]
    return EligibilityResult(
        table=table,
        eligible=candidates[mask].reset_index(drop=True),
        ineligible=candidates[~mask].reset_index(drop=True),
        notes=s.notes,
        unit=s.unit.name,
        level=s.level.value,
        year=s.notice.year,
        rules=rules,
        group=s.group,
    )


__all__ = ["EligibilityResult", "RuleInfo", "check_eligibility", "LEVEL_MATCH", "UNIT_MEMBERSHIP", "RULE_KINDS"]
