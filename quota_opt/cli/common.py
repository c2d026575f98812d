"""Shared pieces of the CLI: a parser whose errors are bilingual one-liners, and output helpers."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any, Callable, Iterable, NoReturn

from ..errors import QuotaOptError

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2


class BilingualParser(argparse.ArgumentParser):
    """argparse, but a usage error is one bilingual line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        print(f"错误：命令参数有误（{message}）/ Error: bad arguments: {message}. "
              f"运行 / run: {self.prog} --help", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def fail(exc: QuotaOptError) -> int:
    print(exc.one_line(), file=sys.stderr)
    return EXIT_BAD_INPUT


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' 不是整数 / is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' 不能为负 / cannot be negative")
    return value


def add_year_level_unit(parser: argparse.ArgumentParser, unit_required: bool) -> None:
    parser.add_argument("--year", required=True, help="通知年度 / notice year, e.g. 2025")
    parser.add_argument("--level", required=True, help="层级 / level: excellent (卓越级) or leading (领航级)")
    parser.add_argument("--unit", required=unit_required, help="推荐单位 / recommending unit, e.g. 四川省, Sichuan, XPCC")
    parser.add_argument("--data-dir", default=None, help="参考数据目录 / folder with industrial_value_2024.csv and excellent_counts_2024.csv")


def add_pool_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every command that works on a candidate file shares (recommend, sensitivity, whatif)."""
    parser.add_argument("file", metavar="FILE", help="候选项目表 .csv 或 .xlsx / the candidate file (.csv or .xlsx)")
    add_year_level_unit(parser, unit_required=True)
    parser.add_argument("--scenario", default=None, help="情景文件 TOML / scenario file (weights and rules)")
    parser.add_argument("--quota", type=positive_int, default=None, help="用户指定名额 / override the quota")
    parser.add_argument("--sheet", default=None, help="工作表名称（.xlsx）/ sheet name (.xlsx)")
    parser.add_argument("--json", default=None, metavar="PATH|-", help="JSON 结果（- 为标准输出）/ JSON result (- for stdout)")
    parser.add_argument("--solver", choices=["highs", "cbc"], default="highs", help="求解器 / solver (default highs)")


def scenario_from_args(args: argparse.Namespace):
    """The scenario named by ``--scenario``, or the shipped default."""
    from ..scenario import default_scenario, load_scenario

    return load_scenario(args.scenario) if args.scenario else default_scenario()


def prepare_from_args(args: argparse.Namespace):
    """The file read, validated and checked for the unit, level and year of the options (see pipeline.prepare)."""
    from ..pipeline import prepare

    return prepare(args.file, args.unit, args.level, args.year, quota=args.quota, data_dir=args.data_dir,
                   sheet=args.sheet)


def print_json(payload: Any, stream=None) -> None:
    stream = stream or sys.stdout
    json.dump(payload, stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")


def write_json(payload: Any, path: str) -> None:
    """Write JSON to a path, or to stdout when the path is '-'."""
    if path == "-":
        print_json(payload)
        return
    with open(path, "w", encoding="utf-8") as fh:
        print_json(payload, fh)


def print_csv(rows: list[dict], columns: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()})
    sys.stdout.write(buf.getvalue())


def print_table(rows: list[dict], columns: Iterable[str]) -> None:
    """A plain aligned text table (wide characters counted as two cells)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    cols = list(columns)
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in cols] for r in rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(cols)]
    def line(values):
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()
    print(line(cols))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))


def terminal_progress(label: str, stream=None) -> Callable[[int, int], None] | None:
    """A one-line progress bar on stderr, or None when stderr is not a terminal (piped or
    redirected output gets nothing extra). The line is wiped when the work is done."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    if not callable(isatty) or not isatty():
        return None
    width = 30
    shown = [0]

    def update(done: int, total: int) -> None:
        filled = width * done // total if total else width
        line = f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        shown[0] = max(shown[0], len(line))
        stream.write(line)
        if done >= total:
            stream.write("\r" + " " * shown[0] + "\r")
        stream.flush()

    return update
