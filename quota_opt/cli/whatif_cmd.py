"""``quota-opt whatif FILE --project ID``: what it would take for one project.

The total score given up by forcing the project in (or out, if recommended), which projects would
give or take its place, the score it would need to enter (or to stay), and the score the balance
rules cost the whole selection. Exit 0; 1 when the recommendation itself is infeasible; 2 on bad
input (including a project that is not an eligible candidate: the message says why).
"""

from __future__ import annotations

import argparse

from ..pipeline import prepare
from ..scenario import default_scenario, load_scenario
from ..whatif import what_if_prepared
from .common import add_year_level_unit, positive_int, write_json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("whatif", help="某项目入选或落选的代价与所需得分 / what it would take for one project")
    p.add_argument("file", metavar="FILE", help="候选项目表 .csv 或 .xlsx / the candidate file (.csv or .xlsx)")
    add_year_level_unit(p, unit_required=True)
    p.add_argument("--project", required=True, metavar="ID", help="项目编号 / the project's id")
    p.add_argument("--scenario", default=None, help="情景文件 TOML / scenario file (weights and rules)")
    p.add_argument("--quota", type=positive_int, default=None, help="用户指定名额 / override the quota")
    p.add_argument("--sheet", default=None, help="工作表名称（.xlsx）/ sheet name (.xlsx)")
    p.add_argument("--json", default=None, metavar="PATH|-", help="JSON 结果（- 为标准输出）/ JSON result (- for stdout)")
    p.add_argument("--solver", choices=["highs", "cbc"], default="highs", help="求解器 / solver (default highs)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario) if args.scenario else default_scenario()
    prepared = prepare(args.file, args.unit, args.level, args.year, quota=args.quota, data_dir=args.data_dir,
                       sheet=args.sheet)
    answer = what_if_prepared(prepared, args.project.strip(), scenario, solver=args.solver)
    if args.json:
        write_json(answer.to_dict(), args.json)
    if args.json != "-":
        for zh, en in [*answer.project.lines(), *answer.rules.lines()]:
            print(zh)
            print(f"  {en}")
    return answer.exit_code
