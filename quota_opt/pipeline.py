"""One small function that runs the stages: load → validate → eligibility → quota → score → optimise → order.

The CLI and the app call :func:`recommend` (or :func:`prepare` then :func:`recommend_prepared`
when, like the app, they keep the validated pool and change only the scenario). Every input row
ends up in exactly one of the result's lists: selected, not_selected, ineligible or invalid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .eligibility import EligibilityResult, check_eligibility
from .errors import ModelError
from .load import RawTable, read_table
from .optimise import SelectionProblem, build_problem
from .quota import QuotaEngine, QuotaResult
from .refdata import ReferenceTable, UserFigure
from .result import Recommendation, build_recommendation, quota_number
from .rules import NoticeYear, load_notice, parse_level
from .scenario import Scenario, default_scenario
from .score import ScoreResult, score
from .units import resolve_unit
from .validate import ValidationResult, validate


@dataclass(frozen=True, eq=False)
class Prepared:
    """A validated pool, its eligibility for one unit, level and year, and the unit's quota."""

    raw: RawTable
    validation: ValidationResult
    eligibility: EligibilityResult
    quota: QuotaResult
    notice: NoticeYear
    panel: Any = None  # the PanelReview whose scores are the expert criterion (see with_panel)


def prepare(
    source: RawTable | str | Path,
    unit: str,
    level: str,
    year: int | str,
    *,
    quota: int | None = None,
    data_dir: str | Path | None = None,
    sheet: str | None = None,
    quota_reason: str | None = None,
    tables: Mapping[str, ReferenceTable] | None = None,
    figures: Iterable[UserFigure] = (),
) -> Prepared:
    """Read (if given a path), validate and check eligibility; look up the quota.

    The quota comes first, so a unit that recommends through another, or whose quota is
    undetermined with no ``quota`` given, is refused before any file is read. ``quota`` with
    ``quota_reason`` overrides the quota; ``tables`` (corrected reference files) and ``figures``
    (single figures with their sources) replace shipped reference data (see :class:`QuotaEngine`).
    """
    unit_obj = resolve_unit(unit)
    level_obj = parse_level(level)
    notice = load_notice(year)
    notice.require_level(level_obj)
    engine = QuotaEngine(notice.year, data_dir, tables=tables, figures=figures)
    quota_result = engine.quota(unit_obj, level_obj, override=quota, reason=quota_reason)
    quota_number(quota_result)  # raises for via / undetermined, naming the unit to use instead
    raw = source if isinstance(source, RawTable) else read_table(source, sheet=sheet)
    validation = validate(raw)
    validation.check_file()  # a column missing or given twice: exit 2, naming the columns
    eligibility = check_eligibility(validation.candidates, unit_obj, level_obj, notice)
    return Prepared(raw, validation, eligibility, quota_result, notice)


def recommend_prepared(
    prepared: Prepared,
    scenario: Scenario | None = None,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
    selection: tuple[SelectionProblem, ScoreResult] | None = None,
) -> Recommendation:
    """Score, select and order a prepared pool under ``scenario`` (default: the shipped one).

    ``selection``: :func:`selection_problem` of the same pool and scenario when the caller already
    has it (the app shares it with the selection frequencies), so nothing is scored or built twice.
    """
    prepared.validation.check_file()
    e = prepared.eligibility
    kwargs = {} if time_limit is None else {"time_limit": time_limit}
    rec = build_recommendation(
        e.eligible,
        prepared.quota,
        scenario or default_scenario(),
        unit=prepared.quota.unit,
        level=e.level,
        year=prepared.notice.year,
        ineligible=e.table[~e.table["eligible"]],
        invalid=prepared.validation.invalid,
        solver=solver,
        input_sha256=prepared.raw.sha256,
        input_name=prepared.raw.source,
        notice=prepared.notice.document,
        selection=selection,
        **kwargs,
    )
    _check_conservation(prepared, rec)
    if prepared.panel is not None:
        rec = replace(rec, panel=prepared.panel.recommendation_info())
    notes = prepared.validation.notes_line()
    return replace(rec, warnings=[notes, *rec.warnings]) if notes else rec


def with_panel(prepared: Prepared, review) -> Prepared:
    """The pool with the expert panel's scores (a :class:`~quota_opt.panel.PanelReview`) as its
    expert criterion; projects without a panel score set aside (see :mod:`quota_opt.panel.apply`)."""
    from .panel.apply import apply_panel

    validation, eligibility = apply_panel(review, prepared.validation, prepared.eligibility)
    return replace(prepared, validation=validation, eligibility=eligibility, panel=review)


def recommend(
    source: RawTable | str | Path,
    unit: str,
    level: str,
    year: int | str,
    scenario: Scenario | None = None,
    *,
    quota: int | None = None,
    data_dir: str | Path | None = None,
    sheet: str | None = None,
    solver: str = "highs",
) -> Recommendation:
    """The whole recommendation for one candidate file (see the module docstring)."""
    prepared = prepare(source, unit, level, year, quota=quota, data_dir=data_dir, sheet=sheet)
    return recommend_prepared(prepared, scenario, solver=solver)


def selection_problem(prepared: Prepared, scenario: Scenario | None = None) -> tuple[SelectionProblem, ScoreResult]:
    """The prepared pool scored under ``scenario`` and the data of its integer program, as
    :func:`recommend_prepared` builds them (an include/exclude is checked against the whole file).

    For the analyses that solve the same problem many times: weight robustness and what-if.
    """
    scenario = scenario or default_scenario()
    e = prepared.eligibility
    ineligible = {str(r["project_id"]): list(r["failed_rules"])
                  for r in e.table[~e.table["eligible"]].to_dict("records")}
    invalid = prepared.validation.invalid
    invalid_ids = set()
    if "project_id" in invalid.columns:
        invalid_ids = {str(v) for v in invalid["project_id"].tolist() if isinstance(v, str) and v}
    known = set(e.eligible["project_id"].astype(str)) | set(ineligible) | invalid_ids
    quota, _ = quota_number(prepared.quota)
    scored = score(e.eligible, scenario)
    problem = build_problem(e.eligible, scored, quota, scenario, known_ids=known, ineligible=ineligible)
    return problem, scored


def _check_conservation(prepared: Prepared, rec: Recommendation) -> None:
    """Every data row read ends up exactly once as selected, not selected, ineligible or invalid."""
    rows_valid = len(prepared.validation.candidates)
    accounted = len(rec.selected) + len(rec.not_selected) + len(rec.ineligible)
    if accounted != rows_valid or rows_valid + len(rec.invalid) != prepared.validation.rows:
        raise ModelError(
            f"内部核对失败：读取{prepared.validation.rows}行，结果中{accounted + len(rec.invalid)}行",
            f"internal check failed: {prepared.validation.rows} rows read, {accounted + len(rec.invalid)} in the result",
        )


__all__ = ["Prepared", "prepare", "recommend", "recommend_prepared", "selection_problem", "with_panel"]
