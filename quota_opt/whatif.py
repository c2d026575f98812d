"""What would it take: the price of a project's place, who gives or takes it, the score it needs;
and the price of the balance rules for the whole selection.

For a project p with score s_p, on the problem with every rule (OPT is the best total score):

* **forcing**: a recommended p is forced out (x_p = 0), any other forced in (x_p = 1). ``cost`` =
  OPT - OPT(forced) >= 0 is the total score given up; ``entered`` and ``left`` are the projects the
  forced selection adds and drops (who takes p's place, or whose place p takes).
* **the score it needs**: with every other score fixed, p's score t enters only its own term, so p
  is in a best selection exactly when t + (OPT(x_p = 1) - s_p) >= OPT(x_p = 0), that is when
  t >= ``threshold`` = OPT(x_p = 0) - (OPT(x_p = 1) - s_p). At t = threshold both selections are
  best and the tie rule decides (found by solving with t = threshold: ``needed_inclusive``); a
  ``min_score`` rule also asks t >= min_score, and a score is never below 0, so ``needed`` =
  max(threshold, min_score, 0). When no selection with p obeys the rules, no score brings it in
  (``reach`` = never); when none without it does, it is in at any score it may have (``reach`` =
  always, ``needed`` = max(min_score, 0)).
* a project the scenario names in ``include`` or ``exclude`` is answered with that fixing lifted
  (the price of lifting it), and ``fixed_by`` says so; so is one scoring below ``min_score``
  (forcing it in lifts the minimum for it). Only then can ``cost`` be negative (a gain).

For the whole selection (:func:`rules_cost`): OPT with only the quota and the fixings (include,
exclude, min_score) minus OPT with every rule is the score given up to the balance rules
(industry, city and group caps and floors); ``by_family`` gives the same for each family alone
(all rules but that family), which need not add up.

Every number is exact: scores are whole numbers of 10^-6 points inside the optimiser. The prose
(:meth:`ProjectWhatIf.lines`, :meth:`RulesCost.lines`) rounds to ``PROSE_DECIMALS`` (2) decimals as the
tables do, says a negative cost as a gain, and calls a needed score above ``MAX_SCORE`` (100, the
highest score a project can have) not reachable by score alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .errors import InputError
from .optimise import SCALE, Selection, SelectionModel, SelectionProblem, SolverSpec, make_solver
from .optimise.sort import sortable_families
from .optimise.ties import integral
from .scenario import Scenario
from .score import SCORE_DECIMALS

# The families :func:`rules_cost` prices (the quota and the fixings always stay).
BALANCE_FAMILIES = ("max_per_industry", "min_per_industry", "max_per_city", "min_per_city", "max_per_group")
FAMILY_TEXT = {"max_per_industry": ("每个行业最多推荐", "at most per industry"),
               "min_per_industry": ("每个行业至少推荐", "at least per industry"),
               "max_per_city": ("每个城市最多推荐", "at most per city"),
               "min_per_city": ("每个城市至少推荐", "at least per city"),
               "max_per_group": ("每个企业集团最多推荐", "at most per enterprise group")}
MAX_SCORE = 100.0  # score_i = 100 * sum w_j r_ij with r in [0, 1] and sum w = 1
PROSE_DECIMALS = 2  # as the app's and the CLI's tables show scores


def _units(value: float) -> int:
    return int(round(value * SCALE))


def _points(units: int) -> float:
    return round(units / SCALE, SCORE_DECIMALS)


def _p(value: float) -> str:
    """A score in prose: 2 decimals, as the tables show it."""
    return f"{value:.{PROSE_DECIMALS}f}"


def _diff(base: Selection, other: Selection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(in ``other`` not ``base``, in ``base`` not ``other``), each in its selection's priority order."""
    a, b = set(base.selected), set(other.selected)
    return tuple(p for p in other.selected if p not in a), tuple(p for p in base.selected if p not in b)


