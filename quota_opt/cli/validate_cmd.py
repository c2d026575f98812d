"""``quota-opt validate FILE``: every problem in a candidate file, and with a unit, level and year, eligibility.

Exit 0 when the file has no error (warnings and ineligible projects are not errors), 2 when it has
one, or when the file cannot be read at all.
"""

from __future__ import annotations

import argparse

from ..columns import COLUMNS_BY_NAME
from ..eligibility import EligibilityResult, check_eligibility
from ..errors import InputError
from ..load import read_table
from ..validate import PROBLEM_LABELS, ProblemCode, ValidationResult, validate
from .common import EXIT_BAD_INPUT, EXIT_OK, print_json, print_table, say

PROBLEM_KEYS = ["row", "column", "value", "severity", "message_zh", "message_en", "code", "file"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="校验候选项目表并判断资格 / validate a candidate file and check eligibility")
    p.add_argument("file", metavar="FILE", help="候选项目表 .csv 或 .xlsx / the candidate file (.csv or .xlsx)")
    p.add_argument("--sheet", default=None, help="工作表名称（.xlsx）/ sheet name (.xlsx; default the first)")
    p.add_argument("--unit", default=None, help="推荐单位 / recommending unit, e.g. 四川省, XPCC, 中央企业:集团名称")
    p.add_argument("--level", default=None, help="层级 / level: excellent (卓越级) or leading (领航级)")
    p.add_argument("--year", default=None, help="通知年度 / notice year, e.g. 2025")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(run=run)


def payload(result: ValidationResult, eligibility: EligibilityResult | None) -> dict:
    """The JSON document: valid, rows, problems, eligibility, and more keys for context."""
    zh, en = result.summary()
    doc = {
        "valid": bool(result.valid),
        "rows": int(result.rows),
        "problems": [
            {k: (int(v) if k == "row" else v) for k, v in p.items() if k in PROBLEM_KEYS}
            for p in result.problems.to_dict("records")
        ],
        "eligibility": eligibility.to_records() if eligibility is not None else [],
        "file": result.source,
        "sheet": result.sheet,
        "sha256": result.sha256,
        "valid_rows": int(len(result.candidates)),
        "invalid_rows": [int(r) for r in result.invalid["row"].tolist()],
        "skipped_empty": int(result.skipped_empty),
        "notes": [{"row": int(row), "text": text} for row, text in result.notes],
        "extra_numeric": list(result.extra_numeric),
        "summary_zh": zh,
        "summary_en": en,
    }
    if eligibility is not None:
        doc.update({
            "unit": eligibility.unit,
            "level": eligibility.level,
            "year": eligibility.year,
            "eligible_count": int(eligibility.table["eligible"].sum()),
            "notes": list(eligibility.notes),
        })
    return doc


def run(args: argparse.Namespace) -> int:
    given = {"--unit": args.unit, "--level": args.level, "--year": args.year}
    if any(given.values()) and not all(given.values()):
        lacking = " ".join(k for k, v in given.items() if not v)
        raise InputError(f"判断资格需要同时给出 --unit、--level、--year（缺少 {lacking}）",
                         f"eligibility needs --unit, --level and --year together (missing {lacking})")
    result = validate(read_table(args.file, sheet=args.sheet))
    eligibility = None
    if all(given.values()):
        eligibility = check_eligibility(result.candidates, args.unit, args.level, args.year)
    if args.format == "json":
        print_json(payload(result, eligibility))
    else:
        _print_text(result, eligibility)
    return EXIT_OK if result.valid else EXIT_BAD_INPUT


def _print_text(result: ValidationResult, eligibility: EligibilityResult | None) -> None:
    if len(result.problems):
        rows = []
        for p in result.problems.to_dict("records"):
            zh, en = PROBLEM_LABELS[ProblemCode(p["code"])]
            column = p["column"]
            if p["code"] == ProblemCode.MISSING_COLUMN.value and column in COLUMNS_BY_NAME:  # a person adds the header
                column = f"{COLUMNS_BY_NAME[column].zh} ({column})"
            rows.append({"row": p["row"], "column": column, "value": p["value"],
                         "severity": p["severity"], "problem": f"{zh} / {en}"})
        print_table(rows, ["row", "column", "value", "severity", "problem"])
        say()
        for p in result.problems.to_dict("records"):
            say(f"[{p['severity']}] {p['message_zh']}")
            say(f"          {p['message_en']}")
        say()
    if eligibility is not None:
        rows = [
            {"project_id": r["project_id"], "row": r["row"], "eligible": "是 yes" if r["eligible"] else "否 no",
             "failed_rules": ", ".join(r["failed_rules"]), "warnings": ", ".join(r["warnings"])}
            for r in eligibility.to_records()
        ]
        say(f"资格 / eligibility: {eligibility.unit} {eligibility.level} {eligibility.year}")
        print_table(rows, ["project_id", "row", "eligible", "failed_rules", "warnings"])
        for note in eligibility.notes:
            say(f"* {note}")
        n = int(eligibility.table["eligible"].sum())
        say(f"符合资格 {n} 个，不符合 {len(rows) - n} 个 / {n} eligible, {len(rows) - n} not eligible")
        say()
    if result.notes_line():
        say(result.notes_line())
    zh, en = result.summary()
    say(zh)
    say(en)


__all__ = ["add_parser", "run", "payload"]
