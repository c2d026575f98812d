"""Why rules cannot all hold: named conflicts and by how much they conflict.

The conflict finder belongs to the integer program and lives in :mod:`quota_opt.optimise.explain`;
this module keeps its public names where they have always been importable.
"""

from __future__ import annotations

from .optimise.explain import ExplanationLine, conflict_amount, conflict_set, explain_infeasible, structured_checks

__all__ = ["ExplanationLine", "conflict_amount", "conflict_set", "explain_infeasible", "structured_checks"]
