"""The per-row eligibility check quota-opt used before it ran over whole columns, kept as the oracle:
``reference_check_eligibility`` must give exactly what :func:`quota_opt.eligibility.check_eligibility`
gives (tests/test_eligibility_vectorised.py); benchmarks/bench_load.py times both in one process.

It shares the setting (unit, notes, group, rules) and the result with the package and keeps its own way
of applying the rules: every rule to every candidate, one record at a time."""

from __future__ import annotations

import pandas as pd

from quota_opt.columns import Level
from quota_opt.eligibility import (
    LEVEL_MATCH,
    RULE_KINDS,
    TABLE_COLUMNS,
    UNIT_MEMBERSHIP,
    EligibilityResult,
    _result,
    _rule_message,
    _setting,
)


def reference_check_eligibility(candidates: pd.DataFrame, unit, level, notice) -> EligibilityResult:
    s = _setting(candidates, unit, level, notice)
    level_info, member_info = s.structural
    rows: list[dict] = []
    for rec in candidates.to_dict("records"):
        failed: list[str] = []
        warnings: list[str] = []
        messages: list[str] = []
        if rec["level"] != s.level.value:
            have = Level.parse(rec["level"])
            failed.append(LEVEL_MATCH)
            messages.append(_rule_message(
                LEVEL_MATCH, level_info.clause, level_info.text_zh, level_info.text_en,
                f"申报{have.zh if have else rec['level']}", f"declared {rec['level']}", True))
        ok, have_zh, have_en = s.membership.check(rec)
        if not ok:
            failed.append(UNIT_MEMBERSHIP)
            messages.append(_rule_message(
                UNIT_MEMBERSHIP, member_info.clause, member_info.text_zh, member_info.text_en, have_zh, have_en, True))
        for rule in s.year_rules:
            ok, have_zh, have_en = RULE_KINDS[rule.kind](rule, rec)
            if ok:
                continue
            (failed if rule.hard else warnings).append(rule.id)
            messages.append(_rule_message(rule.id, rule.clause, rule.text_zh, rule.text_en, have_zh, have_en, rule.hard))
        rows.append({
            "project_id": rec["project_id"], "row": int(rec["row"]), "eligible": not failed,
            "failed_rules": failed, "warnings": warnings, "messages": messages,
        })
    return _result(candidates, s, pd.DataFrame(rows, columns=TABLE_COLUMNS))
