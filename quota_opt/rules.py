"""Notice-year rules, read from one TOML file per year (``quota_opt/rules/YEAR.toml``).

A new notice year is a new file, not new code: every rule names a *kind* this module knows
(``rank_tier``, ``count_tier``, ``fixed``, ``via_province``, ``via_factory_province``,
``unspecified`` for quotas; ``min_rating``, ``min_maturity``, ``all_stages``, ``ai_applied``,
``min_ai_share`` for eligibility), its values, and the clause of the notice it cites.
Where rule files are found: the shipped ``quota_opt/rules/``, then ``rules/`` in the user data
folder (:func:`quota_opt.userdata.user_rules_dir`: years a user entered with ``quota-opt rules new``
or the app's 通知规则 page), then the folders of the ``QUOTA_OPT_RULES_DIR`` environment variable
(``os.pathsep``-separated), then ``rules_dir``. A later folder's file replaces an earlier one's for a
user year; a file outside the shipped folder for a *shipped* year never does: reading that year is an
:class:`InputError` naming the file, so the shipped rules of a notice cannot be changed unseen.

:func:`check_text` validates a rule file and returns every problem at once, each with its line, key
and what is expected; a user file is checked so before it is used.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .columns import Level, Rating, UnitType
from .errors import InputError, RulesError
from .userdata import user_rules_dir

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
    dirs = [RULES_DIR, user_rules_dir()]
    env = os.environ.get("QUOTA_OPT_RULES_DIR", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    if rules_dir is not None:
        dirs.append(Path(rules_dir))
    return dirs


def _year_files(d: Path) -> dict[int, Path]:
    try:
        return {int(p.stem): p for p in d.glob("*.toml") if p.stem.isdigit() and p.is_file()}
    except OSError:
        return {}


def shipped_years() -> list[int]:
    """The notice years whose rules ship with quota-opt."""
    return sorted(_year_files(RULES_DIR))


@dataclass(frozen=True)
class RuleFile:
    year: int
    path: Path
    shipped: bool


def rule_files(rules_dir: Path | str | None = None) -> list[RuleFile]:
    """Every rule file that counts, one per year (a user year's last folder wins), by year; a user
    file for a shipped year is listed too (it is refused when read: see :func:`load_notice`)."""
    out: dict[int, RuleFile] = {}
    shadows: list[RuleFile] = []
    for i, d in enumerate(_rule_dirs(rules_dir)):
        for year, path in _year_files(d).items():
            if i > 0 and year in out and out[year].shipped:
                shadows.append(RuleFile(year, path, False))
            else:
                out[year] = RuleFile(year, path, i == 0)
    return sorted([*out.values(), *shadows], key=lambda f: (f.year, not f.shipped, str(f.path)))


def available_years(rules_dir: Path | str | None = None) -> list[int]:
    """Every notice year for which a rule file exists."""
    return sorted({f.year for f in rule_files(rules_dir)})


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
def _load_cached(path: str, mtime: float, shipped: bool) -> NoticeYear:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取规则文件 {path}：{exc}", f"cannot read rule file {path}: {exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件 {path} 格式错误：{exc}", f"rule file {path} is malformed: {exc}") from exc
    if not shipped:
        errors = [p for p in check_raw(raw, text, Path(path).name) if p.severity == "error"]
        if errors:
            raise RulesError(
                f"规则文件 {path} 有{len(errors)}处错误（运行 quota-opt rules check 查看全部）：" + "；".join(p.zh for p in errors[:3]),
                f"rule file {path} has {len(errors)} error(s) (run quota-opt rules check to see all): "
                + "; ".join(p.en for p in errors[:3]))
    return parse_notice(raw, Path(path).name)


def notice_path(year: int | str, rules_dir: Path | str | None = None) -> RuleFile:
    """The file of notice year ``year`` (see :func:`load_notice` for the errors)."""
    try:
        year_int = int(str(year).strip())
    except ValueError:
        year_int = None
    files = [f for f in rule_files(rules_dir) if f.year == year_int]
    if not files:
        years = "、".join(str(y) for y in available_years(rules_dir))
        raise InputError(
            f"没有{year}年度的通知规则；已有年度：{years}",
            f"no notice rules for year '{year}'; available years: {years.replace('、', ', ')}",
        )
    shadow = next((f for f in files if not f.shipped and any(g.shipped for g in files)), None)
    if shadow is not None:
        raise InputError(
            f"用户规则文件 {shadow.path} 与随软件提供的{year_int}年度规则同一年度，不能替代它；请删除或改名该文件",
            f"the user rule file {shadow.path} is for {year_int}, a year whose rules ship with quota-opt, and "
            "cannot replace them; remove or rename that file",
        )
    return files[0]


def load_notice(year: int | str, rules_dir: Path | str | None = None) -> NoticeYear:
    """The rules of notice year ``year``; an unknown year, or a user file for a shipped year, is an
    :class:`InputError`; a user file with errors is a :class:`RulesError` (see :func:`check_text`)."""
    f = notice_path(year, rules_dir)
    return _load_cached(str(f.path), f.path.stat().st_mtime, f.shipped)


# ---------------------------------------------------------------------- checking a rule file


@dataclass(frozen=True)
class Problem:
    """One problem of a rule file: where (line, 0 when unknown; the key's dotted path), what is expected."""

    line: int
    key: str
    zh: str
    en: str
    severity: str = "error"  # error | warning

    def one_line(self) -> str:
        where = f"第{self.line}行" if self.line else "文件"
        where_en = f"line {self.line}" if self.line else "file"
        kind = "警告" if self.severity == "warning" else "错误"
        return f"{kind} {where} {self.key}：{self.zh} / {self.severity} {where_en} {self.key}: {self.en}"

    def to_dict(self) -> dict:
        return {"line": self.line, "key": self.key, "severity": self.severity, "message_zh": self.zh,
                "message_en": self.en}


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATASET = re.compile(r"^[a-z_]+_\d{4}$")


def _strip_strings(line: str) -> str:
    """``line`` with its strings blanked and its comment removed (so keys are found only outside strings)."""
    out, quote, i = [], None, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                out.append("  ")
                i += 2
                continue
            if ch == quote:
                quote = None
            out.append(" " if ch != quote else ch)
        elif ch in "\"'":
            quote = ch
            out.append(ch)
        elif ch == "#":
            break
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def locate(text: str) -> dict[tuple, int]:
    """Line numbers of the keys of a rule file, by path: ``("document",)``, ``("quota", 0, "kind")``,
    ``("quota", 0, "tiers", 1, "quota")``, ``("quota", 0)`` for a table's header line. tomllib gives no
    positions, so the text is read here: table headers, ``key =`` lines and inline tables of arrays."""
    where: dict[tuple, int] = {}
    section: tuple = ()
    counts: dict[str, int] = {}
    array_key: str | None = None
    element = -1
    # TOML ends a line only at \n (str.splitlines would also split at \x85 or \u2028 inside a string)
    for n, raw in enumerate(text.split("\n"), start=1):
        line = _strip_strings(raw.removesuffix("\r")).strip()
        header = re.match(r"^\[\[\s*([A-Za-z_]+)\s*\]\]$", line)
        if header:
            name = header[1]
            counts[name] = counts.get(name, -1) + 1
            section = (name, counts[name])
            where[section] = n
            array_key = None
            continue
        if array_key is None:
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", line)
            if not m:
                continue
            key, rest = m[1], m[2]
            where.setdefault((*section, key), n)
            if rest.startswith("["):
                element = -1
                depth = rest.count("[") - rest.count("]")
                for part in re.finditer(r"\{([^}]*)\}?", rest):
                    element += 1
                    where.setdefault((*section, key, element), n)
                    for k in _KEY.finditer(part[1]):
                        where.setdefault((*section, key, element, k[1]), n)
                if depth > 0:
                    array_key = key
        else:
            for part in re.finditer(r"\{([^}]*)\}?", line):
                element += 1
                where.setdefault((*section, array_key, element), n)
                for k in _KEY.finditer(part[1]):
                    where.setdefault((*section, array_key, element, k[1]), n)
            if line.count("]") > line.count("["):
                array_key = None
    return where


def _line(where: dict[tuple, int], path: tuple) -> int:
    """The line of ``path``, else of the nearest enclosing key or table that has one, else 1."""
    for i in range(len(path), 0, -1):
        if path[:i] in where:
            return where[path[:i]]
    return 1  # a top-level key that is not there: it belongs at the top of the file


def _dotted(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _positive_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def check_raw(raw: dict, text: str, name: str = "", data_dir: Path | str | None = None,
              rules_dir: Path | str | None = None) -> list[Problem]:
    """Every problem of the parsed rule file ``raw`` (``text`` its source, for line numbers), errors
    first by line, then warnings. A dataset whose file is not found (looked for as the quota engine
    does) is a warning: the figures may come later, and the quotas that need them stay undetermined."""
    from .refdata import dataset_for, find_reference  # noqa: PLC0415 - refdata does not import rules

    where = locate(text)
    out: list[Problem] = []

    def bad(path: tuple, zh: str, en: str, severity: str = "error") -> None:
        out.append(Problem(_line(where, path), _dotted(path), zh, en, severity))

    year = raw.get("year")
    if not _positive_int(year):
        bad(("year",), "应为年份整数，如 2026", "expected a year as a whole number, e.g. 2026")
    elif name and Path(name).stem.isdigit() and int(Path(name).stem) != year:
        bad(("year",), f"应与文件名 {name} 的年度一致", f"expected the year of the file name {name}")
    doc = raw.get("document")
    if not isinstance(doc, str) or not doc.strip():
        bad(("document",), "通知文号不能为空（如 工信厅联通装函〔2026〕X号）",
            "expected the notice's document number (e.g. 工信厅联通装函〔2026〕X号), not empty")
    for key in ("title_zh",):
        if not isinstance(raw.get(key), str) or not raw.get(key, "").strip():
            bad((key,), "通知标题为空", "the notice's title is empty", "warning")
    date = raw.get("date", "")
    if hasattr(date, "isoformat"):
        date = date.isoformat()
    if not str(date).strip():
        bad(("date",), "发布日期为空", "the notice's date is empty", "warning")
    elif not _DATE.match(str(date)):
        bad(("date",), f"日期“{date}”应为 YYYY-MM-DD", f"date '{date}': expected YYYY-MM-DD")
    levels_raw = raw.get("levels")
    levels: set[Level] = set()
    if not isinstance(levels_raw, list) or not levels_raw:
        bad(("levels",), "应列出开展的层级，如 [\"excellent\", \"leading\"]",
            "expected the levels opened, e.g. [\"excellent\", \"leading\"]")
    else:
        for i, v in enumerate(levels_raw):
            lv = Level.parse(v)
            if lv is None:
                bad(("levels", i), f"未知层级“{v}”；应为 excellent 或 leading",
                    f"unknown level '{v}'; expected excellent or leading")
            else:
                levels.add(lv)
    ids: dict[str, tuple] = {}

    def common(section: str, i: int, rule: dict, kinds: set[str]) -> tuple[Level | None, str | None]:
        here = (section, i)
        rid = rule.get("id")
        if not isinstance(rid, str) or not rid.strip():
            bad((*here, "id"), "每条规则须有编号 id", "expected a rule id")
        elif rid in ids:
            bad((*here, "id"), f"规则编号“{rid}”重复（{_dotted(ids[rid])} 已用）",
                f"rule id '{rid}' repeats ({_dotted(ids[rid])} has it)")
        else:
            ids[rid] = (*here, "id")
        lv = Level.parse(rule.get("level"))
        if lv is None:
            bad((*here, "level"), f"未知层级“{rule.get('level')}”；应为 excellent 或 leading",
                f"unknown level '{rule.get('level')}'; expected excellent or leading")
        elif levels and lv not in levels:
            bad((*here, "level"), f"层级 {lv.value} 不在 levels 中", f"level {lv.value} is not among levels")
        kind = rule.get("kind")
        if kind not in kinds:
            bad((*here, "kind"), f"未知类型“{kind}”；应为 {'、'.join(sorted(kinds))}",
                f"unknown kind '{kind}'; expected one of {', '.join(sorted(kinds))}")
            kind = None
        clause = rule.get("clause")
        if not isinstance(clause, str) or not clause.strip():
            bad((*here, "clause"), "须注明所依据的通知条款 clause", "expected the notice clause the rule cites")
        return lv, kind

    seen_units: dict[tuple, int] = {}
    for i, rule in enumerate(raw.get("quota", []) if isinstance(raw.get("quota", []), list) else []):
        here = ("quota", i)
        lv, kind = common("quota", i, rule, QUOTA_KINDS)
        try:
            unit_type = UnitType(rule.get("applies_to"))
        except ValueError:
            bad((*here, "applies_to"), f"未知单位类型“{rule.get('applies_to')}”；应为 "
                f"{'、'.join(u.value for u in UnitType)}",
                f"unknown applies_to '{rule.get('applies_to')}'; expected one of {', '.join(u.value for u in UnitType)}")
            unit_type = None
        if lv is not None and unit_type is not None:
            if (lv, unit_type) in seen_units:
                bad((*here, "applies_to"), f"同一层级、同一单位类型已有名额规则（quota[{seen_units[(lv, unit_type)]}]）",
                    f"quota[{seen_units[(lv, unit_type)]}] already sets this level's quota for {unit_type.value}")
            seen_units[(lv, unit_type)] = i
        if kind == "fixed" and not _positive_int(rule.get("quota")):
            bad((*here, "quota"), f"名额“{rule.get('quota')}”应为正整数", f"quota '{rule.get('quota')}': expected a positive whole number")
        if kind in ("rank_tier", "count_tier"):
            ds = rule.get("dataset")
            if not isinstance(ds, str) or not _DATASET.match(ds):
                bad((*here, "dataset"), f"数据集“{ds}”应为 名称_年份，如 industrial_value_2025",
                    f"dataset '{ds}': expected name_year, e.g. industrial_value_2025")
            else:
                try:
                    dataset_for(ds)
                    if find_reference(ds, data_dir) is None:
                        bad((*here, "dataset"), f"找不到数据文件 {ds}.csv（已查找 --data-dir、用户数据文件夹、随软件数据）；"
                            "数据到位前相关名额待定",
                            f"data file {ds}.csv not found (looked in --data-dir, the user data folder, the shipped "
                            "data); the quotas that need it stay undetermined until it comes", "warning")
                except InputError as exc:
                    bad((*here, "dataset"), exc.message_zh, exc.message_en)
            tiers = rule.get("tiers")
            if not isinstance(tiers, list) or not tiers:
                bad((*here, "tiers"), "须列出档次 tiers", "expected tiers")
                continue
            bound = "rank_max" if kind == "rank_tier" else "count_min"
            last = None
            for j, tier in enumerate(tiers):
                tp = (*here, "tiers", j)
                if not isinstance(tier, dict):
                    bad(tp, "每个档次应为 { ... } 表", "expected each tier as a { ... } table")
                    continue
                if not _positive_int(tier.get("quota")):
                    bad((*tp, "quota"), f"名额“{tier.get('quota')}”应为正整数",
                        f"quota '{tier.get('quota')}': expected a positive whole number")
                b = tier.get(bound)
                final = j == len(tiers) - 1
                if b is None:
                    if kind == "rank_tier" and not final:
                        bad((*tp, bound), "只有最后一档可以不写 rank_max（其余名次）",
                            "only the last tier may leave out rank_max (the rest)")
                    continue
                ok_type = isinstance(b, int) and not isinstance(b, bool) and (b > 0 if kind == "rank_tier" else b >= 0)
                if not ok_type:
                    bad((*tp, bound), f"{bound}“{b}”应为{'正' if kind == 'rank_tier' else '非负'}整数",
                        f"{bound} '{b}': expected a {'positive' if kind == 'rank_tier' else 'non-negative'} whole number")
                    continue
                if last is not None and (b <= last if kind == "rank_tier" else b >= last):
                    bad((*tp, bound), f"档次顺序有误：{bound} 应{'大于' if kind == 'rank_tier' else '小于'}上一档的 {last}",
                        f"tiers out of order: {bound} should be {'greater' if kind == 'rank_tier' else 'less'} than "
                        f"the previous tier's {last}")
                last = b
    for i, rule in enumerate(raw.get("eligibility", []) if isinstance(raw.get("eligibility", []), list) else []):
        here = ("eligibility", i)
        _, kind = common("eligibility", i, rule, ELIGIBILITY_KINDS)
        sev = rule.get("severity", "hard")
        if sev not in SEVERITIES:
            bad((*here, "severity"), f"严重性“{sev}”应为 hard 或 advisory", f"severity '{sev}': expected hard or advisory")
        v = rule.get("value")
        if kind == "min_rating" and Rating.parse(v) is None:
            bad((*here, "value"), f"评级“{v}”应为 basic、advanced 或 excellent", f"rating '{v}': expected basic, advanced or excellent")
        if kind == "min_maturity" and not (_positive_int(v) and v <= 5):
            bad((*here, "value"), f"成熟度等级“{v}”应为 1~5 的整数", f"maturity level '{v}': expected a whole number 1-5")
        if kind == "min_ai_share" and not (isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100):
            bad((*here, "value"), f"人工智能场景占比“{v}”应为 0~100 的数", f"AI share '{v}': expected a number 0-100")
    return sorted(out, key=lambda p: (p.severity != "error", p.line, p.key))


def check_text(text: str, name: str = "", data_dir: Path | str | None = None) -> list[Problem]:
    """Every problem of a rule file's text (see :func:`check_raw`); a TOML syntax error is one problem
    with the line tomllib reports."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return [Problem(int(m[1]) if m else 0, "", f"TOML 格式错误：{exc}", f"not valid TOML: {exc}")]
    return check_raw(raw, text, name, data_dir)


def parse_level(value: object) -> Level:
    """A level from any accepted spelling; an unknown one is an :class:`InputError`."""
    level = Level.parse(value)
    if level is None:
        raise InputError(
            f"未知的层级“{value}”；可选：excellent（卓越级）、leading（领航级）",
            f"unknown level '{value}'; choose excellent (卓越级) or leading (领航级)",
        )
    return level
