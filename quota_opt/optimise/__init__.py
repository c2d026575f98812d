"""The integer program: pick at most the quota so that the total score is highest under the rules.

Data first (:func:`build_problem` -> :class:`SelectionProblem`), model second (the named rows of
the problem, as a PuLP model by :func:`build_pulp_model` or a HiGHS model), solve third
(:class:`SelectionModel`, with a solver from :func:`make_solver`).

Model. One binary x_i per eligible project i, s_i its score::

    maximise    sum_i s_i x_i
    subject to  sum_i x_i                  <= quota                         quota          (notice 二（二）2 / 三（二）2)
                sum_{i in industry k} x_i  <= cap_k,  >= floor_k            max_per_industry[k], min_per_industry[k]
                sum_{i in city c} x_i      <= cap_c,  >= floor_c            max_per_city[c], min_per_city[c]
                sum_{i in group g} x_i     <= cap_g                         max_per_group[g]
                x_i = 1  (include),  x_i = 0  (exclude; score below min_score unless included)

A group is the project's ``group`` or, when that is empty, its enterprise. A floor set by
``min_per_city`` / ``min_per_industry`` applies to every city / industry with an eligible
candidate; a floor named in ``city_min`` / ``industry_min`` applies even where there is none
(and then cannot hold). A cap no larger than the number of candidates it covers is not a row.

Scores enter as whole numbers of 10^-6 points (scores rounded to ``SCORE_DECIMALS``), so totals
compare exactly.

Tie rule (deterministic among equal optima). Among all selections with the highest total
score, the one returned is the first in priority order: walk the projects by score (high to
low), then project_id (ascending, plain character order); at each project, the chosen
selection includes it if any best selection that agrees on the projects before it does. So a
higher-scored project is preferred to a lower one and, between equal scores, the smaller
project_id; and the quota is filled when a project adds nothing (score 0) but breaks no rule.
Both solvers follow the same procedure and return the same selection:

1. solve the LP relaxation; if its optimum is integral it is an optimal selection, otherwise
   solve the integer program;
2. a non-picked project can be in another best selection only if the LP reduced-cost bound
   allows it; when the LP optimum was integral, the simplex tableau row of each remaining
   candidate (HiGHS) and then one LP over the optimal face (fixing what complementary slackness
   fixes) certify that none can -- the usual case, with no further solve;
3. otherwise the priority walk tests each remaining project exactly (LP, then MIP if fractional).

:class:`SelectionModel` keeps the HiGHS models between solves, so a loop that changes only the
scores (weight sampling, :meth:`SelectionModel.solve_many`) re-solves from the previous basis;
and a batch is first pivoted by a compiled simplex, sample by sample, accepting each sample whose
optimal basis proves its selection the only best one (see :mod:`.batch`), so the solver sees only
the samples left (ties, fractional LP optima).

The package, by concern:

* :mod:`.problem` -- the problem's data and its named rows (:func:`build_problem`);
* :mod:`.backends` -- the solvers, HiGHS through highspy and CBC through PuLP (:func:`make_solver`);
* :mod:`.ties` -- the tie rule (:func:`priority_order`) and the exact solve that follows it;
* :mod:`.sort` -- the quota alone, or with caps of one kind: a sort, never sent to a solver;
* :mod:`.pivot` -- the compiled pivoting (numba) and the proof of what it reaches;
* :mod:`.simplex` -- bases in their small form, anchors to start from, and the runs over many samples;
* :mod:`.batch` -- many score vectors at once: pivoted and proved, or screened by the
  optimal bases already found;
* :mod:`.explain` -- why rules cannot all hold (an infeasible result's explanation);
* :mod:`.model` -- :class:`SelectionModel`, its results and :func:`optimise`, composing the above.

Every module imports only those listed before it.
"""

from __future__ import annotations

from .problem import FAMILIES, FIXING_FAMILIES, SCALE, Rule, SelectionProblem, build_problem, check_named_projects, group_keys
from .backends import DEFAULT_TIME_LIMIT, SOLVERS, SolverSpec, build_pulp_model, make_solver
from .ties import priority_order
from .batch import SelectionBatch
from .model import Selection, SelectionModel, optimise

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "FAMILIES",
    "FIXING_FAMILIES",
    "Rule",
    "SCALE",
    "SOLVERS",
    "Selection",
    "SelectionBatch",
    "SelectionModel",
    "SelectionProblem",
    "SolverSpec",
    "build_problem",
    "build_pulp_model",
    "check_named_projects",
    "group_keys",
    "make_solver",
    "optimise",
    "priority_order",
]
