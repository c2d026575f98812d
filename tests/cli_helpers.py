"""Running the `quota-opt` CLI in-process for the tests: exit code, stdout and stderr."""

from __future__ import annotations

from quota_opt.cli import main


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """``quota-opt ARGS`` as the console script runs it; argparse usage errors give their exit code too."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
