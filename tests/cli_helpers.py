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


def console_script() -> str:
    """The installed ``quota-opt`` console script of the interpreter running the tests (a venv's own,
    else the one on PATH): the program a user runs, with whatever dependency versions are installed."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / "quota-opt"
    if beside.exists():
        return str(beside)
    found = shutil.which("quota-opt")
    if not found:
        raise RuntimeError("the quota-opt console script is not installed (pip install -e .)")
    return found


def run_script(*args, cwd=None, env=None, timeout: float = 300, stdin: str | None = None):
    """``quota-opt ARGS`` run as a subprocess: a CompletedProcess with text stdout and stderr
    (stdout exactly as a pipe receives it, file descriptor 1 included)."""
    import os
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([console_script(), *[str(a) for a in args]], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=full_env, timeout=timeout,
                          input=stdin if stdin is not None else "")
