"""The expert panel (专家评审): from each reviewer's score sheet to the projects' expert score.

Read the sheets (:func:`read_panel`), review them against the candidate pool (:func:`review_panel`:
recusal, aggregation, the check on the panel), and hand the scores to a recommendation
(:func:`quota_opt.pipeline.with_panel`). The formulas are in :mod:`quota_opt.panel.stats`; the
picks under each aggregation rule side by side are in :mod:`quota_opt.panel.compare` (it runs
the pipeline, so it is not imported here).
"""

from __future__ import annotations

from ..columns import AggregateRule, PanelExclusion
from .apply import apply_panel
from .review import (
    DEFAULT_LENIENCY_THRESHOLD,
    DEFAULT_MIN_EXPERTS,
    DEFAULT_RANGE_THRESHOLD,
    DEFAULT_SPEARMAN_THRESHOLD,
    EXPERT_FLAGS,
    PROJECT_FLAGS,
    PanelOptions,
    PanelReview,
    review_panel,
)
from .sheets import PROBLEM_LABELS, PanelFile, PanelProblem, PanelSheets, read_panel
from .stats import KendallW, aggregate, kendall_w, leniency, spearman, standardise, trimmed_mean

__all__ = [
    "AggregateRule", "DEFAULT_LENIENCY_THRESHOLD", "DEFAULT_MIN_EXPERTS", "DEFAULT_RANGE_THRESHOLD",
    "DEFAULT_SPEARMAN_THRESHOLD", "EXPERT_FLAGS", "KendallW", "PROBLEM_LABELS", "PROJECT_FLAGS", "PanelExclusion",
    "PanelFile", "PanelOptions", "PanelProblem", "PanelReview", "PanelSheets", "aggregate", "apply_panel",
    "kendall_w", "leniency", "read_panel", "review_panel", "spearman", "standardise", "trimmed_mean",
]
