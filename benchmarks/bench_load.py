"""Time reading, validating and checking the eligibility of a candidate CSV: the per-row checks (the
reference, tests/reference_validate.py and tests/reference_eligibility.py) against the column checks
quota-opt runs, in one process, on the same files, and check that both report exactly the same.

    python3 benchmarks/bench_load.py                     # 10,000 and 100,000 rows
    python3 benchmarks/bench_load.py --sizes 10000 --repeat 5

The files are written as an official hands them over (Chinese headers, 是/否 stage cells, UTF-8 with
BOM) from the seeded pools of tests/factories.py, for 四川省, excellent level, 2025. The goal: read,
validate and check eligibility of 10,000 rows in at most 0.2 s. The two sides take turns, each run from a
collected heap.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

import pandas as pd  # noqa: E402

from bench_recommend import write_pool_csv  # noqa: E402
from factories import make_pool  # noqa: E402
from quota_opt.memory import keep_freed_memory  # noqa: E402
from quota_opt.eligibility import check_eligibility  # noqa: E402
from quota_opt.load import read_table  # noqa: E402
from quota_opt.validate import validate  # noqa: E402
from reference_eligibility import reference_check_eligibility  # noqa: E402
from reference_validate import reference_validate  # noqa: E402

GOAL_ROWS, GOAL_SECONDS = 10_000, 0.2
UNIT, LEVEL, YEAR = "四川省", "excellent", 2025


def run(path: Path, validate_fn, eligibility_fn) -> tuple[dict[str, float], object, object]:
    """Seconds per stage (read, validate, eligibility, total) and the two results."""
    t0 = time.perf_counter()
    raw = read_table(path)
    t1 = time.perf_counter()
    result = validate_fn(raw)
    t2 = time.perf_counter()
    eligibility = eligibility_fn(result.candidates, UNIT, LEVEL, YEAR)
    t3 = time.perf_counter()
    return {"read": t1 - t0, "validate": t2 - t1, "eligibility": t3 - t2, "total": t3 - t0}, result, eligibility


def median_runs(path: Path, sides: dict[str, tuple], repeat: int) -> dict[str, tuple]:
    """Per side (name -> (validate, eligibility)): the median seconds of each stage over ``repeat`` runs and
    the last run's results. The sides take turns, each run starting from a collected heap (as timeit
    runs without the collector), so both meet the same machine and neither pays for the other's garbage."""
    runs: dict[str, list] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, (validate_fn, eligibility_fn) in sides.items():
            gc.collect()
            runs[name].append(run(path, validate_fn, eligibility_fn))
            runs[name][:-1] = [(r[0], None, None) for r in runs[name][:-1]]  # keep only the last results
    return {name: ({k: statistics.median(r[0][k] for r in rs) for k in rs[0][0]}, rs[-1][1], rs[-1][2])
            for name, rs in runs.items()}


def same(a, b) -> bool:
    """Both validations and eligibilities report exactly the same."""
    (va, ea), (vb, eb) = a, b
    try:
        for x, y in ((va.problems, vb.problems), (va.invalid, vb.invalid), (va.candidates, vb.candidates),
                     (ea.table, eb.table), (ea.eligible, eb.eligible)):
            pd.testing.assert_frame_equal(x, y)
    except AssertionError:
        return False
    return ea.notes == eb.notes


def fmt(times: dict[str, float]) -> str:
    return (f"{times['total']:.3f} s  (read {times['read']:.3f}, validate {times['validate']:.3f}, "
            f"eligibility {times['eligibility']:.3f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the median is shown")
    args = parser.parse_args(argv)
    # as the console script and the app run: freed memory kept for the next round (quota_opt.memory)
    keep_freed_memory()
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, pandas {pd.__version__}; "
          f"median of {args.repeat} runs (1 for 100,000 rows and more)")
    met = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            pool = make_pool(size, seed=7, credit_code="")
            pool.loc[pool.index[::97], "ai_scenario_share"] = float("nan")  # some cells with a problem
            path = write_pool_csv(pool, Path(tmp))
            repeat = args.repeat if size < 100_000 else 1
            both = median_runs(path, {"reference": (reference_validate, reference_check_eligibility),
                                      "columns": (validate, check_eligibility)}, repeat)
            (ref, ref_v, ref_e), (new, new_v, new_e) = both["reference"], both["columns"]
            agree = same((new_v, new_e), (ref_v, ref_e))
            print(f"rows {size:,} ({path.stat().st_size / 1e6:.1f} MB, {len(new_v.problems)} problems, "
                  f"{int(new_e.table['eligible'].sum()):,} eligible)")
            print(f"  reference (per-row checks): {fmt(ref)}")
            print(f"  column checks:              {fmt(new)}")
            print(f"  speed-up of validate + eligibility: "
                  f"{(ref['validate'] + ref['eligibility']) / max(new['validate'] + new['eligibility'], 1e-9):.1f}x; "
                  f"same problems and eligibility: {'yes' if agree else 'NO'}")
            if not agree:
                return 1
            if size == GOAL_ROWS:
                met = new["total"] <= GOAL_SECONDS
                print(f"goal (read, validate and eligibility of {GOAL_ROWS:,} rows in at most {GOAL_SECONDS} s): "
                      f"{'met' if met else 'not met'} ({new['total']:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
