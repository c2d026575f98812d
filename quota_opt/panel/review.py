"""The panel review: recusal, each project's panel score, and a check on the panel itself.

:func:`review_panel` takes the sheets read by :mod:`quota_opt.panel.sheets` and the candidate pool
(validated candidates: 项目编号, 申报单位, 所属集团) and decides, for every expert's score on every
project, whether it enters the project's panel score:

* **recusal (回避)** -- a score is excluded when the expert's 工作单位 equals the project's 申报单位
  (``own_enterprise``), when his 所属集团 equals the project's 所属集团 (``own_group``; an empty group is
  none), or when the pair is listed in the 回避 table (``declared_recusal``). Names are compared after
  NFKC folding, white-space collapsing and case folding;
* a score that could not be read or checked (out of range, duplicate, ...) is excluded with that reason.

Every excluded score is kept with its reasons; only valid scores enter an aggregate. A project with
fewer valid scores than ``min_experts`` gets no panel score.

The check: per project the number of valid scores, their range and standard deviation (sample,
ddof = 1), flagged ``wide_range`` when the range exceeds ``range_threshold``; per expert the
projects scored validly, leniency (:func:`~quota_opt.panel.stats.leniency`, flagged ``lenient`` above
``leniency_threshold`` and ``severe`` below its negative), Spearman's rho of his scores with the
aggregate (same rule) of the other experts' valid scores on each project (flagged ``discordant``
below ``spearman_threshold``), and ``conflicted`` when he scored a project he had to recuse from;
for the panel Kendall's W (tie-corrected) on the projects every expert in the sheets scored validly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..columns import AggregateRule, PanelExclusion, normalise_text
from ..errors import InputError
from . import stats
from .sheets import ERROR, PROBLEM_COLUMNS, PanelProblem, PanelSheets, Problems, collect_scores

DEFAULT_MIN_EXPERTS = 3
DEFAULT_RANGE_THRESHOLD = 20.0
DEFAULT_LENIENCY_THRESHOLD = 5.0
DEFAULT_SPEARMAN_THRESHOLD = 0.3

# Flags (codes; the app and the exports translate them).
PROJECT_FLAGS = {
    "wide_range": ("评分极差过大", "range above the threshold"),
    "no_panel_score": ("有效评分不足，无专家得分", "too few valid scores: no panel score"),
    "trimmed_as_mean": ("有效评分少于5个，取算术平均", "fewer than 5 valid scores: plain mean"),
}
EXPERT_FLAGS = {
    "lenient": ("评分偏宽", "lenient"),
    "severe": ("评分偏严", "severe"),
    "discordant": ("与其他专家排序不一致", "ranks unlike the others"),
    "conflicted": ("对应回避的项目打了分", "scored projects he had to recuse from"),
}


@dataclass(frozen=True)
class PanelOptions:
    """How a panel is combined and checked (the CLI's options, the app's widgets)."""

    rule: AggregateRule = AggregateRule.TRIMMED
    min_experts: int = DEFAULT_MIN_EXPERTS
    standardise: bool = False
    range_threshold: float = DEFAULT_RANGE_THRESHOLD
    leniency_threshold: float = DEFAULT_LENIENCY_THRESHOLD
    spearman_threshold: float = DEFAULT_SPEARMAN_THRESHOLD

    def __post_init__(self) -> None:
        rule = self.rule if isinstance(self.rule, AggregateRule) else AggregateRule.parse(self.rule)
        if rule is None:
            raise InputError(f"未知的汇总方式“{self.rule}”；可选 trimmed、mean、median",
                             f"unknown aggregation rule '{self.rule}'; choose trimmed, mean or median")
        object.__setattr__(self, "rule", rule)
        if isinstance(self.min_experts, bool) or not isinstance(self.min_experts, int) or self.min_experts < 1:
            raise InputError(f"最少专家数应为正整数，而不是 {self.min_experts!r}",
                             f"the minimum number of experts must be a whole number >= 1, not {self.min_experts!r}")
        for name in ("range_threshold", "leniency_threshold"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise InputError(f"阈值 {name} 应为非负数，而不是 {value!r}", f"{name} must be a number >= 0, not {value!r}")
        rho = self.spearman_threshold
        if not (isinstance(rho, (int, float)) and -1 <= rho <= 1):
            raise InputError(f"斯皮尔曼相关阈值应在-1至1之间，而不是 {rho!r}",
                             f"the Spearman threshold must be between -1 and 1, not {rho!r}")

    def to_dict(self) -> dict:
        return {"aggregate": self.rule.value, "min_experts": self.min_experts, "standardise": self.standardise,
                "range_threshold": self.range_threshold, "leniency_threshold": self.leniency_threshold,
                "spearman_threshold": self.spearman_threshold}


@dataclass(frozen=True, eq=False)
class PanelReview:
    """The panel's scores with their status, each project's panel score and the check on the panel."""

    options: PanelOptions
    experts: list[str]  # in order of first appearance in the sheets
    scores: pd.DataFrame  # expert_id, project_id, score, valid, reasons (codes), where
    projects: list[dict]  # per pool project (pool order)
    expert_stats: list[dict]
    kendall: stats.KendallW
    problems: pd.DataFrame
    files: tuple[tuple[str, str, str], ...]
    project_names: dict[str, str] = field(default_factory=dict)
    used: pd.DataFrame = field(default_factory=pd.DataFrame)  # the scores that entered the aggregates

    @property
    def aggregates(self) -> dict[str, float | None]:
        """Each pool project's panel score (None: fewer valid scores than ``min_experts``)."""
        return {p["project_id"]: p["aggregate"] for p in self.projects}

    @property
    def set_aside(self) -> list[str]:
        return [p["project_id"] for p in self.projects if p["aggregate"] is None]

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == ERROR]

    def to_dict(self) -> dict:
        """The JSON of ``quota-opt panel`` (keys are a contract: projects, experts, kendall_w, problems)."""
        return {
            "projects": [{k: p[k] for k in ("project_id", "valid_scores", "aggregate", "excluded", "range", "std",
                                             "flags", "scores")} for p in self.projects],
            "experts": [dict(e) for e in self.expert_stats],
            "kendall_w": {"w": self.kendall.w, "projects": self.kendall.n, "experts": self.kendall.m,
                          "chi2": self.kendall.chi2, "p_value": self.kendall.p_value},
            "problems": [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                         for r in self.problems.to_dict("records")],
            "options": self.options.to_dict(),
            "set_aside": self.set_aside,
            "files": [{"role": role, "name": name, "sha256": sha} for role, name, sha in self.files],
        }

    # -- for the recommendation's workbook and run information
    def summary_table(self) -> tuple[list[str], list[list]]:
        """The 专家评分汇总 sheet: per project every expert's score (an excluded one with its reason),
        the number of valid scores, the panel score, range, standard deviation and flags."""
        rule = self.options.rule
        headers = ["项目编号 / project", "项目名称 / name"] + [f"专家 {e}" for e in self.experts] + [
            "有效评分数 / valid", f"专家得分（{rule.zh}）/ panel score ({rule.value})", "极差 / range",
            "标准差 / std", "标记 / flags"]
        table = {(r.expert_id, r.project_id): r for r in self.scores.itertuples()}
        rows = []
        for p in self.projects:
            pid = p["project_id"]
            row: list = [pid, self.project_names.get(pid, "")]
            for e in self.experts:
                r = table.get((e, pid))
                if r is None:
                    row.append("")
                elif r.valid:
                    row.append(float(r.score))
                else:
                    shown = "" if r.score is None or (isinstance(r.score, float) and math.isnan(r.score)) else f"{r.score:g} "
                    row.append(f"{shown}（不计：{'；'.join(PanelExclusion(c).zh for c in r.reasons)}）")
            flags = "；".join(f"{PROJECT_FLAGS[f][0]} / {PROJECT_FLAGS[f][1]}" for f in p["flags"])
            row += [p["valid_scores"], p["aggregate"], p["range"], p["std"], flags]
            rows.append(row)
        return headers, rows

    def run_info(self) -> list[list]:
        """Rows for the run-information sheet: where the panel score came from."""
        o = self.options
        rows = [["专家得分来源 / expert score from", "专家评审（quota-opt panel）/ the expert panel's score sheets"],
                ["汇总方式 / aggregation", f"{o.rule.zh} / {o.rule.value}"],
                ["最少有效评分数 / minimum valid scores", o.min_experts],
                ["专家标准化 / expert standardisation",
                 "已启用：各专家得分按其所评项目上全体专家的均值和标准差重新标定 / on: each expert's scores rescaled to "
                 "the panel's mean and spread over the projects he scored" if o.standardise else "未启用 / off"],
                ["评审专家 / experts", "、".join(self.experts)],
                ["因有效评分不足未计分的项目 / set aside (too few valid scores)", "、".join(self.set_aside) or "无 / none"]]
        for role, name, sha in self.files:
            rows.append([f"专家评审文件（{role}）/ panel file ({role})", f"{name}  SHA-256 {sha}"])
        return rows

    def recommendation_info(self) -> dict:
        """What a recommendation made with this panel carries (:attr:`Recommendation.panel`)."""
        headers, rows = self.summary_table()
        return {"sheet": {"headers": headers, "rows": rows}, "run_info": self.run_info(),
                "provenance": {"options": self.options.to_dict(), "experts": list(self.experts),
                               "set_aside": self.set_aside,
                               "files": [{"role": r, "name": n, "sha256": s} for r, n, s in self.files],
                               "problems": int(len(self.problems)), "errors": int(len(self.errors))}}


