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
]
