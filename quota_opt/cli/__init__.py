"""The ``quota-opt`` command line. Each subcommand lives in its own module and only calls the core.

Exit codes (a contract): 0 success; 1 an infeasible recommendation; 2 bad input. Errors are
one line on stderr in Chinese and English, never a traceback.
"""

from __future__ import annotations

import sys

from ..errors import QuotaOptError
from ..memory import keep_freed_memory
from .common import BilingualParser, fail
from . import quota_cmd, recommend_cmd, scenarios_cmd, sensitivity_cmd, template_cmd, validate_cmd, whatif_cmd
from . import panel_cmd, profile_cmd, rules_cmd

# Subcommand modules, each with add_parser(subparsers) and run(args) -> int.
COMMANDS = [quota_cmd, validate_cmd, template_cmd, recommend_cmd, scenarios_cmd, sensitivity_cmd, whatif_cmd,
            panel_cmd, profile_cmd, rules_cmd]


def build_parser() -> BilingualParser:
    parser = BilingualParser(
        prog="quota-opt",
        description="智能工厂梯度培育行动推荐名额与优先顺序 / quotas and priority lists for the "
        "Smart Factory Gradient Cultivation Action",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"quota-opt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=BilingualParser)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    keep_freed_memory()  # repeated analyses reuse their memory (see quota_opt.memory)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        code = int(args.run(args) or 0)
        sys.stdout.flush()  # a full or closed standard output is reported here, not at interpreter exit
        return code
    except QuotaOptError as exc:
        return fail(exc)
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _discard_stdout()
        return 0
    except OSError as exc:  # output files go through quota_opt.safeio; this is standard output, or a file named
        if exc.filename:
            print(f"错误：无法读写 {exc.filename}（{exc.strerror}）/ Error: cannot read or write {exc.filename} "
                  f"({exc.strerror})", file=sys.stderr)
            return 2
        _discard_stdout()
        print(f"错误：无法写入标准输出（{exc.strerror}）/ Error: cannot write standard output ({exc.strerror})",
              file=sys.stderr)
        return 2


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's final flush finds nothing to fail on."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
