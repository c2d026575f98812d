"""``quota-opt panel SCORES --pool FILE``: the expert panel's scores, recusals and a check on the panel.

Reads the score sheets (long or wide form, several files allowed), the optional experts, 回避 and
scoring-scheme tables, and the candidate file (for the project ids, 申报单位 and 所属集团); prints
every problem, each project's panel score and flags, each expert's leniency and Spearman's rho,
and Kendall's W; ``--json PATH|-`` writes the same as JSON (keys: projects, experts, kendall_w,
problems, options, set_aside, files). Exit 0; 2 when a file cannot be read.

The options shared with ``recommend --panel`` are added by :func:`add_panel_options`.
"""

from __future__ import annotations

import argparse

from ..columns import AggregateRule
from ..load import read_table
from ..panel import (
    DEFAULT_LENIENCY_THRESHOLD,
    DEFAULT_MIN_EXPERTS,
    DEFAULT_RANGE_THRESHOLD,
    DEFAULT_SPEARMAN_THRESHOLD,
    EXPERT_FLAGS,
    PROJECT_FLAGS,
    PanelOptions,
    PanelReview,
    read_panel,
    review_panel,
)
from ..validate import validate
from ..textsafe import printable
from .common import add_force, check_outputs, positive_int, print_table, say, write_json


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' 不是数字 / is not a number") from None


def add_panel_options(p: argparse.ArgumentParser) -> None:
    """The panel's options (``panel`` and ``recommend --panel``)."""
    p.add_argument("--experts", default=None, help="专家名单（专家编号、姓名、工作单位、所属集团）/ experts table")
    p.add_argument("--recusals", default=None, help="回避表（专家编号、项目编号）/ recusal table")
    p.add_argument("--scheme", default=None, help="评分标准（评分项、满分）/ scoring scheme (item, maximum)")
    p.add_argument("--aggregate", default="trimmed", choices=[r.value for r in AggregateRule],
                   help="汇总方式 / aggregation: trimmed（去掉一个最高分和一个最低分后取平均，默认）, mean, median")
    p.add_argument("--min-experts", type=positive_int, default=DEFAULT_MIN_EXPERTS,
                   help=f"最少有效评分数 / minimum valid scores per project (default {DEFAULT_MIN_EXPERTS})")
    p.add_argument("--standardise", action="store_true",
                   help="按专家标准化（消除宽严差异）/ rescale each expert's scores to the panel's mean and spread")
    p.add_argument("--range-threshold", type=_number, default=DEFAULT_RANGE_THRESHOLD,
                   help=f"极差标记阈值 / flag a project whose range exceeds this (default {DEFAULT_RANGE_THRESHOLD:g})")
    p.add_argument("--leniency-threshold", type=_number, default=DEFAULT_LENIENCY_THRESHOLD,
                   help=f"宽严标记阈值（分）/ flag an expert whose leniency exceeds ± this (default {DEFAULT_LENIENCY_THRESHOLD:g})")
    p.add_argument("--spearman-threshold", type=_number, default=DEFAULT_SPEARMAN_THRESHOLD,
                   help=f"一致性标记阈值 / flag an expert whose Spearman rho is below this (default {DEFAULT_SPEARMAN_THRESHOLD:g})")


def panel_options(args: argparse.Namespace) -> PanelOptions:
    return PanelOptions(AggregateRule(args.aggregate), args.min_experts, args.standardise, args.range_threshold,
                        args.leniency_threshold, args.spearman_threshold)


