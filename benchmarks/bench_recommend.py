"""Time a full recommendation (load, score, build, solve, order) on synthetic pools, for each solver.

    python3 benchmarks/bench_recommend.py                 # pools of 100, 1,000 and 10,000
    python3 benchmarks/bench_recommend.py --sizes 1000 --repeat 7

Every constraint family is on: caps and floors per industry and city (general and named),
a cap per enterprise group, a minimum score, must-include and must-exclude projects. Solver
time is the time spent inside the solver; the other columns are wall-clock time of each stage.
"load" is the real front of the pipeline on a CSV file with Chinese headers written for the
pool: read_table (encoding detection, parsing) + validate (every cell) + check_eligibility.
Figures are medians over --repeat runs. The script also checks that both solvers pick the same
projects in the same order.
"""

from __future__ import annotations

import argparse
import csv
import platform
import tempfile
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import make_pool  # noqa: E402

from quota_opt.memory import keep_freed_memory  # noqa: E402
from quota_opt.columns import COLUMNS_BY_NAME, STAGE_COLUMNS  # noqa: E402
from quota_opt.eligibility import check_eligibility  # noqa: E402
from quota_opt.load import read_table  # noqa: E402
from quota_opt.optimise import SelectionModel, build_problem, make_solver  # noqa: E402
from quota_opt.order import order  # noqa: E402
from quota_opt.scenario import default_scenario  # noqa: E402
from quota_opt.score import score  # noqa: E402
from quota_opt.validate import validate  # noqa: E402


def write_pool_csv(pool, folder: Path) -> Path:
    """The pool as an official would hand it over: Chinese headers, 是/否 stage cells, GBK-safe text."""
    path = folder / f"pool_{len(pool)}.csv"
    columns = [c for c in pool.columns if c in COLUMNS_BY_NAME]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([COLUMNS_BY_NAME[c].zh for c in columns])
        for rec in pool[columns].to_dict("records"):
            row = []
            for c in columns:
                v = rec[c]
                if c in STAGE_COLUMNS:
                    v = "是" if v else "否"
                elif isinstance(v, float) and v != v:
                    v = ""
                row.append(v)
            writer.writerow(row)
    return path


def load_once(path: Path):
    t0 = time.perf_counter()
    validation = validate(read_table(path))
    eligible = check_eligibility(validation.candidates, "四川省", "excellent", 2025)
    assert len(validation.invalid) == 0
    return eligible.eligible, time.perf_counter() - t0


def scenario_for(pool):
    ids = list(pool["project_id"])
    return default_scenario().with_constraints(
        max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1, max_per_group=2, min_score=30.0,
        include=ids[:2], exclude=ids[2:4], industry_max={"汽车制造业": 3}, city_min={"成都市": 3},
        city_max={"绵阳市": 3}, group_max={"东方电气集团": 1},
    )


def run_once(path, scen, quota, solver):
    pool, load_seconds = load_once(path)
    t0 = time.perf_counter()
    scored = score(pool, scen)
    t1 = time.perf_counter()
    problem = build_problem(pool, scored, quota, scen)
    t2 = time.perf_counter()
    selection = SelectionModel(problem, make_solver(solver)).solve()
    t3 = time.perf_counter()
    result = order(selection, pool)
    t4 = time.perf_counter()
    return {
        "load": load_seconds, "score": t1 - t0, "build": t2 - t1, "solve": t3 - t2, "solver": selection.solver_seconds, "order": t4 - t3,
        "total": t4 - t0 + load_seconds, "solves": selection.solves, "path": selection.path, "status": selection.status,
        "picks": tuple(result.selected["project_id"]), "rows": len(problem.rules),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--solvers", nargs="+", default=["highs", "cbc"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    # as the console script and the app run: freed memory kept for the next round (quota_opt.memory)
    keep_freed_memory()

    print(f"# quota-opt recommendation benchmark ({platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, median of {args.repeat})")
    print()
    print("| pool | quota | rows | solver | load ms | score ms | build ms | solve ms | solver time ms | order ms | total ms | LP/MIP | solves |")
    print("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    agree = True
    folder = Path(tempfile.mkdtemp(prefix="quota_opt_bench_"))
    for n in args.sizes:
        pool = make_pool(n, seed=args.seed)
        path = write_pool_csv(pool, folder)
        scen = scenario_for(pool)
        quota = 20 if n <= 100 else 40
        picks = {}
        for solver in args.solvers:
            runs = [run_once(path, scen, quota, solver) for _ in range(args.repeat)]
            med = {k: statistics.median(r[k] for r in runs) * 1000 for k in ("load", "score", "build", "solve", "solver", "order", "total")}
            picks[solver] = runs[0]["picks"]
            print(f"| {n:,} | {quota} | {runs[0]['rows']} | {solver} | {med['load']:.1f} | {med['score']:.1f} | {med['build']:.1f} | "
                  f"{med['solve']:.1f} | {med['solver']:.1f} | {med['order']:.1f} | {med['total']:.1f} | "
                  f"{runs[0]['path']} | {runs[0]['solves']} |")
            assert all(r["status"] == "optimal" for r in runs)
        if len(set(picks.values())) > 1:
            agree = False
            print(f"\nsolvers disagree on the pool of {n}: {picks}")
    print()
    print("Both solvers picked the same projects in the same order: " + ("yes" if agree else "NO"))
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
