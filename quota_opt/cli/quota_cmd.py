"""``quota-opt quota``: every unit's quota (or one unit's) with its basis.

``--quota N`` overrides one unit's quota and needs ``--reason`` (as the app does): the reason is
part of the basis printed and exported. Paths of reference files are shown by file name only.
"""

from __future__ import annotations

import argparse

from ..errors import InputError
from ..quota import QuotaEngine
from ..result import without_paths
from .common import EXIT_BAD_INPUT, add_year_level_unit, positive_int, print_csv, print_json, print_table, say

JSON_KEYS = ["unit", "unit_type", "year", "level", "quota", "status", "via", "basis_zh", "basis_en", "warnings"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quota", help="推荐名额及依据 / quotas and their basis")
    add_year_level_unit(p, unit_required=False)
    p.add_argument("--quota", type=positive_int, default=None,
                   help="用户指定名额（需 --unit 和 --reason）/ override the quota (needs --unit and --reason)")
    p.add_argument("--reason", default=None, help="指定名额的理由 / why the quota is overridden (required with --quota)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.set_defaults(run=run)


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
        print_csv(rows, JSON_KEYS + ["rule_id", "clause", "figure", "rank_min", "rank_max", "data_status", "data_source",
                                     "override_reason"])
    else:
        print_table(
            [{**r, "quota": "—" if r["quota"] is None else r["quota"], "warnings": len(r["warnings"]) or ""} for r in rows],
            ["unit", "quota", "status", "via", "rank_min", "rank_max", "data_status", "warnings"],
        )
        if len(rows) == 1:
            say()
            say(rows[0]["basis_zh"])
            say(rows[0]["basis_en"])
            for w in rows[0]["warnings"]:
                say(f"! {w}")
    return 0


__all__ = ["add_parser", "run", "EXIT_BAD_INPUT"]
