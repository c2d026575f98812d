"""Time weight robustness outside the solver: sampling, scores, rank percentiles and the report table.

    python3 benchmarks/bench_analysis.py              # K = 2,000 x 400 candidates and K = 500 x 1,000
    python3 benchmarks/bench_analysis.py --repeat 25

Issue 13: the whole analysis of K = 2,000 samples should take 0.1 s, so everything but the samples'
selections (SelectionModel.solve_many, timed by bench_solve_loop.py) must cost a few milliseconds.
The pools and rules are bench_solve_loop.py's: 400 candidates (seed 7, caps per industry, city and
group, a floor per city), and 1,000 candidates with every rule family. Here solve_many is run once
per pool and then replayed (its recorded result returned at once), so :func:`quota_opt.sensitivity.sensitivity`
is timed without it. Two steps are also timed against the plain way in the same process, and must
give the same numbers bit for bit:

* scores of every sample: ``weighted_scores`` (in cache-sized blocks) against one sum over the whole
  matrix;
* rank percentiles: ``rank_percentiles`` (two integer sorts, or one and a count per rank) against a
  stable argsort per sample, the samples x projects rank matrix and ``np.percentile``.

Figures are the minimum over ``--repeat`` runs (the machine may be shared). Exit 0 when equal.
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
from reference_ranks import rank_percentiles_the_plain_way, scores_the_plain_way  # noqa: E402

from quota_opt.memory import keep_freed_memory  # noqa: E402
from quota_opt.optimise import SelectionModel  # noqa: E402
from quota_opt.scenario import default_scenario  # noqa: E402
from quota_opt.score import score, weighted_scores  # noqa: E402
from quota_opt.sensitivity import rank_percentiles, sample_weights, sensitivity  # noqa: E402


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return 1000 * min(times)


def case(name: str, pool, quota: int, scenario, samples: int, repeat: int) -> bool:
    solve_many = SelectionModel.solve_many
    recorded = {}

    def record(self, scores, **kwargs):
        recorded["batch"] = solve_many(self, scores, **kwargs)
        return recorded["batch"]

    def replay(self, scores, **kwargs):
        return recorded["batch"]

    SelectionModel.solve_many = record
    try:
        sensitivity(pool, quota, scenario, samples=samples)
        SelectionModel.solve_many = replay
        reports = []
        whole = best(lambda: reports.append(sensitivity(pool, quota, scenario, samples=samples)), repeat)
    finally:
        SelectionModel.solve_many = solve_many
    t = {k: 1000 * min(r.timings[k] for r in reports) for k in ("sampling", "ranks")}

    scored = score(pool, scenario)
    norm = scored.normalised.fillna(0.0).to_numpy(dtype=float)
    weights = sample_weights(scored.weights, samples)
    scores = weighted_scores(norm, weights)
    equal = (np.array_equal(scores, scores_the_plain_way(norm, weights))
             and np.array_equal(rank_percentiles(scores), rank_percentiles_the_plain_way(scores)))
    fast_scores, slow_scores = best(lambda: weighted_scores(norm, weights), repeat), best(
        lambda: scores_the_plain_way(norm, weights), repeat)
    fast_ranks, slow_ranks = best(lambda: rank_percentiles(scores), repeat), best(lambda: rank_percentiles_the_plain_way(scores), repeat)
    print(f"{name}: sensitivity() without solve_many {whole:6.1f} ms (scoring, building, the base solve, "
          f"sampling {t['sampling']:.1f} ms, ranks and table {t['ranks']:.1f} ms)")
    print(f"    sample scores {fast_scores:6.1f} ms (one sum over the matrix: {slow_scores:.1f} ms); rank percentiles "
          f"{fast_ranks:6.1f} ms (argsort, rank matrix, np.percentile: {slow_ranks:.1f} ms); "
          f"{'equal' if equal else 'NOT EQUAL'}")
    return equal


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    # as the console script and the app run: freed memory kept for the next round (quota_opt.memory)
    keep_freed_memory()
    small = default_scenario().with_constraints(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1)
    big_pool = make_pool(1000, seed=42)
    ids = list(big_pool["project_id"])
    every = default_scenario().with_constraints(max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1,
                                                max_per_group=2, min_score=30.0, include=ids[:2], exclude=ids[2:4])
    ok = case("K = 2,000 x 400 candidates", make_pool(400, seed=7), 40, small, 2000, args.repeat)
    ok &= case("K = 500 x 1,000 candidates", big_pool, 40, every, 500, args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