def read_sheets(args: argparse.Namespace, scores: list[str]):
    return read_panel(scores, experts=args.experts, recusals=args.recusals, scheme=args.scheme)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("panel", help="专家评审：汇总评分、回避与评审质量检查 / the expert panel: scores, recusals, checks")
    p.add_argument("scores", nargs="+", metavar="SCORES", help="专家评分表 .csv 或 .xlsx（可多个）/ score sheets")
    p.add_argument("--pool", required=True, metavar="FILE", help="候选项目表 / the candidate file")
    p.add_argument("--sheet", default=None, help="候选项目表的工作表 / sheet of the candidate file (.xlsx)")
    add_panel_options(p)
    p.add_argument("--json", default=None, metavar="PATH|-", help="JSON 结果（- 为标准输出）/ JSON result (- for stdout)")
    add_force(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_outputs(args, args.json)  # a path that cannot be written is refused before any work
    options = panel_options(args)
    validation = validate(read_table(args.pool, sheet=args.sheet))
    sheets = read_sheets(args, args.scores)
    invalid = [str(p) for p in validation.invalid.get("project_id", []) if isinstance(p, str) and p]
    review = review_panel(sheets, validation.candidates, options, known_ids=invalid)
    if args.json:
        write_json(review.to_dict(), args.json, args)
    if args.json != "-":
        print_review(review)
    return 0


def plain(value: object) -> str:
    """Text from a file made safe for a terminal (:func:`quota_opt.textsafe.printable`)."""
    return printable(str(value))


def _fmt(value, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def print_review(review: PanelReview) -> None:
    o = review.options
    say(f"专家评审 / expert panel：{len(review.experts)} 位专家 / experts，汇总方式 / aggregation："
          f"{o.rule.zh} ({o.rule.value})，最少有效评分 / min valid scores {o.min_experts}"
          + ("；已按专家标准化 / expert standardisation on" if o.standardise else ""))
    if len(review.problems):
        say(f"\n问题 / problems（{len(review.errors)} 个错误 / errors，{len(review.problems) - len(review.errors)} 个提示 / warnings）：")
        for r in review.problems.to_dict("records"):
            say(f"  [{r['severity']}] {plain(r['message_zh'])} / {plain(r['message_en'])}")
    say("\n项目 / projects：")
    print_table([{"project_id": plain(p["project_id"]), "valid": p["valid_scores"], "aggregate": _fmt(p["aggregate"]),
                  "range": _fmt(p["range"], 1), "std": _fmt(p["std"]),
                  "excluded": "; ".join(f"{plain(x['expert_id'])}:{x['reason']}" for x in p["excluded"]),
                  "flags": ",".join(p["flags"])} for p in review.projects],
                ["project_id", "valid", "aggregate", "range", "std", "excluded", "flags"])
    say("\n专家 / experts：")
    print_table([{"expert_id": plain(e["expert_id"]), "projects": e["projects_scored"], "leniency": _fmt(e["leniency"]),
                  "spearman": _fmt(e["spearman"], 3), "flags": ",".join(e["flags"])} for e in review.expert_stats],
                ["expert_id", "projects", "leniency", "spearman", "flags"])
    k = review.kendall
    if k.w is None:
        say(f"\n肯德尔和谐系数 W / Kendall's W：无法计算（全部专家均有效评分的项目 {k.n} 个）/ "
              f"not computable ({k.n} projects scored validly by every expert)")
    else:
        say(f"\n肯德尔和谐系数 / Kendall's W = {k.w:.4f}（{k.m} 位专家、全部有效评分的 {k.n} 个项目 / {k.m} experts, "
              f"{k.n} projects scored validly by all），χ² = {k.chi2:.2f}，df = {k.n - 1}，p = {k.p_value:.3g}")
    say(f"标记阈值 / thresholds：极差 / range > {o.range_threshold:g}；宽严 / leniency beyond ±{o.leniency_threshold:g}；"
          f"Spearman < {o.spearman_threshold:g}")
    legend = [*(f"{k}={zh}/{en}" for k, (zh, en) in PROJECT_FLAGS.items()),
              *(f"{k}={zh}/{en}" for k, (zh, en) in EXPERT_FLAGS.items())]
    say("标记 / flags: " + "; ".join(legend))
    if review.set_aside:
        say(f"无专家得分（有效评分少于{o.min_experts}个）/ no panel score (fewer than {o.min_experts} valid scores)："
              + "、".join(plain(p) for p in review.set_aside))


__all__ = ["add_panel_options", "add_parser", "panel_options", "plain", "print_review", "read_sheets", "run"]


# ----------------------------------------------------------------------------- recommend --panel
def add_recommend_options(p: argparse.ArgumentParser) -> None:
    """``recommend``'s ``--panel SCORES`` (repeatable) and the panel's options."""
    p.add_argument("--panel", action="append", default=None, metavar="SCORES",
                   help="专家评分表，其汇总得分作为专家评审得分（可重复）/ score sheets whose panel score becomes "
                        "the expert score (repeatable)")
    add_panel_options(p)


def panel_from_args(args: argparse.Namespace, prepared, scenario):
    """Without ``--panel``: ``(prepared, None)``. With it: the pool with the panel's scores as its
    expert criterion (:func:`quota_opt.pipeline.with_panel`) and the picks under each aggregation rule."""
    if not getattr(args, "panel", None):
        return prepared, None
    from ..panel.compare import compare_rules
    from ..pipeline import with_panel

    options = panel_options(args)
    sheets = read_sheets(args, args.panel)
    invalid = [str(p) for p in prepared.validation.invalid.get("project_id", []) if isinstance(p, str) and p]
    review = review_panel(sheets, prepared.validation.candidates, options, known_ids=invalid)
    comparison = compare_rules(prepared, sheets, options, scenario, solver=args.solver)
    return with_panel(prepared, review), comparison


def print_panel_summary(prepared, comparison) -> None:
    """After ``recommend --panel``'s summary: the panel's problems, set-aside projects and the picks per rule."""
    review = prepared.panel
    o = review.options
    say(f"\n专家得分来自专家评审（{o.rule.zh}，{len(review.experts)} 位专家）/ the expert score is the panel's "
          f"({o.rule.value}, {len(review.experts)} experts)" + ("；已按专家标准化 / expert standardisation on" if o.standardise else ""))
    if len(review.problems):
        say(f"! 专家评分表有 {len(review.errors)} 个错误、{len(review.problems) - len(review.errors)} 个提示，运行 quota-opt panel 查看 / "
              f"the score sheets have {len(review.errors)} errors and {len(review.problems) - len(review.errors)} warnings: "
              "see quota-opt panel")
    if review.set_aside:
        say(f"! 有效评分少于{o.min_experts}个、未参与排序 / set aside, fewer than {o.min_experts} valid scores："
              + "、".join(plain(p) for p in review.set_aside))
    rules = comparison.rules
    say("\n不同汇总方式下的推荐 / picks under each aggregation rule：" + "；".join(
        f"{r} {len(comparison.picks[r])} 个 ({comparison.status[r]})" for r in rules))
    if not comparison.changed:
        say("三种汇总方式推荐的项目相同 / the three rules pick the same projects")
        return
    rows = []
    for c in comparison.changed:
        row = {"project_id": plain(c["project_id"])}
        for r in rules:
            rank = c[f"{r}_rank"]
            row[r] = f"{'#' + str(rank) if rank else '—'} ({_fmt(c[f'{r}_score'])})"
        rows.append(row)
    say("按汇总方式而变的项目（名次与专家得分）/ projects whose pick depends on the rule (rank and panel score)：")
    print_table(rows, ["project_id", *rules])
