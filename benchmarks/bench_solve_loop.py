"""Time the solve loop of weight sampling: one reusable model vs rebuilding PuLP + CBC each time.

    python3 benchmarks/bench_solve_loop.py                  # K = 2,000 samples, 400 candidates
    python3 benchmarks/bench_solve_loop.py --check 2000     # compare picks on every sample (slow)

The pool has industry, city and group rules; only the scores change between samples (each
weight times an independent uniform factor in [0.8, 1.2], renormalised, seed 0). The fast path is
``SelectionModel.solve`` (HiGHS model kept, LP first, exact tie rule); the plain path rebuilds the
PuLP model and solves the integer program with CBC. The plain path's time per sample is measured
on --check samples, whose picks must equal the fast path's (as sets: the plain model has no tie
rule, so the pools are generated with continuous scores where ties do not occur).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import make_pool  # noqa: E402

from quota_opt.optimise import SCALE, SelectionModel, build_problem, build_pulp_model  # noqa: E402
from quota_opt.scenario import default_scenario  # noqa: E402
from quota_opt.score import score  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--pool", type=int, default=400)
    parser.add_argument("--quota", type=int, default=40)
    parser.add_argument("--check", type=int, default=100, help="samples also solved the plain way")
    args = parser.parse_args(argv)
    import pulp

    pool = make_pool(args.pool, seed=7)
    scen = default_scenario().with_constraints(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1)
    base = score(pool, scen)
    problem = build_problem(pool, base, args.quota, scen)
    norm = base.normalised.fillna(0.0).reindex(list(problem.project_ids)).to_numpy()
    w0 = np.array(list(base.weights.values()))
    rng = np.random.default_rng(0)
    weights = w0 * rng.uniform(0.8, 1.2, (args.samples, len(w0)))
    weights /= weights.sum(axis=1, keepdims=True)
    samples = np.round(100.0 * norm @ weights.T, 6).T

    model = SelectionModel(problem)
    started = time.perf_counter()
    fast = [model.solve(s, explain=False).selected for s in samples]
    fast_seconds = time.perf_counter() - started

    check = min(args.check, args.samples)
    started = time.perf_counter()
    mismatches = 0
    for k in range(check):
        lp, xs = build_pulp_model(problem, -np.rint(samples[k] * SCALE), integer=True)
        lp.solve(pulp.PULP_CBC_CMD(msg=False))
        plain = {problem.project_ids[i] for i, v in enumerate(xs) if (v.varValue or 0) > 0.5}
        mismatches += plain != set(fast[k])
    plain_per_sample = (time.perf_counter() - started) / check
    plain_seconds = plain_per_sample * args.samples

    print(f"pool {args.pool}, quota {args.quota}, {len(problem.rules)} rule rows, {args.samples} samples")
    print(f"reused model (HiGHS, LP first):  {fast_seconds:.2f} s total, {1000 * fast_seconds / args.samples:.2f} ms "
          f"per sample ({1000 * model.solver_seconds / args.samples:.2f} ms in the solver)")
    print(f"rebuild PuLP + CBC each sample:  {1000 * plain_per_sample:.1f} ms per sample (on {check}), "
          f"{plain_seconds:.1f} s for {args.samples}")
    print(f"speed-up: {plain_seconds / fast_seconds:.0f}x; picks differ on {mismatches} of {check} samples checked")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
