"""A recommendation: the picks in priority order, every other row with its reason, and how it was made.

:func:`build_recommendation` runs score -> optimise -> order on an eligible pool and returns a
:class:`Recommendation`; the loading, validation and eligibility stages hand it the pool and the
rows they set aside (ineligible, invalid), so every input row appears exactly once as
recommended, not recommended, ineligible or invalid.
"""

from __future__ import annotations

import re

import hashlib
import json
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import Level
from .errors import InputError, ModelError
from .optimise import DEFAULT_TIME_LIMIT, SelectionModel, SelectionProblem, SolverSpec, build_problem, make_solver
from .order import order
from .quota import QuotaResult
from .rules import parse_level
from .scenario import Scenario, default_scenario
from .score import ScoreResult, score

# China Standard Time: the time zone of every time the exports show, with its offset (+08:00).
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def now_cst() -> str:
    """The current time in China Standard Time, ISO 8601 with the offset, e.g. 2025-10-10T09:30:00+08:00."""
    return datetime.now(CHINA_STANDARD_TIME).isoformat(timespec="seconds")


def china_time(stamp: str) -> str:
    """A stored ISO 8601 time shown in China Standard Time with its offset: '2025-08-01 01:30:00 +08:00'.

    Stored times stay as they are (UTC); this is for display only. A stamp without an offset is
    taken as UTC; text that is not a time comes back unchanged rather than failing a listing.
    """
    try:
        moment = datetime.fromisoformat(str(stamp).strip())
    except ValueError:
        return str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(CHINA_STANDARD_TIME).strftime("%Y-%m-%d %H:%M:%S +08:00")


def _looks_like_path(text: str) -> bool:
    """A path of some machine (absolute, home-relative or with a drive letter), not a label that merely
    holds a slash ("industrial_value_2024.csv（随软件提供的数据 / the shipped data）")."""
    return text.startswith(("/", "~", "\\\\")) or bool(re.match(r"^[A-Za-z]:[\\/]", text))