def _fold(text: object) -> str:
    return normalise_text(text).casefold()


def recusal_reasons(expert, project: dict, declared: set[tuple[str, str]], expert_id: str) -> list[PanelExclusion]:
    """Why ``expert_id`` must not score ``project`` (a candidate record): own enterprise, own group, declared."""
    reasons: list[PanelExclusion] = []
    if expert is not None:
        employer, group = _fold(expert.employer), _fold(expert.group)
        if employer and employer == _fold(project.get("enterprise", "")):
            reasons.append(PanelExclusion.OWN_ENTERPRISE)
        if group and group == _fold(project.get("group", "")):
            reasons.append(PanelExclusion.OWN_GROUP)
    if (expert_id, str(project["project_id"])) in declared:
        reasons.append(PanelExclusion.DECLARED)
    return reasons


def _nan(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def review_panel(
    sheets: PanelSheets,
    candidates: pd.DataFrame,
    options: PanelOptions | None = None,
    *,
    known_ids: Iterable[str] = (),
) -> PanelReview:
    """Recusal, panel scores and the panel check (see the module doc) for the pool ``candidates``
    (validated candidates; ``known_ids`` adds the ids of rows that failed validation, which are
    not unknown projects, though they get no panel score)."""
    options = options or PanelOptions()
    pool = candidates.to_dict("records")
    by_id = {str(r["project_id"]): r for r in pool}
    known = set(by_id) | {str(i) for i in known_ids}
    collected, problem_rows = collect_scores(sheets, known)
    problems = Problems(list(sheets.problems) + problem_rows)
    experts = sheets.expert_order
    declared = {(r.expert_id, r.project_id) for r in sheets.recusals}
    for r in sheets.recusals:
        if r.project_id not in known:
            problems.add("回避表 / recusals", None, r.row, "项目编号", r.project_id, "warning", PanelProblem.UNKNOWN_PROJECT)
        if r.expert_id not in experts:
            problems.add("回避表 / recusals", None, r.row, "专家编号", r.expert_id, "warning", PanelProblem.UNKNOWN_EXPERT)
    if sheets.experts:
        for e in experts:
            if e not in sheets.experts:
                problems.add("专家名单 / experts", None, None, "专家编号", e, "warning", PanelProblem.NO_EXPERT_RECORD)
        for e, record in sheets.experts.items():
            if e not in experts:
                problems.add("专家名单 / experts", None, record.row, "专家编号", e, "warning", PanelProblem.UNKNOWN_EXPERT)

    records = []
    for s in collected:
        reasons = list(s.reasons)
        project = by_id.get(s.project_id)
        if project is not None:
            reasons = recusal_reasons(sheets.experts.get(s.expert_id), project, declared, s.expert_id) + reasons
        elif PanelExclusion.UNKNOWN_PROJECT not in reasons:
            continue  # a row that failed validation: no panel score for it, and nothing to report twice
        records.append({"expert_id": s.expert_id, "project_id": s.project_id,
                        "score": np.nan if s.score is None else float(s.score), "valid": not reasons,
                        "reasons": tuple(r.value for r in reasons), "where": s.where})
    scores = pd.DataFrame.from_records(records, columns=["expert_id", "project_id", "score", "valid", "reasons", "where"])
    scores["valid"] = scores["valid"].astype(bool)
    valid = scores[scores["valid"]]

    raw = {(r.expert_id, r.project_id): float(r.score) for r in valid.itertuples()}
    per_project: dict[str, dict[str, float]] = {}
    for (e, p), v in raw.items():
        per_project.setdefault(p, {})[e] = v
    used = dict(raw)
    if options.standardise:
        reference = {p: list(v.values()) for p, v in per_project.items()}
        for e in experts:
            own = {p: v for (ex, p), v in raw.items() if ex == e}
            rescaled = stats.standardise(own, reference)
            if rescaled is not None:
                used.update({(e, p): v for p, v in rescaled.items()})
    used_frame = pd.DataFrame([(e, p, v) for (e, p), v in used.items()], columns=["expert_id", "project_id", "score"])

    excluded_by_project: dict[str, list[dict]] = {}
    for x in scores[~scores["valid"]].itertuples():
        excluded_by_project.setdefault(x.project_id, []).append(
            {"expert_id": x.expert_id, "reason": ";".join(x.reasons), "score": _nan(x.score)})
    projects = []
    for r in pool:
        pid = str(r["project_id"])
        own = per_project.get(pid, {})
        values = list(own.values())
        n = len(values)
        flags: list[str] = []
        aggregate = None
        if n >= options.min_experts:
            aggregate, fell_back = stats.aggregate([used[(e, pid)] for e in own], options.rule)
            if fell_back:
                flags.append("trimmed_as_mean")
        else:
            flags.append("no_panel_score")
        spread = (max(values) - min(values)) if values else None
        if spread is not None and spread > options.range_threshold:
            flags.insert(0, "wide_range")
        excluded = excluded_by_project.get(pid, [])
        projects.append({
            "project_id": pid, "valid_scores": n, "aggregate": aggregate, "excluded": excluded,
            "range": spread, "std": float(np.std(values, ddof=1)) if n >= 2 else None, "flags": flags,
            "scores": {e: own[e] for e in experts if e in own},
        })

    expert_stats = []
    for e in experts:
        own = {p: v for (ex, p), v in raw.items() if ex == e}
        others = {p: [v for ex, v in per_project[p].items() if ex != e] for p in own}
        lenient = stats.leniency(own, others)
        pairs = [(own[p], stats.aggregate(others[p], options.rule)[0]) for p in own if others[p]]
        rho = stats.spearman([a for a, _ in pairs], [b for _, b in pairs])
        flags = []
        if lenient is not None and lenient > options.leniency_threshold:
            flags.append("lenient")
        if lenient is not None and lenient < -options.leniency_threshold:
            flags.append("severe")
        if rho is not None and rho < options.spearman_threshold:
            flags.append("discordant")
        mine = scores[(scores["expert_id"] == e) & ~scores["valid"]]
        if any(PanelExclusion(c).recusal for codes in mine["reasons"] for c in codes):
            flags.append("conflicted")
        expert_stats.append({"expert_id": e, "projects_scored": len(own), "leniency": lenient, "spearman": rho,
                             "flags": flags})

    common = [str(r["project_id"]) for r in pool
              if all(e in per_project.get(str(r["project_id"]), {}) for e in experts)]
    kendall = stats.kendall_w([[per_project[p][e] for p in common] for e in experts]) if experts else \
        stats.KendallW(None, 0, 0, None, None)
    if kendall.n != len(common):
        kendall = replace(kendall, n=len(common))
    problem_frame = pd.DataFrame.from_records(problems.rows, columns=PROBLEM_COLUMNS)
    names = {str(r["project_id"]): str(r.get("project_name", "")) for r in pool}
    return PanelReview(options, experts, scores, projects, expert_stats, kendall, problem_frame, sheets.files,
                       names, used_frame)


__all__ = ["DEFAULT_LENIENCY_THRESHOLD", "DEFAULT_MIN_EXPERTS", "DEFAULT_RANGE_THRESHOLD",
           "DEFAULT_SPEARMAN_THRESHOLD", "EXPERT_FLAGS", "PROJECT_FLAGS", "PanelOptions", "PanelReview",
           "recusal_reasons", "review_panel"]
