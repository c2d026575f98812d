"""The panel's score as the pool's expert criterion (the hook :func:`quota_opt.pipeline.with_panel` calls).

Every candidate's 专家评审得分 (``expert_score``) is replaced by its panel score, whatever the
candidate file held. A project without a panel score (fewer valid scores than ``min_experts``) is
never silently scored: it is set aside like an ineligible project, failing the rule
``panel-min-experts``, so it is listed with that reason and left out of the pool before the
scores are normalised.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ..columns import PANEL_MIN_EXPERTS_RULE
from ..eligibility import EligibilityResult
from ..validate import ValidationResult
from .review import PanelReview


def _with_scores(frame: pd.DataFrame, aggregates: dict[str, float | None]) -> pd.DataFrame:
    out = frame.copy()
    values = [aggregates.get(str(p)) for p in out["project_id"]]
    out["expert_score"] = np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
    return out


def apply_panel(review: PanelReview, validation: ValidationResult,
                eligibility: EligibilityResult) -> tuple[ValidationResult, EligibilityResult]:
    """The validation and eligibility of a pool with the panel's scores as its expert criterion."""
    aggregates = review.aggregates
    n = review.options.min_experts
    candidates = _with_scores(validation.candidates, aggregates)
    table = eligibility.table.copy()
    failed, messages, eligible = [], [], []
    counts = {p["project_id"]: p["valid_scores"] for p in review.projects}
    for rec in table.to_dict("records"):
        rules, notes = list(rec["failed_rules"]), list(rec["messages"])
        if aggregates.get(str(rec["project_id"])) is None:
            count = counts.get(str(rec["project_id"]), 0)
            rules.append(PANEL_MIN_EXPERTS_RULE)
            notes.append(f"不符合 {PANEL_MIN_EXPERTS_RULE}：有效专家评分{count}个，少于{n}个，无专家得分，不参与排序 / "
                         f"fails {PANEL_MIN_EXPERTS_RULE}: {count} valid expert scores, fewer than {n}: no panel "
                         "score, left out of the ranking")
        failed.append(rules)
        messages.append(notes)
        eligible.append(not rules)
    table["failed_rules"] = failed
    table["messages"] = messages
    table["eligible"] = pd.Series(eligible, index=table.index, dtype=bool)
    mask = table["eligible"].to_numpy(dtype=bool)
    new_validation = replace(validation, candidates=candidates)
    new_eligibility = replace(eligibility, table=table, eligible=candidates[mask].reset_index(drop=True),
                              ineligible=candidates[~mask].reset_index(drop=True))
    return new_validation, new_eligibility


__all__ = ["apply_panel"]
