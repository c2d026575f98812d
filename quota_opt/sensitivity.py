"""Weight robustness: which picks hold under any reasonable weighting, and which hang on one choice.

After Robust Portfolio Modeling (Liesiö, Mild and Salo, EJOR 181: 1488-1505, 2007: core, borderline
and exterior projects) and Mavrotas and Makryvelios (EJOR 2021: Monte Carlo over the evaluations of
an integer program with regional and sector rules). K weight vectors are drawn around the
scenario's weights w (the weights actually used, after AHP, entropy or blending):

* uniform (the default): w_kj = w_j * u_kj with u_kj ~ U[1 - spread, 1 + spread] independent,
  then scaled to sum 1 (spread 0.2 by default);
* Dirichlet (optional): w_k ~ Dirichlet(c * w), whose mean is w; the larger the concentration c,
  the closer the samples stay to w.

Min-max normalisation does not depend on the weights, so the normalised matrix r is made once and
each sample's scores are 100 r w_k (:func:`quota_opt.score.weighted_scores`: bit for bit what
:func:`quota_opt.score.score` gives for w_k). Every sample is solved with all the rules on one
reused model (:meth:`quota_opt.optimise.SelectionModel.solve_many`, exact tie rule). For every
eligible project the report gives:

* ``selection_frequency``: the share of the K samples whose selection contains it (a sample whose
  rules cannot all hold selects nothing);
* ``class``: ``core`` at 0.95 or more, ``exterior`` at 0.05 or less, ``borderline`` in between
  (RPM's core projects are in every non-dominated portfolio, exterior ones in none);
* ``rank_p05``, ``rank_p50``, ``rank_p95``: the 5th, 50th and 95th percentiles (numpy's default,
  linear interpolation) of its rank by score among the eligible projects over the samples
  (1 = the highest score; equal scores by project_id, as in the tie rule).

The same seed gives the same samples and so the same report (numpy's default Generator). With
spread 0 every sample has the scenario's weights exactly: each frequency is 1 for the base picks
and 0 for the rest.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .optimise import DEFAULT_TIME_LIMIT, SelectionModel, SelectionProblem, build_problem, make_solver, priority_order
from .result import quota_number
from .scenario import Scenario, default_scenario
from .score import SCORE_DECIMALS, ScoreResult, normalise_weights, score, weighted_scores

DEFAULT_SAMPLES = 1000
# The most weight samples one run takes (CLI --samples, the app's robustness page): bounded work on any input.
MAX_SAMPLES = 10_000
DEFAULT_SPREAD = 0.2
DEFAULT_SEED = 0
# The selection frequency shown beside the results (the app's results page): the default spread and
# seed with this many samples, the same as `quota-opt sensitivity --samples 500`.
STABILITY_SAMPLES = 500
CORE_AT = 0.95
EXTERIOR_AT = 0.05
# samples x projects above which a run would need gigabytes: refused as bad input
MAX_CELLS = 20_000_000

CLASSES = ("core", "borderline", "exterior")
CLASS_ZH = {"core": "核心", "borderline": "临界", "exterior": "外围"}
PERCENTILES = (5, 50, 95)

Progress = Callable[[int, int], None]


def classify(count: int, samples: int) -> str:
    """core if selected in at least 95 % of the samples, exterior if in at most 5 %, else borderline
    (compared in whole numbers, so 19 of 20 is exactly 0.95)."""
    if samples <= 0:
        return "exterior"
    if 100 * count >= round(100 * CORE_AT) * samples:
        return "core"
    if 100 * count <= round(100 * EXTERIOR_AT) * samples:
        return "exterior"
    return "borderline"


def _classes(counts: np.ndarray, samples: int) -> np.ndarray:
    """:func:`classify` of every count at once (the same whole-number comparisons)."""
    counts = np.asarray(counts, dtype=np.int64)
    if samples <= 0:
        return np.full(len(counts), "exterior", dtype=object)
    core = 100 * counts >= round(100 * CORE_AT) * samples
    exterior = 100 * counts <= round(100 * EXTERIOR_AT) * samples
    return np.where(core, "core", np.where(exterior, "exterior", "borderline")).astype(object)


def rank_percentiles(scores: np.ndarray, percentiles: Sequence[float] = PERCENTILES) -> np.ndarray:
    """The percentiles over the samples of every project's rank: ``scores`` is samples x projects
    (problem order, which is project_id order) on the SCORE_DECIMALS grid (as
    :func:`quota_opt.score.weighted_scores` gives them); the result is percentiles x projects.

    Rank 1 is the highest score of a sample; equal scores rank by column (project_id), as the tie
    rule does. The result equals ``np.percentile(ranks, percentiles, axis=0)`` (numpy's default,
    linear interpolation) of the samples x projects rank matrix, without making that matrix or
    sorting its columns: each row is sorted once by one packed integer key (score units from high
    to low, then the column), which lists the projects of the row in rank order; the (project,
    rank) pairs of all rows, sorted once more, give each project's K ranks in order side by side,
    and only the order statistics the interpolation reads are taken from them.
    """
    s = np.asarray(scores, dtype=float)
    K, n = s.shape
    q = np.asarray(percentiles, dtype=float)
    if K == 0 or n == 0:
        return np.zeros((len(q), n))
    units = np.rint(s * 10.0 ** SCORE_DECIMALS).astype(np.int64)
    bits = max(1, (n - 1).bit_length())
    units -= units.max()
    np.negative(units, out=units)  # >= 0: the highest score is 0
    if int(units.max()) >= 1 << (62 - bits):  # cannot happen for scores of 0 to 100 points; kept exact anyway
        order = np.argsort(-s, axis=1, kind="stable")
        ranks = np.empty_like(order)
        ranks[np.arange(K)[:, None], order] = np.arange(1, n + 1)
        return np.percentile(ranks, q, axis=0)
    key = units
    key <<= bits
    key |= np.arange(n)
    key.sort(axis=1)  # each row: its projects in rank order (distinct keys: no stability needed)
    key &= (1 << bits) - 1
    pair_type = np.int32 if n * n < 2**31 else np.int64
    pairs = key.astype(pair_type)
    pairs *= n
    pairs += np.arange(n, dtype=pair_type)  # project * n + (rank - 1)
    pairs = pairs.ravel()
    # numpy's linear method: virtual index (K - 1) q, its floor and the next, and numpy's _lerp
    virtual = (K - 1) * (q / 100)
    lower = np.floor(virtual)
    gamma = virtual - lower
    lower = lower.astype(np.int64)
    upper = np.where(virtual >= K - 1, K - 1, lower + 1)
    lower = np.where(virtual >= K - 1, K - 1, lower)
    offset = np.arange(n, dtype=np.int64)[:, None] * n - 1
    if n <= K:  # a count per (project, rank): n x n cells, no more than the samples x projects of the input
        ends = np.cumsum(np.bincount(pairs, minlength=n * n))  # ends[i n + r]: i K + ranks of i up to r + 1
        first = np.arange(n, dtype=np.int64)[:, None] * K
        a = (np.searchsorted(ends, first + lower, side="right").reshape(n, -1) - offset).T
        b = (np.searchsorted(ends, first + upper, side="right").reshape(n, -1) - offset).T
    else:
        pairs.sort()
        stats = pairs.reshape(n, K)  # row i: project i's K ranks (as i n + rank - 1), ascending
        a = (stats[:, lower] - offset).T  # percentiles x projects, ranks from 1
        b = (stats[:, upper] - offset).T
    diff = b - a
    out = a + diff * gamma[:, None]
    high = gamma >= 0.5
    out[high] = (b - diff * (1 - gamma)[:, None])[high]
    return out


def _check_options(samples: Any, spread: Any, seed: Any, dirichlet: Any, problem: SelectionProblem | None = None) -> None:
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise InputError(f"样本数应为正整数，而不是 {samples!r}", f"the number of samples must be a whole number >= 1, not {samples!r}")
    if samples > MAX_SAMPLES:
        raise InputError(f"样本数过多：至多 {MAX_SAMPLES:,} 个，而不是 {samples:,} 个",
                         f"too many samples: at most {MAX_SAMPLES:,}, not {samples:,}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"随机种子应为非负整数，而不是 {seed!r}", f"the seed must be a whole number >= 0, not {seed!r}")
    if dirichlet is None:
        if isinstance(spread, bool) or not isinstance(spread, (int, float, np.floating)) or not 0 <= spread <= 1:
            raise InputError(f"扰动幅度应在 0 到 1 之间，而不是 {spread!r}",
                             f"the spread must be between 0 and 1, not {spread!r}")
    elif (isinstance(dirichlet, bool) or not isinstance(dirichlet, (int, float, np.floating))
          or not math.isfinite(dirichlet) or dirichlet <= 0):
        raise InputError(f"狄利克雷集中度应为正数，而不是 {dirichlet!r}",
                         f"the Dirichlet concentration must be a positive number, not {dirichlet!r}")
    if problem is not None and samples * max(problem.n, 1) > MAX_CELLS:  # the samples x projects score matrix
        raise InputError(f"样本数过多：{problem.n} 个项目最多 {MAX_CELLS // max(problem.n, 1)} 个样本",
                         f"too many samples: with {problem.n} projects, at most {MAX_CELLS // max(problem.n, 1)}")


def sample_weights(weights: Mapping[str, float] | np.ndarray, samples: int = DEFAULT_SAMPLES,
                   spread: float = DEFAULT_SPREAD, seed: int = DEFAULT_SEED, dirichlet: float | None = None) -> np.ndarray:
    """``samples`` weight vectors (one per row, columns in the order of ``weights``), each summing to 1.

    Uniform: each weight times an independent U[1 - spread, 1 + spread] factor, then scaled to sum
    1. Dirichlet (``dirichlet`` = concentration c): Dirichlet(c * w). Formulas in the module doc.
    For a mapping the draws are made in the order of the criteria's names, so the same seed gives
    the same samples however a scenario file happens to list its weights.
    """
    _check_options(samples, spread, seed, dirichlet)
    w = np.array(list(weights.values()) if isinstance(weights, Mapping) else weights, dtype=float)
    if w.ndim != 1 or not len(w) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise InputError("基准权重应为正数", "the base weights must be positive numbers")
    w = normalise_weights(w)
    # Draw in the order of the criteria's names (a mapping's), then put the columns back.
    names = list(weights) if isinstance(weights, Mapping) else list(range(len(w)))
    by_name = np.array(sorted(range(len(w)), key=lambda i: names[i]))
    rng = np.random.default_rng(int(seed))
    raw = np.empty((int(samples), len(w)))
    if dirichlet is None:
        raw[:, by_name] = rng.uniform(1.0 - spread, 1.0 + spread, size=(int(samples), len(w)))
        raw *= w
    else:
        raw[:, by_name] = rng.dirichlet(float(dirichlet) * w[by_name], size=int(samples))
        # a tiny concentration can draw all-zero rows in floating point: those keep the base weights
        raw[~(raw.sum(axis=1) > 0)] = w
    return normalise_weights(raw)


@dataclass(frozen=True, eq=False)
class SensitivityReport:
    """Selection frequency, class and rank range of every eligible project over K weight samples."""

    projects: pd.DataFrame  # one row per eligible project (columns: PROJECT_COLUMNS), most robust first
    samples: int
    method: str  # uniform | dirichlet
    spread: float | None  # uniform only
    concentration: float | None  # dirichlet only
    seed: int
    quota: int
    status: str  # of the base case (the scenario's own weights): optimal | infeasible
    base_selected: tuple[str, ...]  # priority order
    base_objective: float
    criteria: tuple[str, ...]
    base_weights: dict[str, float]
    weights: np.ndarray  # the sampled weights, samples x criteria
    feasible_samples: int
    lp_integral: int  # samples whose LP relaxation has an integral optimum: their selection (see ties.Solved.lp_optimal)
    timings: dict[str, float]  # seconds: sampling (weights and scores), solving, ranks, total
    explanation: list[dict] = field(default_factory=list)  # why the base case is infeasible
    warnings: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)  # unit, level, year, input when known

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"

    @property
    def exit_code(self) -> int:
        """The CLI's exit code: 0, or 1 when the base case is infeasible (as for ``recommend``)."""
        return 0 if self.feasible else 1

    def counts(self) -> dict[str, int]:
        counts = self.projects["class"].value_counts()
        return {c: int(counts.get(c, 0)) for c in CLASSES}

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON: ``samples`` and ``projects`` (the CLI contract) and how they were made."""
        projects = []
        for r in self.projects.to_dict("records"):
            projects.append({k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()})
        return {
            **self.context,
            "samples": self.samples,
            "method": self.method,
            "spread": self.spread,
            "concentration": self.concentration,
            "seed": self.seed,
            "quota": self.quota,
            "status": self.status,
            "base_selected": list(self.base_selected),
            "base_objective": self.base_objective,
            "criteria": list(self.criteria),
            "base_weights": dict(self.base_weights),
            "thresholds": {"core": CORE_AT, "exterior": EXTERIOR_AT},
            "counts": self.counts(),
            "feasible_samples": self.feasible_samples,
            "lp_integral": self.lp_integral,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "projects": projects,
            "explanation": [dict(e) for e in self.explanation],
            "warnings": list(self.warnings),
        }


PROJECT_COLUMNS = ("project_id", "selection_frequency", "class", "rank_p05", "rank_p50", "rank_p95",
                   "base_selected", "base_rank", "base_score")


def analyse(problem: SelectionProblem, scored: ScoreResult, *, samples: int = DEFAULT_SAMPLES,
            spread: float = DEFAULT_SPREAD, seed: int = DEFAULT_SEED, dirichlet: float | None = None,
            solver: str = "highs", time_limit: float | None = None, progress: Progress | None = None,
            eligible: pd.DataFrame | None = None, context: Mapping[str, Any] | None = None,
            screen: bool = True) -> SensitivityReport:
    """The report for a built problem and the scores it was built from (``scored``: its normalised
    matrix and weights). ``eligible`` adds display columns (project_name, city, industry, group);
    ``context`` (unit, level, year, input) is carried into the report. ``screen=False`` solves every
    sample in turn (the reference the screened batch equals; see quota_opt.optimise.batch)."""
    started = time.perf_counter()
    _check_options(samples, spread, seed, dirichlet, problem)
    criteria = tuple(scored.weights)
    spec = make_solver(solver, DEFAULT_TIME_LIMIT if time_limit is None else time_limit)
    # the samples' weights and scores are drawn on the second thread while HiGHS solves the base
    # case (it runs without the interpreter lock, as the compiled scoring does)
    drawing = _second_thread().submit(_sample_scores, problem, scored, samples, spread, seed, dirichlet)
    model = SelectionModel(problem, spec)
    base = model.solve()
    weights, sample_scores = drawing.result()
    sampled = time.perf_counter()

    # the rank percentiles depend on the scores alone: worked out alongside the solving
    batch, ranks = _solve_samples(model, sample_scores, progress, screen, alongside=rank_percentiles)
    solved = time.perf_counter()

    n = problem.n
    p05, p50, p95 = ranks
    counts = np.count_nonzero(batch.picks, axis=0)
    base_rank = np.empty(n, dtype=np.int64)
    base_rank[priority_order(problem.project_ids, problem.scores)] = np.arange(1, n + 1)
    base_selected = np.zeros(n, dtype=bool)
    base_selected[problem.index.get_indexer(list(base.selected))] = True
    frequency = counts / samples
    # most robust first: frequency high to low, then the base priority (base_rank is unique)
    rows = np.lexsort((base_rank, -frequency))
    columns = {
        "project_id": problem.ids_array[rows],
        "selection_frequency": frequency[rows],
        "class": _classes(counts[rows], samples),
        "rank_p05": p05[rows],
        "rank_p50": p50[rows],
        "rank_p95": p95[rows],
        "base_selected": base_selected[rows],
        "base_rank": base_rank[rows],
        "base_score": np.asarray(problem.scores, dtype=float)[rows],
    }
    table = pd.DataFrame(columns)
    if eligible is not None and len(eligible):
        extra = [c for c in ("project_name", "enterprise", "city", "industry", "group") if c in eligible.columns]
        at = pd.Index(eligible["project_id"].astype(str)).get_indexer(table["project_id"])
        if (at >= 0).all():  # every project's row, by position (a join costs twice as much)
            table = pd.concat([table, eligible[extra].iloc[at].set_axis(table.index)], axis=1)
        else:
            display = eligible.assign(project_id=eligible["project_id"].astype(str)).set_index("project_id")[extra]
            table = table.join(display, on="project_id")
    finished = time.perf_counter()

    return SensitivityReport(
        projects=table,
        samples=int(samples),
        method="uniform" if dirichlet is None else "dirichlet",
        spread=float(spread) if dirichlet is None else None,
        concentration=None if dirichlet is None else float(dirichlet),
        seed=int(seed),
        quota=problem.quota,
        status=base.status,
        base_selected=base.selected,
        base_objective=base.objective,
        criteria=criteria,
        base_weights=dict(scored.weights),
        weights=weights,
        feasible_samples=int(batch.feasible.sum()),
        lp_integral=batch.lp_integral,
        timings={"sampling": sampled - started, "solving": solved - sampled, "ranks": finished - solved,
                 "total": finished - started},
        explanation=[e.to_dict() for e in base.explanation],
        warnings=[*scored.warnings, *problem.warnings],
        context=dict(context or {}),
    )


def _sample_scores(problem: SelectionProblem, scored: ScoreResult, samples: int, spread: float, seed: int,
                   dirichlet: float | None) -> tuple[np.ndarray, np.ndarray]:
    """The sampled weights and their scores (samples x projects, in problem order): the step
    :func:`analyse` and :func:`selection_frequencies` share, so both count the same picks."""
    weights = sample_weights(scored.weights, samples, spread, seed, dirichlet)
    norm = (scored.normalised.reindex(columns=list(scored.weights)).reindex(list(problem.project_ids))
            .fillna(0.0).to_numpy(dtype=float))
    return weights, weighted_scores(norm, weights)


def _solve_samples(model: SelectionModel, sample_scores: np.ndarray, progress: Progress | None = None,
                   screen: bool = True, alongside: Callable[[np.ndarray], Any] | None = None):
    """The selection of each sample (:meth:`SelectionModel.solve_many`) and, with ``alongside``, its
    result on the scores, worked out on a second thread while the samples are solved (numpy's
    sorts and the compiled simplex both run without the interpreter lock)."""
    side = _second_thread().submit(alongside, sample_scores) if alongside is not None else None
    batch = model.solve_many(sample_scores, progress=progress, screen=screen)
    return batch, (side.result() if side is not None else None)


@functools.cache
def _second_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="quota-opt-ranks")


def selection_frequencies(problem: SelectionProblem, scored: ScoreResult, *, samples: int = DEFAULT_SAMPLES,
                          spread: float = DEFAULT_SPREAD, seed: int = DEFAULT_SEED, dirichlet: float | None = None,
                          solver: str = "highs") -> pd.DataFrame:
    """Each eligible project's ``selection_frequency`` and ``class`` over the weight samples, indexed by
    project_id in problem (project_id) order: the two columns of :func:`analyse`'s report, equal to
    them value for value (the same samples, scores and selections), without the base case, the rank
    percentiles and the display columns the report adds. For the app's results page, which shows
    only these beside every pick at each weight or rule change."""
    _check_options(samples, spread, seed, dirichlet, problem)
    model = SelectionModel(problem, make_solver(solver, DEFAULT_TIME_LIMIT))
    _, sample_scores = _sample_scores(problem, scored, samples, spread, seed, dirichlet)
    batch, _ = _solve_samples(model, sample_scores)
    counts = np.count_nonzero(batch.picks, axis=0)
    return pd.DataFrame({"selection_frequency": counts / samples, "class": _classes(counts, samples)},
                        index=pd.Index(problem.ids_array, name="project_id"))


def sensitivity(eligible: pd.DataFrame, quota: Any, scenario: Scenario | None = None, *,
                samples: int = DEFAULT_SAMPLES, spread: float = DEFAULT_SPREAD, seed: int = DEFAULT_SEED,
                dirichlet: float | None = None, solver: str = "highs", time_limit: float | None = None,
                progress: Progress | None = None, known_ids: Iterable[str] | None = None,
                ineligible: Mapping[str, object] | Iterable[str] | None = None, screen: bool = True) -> SensitivityReport:
    """Weight robustness of an eligible pool under ``scenario`` (default: the shipped one), its rules
    and ``quota`` (a number or a :class:`quota_opt.quota.QuotaResult`); see the module doc.

    ``progress(done, total)`` is called as the samples are solved (for a progress bar).
    """
    scenario = scenario or default_scenario()
    q, _ = quota_number(quota)
    scored = score(eligible, scenario)
    problem = build_problem(eligible, scored, q, scenario, known_ids=known_ids, ineligible=ineligible)
    return analyse(problem, scored, samples=samples, spread=spread, seed=seed, dirichlet=dirichlet, solver=solver,
                   time_limit=time_limit, progress=progress, eligible=eligible, screen=screen)


def sensitivity_prepared(prepared, scenario: Scenario | None = None, *, samples: int = DEFAULT_SAMPLES,
                         spread: float = DEFAULT_SPREAD, seed: int = DEFAULT_SEED, dirichlet: float | None = None,
                         solver: str = "highs", time_limit: float | None = None,
                         progress: Progress | None = None,
                         selection: tuple[SelectionProblem, ScoreResult] | None = None) -> SensitivityReport:
    """:func:`sensitivity` for a pool from :func:`quota_opt.pipeline.prepare` (unit, level, year and
    input recorded in the report). ``selection``: :func:`quota_opt.pipeline.selection_problem` of the
    same pool and scenario when the caller already has it (not scored and built again)."""
    if selection is None:
        from .pipeline import selection_problem

        selection = selection_problem(prepared, scenario)
    problem, scored = selection
    context = {"unit": prepared.quota.unit, "level": prepared.eligibility.level, "year": prepared.notice.year,
               "input_sha256": prepared.raw.sha256, "input_name": prepared.raw.source}
    return analyse(problem, scored, samples=samples, spread=spread, seed=seed, dirichlet=dirichlet, solver=solver,
                   time_limit=time_limit, progress=progress, eligible=prepared.eligibility.eligible, context=context)


__all__ = [
    "CLASSES",
    "CORE_AT",
    "DEFAULT_SAMPLES",
    "MAX_SAMPLES",
    "DEFAULT_SEED",
    "DEFAULT_SPREAD",
    "EXTERIOR_AT",
    "PROJECT_COLUMNS",
    "STABILITY_SAMPLES",
    "SensitivityReport",
    "analyse",
    "classify",
    "rank_percentiles",
    "sample_weights",
    "selection_frequencies",
    "sensitivity",
    "sensitivity_prepared",
]
