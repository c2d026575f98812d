"""Notice-year rules, read from one TOML file per year (``quota_opt/rules/YEAR.toml``).

A new notice year is a new file, not new code: every rule names a *kind* this module knows
(``rank_tier``, ``count_tier``, ``fixed``, ``via_province``, ``via_factory_province``,
``unspecified`` for quotas; ``min_rating``, ``min_maturity``, ``all_stages``, ``ai_applied``,
``min_ai_share`` for eligibility), its values, and the clause of the notice it cites.
Extra rule folders may be named in the ``QUOTA_OPT_RULES_DIR`` environment variable
(``os.pathsep``-separated) or passed as ``rules_dir``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .columns import Level, UnitType
from .errors import InputError, RulesError

RULES_DIR = Path(__file__).with_name("rules")

QUOTA_KINDS = {"rank_tier", "count_tier", "fixed", "via_province", "via_factory_province", "unspecified"}
ELIGIBILITY_KINDS = {"min_rating", "min_maturity", "all_stages", "ai_applied", "min_ai_share"}
SEVERITIES = {"hard", "advisory"}


@dataclass(frozen=True)
class Tier:
    quota: int
    label_zh: str
    label_en: str
    rank_max: int | None = None  # rank_tier: ranks up to this one (None: the rest)
    count_min: int | None = None  # count_tier: this many or more


@dataclass(frozen=True)
class QuotaRule:
    id: str
    level: Level
    applies_to: UnitType
    kind: str
    clause: str
    text_zh: str
    text_en: str = ""
    quota: int | None = None
    dataset: str | None = None
    measure_zh: str = ""
    measure_en: str = ""
    tiers: tuple[Tier, ...] = ()

    def tier_for_rank(self, rank: int) -> int:
        """Index of the tier a rank falls in (rank_tier rules)."""
        for i, tier in enumerate(self.tiers):
            if tier.rank_max is None or rank <= tier.rank_max:
                return i
        return len(self.tiers) - 1

    def tier_for_count(self, count: float) -> int:
        """Index of the tier a count falls in (count_tier rules)."""
        for i, tier in enumerate(self.tiers):
            if tier.count_min is None or count >= tier.count_min:
                return i
        return len(self.tiers) - 1


@dataclass(frozen=True)
class EligibilityRule:
    id: str
    level: Level
    kind: str
    severity: str  # hard | advisory
    clause: str
    text_zh: str
    text_en: str
    value: Any = None

    @property
    def hard(self) -> bool:
        return self.severity == "hard"


@dataclass(frozen=True)
class Submission:
    """What a recommending unit sends for one level, and to whom (the notice's clause, e.g. 二（二）3)."""

    level: Level
    attachment: str  # the notice's attachment number of the summary table, e.g. 附件3
    table_title_zh: str  # without the year: 卓越级智能工厂项目推荐汇总表
    to: tuple[str, ...]  # addressees of every recommending unit
    central_enterprise_also: tuple[str, ...]  # sent as well by a central enterprise
    letter: bool  # whether the notice asks for a recommendation letter (推荐函)
    clause: str
    text_zh: str
    text_en: str = ""

    def addressees(self, unit_type: UnitType) -> tuple[str, ...]:
        """Whom a unit of ``unit_type`` sends its documents to, in the notice's order."""
        extra = self.central_enterprise_also if unit_type is UnitType.CENTRAL_ENTERPRISE else ()
        return (*self.to, *extra)


@dataclass(frozen=True)
class NoticeYear:
    year: int
    document: str
    title_zh: str
    title_en: str
    date: str
    levels: tuple[Level, ...]
    quota_rules: tuple[QuotaRule, ...]
    eligibility_rules: tuple[EligibilityRule, ...]
    closed_levels_note_zh: str = ""
    closed_levels_note_en: str = ""
    source_file: str = ""
    submissions: tuple[Submission, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def require_level(self, level: Level) -> None:
        """Raise a clear :class:`InputError` when the year opened no round for ``level``."""
        if level not in self.levels:
            note_zh = self.closed_levels_note_zh or f"{self.year}年度通知未开展{level.zh}推荐"
            note_en = self.closed_levels_note_en or f"the {self.year} notice opened no {level.value}-level round"
            raise InputError(
                f"{note_zh}（{self.document}），没有{level.zh}名额",
                f"{note_en} ({self.document}); there is no {level.value}-level quota",
            )

    def quota_rule(self, level: Level, unit_type: UnitType) -> QuotaRule | None:
        for rule in self.quota_rules:
            if rule.level is level and rule.applies_to is unit_type:
                return rule
        return None

    def eligibility(self, level: Level) -> tuple[EligibilityRule, ...]:
        return tuple(r for r in self.eligibility_rules if r.level is level)

    def submission(self, level: Level) -> Submission | None:
        """What the notice asks recommending units to send for ``level`` (None: the file does not say)."""
        return next((s for s in self.submissions if s.level is level), None)

    def routed_through_another(self, level: Level, unit_type: UnitType) -> QuotaRule | None:
        """The rule sending ``unit_type``'s ``level`` projects through another unit (a planned city
        through its province), or None when the unit recommends for itself."""
        rule = self.quota_rule(level, unit_type)
        return rule if rule is not None and rule.kind in {"via_province", "via_factory_province"} else None


def _rule_dirs(rules_dir: Path | str | None) -> list[Path]:
    dirs = [RULES_DIR]
    env = os.environ.get("QUOTA_OPT_RULES_DIR", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    if rules_dir is not None:
        dirs.append(Path(rules_dir))
    return dirs


def available_years(rules_dir: Path | str | None = None) -> list[int]:
    """Every notice year for which a rule file exists."""
    years: set[int] = set()
    for d in _rule_dirs(rules_dir):
        for path in d.glob("*.toml"):
            if path.stem.isdigit():
                years.add(int(path.stem))
    return sorted(years)


def _need(table: dict, key: str, where: str) -> Any:
    if key not in table:
        raise RulesError(f"规则文件 {where} 缺少“{key}”", f"rule file {where} lacks '{key}'")
    return table[key]


def _parse_level(value: Any, where: str) -> Level:
    level = Level.parse(value)
    if level is None:
        raise RulesError(f"规则文件 {where} 的层级“{value}”无法识别", f"rule file {where}: unknown level '{value}'")
    return level


def _parse_quota_rule(raw: dict, where: str) -> QuotaRule:
    rid = _need(raw, "id", where)
    here = f"{where} [{rid}]"
    kind = _need(raw, "kind", here)
    if kind not in QUOTA_KINDS:
        raise RulesError(f"规则 {here} 的类型“{kind}”未知", f"rule {here}: unknown kind '{kind}'")
    try:
        applies_to = UnitType(_need(raw, "applies_to", here))
    except ValueError as exc:
        raise RulesError(f"规则 {here} 的适用单位无法识别", f"rule {here}: unknown applies_to") from exc
    tiers = tuple(
        Tier(
            quota=int(_need(t, "quota", here)),
            label_zh=t.get("label_zh", ""),
            label_en=t.get("label_en", ""),
            rank_max=t.get("rank_max"),
            count_min=t.get("count_min"),
        )
        for t in raw.get("tiers", ())
    )
    if kind in {"rank_tier", "count_tier"}:
        if not tiers or not raw.get("dataset"):
            raise RulesError(f"规则 {here} 需要 tiers 与 dataset", f"rule {here} needs tiers and a dataset")
    if kind == "fixed" and raw.get("quota") is None:
        raise RulesError(f"规则 {here} 需要 quota", f"rule {here} needs a quota")
    return QuotaRule(
        id=rid,
        level=_parse_level(_need(raw, "level", here), here),
        applies_to=applies_to,
        kind=kind,
        clause=_need(raw, "clause", here),
        text_zh=raw.get("text_zh", ""),
        text_en=raw.get("text_en", ""),
        quota=raw.get("quota"),
        dataset=raw.get("dataset"),
        measure_zh=raw.get("measure_zh", ""),
        measure_en=raw.get("measure_en", ""),
        tiers=tiers,
    )


def _parse_eligibility_rule(raw: dict, where: str) -> EligibilityRule:
    rid = _need(raw, "id", where)
    here = f"{where} [{rid}]"
    kind = _need(raw, "kind", here)
    if kind not in ELIGIBILITY_KINDS:
        raise RulesError(f"规则 {here} 的类型“{kind}”未知", f"rule {here}: unknown kind '{kind}'")
    severity = raw.get("severity", "hard")
    if severity not in SEVERITIES:
        raise RulesError(f"规则 {here} 的严重性“{severity}”未知", f"rule {here}: unknown severity '{severity}'")
    return EligibilityRule(
        id=rid,
        level=_parse_level(_need(raw, "level", here), here),
        kind=kind,
        severity=severity,
        clause=_need(raw, "clause", here),
        text_zh=raw.get("text_zh", ""),
        text_en=raw.get("text_en", ""),
        value=raw.get("value"),
    )


def _parse_submission(raw: dict, where: str) -> Submission:
    here = f"{where} [submission {raw.get('level', '?')}]"
    return Submission(
        level=_parse_level(_need(raw, "level", here), here),
        attachment=str(raw.get("attachment", "")),
        table_title_zh=_need(raw, "table_title_zh", here),
        to=tuple(_need(raw, "to", here)),
        central_enterprise_also=tuple(raw.get("central_enterprise_also", ())),
        letter=bool(raw.get("letter", False)),
        clause=_need(raw, "clause", here),
        text_zh=raw.get("text_zh", ""),
        text_en=raw.get("text_en", ""),
    )


def parse_notice(raw: dict, where: str) -> NoticeYear:
    """A :class:`NoticeYear` from the parsed TOML table ``raw``."""
    levels = tuple(_parse_level(v, where) for v in _need(raw, "levels", where))
    notice = NoticeYear(
        year=int(_need(raw, "year", where)),
        document=_need(raw, "document", where),
        title_zh=raw.get("title_zh", ""),
        title_en=raw.get("title_en", ""),
        date=str(raw.get("date", "")),
        levels=levels,
        quota_rules=tuple(_parse_quota_rule(q, where) for q in raw.get("quota", ())),
        eligibility_rules=tuple(_parse_eligibility_rule(e, where) for e in raw.get("eligibility", ())),
        closed_levels_note_zh=raw.get("closed_levels_note_zh", ""),
        closed_levels_note_en=raw.get("closed_levels_note_en", ""),
        source_file=where,
        submissions=tuple(_parse_submission(x, where) for x in raw.get("submission", ())),
    )
    ids = [r.id for r in notice.quota_rules] + [r.id for r in notice.eligibility_rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RulesError(f"规则文件 {where} 中规则编号重复：{dupes}", f"rule file {where} repeats rule ids: {dupes}")
    return notice


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime: float) -> NoticeYear:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件 {path} 格式错误：{exc}", f"rule file {path} is malformed: {exc}") from exc
    return parse_notice(raw, Path(path).name)


def load_notice(year: int | str, rules_dir: Path | str | None = None) -> NoticeYear:
    """The rules of notice year ``year``; an unknown year is an :class:`InputError`."""
    try:
        year_int = int(str(year).strip())
    except ValueError:
        year_int = None
    if year_int is not None:
        for d in reversed(_rule_dirs(rules_dir)):
            path = d / f"{year_int}.toml"
            if path.is_file():
                return _load_cached(str(path), path.stat().st_mtime)
    years = "、".join(str(y) for y in available_years(rules_dir))
    raise InputError(
        f"没有{year}年度的通知规则；已有年度：{years}",
        f"no notice rules for year '{year}'; available years: {years.replace('、', ', ')}",
    )


def parse_level(value: object) -> Level:
    """A level from any accepted spelling; an unknown one is an :class:`InputError`."""
    level = Level.parse(value)
    if level is None:
        raise InputError(
            f"未知的层级“{value}”；可选：excellent（卓越级）、leading（领航级）",
            f"unknown level '{value}'; choose excellent (卓越级) or leading (领航级)",
        )
    return level
