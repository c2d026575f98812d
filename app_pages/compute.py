"""The app's calls into the core, cached on what they depend on, so heavy work runs once per change.

Each stage is a ``st.cache_data`` function keyed on its inputs' content: reading and validating
on the file's SHA-256 (so a weight or rule change never re-reads the file), eligibility on the
file and the unit, level and year, the quota on the user's figures and override, the
recommendation on all of that plus the scenario's fingerprint. Arguments whose name starts with
an underscore are not hashed: the key argument before each stands for them. ``st.cache_data``
returns a copy to every caller, so one session never holds another's objects; nothing here is
module-level mutable state.

:func:`current` runs the stages for the session's :class:`~app_pages.state.Inputs` and keeps the
first failure of each stage as a (Chinese, English) message for the pages to show.

The analyses that solve the same pool many times (weight robustness, what would it take) take the
:class:`~quota_opt.pipeline.Prepared` pool of :func:`prepared` and are keyed on :func:`basis`, one
hash of everything the recommendation depends on, plus their own options.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from quota_opt import QuotaEngine, QuotaOptError, QuotaResult, Recommendation, Scenario, load_notice
from quota_opt.balance import BalanceCost, balance_cost, rule_usage
from quota_opt.eligibility import EligibilityResult, check_eligibility
from quota_opt.load import RawTable, read_table_bytes
from quota_opt.optimise import SelectionProblem, group_keys
from quota_opt.pipeline import Prepared, recommend_prepared, selection_problem, with_panel
from quota_opt.refdata import UserFigure, read_reference_bytes
from quota_opt.score import ScoreResult
from quota_opt.sensitivity import (DEFAULT_SEED, DEFAULT_SPREAD, STABILITY_SAMPLES, SensitivityReport,
                                   selection_frequencies, sensitivity_prepared)
from quota_opt.validate import ValidationResult, validate
from quota_opt.whatif import WhatIfAnswer, what_if_prepared
from quota_opt.panel import PanelOptions, PanelReview, PanelSheets, read_panel, review_panel
from quota_opt.panel.compare import RuleComparison, compare_rules

from app_pages import state

Message = tuple[str, str]


def _message(exc: QuotaOptError) -> Message:
    return exc.message_zh, exc.message_en


@dataclass(frozen=True)
class PoolRead:
    raw: RawTable | None
    validation: ValidationResult | None
    error: Message | None = None


@st.cache_data(show_spinner=False, max_entries=8)
def read_pool(sha256: str, filename: str, sheet: str | None, _data: bytes) -> PoolRead:
    """Read and validate a candidate file (every problem at once), or say why it cannot be read."""
    try:
        raw = read_table_bytes(_data, filename, sheet=sheet)
    except QuotaOptError as exc:
        return PoolRead(None, None, _message(exc))
    return PoolRead(raw, validate(raw))


@st.cache_data(show_spinner=False, max_entries=16)
def eligibility(sha256: str, filename: str, sheet: str | None, unit: str, level: str, year: int,
                _data: bytes) -> tuple[EligibilityResult | None, Message | None]:
    pool = read_pool(sha256, filename, sheet, _data)
    if pool.validation is None:
        return None, pool.error
    try:
        return check_eligibility(pool.validation.candidates, unit, level, year), None
    except QuotaOptError as exc:
        return None, _message(exc)


def _engine(year: int, figures: tuple, files: tuple) -> QuotaEngine:
    tables = {dataset: read_reference_bytes(dataset, data, name) for dataset, name, data in files}
    return QuotaEngine(year, tables=tables, figures=[UserFigure(*f) for f in figures])


@st.cache_data(show_spinner=False, max_entries=32)
def unit_quota(unit: str, level: str, year: int, override: int | None, reason: str, figures: tuple,
               files: tuple) -> tuple[QuotaResult | None, Message | None]:
    """The unit's quota with the user's figures, corrected files and override (with its reason)."""
    try:
        return _engine(year, figures, files).quota(unit, level, override, reason or None), None
    except QuotaOptError as exc:
        return None, _message(exc)


@st.cache_data(show_spinner=False, max_entries=16)
def all_quotas(level: str, year: int, figures: tuple, files: tuple) -> tuple[list[QuotaResult] | None, Message | None]:
    try:
        return _engine(year, figures, files).all_units(level), None
    except QuotaOptError as exc:
        return None, _message(exc)


@st.cache_data(show_spinner=False, max_entries=8)
def reference_table(dataset: str, year: int, figures: tuple, files: tuple) -> tuple[pd.DataFrame | None, Message | None]:
    """The figures of ``dataset`` as the quota engine reads them (the user's included)."""
    try:
        table = _engine(year, figures, files).table(dataset)
    except QuotaOptError as exc:
        return None, _message(exc)
    rows = [{"province": f.province, "value": f.value, "rank_min": f.rank_min, "rank_max": f.rank_max,
             "status": f.status, "source": f.source} for f in table.figures.values()]
    return pd.DataFrame(rows), None


@dataclass(frozen=True)
class Outcome:
    rec: Recommendation
    usage: pd.DataFrame  # counts per industry, city and group against caps and floors
    balance: BalanceCost  # the score given up to the balance rules
    # the problem and scores rec was solved on (quota_opt.pipeline.selection_problem), for the
    # selection frequencies beside the results: scored and built once per change
    selection: tuple[SelectionProblem, ScoreResult] | None = None


@st.cache_data(show_spinner=False, max_entries=64)
def recommendation(sha256: str, filename: str, sheet: str | None, unit: str, level: str, year: int,
                   override: int | None, reason: str, figures: tuple, files: tuple, fingerprint: str,
                   _data: bytes, _scenario: Scenario, panel_key: str = "",
                   _panel=None, *, _stages: tuple | None = None) -> tuple[Outcome | None, Message | None]:
    """Score, select and order under ``_scenario`` (whose fingerprint is the key), with the usage of
    every cap and floor and the score the balance rules cost; with ``_panel`` (a PanelReview, keyed
    on ``panel_key``) its scores are the expert criterion, as ``recommend --panel`` does.

    ``_stages``: the (pool, eligibility, quota) the caller already fetched for these keys (then they
    are not fetched from their caches again, each a copy to unpickle)."""
    if _stages is not None:
        pool, (elig, error), (quota, quota_error) = _stages[0], (_stages[1], None), (_stages[2], None)
    else:
        pool = read_pool(sha256, filename, sheet, _data)
        elig, error = eligibility(sha256, filename, sheet, unit, level, year, _data)
        quota, quota_error = unit_quota(unit, level, year, override, reason, figures, files)
    if elig is None or pool.validation is None:
        return None, error or pool.error
    if quota is None:
        return None, quota_error
    try:
        prepared = Prepared(pool.raw, pool.validation, elig, quota, load_notice(year))
        if _panel is not None:
            prepared = with_panel(prepared, _panel)
        selection = selection_problem(prepared, _scenario)
        rec = recommend_prepared(prepared, _scenario, selection=selection)
        elig = prepared.eligibility
        return Outcome(rec, rule_usage(rec, elig.eligible, problem=selection[0]),
                       balance_cost(rec, elig.eligible, problem=selection[0]), selection), None
    except QuotaOptError as exc:
        return None, _message(exc)


def _count(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def pool_keys(eligible: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Each industry, city and group (as the integer program groups them) with its number of eligible candidates."""
    return {"industry": _count([str(v) for v in eligible["industry"]]),
            "city": _count([str(v) for v in eligible["city"]]),
            "group": _count([str(v) for v in group_keys(eligible)])}


@dataclass
class Current:
    """Where the session stands: each stage's result, or the message of the first stage that failed."""

    inputs: state.Inputs
    sha256: str = ""
    pool: PoolRead | None = None
    eligibility: EligibilityResult | None = None
    quota: QuotaResult | None = None
    criteria: list[str] = field(default_factory=list)
    scenario: Scenario | None = None
    outcome: Outcome | None = None
    errors: dict[str, Message] = field(default_factory=dict)  # stage -> message
    panel: PanelStage | None = None  # the expert panel in use (issue 11)

    @property
    def rec(self) -> Recommendation | None:
        return self.outcome.rec if self.outcome else None

    @property
    def candidates(self) -> pd.DataFrame | None:
        return self.pool.validation.candidates if self.pool and self.pool.validation is not None else None


def current(*, recommend: bool = True) -> Current:
    """Run (or fetch from the caches) every stage for the session's inputs."""
    inputs = state.inputs()
    cur = Current(inputs)
    q = inputs.quota
    quota, error = unit_quota(inputs.unit, inputs.level, inputs.year, q.override, q.reason, q.figures, q.files)
    cur.quota = quota
    if error:
        cur.errors["quota"] = error
    elif quota is not None and quota.quota is None:
        cur.errors["quota"] = (quota.basis_zh, quota.basis_en)
    src = inputs.source
    if src is None:
        cur.errors["pool"] = ("请上传候选项目文件或选择示例数据", "upload a candidate file or pick a sample pool")
        cur.criteria = state.criteria_for(None)
        return cur
    cur.sha256 = hashlib.sha256(src.data).hexdigest()
    cur.pool = read_pool(cur.sha256, src.filename, src.sheet, src.data)
    cur.criteria = state.criteria_for(cur.candidates)
    if cur.pool.error:
        cur.errors["pool"] = cur.pool.error
        return cur
    cur.eligibility, error = eligibility(cur.sha256, src.filename, src.sheet, inputs.unit, inputs.level,
                                        inputs.year, src.data)
    if error:
        cur.errors["eligibility"] = error
    else:
        eligible = cur.eligibility.eligible
        state.sync_to_pool(state.pool_key(src), lambda: pool_keys(eligible))
    if inputs.panel is not None:
        cur.panel = panel_review(cur.sha256, src.filename, src.sheet, inputs.panel.key, _data=src.data,
                                 _panel=inputs.panel)
        if cur.panel.error:
            cur.errors["panel"] = cur.panel.error
    try:
        cur.scenario = state.build_scenario(cur.criteria)
    except QuotaOptError as exc:
        cur.errors["scenario"] = _message(exc)
    if not recommend or cur.errors:
        return cur
    review = cur.panel.review if cur.panel is not None else None
    cur.outcome, error = recommendation(cur.sha256, src.filename, src.sheet, inputs.unit, inputs.level, inputs.year,
                                        q.override, q.reason, q.figures, q.files, cur.scenario.fingerprint,
                                        src.data, cur.scenario, inputs.panel.key if review else "", review,
                                        _stages=(cur.pool, cur.eligibility, cur.quota))
    if error:
        cur.errors["recommend"] = error
    return cur


# ---------------------------------------------------------------------- analyses of the current pool


def basis(cur: Current) -> str:
    """One key for everything the current recommendation depends on: the file (its SHA-256, name and
    sheet), unit, level, year, the quota's override, figures and corrected files, and the scenario's
    fingerprint. Two runs with the same basis have the same recommendation."""
    inputs, q, src = cur.inputs, cur.inputs.quota, cur.inputs.source
    files = tuple((dataset, name, hashlib.sha256(data).hexdigest()) for dataset, name, data in q.files)
    parts = (cur.sha256, src.filename if src else None, src.sheet if src else None, inputs.unit, inputs.level,
             inputs.year, q.override, q.reason, q.figures, files,
             cur.scenario.fingerprint if cur.scenario is not None else None,
             inputs.panel.key if cur.panel is not None and cur.panel.review is not None else None)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def prepared(cur: Current) -> Prepared | None:
    """The validated pool, its eligibility and quota as the core's :class:`Prepared` (what the
    recommendation was computed from), or None when a stage failed."""
    if cur.pool is None or cur.pool.validation is None or cur.eligibility is None or cur.quota is None:
        return None
    prepared = Prepared(cur.pool.raw, cur.pool.validation, cur.eligibility, cur.quota, load_notice(cur.inputs.year))
    if cur.panel is not None and cur.panel.review is not None:
        prepared = with_panel(prepared, cur.panel.review)
    return prepared


PROGRESS_STEP = 5  # per cent between two updates of the progress bar


@st.cache_data(show_spinner=False, max_entries=16)
def robustness(basis: str, samples: int, spread: float, seed: int, dirichlet: float | None, *,
               _prepared: Prepared, _scenario: Scenario,
               _progress_text: str = "") -> tuple[SensitivityReport | None, Message | None]:
    """Weight robustness (:func:`quota_opt.sensitivity.sensitivity_prepared`) of the pool ``basis``
    stands for, with a progress bar while the samples are solved.

    The bar is made, moved and removed inside this function on purpose: Streamlit replays the
    elements a cached function made when a later call is served from the cache, so on a hit the
    bar is made and removed again at once (an element made outside could not be replayed).
    """
    bar = st.progress(0.0, text=_progress_text)
    shown = {"step": 0}  # this call's own counter, so the bar moves in steps of PROGRESS_STEP per cent

    def progress(done: int, total: int) -> None:
        step = (100 * done // total if total else 100) // PROGRESS_STEP
        if step != shown["step"]:
            shown["step"] = step
            bar.progress(min(1.0, step * PROGRESS_STEP / 100), text=f"{_progress_text} {done:,} / {total:,}")

    try:
        return sensitivity_prepared(_prepared, _scenario, samples=samples, spread=spread, seed=seed,
                                    dirichlet=dirichlet, progress=progress), None
    except QuotaOptError as exc:
        return None, _message(exc)
    finally:
        bar.empty()


@st.cache_data(show_spinner=False, max_entries=16)
def stability(basis: str, *, _prepared: Prepared, _scenario: Scenario,
              _selection: tuple | None = None) -> tuple[pd.DataFrame | None, Message | None]:
    """Each eligible project's selection frequency and class under the default spread
    (``quota-opt sensitivity --samples 500``: STABILITY_SAMPLES samples, DEFAULT_SPREAD, DEFAULT_SEED; the
    report's two columns, by :func:`quota_opt.sensitivity.selection_frequencies`), indexed by project_id, for
    the results page; recomputed whenever ``basis`` changes (any weight or
    rule), and fast enough for that (see quota_opt.optimise.batch). ``_selection``: the problem and
    scores of the recommendation (:attr:`Outcome.selection`), not built again."""
    try:
        problem, scored = _selection if _selection is not None else selection_problem(_prepared, _scenario)
        return selection_frequencies(problem, scored, samples=STABILITY_SAMPLES, spread=DEFAULT_SPREAD,
                                     seed=DEFAULT_SEED), None
    except QuotaOptError as exc:
        return None, _message(exc)


@st.cache_data(show_spinner=False, max_entries=64)
def what_if(basis: str, project_id: str, *, _prepared: Prepared,
            _scenario: Scenario) -> tuple[WhatIfAnswer | None, Message | None]:
    """What it would take for ``project_id`` and the price of the balance rules
    (:func:`quota_opt.whatif.what_if_prepared`) in the pool ``basis`` stands for."""
    try:
        return what_if_prepared(_prepared, project_id, _scenario), None
    except QuotaOptError as exc:
        return None, _message(exc)


# ---------------------------------------------------------------------- the expert panel (issue 11)


@dataclass(frozen=True)
class PanelStage:
    """The panel read and reviewed against the pool, or why it could not be read."""

    review: PanelReview | None
    sheets: PanelSheets | None
    error: Message | None = None


@st.cache_data(show_spinner=False, max_entries=8)
def panel_review(sha256: str, filename: str, sheet: str | None, panel_key: str, *, _data: bytes,
                 _panel) -> PanelStage:
    """Read the panel's files (``_panel``: app_pages.panel_state.PanelInputs, keyed on ``panel_key``) and
    review them against the pool: recusal, aggregation, the check (as ``quota-opt panel`` does)."""
    pool = read_pool(sha256, filename, sheet, _data)
    if pool.validation is None:
        return PanelStage(None, None, pool.error)
    try:
        sheets = read_panel(**_panel.sources())
        invalid = [str(p) for p in pool.validation.invalid.get("project_id", []) if isinstance(p, str) and p]
        return PanelStage(review_panel(sheets, pool.validation.candidates, _panel.options, known_ids=invalid), sheets)
    except QuotaOptError as exc:
        return PanelStage(None, None, _message(exc))


@st.cache_data(show_spinner=False, max_entries=8)
def panel_rules(basis: str, *, _prepared: Prepared, _sheets: PanelSheets, _options: PanelOptions,
                _scenario: Scenario) -> tuple[RuleComparison | None, Message | None]:
    """The picks under each aggregation rule (:func:`quota_opt.panel.compare.compare_rules`) of the pool
    ``basis`` stands for; ``_prepared`` is the pool without the panel."""
    try:
        return compare_rules(_prepared, _sheets, _options, _scenario), None
    except QuotaOptError as exc:
        return None, _message(exc)
