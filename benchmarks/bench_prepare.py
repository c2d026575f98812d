"""Time what runs before any solving, on every call and every weight change: scoring the pool and building
the problem. The way before issue 13 made them work by columns (the reference: ``previous_score`` of
tests/reference_score.py and ``reference_build_problem`` of tests/reference_problem.py) against the column way
quota-opt runs, in one process, on the same pools, and check that both give exactly the same.

    python3 benchmarks/bench_prepare.py                        # 1,000, 10,000 and 100,000 candidates
    python3 benchmarks/bench_prepare.py --sizes 1000 --repeat 50

The pools are the seeded ones of tests/factories.py (seed 42); the scenario is goal 2's of
benchmarks/bench_solve_loop.py (the default weights; caps and floors per industry and city, a cap per group, a
minimum score, two must-include and two excluded projects; quota 40), whose whole analysis issue 13 wants in
at most 80 ms (these two steps are part of it). The two sides take turns, each run with the
garbage collector off (as ``timeit`` runs); the median and the shortest of ``--repeat`` runs are shown (3
runs from 100,000 candidates on). On this shared 2-core machine the same run varies by half from one try
to the next; the shortest is what the code costs, the median what a user meets on a busy machine.

Exit 0 when both sides give the same scores and problems.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pandas as pd  # noqa: E402

from factories import make_pool  # noqa: E402
from quota_opt.memory import keep_freed_memory  # noqa: E402
from quota_opt.optimise import build_problem  # noqa: E402
from quota_opt.scenario import default_scenario  # noqa: E402
from quota_opt.score import score  # noqa: E402
from reference_problem import problem_differences, reference_build_problem  # noqa: E402
from reference_score import previous_score, score_differences  # noqa: E402

QUOTA = 40
RULES = dict(max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1, max_per_group=2, min_score=30.0)


def timed(run) -> tuple[float, object]:
    """Seconds of one run with the garbage collector off (as timeit times), and its result."""
    gc.disable()
    try:
        started = time.perf_counter()
        result = run()
        return time.perf_counter() - started, result
    finally:
        gc.enable()


def median_runs(sides: dict[str, object], repeat: int) -> dict[str, tuple[float, float, object]]:
    """Per side (name -> function): the median and the shortest seconds over ``repeat`` runs, the sides taking
    turns, and the last run's result."""
    runs: dict[str, list[float]] = {name: [] for name in sides}
    last: dict[str, object] = {}
    for _ in range(repeat):
        for name, run in sides.items():
            seconds, last[name] = timed(run)
            runs[name].append(seconds)
    return {name: (statistics.median(runs[name]), min(runs[name]), last[name]) for name in sides}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30, help="runs per side; the median is shown (3 from 100,000 rows)")
    args = parser.parse_args(argv)
    # as the console script and the app run: freed memory kept for the next round (quota_opt.memory)
    keep_freed_memory()
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, pandas {pd.__version__}; median (shortest) "
          f"of {args.repeat} runs per side (3 from 100,000 candidates on), the sides taking turns")
    agree = True
    for size in args.sizes:
        pool = make_pool(size, seed=42)
        ids = list(pool["project_id"])
        scen = default_scenario().with_constraints(**RULES, include=ids[:2], exclude=ids[2:4])
        repeat = args.repeat if size < 100_000 else min(args.repeat, 3)
        score(pool, scen), previous_score(pool, scen)  # imports and first calls out of the timing
        scored = median_runs({"reference": lambda: previous_score(pool, scen), "columns": lambda: score(pool, scen)},
                             repeat)
        base = scored["columns"][2]
        built = median_runs({"reference": lambda: reference_build_problem(pool, base, QUOTA, scen),
                             "columns": lambda: build_problem(pool, base, QUOTA, scen)}, repeat)
        differ = (score_differences(scored["columns"][2], scored["reference"][2])
                  + problem_differences(built["columns"][2], built["reference"][2]))
        agree = agree and not differ
        problem = built["columns"][2]
        print(f"candidates {size:,} ({len(problem.rules)} rule rows, {len(base.missing)} projects missing a value)")
        for what, both in (("score", scored), ("build_problem", built)):
            (ref, ref_short, _), (new, new_short, _) = both["reference"], both["columns"]
            print(f"  {what + ':':15s} reference {1000 * ref:9.2f} ms ({1000 * ref_short:.2f}), columns "
                  f"{1000 * new:8.2f} ms ({1000 * new_short:.2f}), speed-up {ref / max(new, 1e-9):5.1f}x")
        print(f"  same scores and problem: {'yes' if not differ else 'NO (' + ', '.join(differ) + ')'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
