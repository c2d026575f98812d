"""``quota-opt sensitivity FILE``: how often each eligible project is picked as the weights vary.

Samples weight vectors around the scenario's weights (each times U[1 - spread, 1 + spread], or a
Dirichlet centred on them), solves each with all the rules and lists every eligible project with
its selection frequency, its class (core, borderline, exterior) and its rank range. Exit 0; 1 when
the base case (the scenario's own weights) is infeasible; 2 on bad input. A progress bar is shown
on stderr only when stderr is a terminal.
"""

from __future__ import annotations

import argparse

from ..sensitivity import CLASS_ZH, DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_SPREAD, MAX_SAMPLES, sensitivity_prepared
from .common import (add_pool_arguments, check_outputs, positive_int, prepare_from_args, print_table, say,
                     scenario_from_args, terminal_progress, write_json)


def sample_count(text: str) -> int:
    """``--samples``: a whole number from 1 to MAX_SAMPLES, checked as the options are read (before any work)."""
    value = positive_int(text)
    if not 1 <= value <= MAX_SAMPLES:
        raise argparse.ArgumentTypeError(f"'{text}' 应在 1 到 {MAX_SAMPLES} 之间 / must be from 1 to {MAX_SAMPLES}")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sensitivity", help="权重稳健性：权重变化时各项目入选的频率 / weight robustness: how often "
                       "each project is picked as the weights vary")
    add_pool_arguments(p)
    p.add_argument("--samples", type=sample_count, default=DEFAULT_SAMPLES,
                   help=f"权重样本数，至多 {MAX_SAMPLES} / number of weight samples, at most {MAX_SAMPLES} "
                   f"(default {DEFAULT_SAMPLES})")
    p.add_argument("--spread", type=float, default=DEFAULT_SPREAD,
                   help=f"每个权重乘以 U[1-S, 1+S] / each weight times U[1-S, 1+S] (default {DEFAULT_SPREAD})")
    p.add_argument("--seed", type=positive_int, default=DEFAULT_SEED, help=f"随机种子 / random seed (default {DEFAULT_SEED})")
    p.add_argument("--dirichlet", type=float, default=None, metavar="CONCENTRATION",
                   help="改用以权重为中心的狄利克雷分布 / sample from a Dirichlet centred on the weights instead")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_outputs(args, args.json)
    scenario = scenario_from_args(args)
    prepared = prepare_from_args(args)
    report = sensitivity_prepared(prepared, scenario, samples=args.samples, spread=args.spread, seed=args.seed,
                                  dirichlet=args.dirichlet, solver=args.solver,
                                  progress=terminal_progress("权重抽样 / sampling weights"))
    if args.json:
        write_json(report.to_dict(), args.json, args)
    if args.json != "-":
        _print_summary(report)
    return report.exit_code


def _rank_range(r: dict) -> str:
    return f"{r['rank_p05']:g}–{r['rank_p95']:g} ({r['rank_p50']:g})"


def _print_summary(report) -> None:
    rows = [{"project_id": r["project_id"], "class": f"{CLASS_ZH[r['class']]} {r['class']}",
             "frequency": f"{r['selection_frequency']:.3f}", "rank p5–p95 (p50)": _rank_range(r),
             "base": "✓" if r["base_selected"] else "", "project_name": r.get("project_name") or ""}
            for r in report.projects.to_dict("records")]
    print_table(rows, ["project_id", "class", "frequency", "rank p5–p95 (p50)", "base", "project_name"])
    c = report.counts()
    if report.method == "uniform":
        how_zh, how_en = f"各权重乘以 U[{1 - report.spread:g}, {1 + report.spread:g}] 后归一", \
            f"each weight times U[{1 - report.spread:g}, {1 + report.spread:g}], renormalised"
    else:
        how_zh, how_en = f"以权重为中心的狄利克雷分布，集中度 {report.concentration:g}", \
            f"Dirichlet centred on the weights, concentration {report.concentration:g}"
    seconds = report.timings["total"]
    say(f"\n{report.samples} 个权重样本（{how_zh}，种子 {report.seed}）：核心 {c['core']}，临界 {c['borderline']}，"
          f"外围 {c['exterior']}；用时 {seconds:.2f} 秒")
    say(f"{report.samples} weight samples ({how_en}, seed {report.seed}): core {c['core']}, borderline "
          f"{c['borderline']}, exterior {c['exterior']}; {seconds:.2f} s")
    if not report.feasible:
        say("! 基准情形（方案原权重）的规则无法同时满足 / the rules cannot all hold in the base case (the scenario's own weights)")
        for line in report.explanation:
            say(f"! {line.get('zh', '')} / {line.get('en', '')}")
