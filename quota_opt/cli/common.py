"""Shared pieces of the CLI: a parser whose errors are bilingual one-liners, and output helpers."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from typing import Any, Callable, Iterable, NoReturn

from ..errors import InputError, QuotaOptError
from ..safeio import OutputError, check_target, write_output
from ..textsafe import json_printable, neutralise, printable

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2


class BilingualParser(argparse.ArgumentParser):
    """argparse, but a usage error is one bilingual line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        say(f"错误：命令参数有误（{message}）/ Error: bad arguments: {message}. "
            f"运行 / run: {self.prog} --help", stream=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def fail(exc: QuotaOptError) -> int:
    say(exc.one_line(), stream=sys.stderr)
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
    parser.add_argument("--reason", default=None, help="指定名额的理由（记入名额依据）/ why the quota is overridden "
                        "(recorded in its basis)")
    parser.add_argument("--sheet", default=None, help="工作表名称（.xlsx）/ sheet name (.xlsx)")
    parser.add_argument("--json", default=None, metavar="PATH|-",
                        help="JSON 结果（- 为标准输出；已有文件需 --force）/ JSON result (- for stdout; an existing file "
                        "only with --force)")
    add_force(parser)
    parser.add_argument("--solver", choices=["highs", "cbc"], default="highs", help="求解器 / solver (default highs)")


def scenario_from_args(args: argparse.Namespace):
    """The scenario named by ``--scenario``, or the shipped default."""
    from ..scenario import default_scenario, load_scenario

    return load_scenario(args.scenario) if args.scenario else default_scenario()


def prepare_from_args(args: argparse.Namespace):
    """The file read, validated and checked for the unit, level and year of the options (see
    pipeline.prepare). A file with no valid row (a required column missing, the wrong sheet) is
    bad input, exit 2, with its first problems named: nothing can be recommended from it."""
    from ..pipeline import prepare

    prepared = prepare(args.file, args.unit, args.level, args.year, quota=args.quota, data_dir=args.data_dir,
                       sheet=args.sheet, quota_reason=getattr(args, "reason", None))
    no_valid_row(prepared.validation)
    return prepared


def no_valid_row(validation) -> None:
    """An :class:`InputError` when a validated file has no valid row (see :func:`prepare_from_args`)."""
    if len(validation.candidates):
        return
    errors = validation.errors.to_dict("records")
    where = f"“{validation.source}”" + (f"（工作表“{validation.sheet}”）" if validation.sheet else "")
    where_en = f"'{validation.source}'" + (f" (sheet '{validation.sheet}')" if validation.sheet else "")
    first_zh = "；".join(dict.fromkeys(p["message_zh"] for p in errors[:3]))
    first_en = "; ".join(dict.fromkeys(p["message_en"] for p in errors[:3]))
    more = len(errors) - min(len(errors), 3)
    raise InputError(
        f"文件{where}没有一行有效数据（{validation.rows} 行均有错误），无法推荐：{first_zh}"
        + (f"；另有 {more} 个问题，可用 quota-opt validate 查看" if more else ""),
        f"the file {where_en} has no valid row ({validation.rows} rows, all with errors), so nothing can be "
        f"recommended: {first_en}" + (f"; {more} more problems: see quota-opt validate" if more else ""),
    )


def json_text(payload: Any) -> str:
    """The JSON document the CLI prints or writes: indented, UTF-8 characters as they are, except
    the control and bidi characters :func:`quota_opt.textsafe.json_printable` escapes."""
    return json_printable(json.dumps(payload, ensure_ascii=False, indent=2, default=str)) + "\n"


def print_json(payload: Any, stream=None) -> None:
    (stream or sys.stdout).write(json_text(payload))


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="覆盖已有的输出文件 / replace an existing output file (--out, --json PATH)")


def check_outputs(args: argparse.Namespace, *paths: str | None) -> None:
    """Refuse, before any work, output paths that :func:`quota_opt.safeio.write_output` would refuse
    (an input file, a link, a folder, a missing folder, an existing file without ``--force``), and
    two outputs naming one file. ``-`` (standard output) and None are skipped."""
    targets = [p for p in paths if p and p != "-"]
    for path in targets:
        check_target(path, inputs=input_files(args), force=getattr(args, "force", False))
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            if os.path.realpath(a) == os.path.realpath(b):
                raise OutputError(f"两个输出选项指向同一个文件 {a}", f"two output options name the same file {a}")


def input_files(args: argparse.Namespace) -> list[str]:
    """The files a command reads (the candidate file, the scenario, the run database), which no output
    may overwrite."""
    files = [getattr(args, name, None) for name in ("file", "pool", "scenario", "db", "experts", "recusals", "scheme")]
    files += list(getattr(args, "panel", None) or [])  # recommend --panel SCORES (repeatable)
    return [p for p in files if p and p != "-"]


def write_bytes(args: argparse.Namespace, path: str, data: bytes) -> None:
    """Write an output file through :func:`quota_opt.safeio.write_output` (atomic, never over an
    input, never through a link, an existing file only with ``--force``)."""
    write_output(path, data, inputs=input_files(args), force=getattr(args, "force", False))


def write_json(payload: Any, path: str, args: argparse.Namespace | None = None) -> None:
    """Write JSON to a path (see :func:`write_bytes`), or to stdout when the path is '-'."""
    if path == "-":
        print_json(payload)
        return
    write_bytes(args or argparse.Namespace(), path, json_text(payload).encode("utf-8"))


def say(text: Any = "", *, stream=None) -> None:
    """Print text that may hold text from a file: control characters are shown escaped
    (:func:`quota_opt.textsafe.printable`); line breaks stay."""
    print(printable(text, keep_newlines=True), file=stream or sys.stdout)


def print_csv(rows: list[dict], columns: list[str]) -> None:
    """CSV on stdout: formula-like text neutralised as in every CSV the tool writes, control
    characters escaped as on every terminal output."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()})
    sys.stdout.write(buf.getvalue())


def _csv_value(value: Any) -> Any:
    return printable(neutralise(value)) if isinstance(value, str) else value


def print_table(rows: list[dict], columns: Iterable[str]) -> None:
    """A plain aligned text table (wide characters counted as two cells); every cell shown with
    its control characters escaped (:func:`quota_opt.textsafe.printable`)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    keys = list(columns)
    cols = [printable(c) for c in keys]
    cells = [[printable("" if r.get(c) is None else r.get(c)) for c in keys] for r in rows]
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
