"""``quota-opt scenarios list|show|compare|delete``: saved runs and how two of them differ.

A run is named by its id or by its name (the newest run of that name). The database is
``--db PATH``, else ``$QUOTA_OPT_DB``, else the file in the user's data folder (see
:mod:`quota_opt.store`).
"""

from __future__ import annotations

import argparse

from ..compare import compare_runs
from ..result import china_time
from ..errors import InputError
from ..store import RunStore
from .common import BilingualParser, print_json, print_table, say

SUMMARY_COLUMNS = ["id", "name", "created", "unit", "level", "year", "status", "objective", "n_selected"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="已保存的运行：列出、查看、比较、删除 / saved runs: list, show, compare, delete")
    common = BilingualParser(add_help=False)
    common.add_argument("--db", default=None,
                        help="运行记录数据库 / the saved-runs database (default: $QUOTA_OPT_DB or the user data folder)")
    common.add_argument("--format", choices=["table", "json"], default="table")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=BilingualParser)
    actions.add_parser("list", parents=[common], help="列出已保存的运行（最新在前）/ list saved runs, newest first")
    show = actions.add_parser("show", parents=[common], help="查看一次运行 / show one run")
    show.add_argument("run_id", metavar="ID", help="编号或名称 / id or name")
    compare = actions.add_parser("compare", parents=[common], help="比较两次运行 / compare two runs (A, then B)")
    compare.add_argument("a", metavar="A", help="参照运行的编号或名称 / id or name of the reference run")
    compare.add_argument("b", metavar="B", help="对比运行的编号或名称 / id or name of the other run")
    delete = actions.add_parser("delete", parents=[common], help="删除一次运行 / delete one run")
    delete.add_argument("run_id", metavar="ID", help="编号或名称（同名时删除最新的）/ id or name (the newest of that name)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    store = RunStore(args.db)
    return {"list": _list, "show": _show, "compare": _compare, "delete": _delete}[args.action](store, args)


def _number(value) -> str:
    return "—" if value is None else f"{value:.6g}"


def _list(store: RunStore, args: argparse.Namespace) -> int:
    runs = store.list()
    if args.format == "json":
        print_json([r.to_dict() for r in runs])
    elif not runs:
        say(f"没有已保存的运行 / no saved runs (database {store.path})")
    else:
        print_table([{**r.to_dict(), "created": china_time(r.created), "objective": _number(r.objective),
                      "status": "已损坏 damaged" if r.problem else r.status} for r in runs], SUMMARY_COLUMNS)
        for r in runs:
            if r.problem:
                zh, _, en = r.problem.partition(" / ")
                say(f"! 运行 {r.name} #{r.id} 的记录已损坏：{zh} / the record of run {r.name} #{r.id} is damaged: {en}")
    return 0


def _show(store: RunStore, args: argparse.Namespace) -> int:
    saved = store.get(args.run_id)
    if args.format == "json":
        print_json(saved.to_dict())
        return 0
    s, result = saved.summary, saved.result
    say(f"运行 / run: {saved.label}")
    for key in ("created", "unit", "level", "year"):
        say(f"  {key}: {china_time(s.created) if key == 'created' else getattr(s, key)}")
    say(f"  quota: {result.get('quota', '—')}")
    say(f"  status: {s.status}")
    say(f"  objective: {_number(s.objective)}")
    say(f"  input_sha256: {s.input_sha256 or '—'}")
    say(f"  version: {s.version}")
    say()
    say(f"入选 / selected: {s.n_selected}")
    if result["selected"]:
        print_table(result["selected"], ["rank", "project_id", "score"])
    counts = {key: len(result.get(key) or []) for key in ("not_selected", "ineligible", "invalid")}
    say(f"未入选 / not selected: {counts['not_selected']}; 不符合条件 / ineligible: {counts['ineligible']}; "
          f"无效 / invalid: {counts['invalid']}")
    if result.get("explanation"):
        say(f"说明 / explanation: {result['explanation']}")
    say()
    say("情景 / scenario:")
    say(saved.scenario_toml.strip() or "（默认 / defaults）")
    return 0


def _compare(store: RunStore, args: argparse.Namespace) -> int:
    comparison = compare_runs(store.get(args.a), store.get(args.b))
    if args.format == "json":
        print_json(comparison.to_dict())
    else:
        say(comparison.to_text())
    return 0


def _delete(store: RunStore, args: argparse.Namespace) -> int:
    saved = store.get(args.run_id)  # an unknown id or name is an InputError with the message
    if not store.delete(saved.id):  # another process deleted it in between
        raise InputError(f"运行 {saved.label} 已不存在", f"run {saved.label} no longer exists")
    if args.format == "json":
        print_json({"deleted": {"id": saved.id, "name": saved.name}})
    else:
        say(f"已删除 / deleted: {saved.label}")
    return 0
