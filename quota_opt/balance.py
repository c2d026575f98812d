"""What a unit's balance rules do to a recommendation: counts against caps and floors, and the score given up.

:func:`rule_usage` lists, for every industry, city and enterprise group of the eligible pool,
how many candidates it has, how many were recommended, and the cap and floor that applied.
Caps and floors are resolved as the integer program resolves them (:func:`quota_opt.optimise.build_problem`):
a named value (``industry_max["汽车制造业"]``) overrides the general one (``max_per_industry``); a
general floor applies to every industry or city with an eligible candidate, a named floor also
to one with none (which is listed with 0 candidates, when the floor is above 0). A group is the project's ``group`` or,
when that is empty, its enterprise.

:func:`balance_cost` measures the score the rules cost, by the one definition of
:func:`quota_opt.whatif.rules_cost`::

    given_up = reference optimum - recommended total

where the reference is the best total of the same scores under the quota and the fixings only
(must-include, must-exclude and the minimum score): the caps and floors per industry, city and
group are left out. It is never negative, since leaving rules out can only raise the optimum.
It also names the projects that trade places: those the rules brought in (recommended, but not in
the reference selection) and those they kept out (in the reference selection, not recommended),
each in priority order, and what each rule family alone costs (``by_family``).
Both selections follow the same tie rule, so a project that trades places really does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .columns import normalise_text
from .optimise import Selection, SelectionProblem, build_problem, group_keys
from .result import Recommendation
from .scenario import Constraints
from .whatif import rules_cost

DIMENSIONS = ("industry", "city", "group")
# state of a row of rule_usage
AT_CAP, AT_FLOOR, SHORT, FREE = "at_cap", "at_floor", "below_floor", "free"
STATE_LABELS = {
    AT_CAP: ("已达上限", "at its cap"),
    AT_FLOOR: ("恰好达到下限", "exactly at its floor"),
    SHORT: ("低于下限", "below its floor"),
    FREE: ("", ""),
}

_LIMITS = {
    "industry": ("max_per_industry", "industry_max", "min_per_industry", "industry_min"),
    "city": ("max_per_city", "city_max", "min_per_city", "city_min"),
    "group": ("max_per_group", "group_max", None, None),
}


def _keys(eligible: pd.DataFrame, dimension: str) -> list[str]:
    if dimension == "group":
        return [str(k) for k in group_keys(eligible).tolist()]
    if dimension not in eligible.columns:
        return [""] * len(eligible)
    # the same text the integer program groups by (optimise.build_problem), folded once per distinct value
    values = ["" if v is None or (isinstance(v, float) and v != v) else v for v in eligible[dimension].tolist()]
    folded = {v: normalise_text(v) for v in set(values)}
    return [folded[v] for v in values]


def limits(constraints: Constraints, dimension: str, key: str, has_candidates: bool = True) -> tuple[int | None, int | None]:
    """The (floor, cap) that apply to ``key`` of ``dimension`` (industry, city or group); None where none does."""
    cap_all, cap_table, floor_all, floor_table = _LIMITS[dimension]
    cap = getattr(constraints, cap_table).get(key, getattr(constraints, cap_all))
    floor = None
    if floor_all is not None:
        named = getattr(constraints, floor_table)
        floor = named[key] if key in named else (getattr(constraints, floor_all) if has_candidates else None)
    return (floor or None), cap


def rule_usage(rec: Recommendation, eligible: pd.DataFrame, problem: SelectionProblem | None = None) -> pd.DataFrame:
    """Counts per industry, city and group against their caps and floors (see the module doc).

    Columns: dimension, key, candidates, selected, floor, cap (nullable integers), state
    (``at_cap``, ``at_floor``, ``below_floor`` (only when the rules could not all hold) or ``free``).
    Rows: dimension in the order industry, city, group; then most selected first, then key.
    ``problem``: the one the recommendation was solved on, when the caller has it: its projects'
    industries, cities and groups are the keys (the same texts, folded once when it was built).
    """
    c = rec.scenario.constraints
    picked = {r["project_id"] for r in rec.selected}
    if problem is not None:
        ids = list(problem.project_ids)
        keys_of = {"industry": problem.industries, "city": problem.cities, "group": problem.groups}
    else:
        ids = [str(p) for p in eligible["project_id"].tolist()] if len(eligible) else []
        keys_of = {d: _keys(eligible, d) if len(eligible) else [] for d in DIMENSIONS}
    rows = []
    for dimension in DIMENSIONS:
        keys = keys_of[dimension]
        candidates: dict[str, int] = {}
        selected: dict[str, int] = {}
        for pid, key in zip(ids, keys):
            candidates[key] = candidates.get(key, 0) + 1
            selected[key] = selected.get(key, 0) + (pid in picked)
        _, _, _, floor_table = _LIMITS[dimension]
        named_floors = getattr(c, floor_table) if floor_table else {}
        extra = [k for k, v in named_floors.items() if k not in candidates and v > 0]
        for key in [*candidates, *extra]:
            n = candidates.get(key, 0)
            floor, cap = limits(c, dimension, key, has_candidates=n > 0)
            k = selected.get(key, 0)
            if floor is not None and k < floor:
                state = SHORT
            elif cap is not None and k >= cap:
                state = AT_CAP
            elif floor is not None and k == floor:
                state = AT_FLOOR
            else:
                state = FREE
            rows.append({"dimension": dimension, "key": key, "candidates": n, "selected": k,
                         "floor": floor, "cap": cap, "state": state})
    frame = pd.DataFrame(rows, columns=["dimension", "key", "candidates", "selected", "floor", "cap", "state"])
    for col in ("floor", "cap"):
        frame[col] = frame[col].astype("Int64")
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    frame = frame.assign(_d=frame["dimension"].map(order)).sort_values(
        ["_d", "selected", "key"], ascending=[True, False, True], kind="stable")
    return frame.drop(columns="_d").reset_index(drop=True)


@dataclass(frozen=True)
class BalanceCost:
    """The score the balance rules cost (see the module doc)."""

    status: str  # ok | infeasible (the rules cannot all hold) | reference_infeasible (nor can the fixings alone)
    recommended: float | None  # the recommendation's total score
    reference: float | None  # the best total under the quota and the fixings only
    given_up: float | None  # reference - recommended (>= 0)
    brought_in: tuple[dict, ...] = ()  # {project_id, score}: recommended only because of the rules
    kept_out: tuple[dict, ...] = ()  # {project_id, score}: in the reference selection, kept out by the rules
    by_family: dict = field(default_factory=dict)  # rule family -> score that family alone costs

    def to_dict(self) -> dict:
        return {"status": self.status, "recommended": self.recommended, "reference": self.reference,
                "given_up": self.given_up, "brought_in": [dict(r) for r in self.brought_in],
                "kept_out": [dict(r) for r in self.kept_out], "by_family": dict(self.by_family)}


def balance_cost(rec: Recommendation, eligible: pd.DataFrame, solver: str = "highs",
                 problem: SelectionProblem | None = None) -> BalanceCost:
    """The total score given up to the balance rules: reference optimum minus the recommendation's total.

    ``problem``: the one the recommendation was solved on, when the caller has it (the same rules
    and scores; not built again, and the recommendation is its selection with every rule: not solved again)."""
    if not rec.feasible:
        return BalanceCost("infeasible", None, None, None)
    scores = {r["project_id"]: float(r["score"]) for r in (*rec.selected, *rec.not_selected)}
    full = None
    if problem is None:
        problem = build_problem(eligible, scores, rec.quota, rec.scenario)
    else:
        full = Selection(rec.status, tuple(r["project_id"] for r in rec.selected), rec.objective, problem.scores, problem)
    cost = rules_cost(problem, solver=solver, full=full)
    if cost.cost is None:  # cannot happen while the recommendation is feasible; kept for safety
        return BalanceCost("reference_infeasible", rec.objective, cost.relaxed_objective, None)

    def in_priority(ids) -> tuple[dict, ...]:
        return tuple({"project_id": p, "score": scores[p]} for p in sorted(ids, key=lambda p: (-scores[p], p)))

    return BalanceCost("ok", rec.objective, cost.relaxed_objective, round(max(cost.cost, 0.0), 6),
                       in_priority(cost.brought_in), in_priority(cost.kept_out), dict(cost.by_family))


__all__ = ["AT_CAP", "AT_FLOOR", "BalanceCost", "DIMENSIONS", "FREE", "SHORT", "STATE_LABELS", "balance_cost",
           "limits", "rule_usage"]
