"""Why rules cannot all hold: named conflicts and by how much they conflict.

First, structured checks that each prove infeasibility on their own and say it in numbers:

* must-include projects more than a cap allows (the quota, or an industry / city / group cap);
* a floor with too few candidates left (after exclusions and the minimum score), or with none;
* a floor above the cap of the same industry or city;
* floors (with the must-include projects) that together need more picks than the quota.

When none applies, a deletion filter over the named rules (whole families first, then single
rules) finds an irreducible set of rules that cannot hold together -- the idea behind
python-mip's conflict finder -- and an elastic model measures by how much they conflict: the
fewest units by which those rules must be loosened in total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..quiet import stdout_fd_silenced
from .backends import SolverSpec, make_solver
from .problem import FIXING_FAMILIES, SelectionProblem

_SHOW = 8  # project ids listed in one line at most


@dataclass(frozen=True)
class ExplanationLine:
    """One line of an explanation: ``zh`` and ``en`` for a person, who reads each rule in words (城市“成都”
    至少推荐 2 个); ``rules`` for programs, the rows' and fixings' names (min_per_city[成都], include[A])."""

    zh: str
    en: str
    rules: tuple[str, ...] = ()
    amount: int | None = None  # how much the rules conflict (picks), when known

    def to_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en, "rules": list(self.rules), "amount": self.amount}

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _ids(problem: SelectionProblem, positions) -> tuple[str, str]:
    pids = [problem.project_ids[i] for i in positions]
    more = len(pids) - _SHOW
    shown = pids[:_SHOW]
    zh = "、".join(shown) + (f" 等 {len(pids)} 个" if more > 0 else "")
    en = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return zh, en


def structured_checks(problem: SelectionProblem, scores: np.ndarray | None = None) -> list[ExplanationLine]:
    """Conflicts that simple counting proves, each with the rules involved and the amount."""
    s = problem.scores if scores is None else scores
    lb, ub = problem.bounds(s)
    forced = lb == 1
    available = ub == 1
    excluded = np.zeros(problem.n, dtype=bool)
    for pid in problem.exclude:
        excluded[problem.position[pid]] = True
    below = problem.below_min(s) & ~excluded
    include_names = {i: f"include[{problem.project_ids[i]}]" for i in np.flatnonzero(forced)}
    lines: list[ExplanationLine] = []

    for rule in problem.rules:
        members = np.array(rule.members, dtype=int)
        if rule.upper is not None:
            inc = members[forced[members]] if len(members) else members
            if len(inc) > rule.upper:
                zh_ids, en_ids = _ids(problem, inc)
                over = len(inc) - rule.upper
                lines.append(ExplanationLine(
                    f"必须推荐的 {len(inc)} 个项目（{zh_ids}）比规则“{rule.zh}”允许的多 {over} 个",
                    f"{len(inc)} must-include projects ({en_ids}) exceed the rule \"{rule.en}\" by {over}",
                    (rule.name, *(include_names[i] for i in inc)), over))
        if rule.lower is not None:
            avail = int(available[members].sum()) if len(members) else 0
            if avail < rule.lower:
                short = rule.lower - avail
                if len(members) == 0:
                    lines.append(ExplanationLine(
                        f"规则“{rule.zh}”无法满足：“{rule.key}”没有符合条件的候选项目，差 {short} 个",
                        f"the rule \"{rule.en}\" cannot hold: '{rule.key}' has no eligible candidate; "
                        f"short by {short}",
                        (rule.name,), short))
                else:
                    n_exc = int(excluded[members].sum())
                    n_below = int(below[members].sum())
                    why_zh = []
                    why_en = []
                    if n_exc:
                        why_zh.append(f"{n_exc} 个被指定不推荐")
                        why_en.append(f"{n_exc} excluded by the user")
                    if n_below:
                        why_zh.append(f"{n_below} 个低于最低分 {problem.min_score:g}")
                        why_en.append(f"{n_below} below the minimum score {problem.min_score:g}")
                    extra_zh = f"（{'，'.join(why_zh)}）" if why_zh else ""
                    extra_en = f" ({'; '.join(why_en)})" if why_en else ""
                    involved = [rule.name]
                    involved += [f"exclude[{problem.project_ids[i]}]" for i in members if excluded[i]]
                    involved += [f"min_score[{problem.project_ids[i]}]" for i in members if below[i]]
                    lines.append(ExplanationLine(
                        f"规则“{rule.zh}”无法满足：“{rule.key}”的 {len(members)} 个候选项目中只有 {avail} 个可推荐"
                        f"{extra_zh}，差 {short} 个",
                        f"the rule \"{rule.en}\" cannot hold: only {avail} of the {len(members)} candidates in "
                        f"'{rule.key}' can be picked{extra_en}; short by {short}",
                        tuple(involved), short))

    by_key: dict[tuple[str, str], dict[str, object]] = {}
    for rule in problem.rules:
        if rule.family == "quota":
            continue
        dim = rule.family.split("_per_")[1]
        by_key.setdefault((dim, rule.key), {})[rule.family.split("_per_")[0]] = rule
    for (dim, key), pair in sorted(by_key.items()):
        lo, hi = pair.get("min"), pair.get("max")
        if lo is not None and hi is not None and lo.lower > hi.upper:  # type: ignore[union-attr]
            over = lo.lower - hi.upper  # type: ignore[union-attr]
            lines.append(ExplanationLine(
                f"规则“{lo.zh}”与“{hi.zh}”矛盾：下限比上限多 {over} 个",  # type: ignore[union-attr]
                f"the rules \"{lo.en}\" and \"{hi.en}\" contradict: the floor exceeds the cap by {over}",  # type: ignore[union-attr]
                (lo.name, hi.name), over))  # type: ignore[union-attr]

    quota_rule = next(r for r in problem.rules if r.family == "quota")
    for family, dim_zh, dim_en, values in (("min_per_city", "城市", "city", problem.cities),
                                           ("min_per_industry", "行业", "industry", problem.industries)):
        floors = [r for r in problem.rules if r.family == family]
        if not floors:
            continue
        values_arr = np.array(values, dtype=object)
        need = 0
        involved = [quota_rule.name]
        floor_keys = {r.key for r in floors}
        for r in floors:
            members = np.array(r.members, dtype=int)
            n_forced = int(forced[members].sum()) if len(members) else 0
            need += max(r.lower, n_forced)  # type: ignore[arg-type]
            involved.append(r.name)
        floors_only = sum(r.lower for r in floors)  # type: ignore[misc]
        outside = forced & ~np.isin(values_arr, list(floor_keys)) if problem.n else np.zeros(0, dtype=bool)
        need += int(outside.sum())
        if need > floors_only:
            involved += [include_names[i] for i in np.flatnonzero(forced)]
        with_zh = "（连同必须推荐的项目）" if need > floors_only else ""
        with_en = " (with the must-include projects)" if need > floors_only else ""
        if need > problem.quota:
            over = need - problem.quota
            lines.append(ExplanationLine(
                f"各{dim_zh}的推荐下限{with_zh}合计至少需要 {need} 个，比名额 {problem.quota} 个多 {over} 个",
                f"the {dim_en} floors{with_en} need at least {need} picks, more than the quota of {problem.quota} "
                f"by {over}",
                tuple(involved), over))
    return lines


def _feasible(backend, problem: SelectionProblem, lb0, ub0, row_on: np.ndarray, fix_on: dict[str, np.ndarray]) -> bool:
    lb = np.zeros(problem.n)
    ub = np.ones(problem.n)
    lb[fix_on["include"]] = lb0[fix_on["include"]]
    ub[fix_on["exclude"]] = ub0[fix_on["exclude"]]
    ub[fix_on["min_score"]] = ub0[fix_on["min_score"]]
    row_lo = np.where(row_on, backend.base_row_lo, -math.inf)
    row_hi = np.where(row_on, backend.base_row_hi, math.inf)
    zero = np.zeros(problem.n)
    out = backend.solve(zero, lb, ub, slot="scratch", row_lo=row_lo, row_hi=row_hi)
    if out.status == "infeasible":
        return False
    out = backend.solve(zero, lb, ub, integer=True, slot="mip", row_lo=row_lo, row_hi=row_hi)
    return out.status == "optimal"


def conflict_set(problem: SelectionProblem, scores: np.ndarray | None = None,
                 solver: SolverSpec | str = "highs") -> tuple[list[str], dict[str, np.ndarray], np.ndarray]:
    """An irreducible set of named rules that cannot all hold (deletion filter, families first).

    Returns the rule names, the fixings kept (masks per fixing family) and the row mask kept.
    """
    spec = solver if isinstance(solver, SolverSpec) else make_solver(solver)
    backend = spec.attach(problem)
    s = problem.scores if scores is None else scores
    lb0, ub0 = problem.bounds(s)
    excluded = np.zeros(problem.n, dtype=bool)
    for pid in problem.exclude:
        excluded[problem.position[pid]] = True
    fix_on = {"include": lb0 == 1, "exclude": excluded.copy(), "min_score": problem.below_min(s) & ~excluded}
    row_on = np.ones(len(problem.rules), dtype=bool)
    families = [r.family for r in problem.rules]
    order = ["min_score", "exclude", "include", "max_per_group", "max_per_industry", "max_per_city",
             "min_per_industry", "min_per_city", "quota"]

    def still_infeasible(rows, fixes) -> bool:
        return not _feasible(backend, problem, lb0, ub0, rows, fixes)

    for fam in order:
        if fam in FIXING_FAMILIES:
            if not fix_on[fam].any():
                continue
            trial = {**fix_on, fam: np.zeros(problem.n, dtype=bool)}
            if still_infeasible(row_on, trial):
                fix_on = trial
        else:
            mask = np.array([f == fam for f in families], dtype=bool)
            if not (row_on & mask).any():
                continue
            trial_rows = row_on & ~mask
            if still_infeasible(trial_rows, fix_on):
                row_on = trial_rows
    for fam in order:
        if fam in FIXING_FAMILIES:
            for i in np.flatnonzero(fix_on[fam]):
                trial = {**fix_on, fam: fix_on[fam].copy()}
                trial[fam][i] = False
                if still_infeasible(row_on, trial):
                    fix_on = trial
        else:
            for k in np.flatnonzero(row_on):
                if families[k] != fam:
                    continue
                trial_rows = row_on.copy()
                trial_rows[k] = False
                if still_infeasible(trial_rows, fix_on):
                    row_on = trial_rows
    names = [problem.rules[k].name for k in np.flatnonzero(row_on)]
    for fam in FIXING_FAMILIES:
        names += [f"{fam}[{problem.project_ids[i]}]" for i in np.flatnonzero(fix_on[fam])]
    return names, fix_on, row_on


def conflict_amount(problem: SelectionProblem, row_on: np.ndarray, fix_on: dict[str, np.ndarray],
                    solver: SolverSpec) -> int | None:
    """The fewest units (picks) by which the given rules must be loosened in total to hold together."""
    import pulp

    m = pulp.LpProblem("quota_opt_elastic", pulp.LpMinimize)
    xs = [pulp.LpVariable(f"x_{i:06d}", cat=pulp.LpBinary) for i in range(problem.n)]
    slacks = []
    for k in np.flatnonzero(row_on):
        rule = problem.rules[k]
        s = pulp.LpVariable(f"s_{k:05d}", lowBound=0, cat=pulp.LpInteger)
        slacks.append(s)
        expr = pulp.lpSum(xs[i] for i in rule.members)
        if rule.upper is not None:
            m += (expr - s <= rule.upper, f"r_{k:05d}")
        else:
            m += (expr + s >= rule.lower, f"r_{k:05d}")
    for fam in FIXING_FAMILIES:
        for i in np.flatnonzero(fix_on[fam]):
            s = pulp.LpVariable(f"f_{fam}_{i:06d}", lowBound=0, upBound=1, cat=pulp.LpInteger)
            slacks.append(s)
            m += (xs[i] + s >= 1 if fam == "include" else xs[i] - s <= 0, f"c_{fam}_{i:06d}")
    if not slacks:
        return None
    m += pulp.lpSum(slacks)
    if solver.name == "highs":
        engine = pulp.HiGHS(msg=solver.msg, timeLimit=solver.time_limit)
    else:
        engine = pulp.PULP_CBC_CMD(msg=solver.msg, timeLimit=solver.time_limit)
    with stdout_fd_silenced():  # PuLP makes a highspy.Highs inside solve; its banner must not reach stdout
        m.solve(engine)
    if m.status != pulp.LpStatusOptimal:
        return None
    return int(round(pulp.value(m.objective)))


def explain_infeasible(problem: SelectionProblem, scores: np.ndarray | None = None,
                       solver: SolverSpec | str = "highs") -> list[ExplanationLine]:
    """Bilingual lines naming the rules that conflict and by how much (structured checks, else an
    irreducible conflicting set found by the deletion filter)."""
    lines = structured_checks(problem, scores)
    if lines:
        return lines
    spec = solver if isinstance(solver, SolverSpec) else make_solver(solver)
    names, fix_on, row_on = conflict_set(problem, scores, spec)
    amount = conflict_amount(problem, row_on, fix_on, spec)
    descriptions = problem.descriptions()
    head_zh = "下列规则无法同时满足"
    head_en = "These rules cannot all hold together"
    if amount:
        head_zh += f"，至少需要放宽 {amount} 个（例如某上限提高或某下限降低 {amount} 个）"
        head_en += f"; they must be loosened by {amount} in total (e.g. one cap raised or one floor lowered by {amount})"
    lines = [ExplanationLine(head_zh + "：", head_en + ":", tuple(names), amount)]
    rules = {r.name: r for r in problem.rules}
    for name in names:
        zh, en = descriptions.get(name, (name, name))
        rule = rules.get(name)
        if rule is not None and rule.family != "quota" and len(rule.members) <= _SHOW:
            zh_ids, en_ids = _ids(problem, rule.members)
            zh += f"（候选项目：{zh_ids or '无'}）"
            en += f" (candidates: {en_ids or 'none'})"
        lines.append(ExplanationLine(f"· {zh}", f"· {en}", (name,)))
    return lines


__all__ = ["ExplanationLine", "conflict_amount", "conflict_set", "explain_infeasible", "structured_checks"]
