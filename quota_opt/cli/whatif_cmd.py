"""``quota-opt whatif FILE --project ID``: what it would take for one project.

The total score given up by forcing the project in (or out, if recommended), which projects would
give or take its place, the score it would need to enter (or to stay), and the score the balance
rules cost the whole selection. Exit 0; 1 when the recommendation itself is infeasible; 2 on bad
input (including a project that is not an eligible candidate: the message says why).
"""

from __future__ import annotations

import argparse

from ..whatif import what_if_prepared
from .common import add_pool_arguments, check_outputs, prepare_from_args, say, scenario_from_args, write_json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("whatif", help="某项目入选或落选的代价与所需得分 / what it would take for one project")
    add_pool_arguments(p)
    p.add_argument("--project", required=True, metavar="ID", help="项目编号 / the project's id")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_outputs(args, args.json)
    scenario = scenario_from_args(args)
    prepared = prepare_from_args(args)
    answer = what_if_prepared(prepared, args.project.strip(), scenario, solver=args.solver)
    if args.json:
        write_json(answer.to_dict(), args.json, args)
    if args.json != "-":
        for zh, en in [*answer.project.lines(), *answer.rules.lines()]:
            say(zh)
            say(f"  {en}")
    return answer.exit_code
