"""Solving: :class:`SelectionModel` (a model built once, solved for one or many score vectors) and
its results, :class:`Selection` and :class:`SelectionBatch`; :func:`optimise`, the stage function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario import Constraints, Scenario
from ..score import SCORE_DECIMALS, ScoreResult
from .backends import DEFAULT_TIME_LIMIT, SolverSpec, make_solver
from .batch import SelectionBatch, solve_plain, solve_screened
from .explain import explain_infeasible
from .problem import SCALE, SelectionProblem, build_problem
from .sort import is_sortable, sort_select
from .ties import Solved, lexmax


@dataclass(frozen=True)
class Selection:
    """The outcome of one solve: the picks in priority order, or infeasible with an explanation."""

    status: str  # optimal | infeasible
    selected: tuple[str, ...]
    objective: float  # the sum of the picks' (rounded) scores
    score_values: np.ndarray  # the scores used, in problem order (rounded to SCORE_DECIMALS)
    problem: SelectionProblem
    explanation: tuple = ()  # of quota_opt.explain.ExplanationLine
    solver: str = "highs"
    solver_seconds: float = 0.0
    solves: int = 0
    path: str = "lp"  # lp: the LP relaxation was integral; mip: an integer program was solved; sort: no solver (quota and caps of one kind)

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"

    @property
    def scores(self) -> pd.Series:
        """The scores used, indexed by project_id."""
        return pd.Series(self.score_values, index=self.problem.index, name="score")

    def mask(self) -> np.ndarray:
        """Picked or not, in problem order (the picks are the problem's projects: looked up by position,
        not by comparing every id with every pick)."""
        out = np.zeros(self.problem.n, dtype=bool)
        position = self.problem.position
        out[[position[p] for p in self.selected if p in position]] = True
        return out


class SelectionModel:
    """A selection model built once and solved for many score vectors (only the objective and the
    column bounds change between solves).

    >>> model = SelectionModel(problem)                 # doctest: +SKIP
    >>> for scores in samples: model.solve(scores)      # doctest: +SKIP
    """

    def __init__(self, problem: SelectionProblem, solver: SolverSpec | str = "highs",
                 time_limit: float | None = DEFAULT_TIME_LIMIT):
        self.problem = problem
        self.solver = solver if isinstance(solver, SolverSpec) else make_solver(solver, time_limit)
        self._backend = self.solver.attach(problem)

    @property
    def solver_seconds(self) -> float:
        """Total time spent inside the solver by this model."""
        return self._backend.seconds

    def solve(self, scores: pd.Series | np.ndarray | Mapping[str, float] | None = None, explain: bool = True,
              force_in: Iterable[str] = (), force_out: Iterable[str] = ()) -> Selection:
        """The best selection for ``scores`` (default: the problem's), ties by the priority rule.

        ``force_in`` / ``force_out`` add must-include / exclude projects for this solve only (a
        what-if on the same model). An infeasible rule set gives status ``infeasible``, nothing
        selected and (with ``explain``) the conflicting rules with how much they conflict.
        """
        p = self.problem
        force_in, force_out = tuple(force_in), tuple(force_out)
        if force_in or force_out:
            p = p.with_fixings(force_in, force_out)
        s = p.scores if scores is None else p.align(scores)
        S = np.rint(s * SCALE).astype(np.int64)
        lb, ub = p.bounds(s)
        order = np.argsort(-s, kind="stable")  # problem order is project_id order: see priority_order
        seconds, solves = self._backend.seconds, self._backend.solves
        if is_sortable(p):  # a sort, never sent to the solver (see quota_opt.optimise.sort)
            x = sort_select(p, S, ub)
            solved = Solved("optimal" if x is not None else "infeasible", x, "sort")
        else:
            solved = lexmax(self._backend, S, lb, ub, order)
        if solved.status == "infeasible":
            explanation: tuple = ()
            if explain:
                explanation = tuple(explain_infeasible(p, s, self.solver))
            return Selection("infeasible", (), 0.0, s, p, explanation, self.solver.name,
                             self._backend.seconds - seconds, self._backend.solves - solves, solved.path)
        x = solved.x
        picked = tuple(p.ids_array[order[x[order] == 1]])
        objective = round(int(S @ x.astype(np.int64)) / SCALE, SCORE_DECIMALS)
        return Selection("optimal", picked, objective, s, p, (), self.solver.name,
                         self._backend.seconds - seconds, self._backend.solves - solves, solved.path)


    def solve_many(self, scores: np.ndarray, *, progress: Callable[[int, int], None] | None = None,
                   screen: bool = True) -> SelectionBatch:
        """The best selection for each row of ``scores`` (samples x projects, problem order), each
        exactly as :meth:`solve` would give it, ties by the priority rule.

        The loop of weight sampling: one model, only the objective changes. By default a sample is
        first screened by the optimal bases already found (accepted without solving when one proves
        it the only best selection) and only the others are solved, warm-started (see
        :mod:`quota_opt.optimise.batch`); ``screen=False`` solves every sample in turn (the
        reference). ``progress(done, total)`` is called about a hundred times along the way (and
        once at the end).
        """
        s = self.problem.align_many(scores)
        return (solve_screened if screen else solve_plain)(self._backend, self.problem, s, progress)


def optimise(eligible: pd.DataFrame, scores: pd.Series | ScoreResult | Mapping[str, float], quota: int,
             constraints: Constraints | Scenario, *, solver: SolverSpec | str = "highs",
             time_limit: float | None = DEFAULT_TIME_LIMIT, known_ids: Iterable[str] | None = None,
             ineligible: Mapping[str, object] | Iterable[str] | None = None) -> Selection:
    """Build the problem, the model, and solve it once (see :class:`SelectionModel`)."""
    problem = build_problem(eligible, scores, quota, constraints, known_ids=known_ids, ineligible=ineligible)
    return SelectionModel(problem, solver, time_limit).solve()


__all__ = ["Selection", "SelectionModel", "optimise"]
