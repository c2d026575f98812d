"""The per-row eligibility check quota-opt used before it ran over whole columns, kept as the oracle:
``reference_check_eligibility`` must give exactly what :func:`quota_opt.eligibility.check_eligibility`
gives (tests/test_eligibility_vectorised.py); benchmarks/bench_load.py times both in one process."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from quota_opt.columns import CANDIDATE_COLUMNS, Level, UnitType, alias_key
from quota_opt.eligibility import (
    LEVEL_MATCH,
    RULE_KINDS,
    TABLE_COLUMNS,
    UNIT_MEMBERSHIP,
    EligibilityResult,
    RuleInfo,
    _Membership,
    _own_quota,
    _rule_message,
    _structural_rules,
)
from quota_opt.errors import InputError, RulesError
from quota_opt.rules import NoticeYear, load_notice, parse_level
from quota_opt.units import Unit, resolve_unit


def _central_group(unit: Unit, candidates: pd.DataFrame, notes: list[str]) -> str | None:
    if unit.group:
        return unit.group.strip()
    spellings: dict[str, set[str]] = {}
    for g in candidates["group"].tolist():
        text = str(g).strip() if isinstance(g, str) else ""
        if text:
            spellings.setdefault(alias_key(text), set()).add(text)
    if not spellings:
        notes.append(
            "候选项目均未填写所属集团，无法确定本中央企业的集团；请填写“所属集团”列，或以“中央企业:集团名称”指定单位 / "
            "no candidate names a group, so the central enterprise's group is unknown; fill the group column or "
            "name the unit as '中央企业:GROUP'"
        )
        return None
    # Spellings differing only in width or spacing are one group, shown by its first spelling in Unicode order.
    counts = Counter()
    for g in candidates["group"].tolist():
        if isinstance(g, str) and g.strip():
            counts[min(spellings[alias_key(g.strip())])] += 1
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


def reference_check_eligibility(
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

    rows: list[dict] = []
    for rec in candidates.to_dict("records"):
        failed: list[str] = []
        warnings: list[str] = []
        messages: list[str] = []
        if rec["level"] != level.value:
            have = Level.parse(rec["level"])
            failed.append(LEVEL_MATCH)
            messages.append(_rule_message(
                LEVEL_MATCH, level_info.clause, level_info.text_zh, level_info.text_en,
                f"申报{have.zh if have else rec['level']}", f"declared {rec['level']}", True))
        ok, have_zh, have_en = membership.check(rec)
        if not ok:
            failed.append(UNIT_MEMBERSHIP)
            messages.append(_rule_message(
                UNIT_MEMBERSHIP, member_info.clause, member_info.text_zh, member_info.text_en, have_zh, have_en, True))
        for rule in year_rules:
            ok, have_zh, have_en = RULE_KINDS[rule.kind](rule, rec)
            if ok:
                continue
            (failed if rule.hard else warnings).append(rule.id)
            messages.append(_rule_message(rule.id, rule.clause, rule.text_zh, rule.text_en, have_zh, have_en, rule.hard))
        rows.append({
            "project_id": rec["project_id"], "row": int(rec["row"]), "eligible": not failed,
            "failed_rules": failed, "warnings": warnings, "messages": messages,
        })
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["row"] = table["row"].astype("int64")
    table["eligible"] = table["eligible"].astype("bool")
    table["project_id"] = table["project_id"].astype("str")
    mask = table["eligible"].to_numpy(dtype=bool)
    rules = structural + [
        RuleInfo(r.id, r.kind, r.severity, r.clause, r.text_zh, r.text_en) for r in year_rules
    ]
    return EligibilityResult(
        table=table,
        eligible=candidates[mask].reset_index(drop=True),
        ineligible=candidates[~mask].reset_index(drop=True),
        notes=notes,
        unit=unit.name,
        level=level.value,
        year=notice.year,
        rules=rules,
        group=group,
    )