@dataclass(frozen=True)
class ProjectWhatIf:
    """What it would take for one project: forcing it in or out, and the score it needs."""

    project_id: str
    score: float
    selected: bool  # in the recommended selection
    status: str  # of the recommended selection: optimal | infeasible
    objective: float  # its total score
    forced: str  # in | out
    forced_status: str  # optimal | infeasible
    forced_objective: float | None
    cost: float | None  # objective - forced_objective: the score given up by forcing
    entered: tuple[str, ...]  # projects the forced selection adds (priority order)
    left: tuple[str, ...]  # projects it drops
    reach: str  # possible | never | always
    threshold: float | None  # OPT(x_p = 0) - (OPT(x_p = 1) - s_p)
    needed: float | None  # the lowest score that puts it in (or keeps it in)
    needed_inclusive: bool  # whether exactly ``needed`` is enough (else it needs more than that)
    min_score: float | None = None
    fixed_by: str | None = None  # include | exclude | min_score: the scenario's fixing, lifted for the what-if
    explanation: tuple = ()  # why the forced selection is infeasible (of quota_opt.explain.ExplanationLine)

    @property
    def gap(self) -> float | None:
        """How far the score is from ``needed`` (positive: that much short; negative: that much to spare)."""
        return None if self.needed is None else round(self.needed - self.score, SCORE_DECIMALS)

    @property
    def reachable_by_score(self) -> bool:
        """Whether some attainable score (at most ``MAX_SCORE``) brings it in or keeps it in: False when
        the rules leave no room, or the score needed is above 100 (only a change of the rules would do)."""
        if self.reach == "never" or self.needed is None:
            return self.reach == "always"
        return self.needed < MAX_SCORE or (self.needed == MAX_SCORE and self.needed_inclusive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id, "score": self.score, "selected": self.selected, "status": self.status,
            "objective": self.objective, "forced": self.forced, "forced_status": self.forced_status,
            "forced_objective": self.forced_objective, "cost": self.cost, "entered": list(self.entered),
            "left": list(self.left), "reach": self.reach, "threshold": self.threshold, "needed": self.needed,
            "needed_inclusive": self.needed_inclusive, "gap": self.gap, "min_score": self.min_score,
            "fixed_by": self.fixed_by, "explanation": [e.to_dict() for e in self.explanation],
        }

    def lines(self) -> list[tuple[str, str]]:
        """The answer in plain words, as (Chinese, English) pairs; scores to 2 decimals as in the tables."""
        pid, out = self.project_id, []
        if self.status != "optimal":
            return [("规则无法同时满足，没有推荐结果可比较", "the rules cannot all hold: there is no recommendation to compare with")]
        state_zh, state_en = ("已入选", "is recommended") if self.selected else ("未入选", "is not recommended")
        out.append((f"项目 {pid}（得分 {_p(self.score)}）{state_zh}", f"project {pid} (score {_p(self.score)}) {state_en}"))
        if self.fixed_by == "min_score":
            out.append((f"其得分低于最低分 {_p(self.min_score)}；强制入选即对其取消最低分要求",
                        f"its score is below the minimum score {_p(self.min_score)}: forcing it in lifts that rule for it"))
        elif self.fixed_by:
            zh = "必须推荐" if self.fixed_by == "include" else "不推荐"
            en = "must-include" if self.fixed_by == "include" else "exclude"
            out.append((f"方案将其列为“{zh}”；以下结果为取消该设定后的情形",
                        f"the scenario lists it as {en}; the answers below lift that setting"))
        verb_zh, verb_en = ("强制入选", "forcing it in") if self.forced == "in" else ("强制不选", "forcing it out")
        if self.forced_status != "optimal":
            out.append((f"{verb_zh}：规则无法同时满足", f"{verb_en}: the rules cannot all hold"))
            out += [(e.zh, e.en) for e in self.explanation]
        else:
            change = f"{_p(self.objective)} → {_p(self.forced_objective)}"
            if round(self.cost, PROSE_DECIMALS) > 0:
                head_zh, head_en = (f"{verb_zh}：总分减少 {_p(self.cost)}（{change}）",
                                    f"{verb_en} gives up {_p(self.cost)} points of total score ({change})")
            elif round(self.cost, PROSE_DECIMALS) < 0:
                head_zh, head_en = (f"{verb_zh}：总分增加 {_p(-self.cost)}（{change}）",
                                    f"{verb_en} gains {_p(-self.cost)} points of total score ({change})")
            else:
                head_zh, head_en = (f"{verb_zh}：总分不变（{change}）", f"{verb_en} leaves the total score as it is ({change})")
            if self.forced == "in":
                tail_zh = f"；它将替换：{'、'.join(self.left)}" if self.left else "；不替换任何项目（名额有空余）"
                tail_en = (f"; it would take the place of {', '.join(self.left)}" if self.left
                           else "; it takes a free place")
            else:
                tail_zh = f"；由 {'、'.join(self.entered)} 补上" if self.entered else "；无项目补上"
                tail_en = (f"; {', '.join(self.entered)} would take its place" if self.entered
                           else "; no project takes its place")
            out.append((head_zh + tail_zh, head_en + tail_en))
        if self.reach == "never":
            out.append(("任何得分都无法使其入选（规则不允许）", "no score can bring it in: the rules leave no room for it"))
        elif self.reach == "always" and not self.needed:
            out.append(("无论得分多少都会入选（规则要求）", "it is in at any score: the rules require it"))
        elif self.reach == "always":
            out.append((f"只要得分不低于最低分 {_p(self.needed)} 就会入选（规则要求）",
                        f"it is in at any score of at least the minimum score {_p(self.needed)}: the rules require it"))
        elif not self.reachable_by_score:
            cmp_zh, cmp_en = ("不低于", "of at least") if self.needed_inclusive else ("高于", "above")
            goal_zh, goal_en = ("保持入选", "stay in") if self.selected else ("入选", "enter")
            out.append((f"仅靠分数无法{goal_zh}：所需得分{cmp_zh} {_p(self.needed)}，超过最高可能得分 {_p(MAX_SCORE)}；"
                        "只有调整规则才可能",
                        f"not reachable by score alone: to {goal_en} it would need a score {cmp_en} {_p(self.needed)}, "
                        f"above the highest attainable score of {_p(MAX_SCORE)}; only a change of the rules could do it"))
        else:
            cmp_zh, cmp_en = ("不低于", "at least") if self.needed_inclusive else ("高于", "above")
            goal_zh, goal_en = ("保持入选", "stay in") if self.selected else ("入选", "enter")
            short = self.gap
            tail_zh = f"差 {_p(short)}" if short > 0 else f"余 {_p(-short)}"
            tail_en = f"{_p(short)} short" if short > 0 else f"{_p(-short)} to spare"
            out.append((f"{goal_zh}所需得分：{cmp_zh} {_p(self.needed)}（当前 {_p(self.score)}，{tail_zh}）",
                        f"to {goal_en} it needs a score {cmp_en} {_p(self.needed)} (it has {_p(self.score)}: {tail_en})"))
        return out


