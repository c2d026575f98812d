"""``quota-opt template OUT.xlsx``: write the blank candidate template."""

from __future__ import annotations

import argparse

from ..template import write_template
from .common import say


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="生成空白候选项目模板 / write the blank candidate template (.xlsx)")
    p.add_argument("out", metavar="OUT.xlsx", help="输出文件 / the workbook to write")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    p.add_argument("--panel", action="store_true", help="专家评分表模板（长表与宽表）/ the expert panel's score-sheet template (both forms)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = write_template(args.out, overwrite=args.force, panel=args.panel)
    say(f"已生成模板 / template written: {path}")
    return 0


__all__ = ["add_parser", "run"]
