"""``quota-opt quota``: every unit's quota (the national table) or one unit's, with its basis.

Without ``--unit`` it prints the national table: every recommending unit of the year and level with
its quota, rank, figure, the figure's status (the source's own word beside it) and the margin to the
nearest tier boundary; with ``--unit`` that unit's row and its full basis. Where the reference data
came from (``--data-dir``, the user data folder or the shipped data) is said on stderr.
``--quota N`` overrides one unit's quota and needs ``--reason`` (as the app does): the reason is
part of the basis printed and exported. Paths of reference files are shown by file name only.
"""

from __future__ import annotations

import argparse
import sys

from ..quota import QuotaEngine, QuotaResult
from ..result import without_paths
from ..textsafe import printable
from .common import EXIT_BAD_INPUT, add_year_level_unit, positive_int, print_csv, print_json, print_table, say
from ..errors import InputError

JSON_KEYS = ["unit", "unit_type", "year", "level", "quota", "status", "via", "basis_zh", "basis_en", "warnings"]
# The national view's columns beyond JSON_KEYS (also JSON keys of every row).
NATIONAL_KEYS = ["rule_id", "clause", "figure", "rank_min", "rank_max", "data_status", "source_status_zh",
                 "source_status_en", "margin", "margin_pct", "margin_to", "reference_file", "data_source"]
TABLE_COLUMNS = ["unit", "quota", "status", "rank", "figure", "data_status", "margin", "margin_to", "via", "warnings"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quota", help="推荐名额及依据（不给 --unit 时为全国名额表）/ quotas and their basis "
                       "(the national table without --unit)")
    add_year_level_unit(p, unit_required=False)
    p.add_argument("--quota", type=positive_int, default=None,
                   help="用户指定名额（需 --unit 和 --reason）/ override the quota (needs --unit and --reason)")
    p.add_argument("--reason", default=None, help="指定名额的理由 / why the quota is overridden (required with --quota)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.set_defaults(run=run)


def rank_text(r: dict) -> str:
    """A rank as the table shows it: "10", or "12–31" when only bounds are known."""
    lo, hi = r.get("rank_min"), r.get("rank_max")
    if lo is None:
        return ""
    return str(lo) if lo == hi else f"{lo}–{hi}"


def table_row(r: dict) -> dict:
    """One row of the national table as text."""
    status = r.get("data_status") or ""
    if r.get("source_status_zh"):
        status = f"{status}（{r['source_status_zh']}）"
    margin = "" if r.get("margin") is None else f"{r['margin']:g} ({r['margin_pct']:.1f}%)"
    return {**r, "quota": "—" if r["quota"] is None else r["quota"], "rank": rank_text(r),
            "figure": "" if r.get("figure") is None else f"{r['figure']:g}", "data_status": status,
            "margin": margin, "warnings": len(r["warnings"]) or ""}




def say_reference(results: list[QuotaResult]) -> None:
    """Which reference file the quotas read, and from where (stderr: stdout stays the table)."""
    for ref in sorted({r.reference_file for r in results if r.reference_file}):
        print(printable(f"参考数据 / reference data: {ref}"), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.quota is not None and not args.unit:
        raise InputError("--quota 需要同时给出 --unit", "--quota needs --unit")
    reason = " ".join((args.reason or "").split())
    if args.quota is not None and not reason:
        raise InputError("--quota 需要同时用 --reason 说明理由（理由记入名额依据）",
                         "--quota needs --reason saying why (the reason is recorded in the quota's basis)")
    if args.reason is not None and args.quota is None:
        raise InputError("--reason 只与 --quota 一起使用", "--reason goes with --quota only")
    engine = QuotaEngine(args.year, args.data_dir)
    if args.unit:
        results = [engine.quota(args.unit, args.level, override=args.quota, reason=reason or None)]
    else:
        results = engine.all_units(args.level)
    rows = [without_paths(r.to_dict()) for r in results]
    if args.format == "json":
        print_json(rows)
    elif args.format == "csv":
        print_csv(rows, JSON_KEYS + NATIONAL_KEYS + ["override_reason"])
    else:
        print_table([table_row(r) for r in rows], TABLE_COLUMNS)
        if len(rows) == 1:
            say()
            say(rows[0]["basis_zh"])
            say(rows[0]["basis_en"])
            for w in rows[0]["warnings"]:
                say(f"! {w}")
    say_reference(results)
    return 0


__all__ = ["add_parser", "run", "EXIT_BAD_INPUT"]
