"""``quota-opt recommend FILE``: pick and order the unit's projects within its quota.

Exit 0 when optimal, 1 when the rules cannot all hold (the explanation is printed), 2 on bad
input: an unreadable file, a file with errors in every row that matters, a unit whose quota is
undetermined and no ``--quota`` given, a unit that recommends through another (the message says
which), an ``include``/``exclude`` naming an unknown or ineligible project.
"""

from __future__ import annotations

import argparse
import sys

from ..export import export_bytes, export_format
from ..pipeline import recommend_prepared
from .common import (add_pool_arguments, check_outputs, prepare_from_args, print_table, say, scenario_from_args,
                     write_bytes, write_json)
from .documents_args import add_document_arguments, check_document_arguments, write_documents
from .panel_cmd import add_recommend_options, panel_from_args, print_panel_summary


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("recommend", help="推荐项目及优先顺序 / recommend projects in priority order")
    add_pool_arguments(p)
    p.add_argument("--out", default=None, help="导出 OUT.xlsx 或 OUT.csv（已有文件需 --force）/ write the summary "
                   "table (.xlsx or .csv; an existing file only with --force)")
    p.add_argument("--save", default=None, metavar="NAME", help="保存本次运行 / save this run under NAME")
    p.add_argument("--db", default=None, help="运行记录数据库 / run database (default: user data folder)")
    add_document_arguments(p)
    if not any("--force" in a.option_strings for a in p._actions):
        p.add_argument("--force", dest="force", action="store_true",
                       help="覆盖已存在的输出文件 / replace existing output files")
    add_recommend_options(p)  # --panel SCORES and the panel's options (issue 11)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.out:
        export_format(args.out)
    check_outputs(args, args.out, args.json, args.docx, args.letter)
    documents = check_document_arguments(args)  # before any work: a refused letter or target fails fast
    scenario = scenario_from_args(args)
    prepared, by_rule = panel_from_args(args, prepare_from_args(args), scenario)
    rec = recommend_prepared(prepared, scenario, solver=args.solver)
    if args.out:
        write_bytes(args, args.out, export_bytes(rec, args.out))
    write_documents(args, rec, documents)
    if args.save:
        from ..store import RunStore

        RunStore(args.db).save(args.save, rec.unit, rec.level, rec.year, rec.input_sha256,
                               rec.scenario.to_toml(), rec.to_dict())
    if args.json:
        write_json({**rec.to_dict(), **({"panel_rules": by_rule.to_dict()} if by_rule else {})}, args.json, args)
    if args.json != "-":
        _print_summary(rec)
        if by_rule is not None:
            print_panel_summary(prepared, by_rule)
    return rec.exit_code


def _print_summary(rec) -> None:
    out = sys.stdout
    if rec.feasible:
        print_table(
            [{"rank": r["rank"], "project_id": r["project_id"], "score": f"{r['score']:.2f}",
              "project_name": r.get("project_name", ""), "city": r.get("city", ""), "industry": r.get("industry", "")}
             for r in rec.selected],
            ["rank", "project_id", "score", "project_name", "city", "industry"],
        )
    c = rec.counts()
    say(f"\n{rec.unit} · {rec.level} · {rec.year}：名额 {rec.quota}，状态 {rec.status}，推荐 {c['selected']}，"
        f"未推荐 {c['not_selected']}，不符合条件 {c['ineligible']}，无效 {c['invalid']}；总分 {rec.objective:.2f}", stream=out)
    say(f"{rec.unit} · {rec.level} · {rec.year}: quota {rec.quota}, status {rec.status}, recommended "
        f"{c['selected']}, not recommended {c['not_selected']}, ineligible {c['ineligible']}, invalid "
        f"{c['invalid']}; total score {rec.objective:.2f}", stream=out)
    for line in rec.explanation:
        say(f"! {line.get('zh', '')} / {line.get('en', '')}", stream=out)