@dataclass(frozen=True)
class RulesCost:
    """The score the balance rules cost the whole selection."""

    status: str  # of the selection with every rule
    objective: float | None
    relaxed_status: str  # of the selection with only the quota and the fixings
    relaxed_objective: float | None
    cost: float | None  # relaxed_objective - objective
    kept_out: tuple[str, ...]  # in the relaxed selection, not in the constrained one
    brought_in: tuple[str, ...]  # in the constrained selection, not in the relaxed one
    by_family: dict[str, float | None] = field(default_factory=dict)  # OPT(all but the family) - OPT

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "objective": self.objective, "relaxed_status": self.relaxed_status,
                "relaxed_objective": self.relaxed_objective, "cost": self.cost, "kept_out": list(self.kept_out),
                "brought_in": list(self.brought_in), "by_family": dict(self.by_family)}

    def lines(self) -> list[tuple[str, str]]:
        if self.cost is None:
            return [("规则无法同时满足，无法计算规则代价", "the rules cannot all hold: their price cannot be computed")]
        out = [(f"均衡规则使总分减少 {_p(self.cost)}（仅名额与指定项目时 {_p(self.relaxed_objective)}，全部规则 "
                f"{_p(self.objective)}）",
                f"the balance rules cost {_p(self.cost)} points of total score ({_p(self.relaxed_objective)} with "
                f"only the quota and the named projects, {_p(self.objective)} with every rule)")]
        if self.kept_out or self.brought_in:
            out.append((f"规则挡在外面的：{'、'.join(self.kept_out) or '无'}；规则带进来的：{'、'.join(self.brought_in) or '无'}",
                        f"kept out by the rules: {', '.join(self.kept_out) or 'none'}; brought in by them: "
                        f"{', '.join(self.brought_in) or 'none'}"))
        for family, cost in self.by_family.items():
            if cost:
                zh, en = FAMILY_TEXT.get(family, (family, family))
                out.append((f"  其中“{zh}”单独：{_p(cost)}", f"  {en} alone: {_p(cost)}"))
        return out