def without_paths(value: Any) -> Any:
    """``value`` (a dict, list or text) with every path of this machine reduced to its file name.

    The paths are those named by keys ending in ``file`` or ``path`` (the quota basis names the
    reference data file it read); wherever such a path occurs in any text of ``value`` it is
    replaced by the file name, so an export or JSON result says which file, never where it lay."""
    paths: set[str] = set()

    def collect(v: Any) -> None:
        if isinstance(v, Mapping):
            for k, item in v.items():
                if isinstance(item, str) and str(k).endswith(("file", "path")) and _looks_like_path(item):
                    paths.add(item)
                collect(item)
        elif isinstance(v, (list, tuple)):
            for item in v:
                collect(item)

    def strip(v: Any) -> Any:
        if isinstance(v, str):
            for p in sorted(paths, key=len, reverse=True):
                v = v.replace(p, _file_name(p))
            return v
        if isinstance(v, Mapping):
            return {k: strip(item) for k, item in v.items()}
        if isinstance(v, list):
            return [strip(item) for item in v]
        if isinstance(v, tuple):
            return tuple(strip(item) for item in v)
        return v

    collect(value)
    return strip(value) if paths else value


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Recommendation:
    unit: str
    level: str  # excellent | leading
    year: int
    quota: int
    status: str  # optimal | infeasible
    objective: float  # the sum of the picks' scores
    selected: list[dict]  # rank, project_id, score, project_name, enterprise, city, industry
    not_selected: list[dict]  # project_id, score, reason_code, reason_zh, reason_en, blocked_by, display fields
    ineligible: list[dict]  # project_id, row, failed_rules, messages
    invalid: list[dict]  # row, project_id, problems
    explanation: list[dict]  # zh, en, rules, amount (when infeasible)
    scenario: Scenario
    weights: dict[str, float]  # the weights used (normalised)
    directions: dict[str, str]
    solver: str
    solve_seconds: float  # time inside the solver
    total_seconds: float  # score + solve + order
    input_sha256: str = ""
    input_name: str = ""
    notice: str = ""  # the notice's document number
    quota_info: dict = field(default_factory=dict)  # the QuotaResult as a dict (basis, status, ...)
    contributions: pd.DataFrame = field(default_factory=pd.DataFrame)  # points per criterion, index project_id
    warnings: list[str] = field(default_factory=list)
    version: str = ""
    created_at: str = ""
    panel: dict = field(default_factory=dict)  # the expert panel behind expert_score (sheet, run_info, provenance)

    @property
    def level_zh(self) -> str:
        return Level(self.level).zh

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"

    @property
    def exit_code(self) -> int:
        """The CLI's exit code for this result: 0 optimal, 1 infeasible."""
        return 0 if self.feasible else 1

    def counts(self) -> dict[str, int]:
        counts = {"selected": len(self.selected), "not_selected": len(self.not_selected),
                  "ineligible": len(self.ineligible), "invalid": len(self.invalid)}
        counts["rows"] = sum(counts.values())
        return counts

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON: the CLI contract's keys first, then how the result was made."""
        return {
            "unit": self.unit,
            "level": self.level,
            "year": self.year,
            "quota": self.quota,
            "status": self.status,
            "objective": self.objective,
            "selected": [dict(r) for r in self.selected],
            "not_selected": [{"project_id": r["project_id"], "score": r["score"], "reason": r["reason_code"],
                              "reason_zh": r["reason_zh"], "reason_en": r["reason_en"],
                              "blocked_by": list(r.get("blocked_by", []))} for r in self.not_selected],
            "ineligible": [dict(r) for r in self.ineligible],
            "invalid": [dict(r) for r in self.invalid],
            "explanation": [dict(e) for e in self.explanation],
            "counts": self.counts(),
            "notice": self.notice,
            "quota_basis": self.quota_info,
            "scenario": self.scenario.to_dict(),
            "weights": self.weights,
            "directions": self.directions,
            "solver": self.solver,
            "solve_seconds": self.solve_seconds,
            "total_seconds": self.total_seconds,
            "input_sha256": self.input_sha256,
            "input_name": self.input_name,
            "warnings": list(self.warnings),
            "version": self.version,
            "created_at": self.created_at,
            **({"panel": self.panel.get("provenance", {})} if self.panel else {}),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=_json_default)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file's bytes (the input fingerprint in the run information)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def quota_number(quota: int | QuotaResult | Mapping[str, Any]) -> tuple[int, dict]:
    """The quota as a whole number, with its basis; a unit without one is an :class:`InputError`."""
    if isinstance(quota, QuotaResult):
        info = quota.to_dict()
    elif isinstance(quota, Mapping):
        info = dict(quota)
    else:
        if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
            raise InputError(f"名额应为非负整数，而不是 {quota!r}", f"the quota must be a whole number >= 0, not {quota!r}")
        return int(quota), {"quota": int(quota), "status": "given"}
    value = info.get("quota")
    if value is None:
        unit = info.get("unit", "")
        if info.get("status") == "via":
            via = info.get("via") or "所在省（区、市）"
            raise InputError(f"{unit}的项目由{via}统一推荐，没有自己的名额；请以{via}为推荐单位",
                             f"{unit} recommends through {info.get('via') or 'the province where each factory is'}: "
                             "it has no quota of its own; recommend as that unit")
        raise InputError(f"{unit}的名额待定（{info.get('basis_zh', '')}）；请用 --quota 指定名额",
                         f"the quota of {unit} is undetermined ({info.get('basis_en', '')}); give one with --quota")
    return int(value), info


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")`` made a column at a time: ``Series.tolist`` gives the same plain Python
    values (str, int, float, bool, the lists held), without boxing cell by cell (which for pyarrow text
    columns costs seconds on 100,000 rows)."""
    names = list(frame.columns)
    columns = [frame.iloc[:, j].tolist() for j in range(len(names))]
    return [dict(zip(names, values)) for values in zip(*columns)]


def _records(rows: Iterable[Mapping[str, Any]] | pd.DataFrame | None, keys: tuple[str, ...]) -> list[dict]:
    if rows is None:
        return []
    if isinstance(rows, pd.DataFrame):
        rows = frame_records(rows)
    out = []
    for r in rows:
        rec = {}
        for k in keys:
            v = r.get(k)
            if isinstance(v, float) and math.isnan(v):
                v = None
            if k in ("failed_rules", "messages", "problems"):
                v = [] if v is None else ([v] if isinstance(v, str) else list(v))
            elif k == "row" and v is not None:
                v = int(v)
            elif k == "project_id" and v is not None:
                v = str(v)
            rec[k] = v
        out.append(rec)
    return out


def build_recommendation(
    eligible: pd.DataFrame,
    quota: int | QuotaResult | Mapping[str, Any],
    scenario: Scenario | None = None,
    *,
    unit: str = "",
    level: str | Level = "excellent",
    year: int = 0,
    ineligible: Iterable[Mapping[str, Any]] | pd.DataFrame | None = None,
    invalid: Iterable[Mapping[str, Any]] | pd.DataFrame | None = None,
    known_ids: Iterable[str] | None = None,
    solver: SolverSpec | str = "highs",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    input_sha256: str = "",
    input_name: str = "",
    notice: str = "",
    selection: tuple[SelectionProblem, ScoreResult] | None = None,
) -> Recommendation:
    """Score, select and order an eligible pool; the rows set aside before are carried along.

    ``ineligible``: records with project_id, row, failed_rules, messages; ``invalid``: records
    with row, project_id, problems. An include/exclude naming an unknown or ineligible project is
    an :class:`InputError`; an infeasible rule set is a result (status ``infeasible``).
    ``selection``: the problem and scores already built from these inputs (as
    :func:`quota_opt.pipeline.selection_problem` builds them), used rather than built again.
    """
    from . import __version__

    started = time.perf_counter()
    scenario = scenario or default_scenario()
    level_enum = level if isinstance(level, Level) else parse_level(level)
    q, quota_info = quota_number(quota)
    quota_info = without_paths(quota_info)
    if isinstance(quota, QuotaResult):
        unit = unit or quota.unit
        year = year or quota.year
        notice = notice or quota.document
    ineligible_rows = _records(ineligible, ("project_id", "row", "failed_rules", "messages"))
    invalid_rows = _records(invalid, ("row", "project_id", "problems"))
    eligible_ids = set(eligible["project_id"].astype(str).tolist()) if len(eligible) else set()
    overlap = sorted(eligible_ids & {r["project_id"] for r in ineligible_rows})
    if overlap:
        raise ModelError(f"项目既被判为符合条件又被判为不符合：{'、'.join(overlap)}",
                         f"projects both eligible and ineligible: {', '.join(overlap)}")
    if known_ids is None:
        known_ids = eligible_ids | {r["project_id"] for r in ineligible_rows} | {
            r["project_id"] for r in invalid_rows if r["project_id"]}
    spec = solver if isinstance(solver, SolverSpec) else make_solver(solver, time_limit)

    if selection is not None:
        problem, scored = selection
    else:
        scored = score(eligible, scenario)
        problem = build_problem(eligible, scored, q, scenario, known_ids=known_ids,
                                ineligible={r["project_id"]: r["failed_rules"] for r in ineligible_rows})
    selection = SelectionModel(problem, spec).solve()
    ordered = order(selection, eligible)
    selected = frame_records(ordered.selected)
    not_selected = frame_records(ordered.not_selected)
    warnings = [*scored.warnings, *problem.warnings]
    return Recommendation(
        unit=unit,
        level=level_enum.value,
        year=int(year),
        quota=q,
        status=selection.status,
        objective=selection.objective,
        selected=selected,
        not_selected=not_selected,
        ineligible=ineligible_rows,
        invalid=invalid_rows,
        explanation=[e.to_dict() for e in selection.explanation],
        scenario=scenario,
        weights=dict(scored.weights),
        directions=dict(scored.directions),
        solver=spec.name,
        solve_seconds=selection.solver_seconds,
        total_seconds=time.perf_counter() - started,
        input_sha256=input_sha256,
        input_name=_file_name(input_name) if input_name else "",
        notice=notice,
        quota_info=quota_info,
        contributions=scored.contributions,
        warnings=warnings,
        version=__version__,
        created_at=now_cst(),
    )


__all__ = ["CHINA_STANDARD_TIME", "Recommendation", "build_recommendation", "china_time", "frame_records", "now_cst",
           "quota_number", "sha256_file", "without_paths"]
