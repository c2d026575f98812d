"""What-if: the picks under each aggregation rule side by side.

The same panel, the same pool and the same scenario, with the panel's scores combined by the
trimmed mean, the mean and the median in turn: which projects would be picked under one rule and
not under another. (This module runs the pipeline, so :mod:`quota_opt.panel` does not import it.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..columns import AggregateRule
from ..pipeline import Prepared, recommend_prepared, with_panel
from ..scenario import Scenario
from .review import PanelOptions, review_panel
from .sheets import PanelSheets


@dataclass(frozen=True)
class RuleComparison:
    """Per rule the picks (ids in priority order) and status; the projects whose fate differs."""

    rules: tuple[str, ...]
    picks: dict[str, list[str]]
    status: dict[str, str]
    aggregates: dict[str, dict[str, float | None]]  # rule -> project -> panel score
    changed: list[dict]  # project_id, then per rule: picked (rank or None) and panel score

    def to_dict(self) -> dict:
        return {"rules": list(self.rules), "picks": self.picks, "status": self.status, "changed": self.changed}


def compare_rules(prepared: Prepared, sheets: PanelSheets, options: PanelOptions,
                  scenario: Scenario | None = None, *, solver: str = "highs") -> RuleComparison:
    """Recommend ``prepared`` (a pool without a panel) with the panel combined by each rule in turn.

    ``changed`` lists, in the order of the pool, every project picked under some rule but not all,
    with its rank (None: not picked) and panel score under each rule.
    """
    known = [str(p) for p in prepared.validation.invalid.get("project_id", []) if isinstance(p, str) and p]
    picks: dict[str, list[str]] = {}
    status: dict[str, str] = {}
    aggregates: dict[str, dict[str, float | None]] = {}
    for rule in AggregateRule:
        review = review_panel(sheets, prepared.validation.candidates, replace(options, rule=rule), known_ids=known)
        rec = recommend_prepared(with_panel(prepared, review), scenario, solver=solver)
        picks[rule.value] = [str(r["project_id"]) for r in rec.selected]
        status[rule.value] = rec.status
        aggregates[rule.value] = review.aggregates
    rules = tuple(r.value for r in AggregateRule)
    everywhere = set.intersection(*(set(v) for v in picks.values()))
    somewhere = set.union(*(set(v) for v in picks.values()))
    changed = []
    for pid in (str(p) for p in prepared.validation.candidates["project_id"]):
        if pid in somewhere and pid not in everywhere:
            row: dict = {"project_id": pid}
            for rule in rules:
                row[f"{rule}_rank"] = picks[rule].index(pid) + 1 if pid in picks[rule] else None
                row[f"{rule}_score"] = aggregates[rule].get(pid)
            changed.append(row)
    return RuleComparison(rules, picks, status, aggregates, changed)


__all__ = ["RuleComparison", "compare_rules"]
