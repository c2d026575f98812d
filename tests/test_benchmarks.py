"""The solve-loop benchmark runs and its two sides agree (a small run; the full one is quoted in the README)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_solve_loop.py"


def test_the_solve_loop_benchmark_checks_every_sample_against_pulp_and_cbc(capsys):
    spec = importlib.util.spec_from_file_location("bench_solve_loop", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(["--samples", "40", "--pool", "80", "--quota", "20", "--skip-goal2"])
    out = capsys.readouterr().out
    assert "picks identical on 40 of 40 samples checked" in out and "frequencies match the report" in out
    assert "speed-up:" in out and "goal" in out


def test_the_load_benchmark_runs_both_sides_and_checks_they_report_the_same(capsys):
    spec = importlib.util.spec_from_file_location("bench_load", BENCH.with_name("bench_load.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--sizes", "300", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "rows 300" in out and "reference (per-row checks):" in out and "column checks:" in out
    assert "same problems and eligibility: yes" in out and "speed-up of validate + eligibility:" in out


def test_the_prepare_benchmark_times_both_sides_and_checks_they_agree(capsys):
    spec = importlib.util.spec_from_file_location("bench_prepare", BENCH.with_name("bench_prepare.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--sizes", "300", "--repeat", "2"]) == 0
    out = capsys.readouterr().out
    assert "candidates 300" in out and "score:" in out and "build_problem:" in out and "speed-up" in out
    assert "same scores and problem: yes" in out
