"""``quota-opt rules``: the notice rules of every year, shipped or the user's own.

* ``rules list`` -- every year with its document number and where its file is;
* ``rules show --year Y [--format toml|json]`` -- one year's rules;
* ``rules new --year 2026 --from 2025 [--dir DIR]`` -- an editable copy for a new year (prints its path);
* ``rules check FILE [--data-dir DIR]`` -- exit 0, or 2 with every problem, each with its line and key.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

from ..errors import InputError
from ..rulefiles import new_year
from ..rules import check_text, load_notice, notice_path, rule_files
from .common import EXIT_BAD_INPUT, EXIT_OK, print_json, print_table
from .quota_cmd import printable

MAX_RULES_BYTES = 1_000_000  # a rule file is a few kilobytes; anything this big is not one


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="通知规则：列出、查看、新建、检查 / notice rules: list, show, new, check")
    actions = p.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=type(p))
    a = actions.add_parser("list", help="每个年度的规则及文号 / every year's rules and document number")
    a.set_defaults(run=run_list)
    a = actions.add_parser("show", help="查看一个年度的规则 / one year's rules")
    a.add_argument("--year", required=True, help="通知年度 / notice year")
    a.add_argument("--format", choices=["toml", "json"], default="toml")
    a.set_defaults(run=run_show)
    a = actions.add_parser("new", help="以某年度规则为起点新建一个年度 / start a new year from an earlier one")
    a.add_argument("--year", required=True, type=int, help="新年度 / the new year, e.g. 2026")
    a.add_argument("--from", dest="from_year", required=True, type=int, help="起点年度 / the year to start from")
    a.add_argument("--dir", default=None, help="写入的文件夹（默认用户规则文件夹）/ folder to write to (default: the user rules folder)")
    a.set_defaults(run=run_new)
    a = actions.add_parser("check", help="检查规则文件 / check a rule file")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--data-dir", default=None, help="参考数据目录 / reference data folder")
    a.set_defaults(run=run_check)
    p.set_defaults(run=run_none)


def run_none(args: argparse.Namespace) -> int:
    raise InputError("请给出 list、show、new 或 check", "give one of list, show, new, check")


def run_list(args: argparse.Namespace) -> int:
    files = rule_files()
    shipped = {f.year for f in files if f.shipped}
    rows = []
    for f in files:
        try:
            text = f.path.read_text(encoding="utf-8-sig")
            document = str(tomllib.loads(text).get("document", ""))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            text, document = "", ""
            note = f"无法读取 / unreadable: {exc}"
        else:
            errors = [] if f.shipped else [p for p in check_text(text, f.path.name) if p.severity == "error"]
            if not f.shipped and f.year in shipped:
                note = "不能替代随软件提供的规则 / refused: a shipped year"
            elif errors:
                note = f"{len(errors)} 处错误，见 rules check / {len(errors)} error(s): see rules check"
            else:
                note = ""
        rows.append({"year": f.year, "origin": "shipped" if f.shipped else "user", "document": printable(document),
                     "file": printable(f.path.name if f.shipped else str(f.path)), "note": note})
    print_table(rows, ["year", "origin", "document", "file", "note"])
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    load_notice(args.year)  # refuses a user file for a shipped year, and a file with errors
    text = notice_path(args.year).path.read_text(encoding="utf-8-sig")
    if args.format == "json":
        print_json(tomllib.loads(text))
    else:
        sys.stdout.write(printable_text(text))
    return EXIT_OK


def printable_text(text: str) -> str:
    """Text without control characters other than newlines and tabs."""
    return "\n".join(printable(line.replace("\t", "    ")) for line in text.splitlines()) + "\n"


def run_new(args: argparse.Namespace) -> int:
    path = new_year(args.year, args.from_year, args.dir)
    print(printable(str(path)))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_RULES_BYTES:
            raise InputError(f"规则文件 {path} 超过 {MAX_RULES_BYTES} 字节", f"rule file {path} is over {MAX_RULES_BYTES} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取规则文件 {path}：{exc}", f"cannot read rule file {path}: {exc}") from None
    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        raise InputError(f"找不到数据文件夹 {args.data_dir}", f"data folder not found: {args.data_dir}")
    problems = check_text(text, path.name, args.data_dir)
    for p in problems:
        print(printable(f"{path.name}:{p.line}: {p.one_line()}"), file=sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return EXIT_BAD_INPUT
    print(printable(f"规则文件无错误 / no errors in {path.name}" + (f"（{len(problems)} 条警告 / warning(s)）" if problems else "")))
    return EXIT_OK
