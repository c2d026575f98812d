"""How the cost grows with the pool and with the samples: load, score, solve and total for 100 to
100,000 rows, and weight robustness for 100 to 10,000 samples.

    python3 benchmarks/bench_scale.py                       # rows 100 .. 100,000; samples 100 .. 10,000
    python3 benchmarks/bench_scale.py --rows 100 1000 --samples 100 1000
    python3 benchmarks/bench_scale.py --readme              # also rewrite the README table between its markers

Rows. A generated pool (tests/factories.make_pool, seed 42) is written as a CSV file with Chinese
headers, as an official hands it over, and recommended with the shipped scenario (no balance rule:
the quota alone, so the selection is a sort) for 四川省, excellent level, 2025:

* load, score, solve: the stages timed in this process (load: read the file, validate every cell,
  check eligibility; score: the weighted criteria; solve: build the problem, select, order);
* total and peak memory: ``quota-opt recommend FILE ... --json OUT`` run end to end as a child
  process (interpreter start, imports, every stage, writing the JSON), its peak resident memory
  from ``resource.getrusage`` of the child.

Samples. ``sensitivity()`` timed whole (sampling, scores, solving every sample, ranks) on 1,000
candidates with every rule family on (caps and floors per industry and city, a cap per group, a
minimum score), for each number of samples, in a process that has run one small analysis first
(loading the compiled simplex, about a second, happens once per process, not per size).

The goal of issue 13: 100,000 rows end to end in under 10 s with a peak under 1 GB. Exit 0 when met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from bench_recommend import write_pool_csv  # noqa: E402
from factories import make_pool  # noqa: E402

from quota_opt.memory import keep_freed_memory  # noqa: E402
from quota_opt.eligibility import check_eligibility  # noqa: E402
from quota_opt.load import read_table  # noqa: E402
from quota_opt.optimise import SelectionModel, build_problem  # noqa: E402
from quota_opt.order import order  # noqa: E402
from quota_opt.quota import QuotaEngine  # noqa: E402
from quota_opt.scenario import default_scenario  # noqa: E402
from quota_opt.score import score  # noqa: E402
from quota_opt.sensitivity import sensitivity  # noqa: E402
from quota_opt.validate import validate  # noqa: E402

UNIT, LEVEL, YEAR = "四川省", "excellent", 2025
GOAL_ROWS, GOAL_SECONDS, GOAL_MB = 100_000, 10.0, 1024.0
START, END = "<!-- bench_scale:start -->", "<!-- bench_scale:end -->"
RULES = dict(max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1, max_per_group=2, min_score=30.0)


def console_script() -> str:
    beside = Path(sys.executable).parent / "quota-opt"
    return str(beside) if beside.exists() else "quota-opt"


def child_run(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak resident MB, exit code) of ``args`` run as a child of a small wrapper process,
    so the peak is that child's alone."""
    wrapper = ("import resource, subprocess, sys, time, json\n"
               "t = time.perf_counter()\n"
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
               "s = time.perf_counter() - t\n"
               "print(json.dumps([s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode,"
               " p.stderr.decode('utf-8', 'replace')[-500:]]))\n")
    out = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, check=True)
    seconds, max_kb, code, err = json.loads(out.stdout)
    if code:
        print(f"  (the child exited {code}: {err.strip()})", file=sys.stderr)
    return seconds, max_kb / 1024.0, code


def stages(path: Path, quota: int) -> dict[str, float]:
    scen = default_scenario()
    t0 = time.perf_counter()
    validation = validate(read_table(path))
    eligible = check_eligibility(validation.candidates, UNIT, LEVEL, YEAR).eligible
    t1 = time.perf_counter()
    scored = score(eligible, scen)
    t2 = time.perf_counter()
    selection = SelectionModel(build_problem(eligible, scored, quota, scen)).solve()
    order(selection, eligible)
    t3 = time.perf_counter()
    return {"load": t1 - t0, "score": t2 - t1, "solve": t3 - t2, "eligible": len(eligible), "path": selection.path}


def rows_table(sizes: list[int], folder: Path) -> tuple[list[str], bool]:
    quota = QuotaEngine(YEAR).quota(UNIT, LEVEL).quota
    lines = ["| rows | load s | score s | solve s | total s (console script) | peak MB | solved by |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    met = True
    print("\n".join(lines), flush=True)
    for n in sizes:
        path = write_pool_csv(make_pool(n, seed=42), folder)
        st = stages(path, quota)
        seconds, peak, code = child_run([console_script(), "recommend", str(path), "--unit", UNIT, "--level", LEVEL,
                                         "--year", str(YEAR), "--json", str(folder / f"rec_{n}.json")])
        lines.append(f"| {n:,} | {st['load']:.2f} | {st['score']:.2f} | {st['solve']:.2f} | {seconds:.2f} | "
                     f"{peak:.0f} | {st['path']} |")
        print(lines[-1], flush=True)
        if n == GOAL_ROWS:
            met = code == 0 and seconds < GOAL_SECONDS and peak < GOAL_MB
    return lines, met


def samples_table(counts: list[int]) -> list[str]:
    pool = make_pool(1000, seed=42)
    scen = default_scenario().with_constraints(**RULES)
    lines = ["| samples | robustness s (1,000 candidates, every rule family) | ms per sample |",
             "| ---: | ---: | ---: |"]
    print("\n".join(lines), flush=True)
    # loading the compiled simplex (numba, about a second; once per process) is not any size's cost
    sensitivity(pool, 40, scen, samples=10)
    for k in counts:
        t0 = time.perf_counter()
        report = sensitivity(pool, 40, scen, samples=k)
        seconds = time.perf_counter() - t0
        assert report.samples == k
        lines.append(f"| {k:,} | {seconds:.2f} | {1000 * seconds / k:.3f} |")
        print(lines[-1], flush=True)
    return lines


def rewrite_readme(block: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    readme.write_text(pattern.sub(lambda _: f"{START}\n{block}\n{END}", text), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--samples", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--readme", action="store_true", help="rewrite the table in README.md between its markers")
    args = parser.parse_args(argv)
    # as the console script and the app run: freed memory kept for the next round (quota_opt.memory)
    keep_freed_memory()
    head = (f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} cores; `python3 benchmarks/bench_scale.py`")
    print(f"# quota-opt at scale ({head})\n")
    with tempfile.TemporaryDirectory(prefix="quota_opt_scale_") as tmp:
        rows, met = rows_table(args.rows, Path(tmp))
    print()
    samples = samples_table(args.samples)
    goal = (f"goal ({GOAL_ROWS:,} rows end to end under {GOAL_SECONDS:g} s, peak under {GOAL_MB:.0f} MB): "
            f"{'met' if met else 'NOT met'}" if GOAL_ROWS in args.rows else "")
    print(f"\n{goal}")
    if args.readme:
        block = "\n".join([f"Measured with {head}:", "", *rows, "", *samples, "", goal])  # markdown tables
        rewrite_readme(block)
    return 0 if met or GOAL_ROWS not in args.rows else 1


if __name__ == "__main__":
    raise SystemExit(main())
