"""Time weight robustness against the plain approach, in one process, and check their picks agree.

    python3 benchmarks/bench_solve_loop.py                 # K = 2,000 samples, 400 candidates, every sample checked
    python3 benchmarks/bench_solve_loop.py --check 200     # check (and time the plain way on) 200 samples only

The pool (seed 7) has industry, city and group rules (at most 5 per industry, at most 4 and at
least 1 per city, at most 1 per group); quota 40. The weights are sampled as ``quota-opt
sensitivity`` does by default (each weight times an independent U[0.8, 1.2], renormalised, seed 0).

* fast: :func:`quota_opt.sensitivity.sensitivity`, timed whole: sampling, scoring (one matrix),
  solving every sample on one reused HiGHS model (LP first, exact tie rule) and the rank percentiles;
* plain: for each sample, rebuild the PuLP model and solve the integer program with CBC (scores
  given: only model building and solving are timed, which favours the plain side).

Every checked sample's picks must be identical as sets (the plain model has no tie rule; the
scores are continuous, so ties do not occur). With --check below --samples, the plain time is
extrapolated from the checked samples. Exit 0 when the picks agree and the goal holds (K = 2,000
in under 2 s, at least 20 times faster than plain), 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import make_pool  # noqa: E402

from quota_opt.optimise import SCALE, SelectionModel, build_problem, build_pulp_model  # noqa: E402
from quota_opt.scenario import default_scenario  # noqa: E402
from quota_opt.score import score, weighted_scores  # noqa: E402
from quota_opt.sensitivity import sample_weights, sensitivity  # noqa: E402

GOAL_SECONDS = 2.0
GOAL_RATIO = 20.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--pool", type=int, default=400)
    parser.add_argument("--quota", type=int, default=40)
    parser.add_argument("--spread", type=float, default=0.2)
    parser.add_argument("--check", type=int, default=None, help="samples also solved the plain way (default: all)")
    args = parser.parse_args(argv)
    import pulp

    pool = make_pool(args.pool, seed=7)
    scen = default_scenario().with_constraints(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1)

    started = time.perf_counter()
    report = sensitivity(pool, args.quota, scen, samples=args.samples, spread=args.spread, seed=0)
    fast_seconds = time.perf_counter() - started

    # The same samples, solved again to get each sample's picks (the report keeps frequencies only).
    base = score(pool, scen)
    problem = build_problem(pool, base, args.quota, scen)
    norm = base.normalised.reindex(list(problem.project_ids)).fillna(0.0).to_numpy()
    samples = weighted_scores(norm, sample_weights(base.weights, args.samples, args.spread, 0))
    batch = SelectionModel(problem).solve_many(samples)
    frequency = dict(zip(problem.project_ids, batch.picks.sum(axis=0) / args.samples))
    consistent = frequency == dict(zip(report.projects["project_id"], report.projects["selection_frequency"]))

    check = args.samples if args.check is None else min(args.check, args.samples)
    mismatches = 0
    plain_started = time.perf_counter()
    for k in range(check):
        model, xs = build_pulp_model(problem, -np.rint(samples[k] * SCALE), integer=True)
        model.solve(pulp.PULP_CBC_CMD(msg=False))
        if model.status != pulp.LpStatusOptimal:
            mismatches += bool(batch.feasible[k])
            continue
        plain = {problem.project_ids[i] for i, v in enumerate(xs) if (v.varValue or 0) > 0.5}
        mismatches += not batch.feasible[k] or plain != set(problem.ids_array[batch.picks[k]])
    plain_per_sample = (time.perf_counter() - plain_started) / max(check, 1)
    plain_seconds = plain_per_sample * args.samples
    ratio = plain_seconds / fast_seconds

    t = report.timings
    families = sorted({r.family for r in problem.rules})
    print(f"pool {args.pool}, quota {args.quota}, {len(problem.rules)} rule rows ({', '.join(families)}), "
          f"{args.samples} samples (spread {args.spread:g}, seed 0); {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"fast  (quota-opt sensitivity, one HiGHS model):  {fast_seconds:6.2f} s  (sampling and scores "
          f"{t['sampling']:.2f} s, solving {t['solving']:.2f} s = {1000 * t['solving'] / args.samples:.2f} ms per sample, "
          f"ranks {t['ranks']:.2f} s; LP integral on {report.lp_integral} of {args.samples})")
    extrapolated = "" if check == args.samples else f", extrapolated from {check}"
    print(f"plain (rebuild PuLP model + CBC per sample):    {plain_seconds:6.1f} s  ({1000 * plain_per_sample:.1f} ms per "
          f"sample{extrapolated})")
    print(f"speed-up: {ratio:.0f}x; picks identical on {check - mismatches} of {check} samples checked; "
          f"frequencies {'match' if consistent else 'DO NOT match'} the report")
    met = fast_seconds < GOAL_SECONDS and ratio >= GOAL_RATIO
    print(f"goal (K = 2,000 in under {GOAL_SECONDS:g} s, at least {GOAL_RATIO:g}x): {'met' if met else 'NOT met'}")
    return 0 if met and mismatches == 0 and consistent else 1


if __name__ == "__main__":
    raise SystemExit(main())
