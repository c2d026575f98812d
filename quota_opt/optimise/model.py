"""Solving: :class:`SelectionModel` (a model built once, solved for one or many score vectors) and
its results, :class:`Selection` and :class:`SelectionBatch`; :func:`optimise`, the stage function.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario import Constraints, Scenario
from ..score import SCORE_DECIMALS, ScoreResult
from .backends import DEFAULT_TIME_LIMIT, SolverSpec, make_solver
from .explain import explain_infeasible
from .problem import SCALE, SelectionProblem, build_problem
from .ties import lexmax


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
    path: str = "lp"

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"

    @property
    def scores(self) -> pd.Series:
        """The scores used, indexed by project_id."""
        return pd.Series(self.score_values, index=self.problem.index, name="score")

    def mask(self) -> np.ndarray:
        """Picked or not, in problem order."""
        return np.isin(self.problem.ids_array, np.array(self.selected, dtype=object))


@dataclass(frozen=True)
class SelectionBatch:
    """The outcomes of :meth:`SelectionModel.solve_many`: one row per score vector."""

    picks: np.ndarray  # bool (samples x projects), problem (project_id) order
    feasible: np.ndarray  # bool (samples,)
    objectives: np.ndarray  # float (samples,): the picks' total score (0 when infeasible)
    lp_integral: int  # samples whose LP relaxation was integral (no integer program solved)
    solves: int  # solver calls
    seconds: float  # wall time of the loop
    solver_seconds: float  # of which inside the solver

    @property
    def samples(self) -> int:
        return len(self.feasible)


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


    def solve_many(self, scores: np.ndarray, *, progress: Callable[[int, int], None] | None = None
                   ) -> SelectionBatch:
        """The best selection for each row of ``scores`` (samples x projects, problem order), each
        exactly as :meth:`solve` would give it, ties by the priority rule.

        The loop of weight sampling: one model, only the objective changes, each solve starts from
        the previous basis. ``progress(done, total)`` is called about a hundred times along the way
        (and once at the end).
        """
        p = self.problem
        s = p.align_many(scores)
        total = len(s)
        S = np.rint(s * SCALE).astype(np.int64)
        picks = np.zeros((total, p.n), dtype=bool)
        feasible = np.zeros(total, dtype=bool)
        objectives = np.zeros(total)
        fixed_bounds = p.bounds() if p.min_score is None else None
        step = max(1, total // 100)
        started, seconds, solves = time.perf_counter(), self._backend.seconds, self._backend.solves
        lp_integral = 0
        for k in range(total):
            lb, ub = fixed_bounds if fixed_bounds is not None else p.bounds(s[k])
            solved = lexmax(self._backend, S[k], lb, ub)
            if solved.status == "optimal":
                feasible[k] = True
                picks[k] = solved.x > 0.5
                objectives[k] = int(S[k][picks[k]].sum()) / SCALE
                lp_integral += solved.path == "lp"
            if progress is not None and ((k + 1) % step == 0 or k + 1 == total):
                progress(k + 1, total)
        if progress is not None and total == 0:
            progress(0, 0)
        return SelectionBatch(picks, feasible, np.round(objectives, SCORE_DECIMALS), lp_integral,
                              self._backend.solves - solves, time.perf_counter() - started,
                              self._backend.seconds - seconds)


def optimise(eligible: pd.DataFrame, scores: pd.Series | ScoreResult | Mapping[str, float], quota: int,
             constraints: Constraints | Scenario, *, solver: SolverSpec | str = "highs",
             time_limit: float | None = DEFAULT_TIME_LIMIT, known_ids: Iterable[str] | None = None,
             ineligible: Mapping[str, object] | Iterable[str] | None = None) -> Selection:
    """Build the problem, the model, and solve it once (see :class:`SelectionModel`)."""
    problem = build_problem(eligible, scores, quota, constraints, known_ids=known_ids, ineligible=ineligible)
    return SelectionModel(problem, solver, time_limit).solve()


__all__ = ["Selection", "SelectionBatch", "SelectionModel", "optimise"]