def _model(problem: SelectionProblem, solver: SolverSpec | str) -> SelectionModel:
    return SelectionModel(problem, solver)


def what_if(problem: SelectionProblem, project_id: str, *, solver: SolverSpec | str = "highs") -> ProjectWhatIf:
    """What it would take for ``project_id`` (an eligible project of ``problem``); see the module doc."""
    pid = str(project_id)
    if pid not in problem.position:
        raise InputError(f"项目 {pid} 不是符合条件的候选项目", f"project {pid} is not an eligible candidate")
    spec = solver if isinstance(solver, SolverSpec) else make_solver(solver)
    base = _model(problem, spec).solve()
    fixed_by = "include" if pid in problem.include else "exclude" if pid in problem.exclude else None
    if fixed_by is None and problem.below_min(problem.scores)[problem.position[pid]]:
        fixed_by = "min_score"  # forcing it in lifts the minimum score for it
    free = problem
    if fixed_by:
        free = replace(problem, include=tuple(p for p in problem.include if p != pid),
                       exclude=tuple(p for p in problem.exclude if p != pid))
    model = _model(free, spec)
    with_p = model.solve(force_in=(pid,))
    without_p = model.solve(force_out=(pid,))
    i = problem.position[pid]
    s_p = float(problem.scores[i])
    selected = pid in base.selected
    forced_sel = without_p if selected else with_p
    forced = "out" if selected else "in"

    cost = forced_objective = None
    entered: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    if forced_sel.feasible:
        forced_objective = forced_sel.objective
        if base.feasible:
            cost = _points(_units(base.objective) - _units(forced_sel.objective))
            entered, left = _diff(base, forced_sel)

    threshold = needed = None
    inclusive = False
    floor = max(0, _units(problem.min_score) if problem.min_score is not None else 0)
    if not with_p.feasible:
        reach = "never"
    elif not without_p.feasible:
        reach, needed, inclusive = "always", _points(floor), True
    else:
        reach = "possible"
        t = _units(without_p.objective) - (_units(with_p.objective) - _units(s_p))
        threshold = _points(t)
        needed = _points(max(t, floor))
        trial = free.scores.copy()
        trial[i] = needed
        inclusive = pid in model.solve(trial, explain=False).selected
    return ProjectWhatIf(
        project_id=pid, score=s_p, selected=selected, status=base.status, objective=base.objective, forced=forced,
        forced_status=forced_sel.status, forced_objective=forced_objective, cost=cost, entered=entered, left=left,
        reach=reach, threshold=threshold, needed=needed, needed_inclusive=inclusive, min_score=problem.min_score,
        fixed_by=fixed_by, explanation=forced_sel.explanation,
    )


def _best_totals(problem: SelectionProblem, families, spec: SolverSpec) -> dict[str, int | None]:
    """The best total score (in units of 10^-6 points) with each family's rows left out and every other
    rule kept, or None where no selection keeps them; objective values only (which selection reaches a
    total does not matter here, so no tie rule is needed).

    All on one model of ``problem``: leaving a family out is opening its rows' bounds, so each solve
    starts from the optimal basis of the one before rather than from a new model. The LP relaxation
    is solved first and, when its solution is integral, its total is the best one; otherwise the
    integer program is solved. A problem left as a sort (the quota with caps of one kind) is sorted."""
    out: dict[str, int | None] = {}
    S = np.rint(problem.scores * SCALE).astype(np.int64)
    lb, ub = problem.bounds()
    lo, hi = problem.row_bounds()
    families_of = np.array([r.family for r in problem.rules], dtype=object)
    backend = None
    present = set(families_of.tolist())
    for family in families:
        if sortable_families(present - {family}):
            sel = _model(replace(problem, rules=tuple(r for r in problem.rules if r.family != family)), spec).solve(
                explain=False)
            out[family] = _units(sel.objective) if sel.feasible else None
            continue
        backend = backend or spec.attach(problem)
        opened = families_of == family
        row_lo, row_hi = np.where(opened, -np.inf, lo), np.where(opened, np.inf, hi)
        root = backend.solve(-S.astype(float), lb, ub, slot="lp", row_lo=row_lo, row_hi=row_hi)
        x = integral(root.x) if root.status == "optimal" else None
        if root.status == "optimal" and x is None:
            mip = backend.solve(-S.astype(float), lb, ub, integer=True, slot="mip", row_lo=row_lo, row_hi=row_hi)
            x = np.rint(mip.x) if mip.status == "optimal" else None
        out[family] = int(S @ x.astype(np.int64)) if x is not None else None
    return out


