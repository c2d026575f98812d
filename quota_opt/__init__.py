"""quota-opt: recommend smart-factory projects within the yearly quotas, in priority order.

A pure core, one module per stage. The public API is re-exported here.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .columns import Level, Rating, UnitType
from .errors import InputError, ModelError, QuotaOptError, RulesError
from .quota import QuotaEngine, QuotaResult, all_quotas, quota_for
from .rules import available_years, load_notice
from .units import resolve_unit
from .store import RunStore, RunSummary, SavedRun
from .compare import Comparison, compare_runs
from .scenario import Constraints, Scenario, default_scenario, load_scenario
from .score import ScoreResult, ahp_weights, blend_weights, entropy_weights
from .optimise import Selection, SelectionModel, SelectionProblem, build_problem, make_solver
from .explain import explain_infeasible
from .result import Recommendation, build_recommendation, sha256_file
from .export import csv_bytes, write_csv, write_xlsx, xlsx_bytes
from .pipeline import Prepared, prepare, recommend, recommend_prepared, selection_problem
from .samples import sample_path
from .sensitivity import SensitivityReport, sample_weights, sensitivity_prepared
from .whatif import ProjectWhatIf, RulesCost, WhatIfAnswer, rules_cost, what_if, what_if_prepared

# The stage functions share their modules' names: use quota_opt.score.score,
# quota_opt.optimise.optimise, quota_opt.order.order, quota_opt.export.export and
# quota_opt.sensitivity.sensitivity (or sensitivity_prepared, exported here).

__all__ = [
    "__version__",
    "Level",
    "Rating",
    "UnitType",
    "InputError",
    "ModelError",
    "QuotaOptError",
    "RulesError",
    "QuotaEngine",
    "QuotaResult",
    "all_quotas",
    "quota_for",
    "available_years",
    "load_notice",
    "resolve_unit",
    "RunStore",
    "RunSummary",
    "SavedRun",
    "Comparison",
    "compare_runs",
    "Constraints",
    "Scenario",
    "default_scenario",
    "load_scenario",
    "ScoreResult",
    "ahp_weights",
    "blend_weights",
    "entropy_weights",
    "Selection",
    "SelectionModel",
    "SelectionProblem",
    "build_problem",
    "make_solver",
    "explain_infeasible",
    "Recommendation",
    "build_recommendation",
    "sha256_file",
    "csv_bytes",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
    "Prepared",
    "prepare",
    "recommend",
    "recommend_prepared",
    "selection_problem",
    "sample_path",
    "SensitivityReport",
    "sample_weights",
    "sensitivity_prepared",
    "ProjectWhatIf",
    "RulesCost",
    "WhatIfAnswer",
    "rules_cost",
    "what_if",
    "what_if_prepared",
]