def rules_cost(problem: SelectionProblem, *, solver: SolverSpec | str = "highs",
               full: Selection | None = None) -> RulesCost:
    """The score given up to the balance rules, in all and family by family (see the module doc).
    ``full``: the selection of ``problem`` with every rule when the caller has already solved it
    (a recommendation's), not solved again."""
    spec = solver if isinstance(solver, SolverSpec) else make_solver(solver)

    def without(families) -> SelectionProblem:
        return replace(problem, rules=tuple(r for r in problem.rules if r.family not in families))

    if full is None:
        full = _model(problem, spec).solve(explain=False)
    relaxed = _model(without(BALANCE_FAMILIES), spec).solve(explain=False)
    cost = None
    kept_out: tuple[str, ...] = ()
    brought_in: tuple[str, ...] = ()
    by_family: dict[str, float | None] = {}
    if full.feasible and relaxed.feasible:
        cost = _points(_units(relaxed.objective) - _units(full.objective))
        kept_out, brought_in = _diff(full, relaxed)
    present = [f for f in BALANCE_FAMILIES if any(r.family == f for r in problem.rules)]
    alone = _best_totals(problem, present, spec) if full.feasible else {}
    for family in present:
        by_family[family] = _points(alone[family] - _units(full.objective)) if alone.get(family) is not None else None
    return RulesCost(full.status, full.objective if full.feasible else None, relaxed.status,
                     relaxed.objective if relaxed.feasible else None, cost, kept_out, brought_in, by_family)


def check_project(prepared, project_id: str) -> None:
    """A project that is not an eligible candidate of a prepared pool is an :class:`InputError`
    saying why (ineligible and which rules, an invalid row, or not in the file)."""
    pid = str(project_id)
    e = prepared.eligibility
    if pid in set(e.eligible["project_id"].astype(str)):
        return
    table = e.table.assign(project_id=e.table["project_id"].astype(str)).set_index("project_id")
    if pid in table.index:
        rules = list(table.loc[pid, "failed_rules"]) if "failed_rules" in table.columns else []
        text = "、".join(map(str, rules))
        raise InputError(f"项目 {pid} 不符合申报条件" + (f"（未满足：{text}）" if text else ""),
                         f"project {pid} is not eligible" + (f" (fails: {', '.join(map(str, rules))})" if rules else ""))
    invalid = prepared.validation.invalid
    if "project_id" in invalid.columns and pid in set(invalid["project_id"].astype(str)):
        raise InputError(f"项目 {pid} 所在行有错误，不是有效候选",
                         f"the row of project {pid} is invalid: it is not a candidate")
    raise InputError(f"项目 {pid} 不在候选表中", f"project {pid} is not in the candidate table")


@dataclass(frozen=True)
class WhatIfAnswer:
    """A project's what-if and the price of the rules, for one prepared pool and scenario."""

    project: ProjectWhatIf
    rules: RulesCost
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0, or 1 when the recommendation itself is infeasible (as for ``recommend``)."""
        return 0 if self.project.status == "optimal" else 1

    def to_dict(self) -> dict[str, Any]:
        return {**self.context, "project": self.project.to_dict(), "rules_cost": self.rules.to_dict()}


def what_if_prepared(prepared, project_id: str, scenario: Scenario | None = None, *,
                     solver: SolverSpec | str = "highs") -> WhatIfAnswer:
    """:func:`what_if` and :func:`rules_cost` for a pool from :func:`quota_opt.pipeline.prepare`."""
    from .pipeline import selection_problem

    check_project(prepared, project_id)
    problem, _ = selection_problem(prepared, scenario)
    context: Mapping[str, Any] = {"unit": prepared.quota.unit, "level": prepared.eligibility.level,
                                  "year": prepared.notice.year, "quota": problem.quota,
                                  "input_sha256": prepared.raw.sha256}
    return WhatIfAnswer(what_if(problem, project_id, solver=solver), rules_cost(problem, solver=solver), dict(context))


__all__ = [
    "BALANCE_FAMILIES",
    "ProjectWhatIf",
    "RulesCost",
    "WhatIfAnswer",
    "check_project",
    "rules_cost",
    "what_if",
    "what_if_prepared",
]
