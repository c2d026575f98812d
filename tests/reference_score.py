"""The scoring quota-opt used before issue 13 made it work on arrays, kept as oracles: :func:`quota_opt.score.score`
must give exactly what they give (tests/test_score.py), bit for bit, every field of its
:class:`~quota_opt.score.ScoreResult`.

* :func:`reference_score`: the column-by-column pandas scoring (every criterion's min-max, checks and missing
  values through pandas Series);
* :func:`previous_score`: ``score`` as it was just before (commit 44fd3c6), the one timed against the
  package in benchmarks/bench_prepare.py.

Both use their own copy of the values' gathering (:func:`reference_criterion_values`: the project_id index
made per call, each column checked and converted as a Series) and of the duplicate-id check; they share the
weights (:func:`quota_opt.score.resolve_weights`, AHP and entropy), which issue 13 did not change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from quota_opt.columns import COLUMNS_BY_NAME, Direction, column_label
from quota_opt.errors import InputError
from quota_opt.scenario import Scenario
from quota_opt.score import _NUMERIC_KINDS, ScoreResult, minmax_normalise, resolve_weights, weighted_scores


def reference_criterion_values(eligible: pd.DataFrame, criteria: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """The numeric values of ``criteria``, indexed by project_id, and warnings.

    A canonical numeric column the table lacks counts as missing everywhere (with a warning);
    any other column the table lacks, or a column that is not numeric, is an :class:`InputError`.
    """
    index = pd.Index(eligible["project_id"].astype(str), name="project_id")
    out: dict[str, np.ndarray] = {}
    warnings: list[str] = []
    for c in criteria:
        if c in eligible.columns:
            col = eligible[c]
            if pd.api.types.is_bool_dtype(col):
                col = col.astype(float)
            if not pd.api.types.is_numeric_dtype(col):
                converted = pd.to_numeric(col, errors="coerce")
                bad = col[converted.isna() & col.notna() & (col.astype(str).str.strip() != "")]
                if len(bad):
                    raise InputError(
                        f"评分指标“{column_label(c)}”不是数值列（如“{bad.iloc[0]}”），不能用于计算得分",
                        f"scoring criterion '{column_label(c, 'en')}' is not a numeric column (e.g. '{bad.iloc[0]}'), "
                        "so it cannot be weighted",
                    )
                col = converted
            out[c] = col.astype(float).to_numpy()
        elif c in COLUMNS_BY_NAME and COLUMNS_BY_NAME[c].kind in _NUMERIC_KINDS:
            out[c] = np.full(len(index), np.nan)
            warnings.append(f"候选表中没有“{column_label(c)}”列，该指标对所有项目计 0 分 / the candidate table has no "
                            f"'{column_label(c, 'en')}' column: that criterion adds nothing to any score")
        elif c in COLUMNS_BY_NAME:
            raise InputError(f"“{column_label(c)}”不是数值指标，不能用于计算得分",
                             f"'{column_label(c, 'en')}' is not a numeric criterion and cannot be weighted")
        else:
            known = [x for x in eligible.columns if x not in ("row",) and pd.api.types.is_numeric_dtype(eligible[x])]
            raise InputError(
                f"方案的权重指向列“{c}”，但候选表中没有这一列；可用的数值列：{'、'.join(map(str, known)) or '无'}",
                f"the scenario weights a column '{c}' that the candidate table does not have; numeric columns "
                f"available: {', '.join(map(str, known)) or 'none'}",
            )
    out = pd.DataFrame(out, index=index, columns=list(out))
    return out, warnings


def reference_minmax_normalise(values: pd.DataFrame, directions: Mapping[str, Direction] | None = None) -> pd.DataFrame:
    """Min-max normalise every column (benefit or cost); max = min gives 1; missing stays missing."""
    directions = directions or {}
    out = pd.DataFrame(index=values.index)
    for col in values.columns:
        x = values[col].astype(float)
        lo, hi = x.min(skipna=True), x.max(skipna=True)
        with np.errstate(over="ignore", invalid="ignore"):  # inf - inf: NaN, quietly (as the package computes it)
            overflows = not pd.isna(lo) and not np.isfinite(hi - lo)
        if overflows:
            # The range overflows (values near ±1.8e308): scale into [-1, 1] before subtracting.
            scale = max(abs(lo), abs(hi))
            with np.errstate(invalid="ignore"):  # inf / inf: NaN, quietly (as the package computes it)
                x, lo, hi = x / scale, lo / scale, hi / scale
        if pd.isna(lo):
            out[col] = x
        elif hi == lo:
            out[col] = x.where(x.isna(), 1.0)
        elif directions.get(col, Direction.BENEFIT) is Direction.COST:
            out[col] = (hi - x) / (hi - lo)
        else:
            out[col] = (x - lo) / (hi - lo)
    return out


def _checked_ids_and_weights(eligible: pd.DataFrame, scenario: Scenario):
    """The start both scorings share: the project ids checked (present, no duplicate), the weights
    resolved (manual, AHP or entropy, from the values of the criteria), and the weighting's warnings."""
    if "project_id" not in eligible.columns:
        raise InputError("候选表缺少项目编号列", "the candidate table has no project_id column")
    ids = eligible["project_id"].astype(str)
    dupes = sorted(set(ids[ids.duplicated()]))
    if dupes:
        raise InputError(f"项目编号重复：{'、'.join(dupes)}", f"duplicate project ids: {', '.join(dupes)}")
    warnings: list[str] = []
    weights, ahp, entropy = resolve_weights(scenario, lambda criteria: reference_criterion_values(eligible, criteria)[0])
    if ahp is not None and ahp.warning():
        warnings.append(ahp.warning())
    if entropy is not None:
        warnings += entropy.warnings()
    return weights, ahp, entropy, warnings


def reference_score(eligible: pd.DataFrame, scenario: Scenario) -> dict:
    """Score every eligible project (formula and the rules for constant and missing values in
    :mod:`quota_opt.score`'s doc), as a dict of the :class:`~quota_opt.score.ScoreResult` fields."""
    weights, ahp, entropy, warnings = _checked_ids_and_weights(eligible, scenario)
    criteria = list(weights)
    values, value_warnings = reference_criterion_values(eligible, criteria)
    warnings += value_warnings
    directions = {c: scenario.direction_of(c) for c in criteria}
    norm = reference_minmax_normalise(values, directions)

    for c in criteria:
        observed = values[c].dropna()
        if len(observed) and len(values) > 1 and observed.max() == observed.min():
            warnings.append(
                f"所有项目的“{column_label(c)}”都相同（{observed.iloc[0]:g}），该指标不区分项目，对有值的项目均计满分 / "
                f"every project has the same {column_label(c, 'en')} ({observed.iloc[0]:g}): the criterion does not "
                "separate them and adds its full weight to each project with a value"
            )
        elif len(observed) == 0 and c in eligible.columns and len(values):
            warnings.append(f"没有项目填写“{column_label(c)}”，该指标对所有项目计 0 分 / no project has a value for "
                            f"{column_label(c, 'en')}: the criterion adds nothing")

    missing_mask = norm.isna()
    missing: dict[str, tuple[str, ...]] = {}
    partly = [c for c in criteria if 0 < missing_mask[c].sum() < len(norm)]
    if partly:
        flags = missing_mask[partly].to_numpy()
        index = list(missing_mask.index)
        for k in np.flatnonzero(flags.any(axis=1)):
            pid = index[k]
            names = tuple(c for c, flag in zip(partly, flags[k]) if flag)
            missing[pid] = names
            warnings.append(
                f"项目 {pid} 缺少{'、'.join(column_label(c) for c in names)}，按最差值（0）计 / project {pid} has no "
                f"value for {', '.join(column_label(c, 'en') for c in names)}: counted as the worst value (0)"
            )
    filled = norm.fillna(0.0)
    contributions = filled.mul(pd.Series(weights) * 100.0, axis=1)
    scores = pd.Series(weighted_scores(filled.to_numpy(dtype=float), np.array(list(weights.values()))),
                       index=filled.index, name="score")
    # what the package's ScoreResult carries, by its field names
    return {"scores": scores, "contributions": contributions, "normalised": norm, "missing": missing,
            "warnings": warnings, "weights": weights, "directions": {c: d.value for c, d in directions.items()},
            "weights_method": scenario.scoring.weights_method.value, "ahp": ahp, "entropy": entropy}


def previous_score(eligible: pd.DataFrame, scenario: Scenario) -> ScoreResult:
    """:func:`quota_opt.score.score` as it was before it worked on arrays (issue 13, commit 44fd3c6): the values
    gathered as a table (:func:`reference_criterion_values`, twice), normalised by the package's
    :func:`~quota_opt.score.minmax_normalise`, and a warning worded per project missing a value. It equals
    :func:`reference_score` except where a criterion holds -inf (the min-max of that commit's package gives
    every project NaN there, the pandas scoring the finite values 0)."""
    weights, ahp, entropy, warnings = _checked_ids_and_weights(eligible, scenario)
    criteria = list(weights)
    values, value_warnings = reference_criterion_values(eligible, criteria)
    warnings += value_warnings
    directions = {c: scenario.direction_of(c) for c in criteria}
    norm = minmax_normalise(values, directions)

    raw = values.to_numpy(dtype=float)
    normalised = norm.to_numpy(dtype=float)
    for j, c in enumerate(criteria):
        observed = raw[:, j][~np.isnan(raw[:, j])]
        if len(observed) and len(values) > 1 and observed.max() == observed.min():
            warnings.append(
                f"所有项目的“{column_label(c)}”都相同（{observed[0]:g}），该指标不区分项目，对有值的项目均计满分 / "
                f"every project has the same {column_label(c, 'en')} ({observed[0]:g}): the criterion does not "
                "separate them and adds its full weight to each project with a value"
            )
        elif len(observed) == 0 and c in eligible.columns and len(values):
            warnings.append(f"没有项目填写“{column_label(c)}”，该指标对所有项目计 0 分 / no project has a value for "
                            f"{column_label(c, 'en')}: the criterion adds nothing")

    missing_mask = np.isnan(normalised)
    missing: dict[str, tuple[str, ...]] = {}
    gaps = missing_mask.sum(axis=0)
    partly = [j for j in range(len(criteria)) if 0 < gaps[j] < len(norm)]
    if partly:
        flags = missing_mask[:, partly]
        index = list(norm.index)
        for k in np.flatnonzero(flags.any(axis=1)):
            pid = index[k]
            names = tuple(criteria[j] for j, flag in zip(partly, flags[k]) if flag)
            missing[pid] = names
            warnings.append(
                f"项目 {pid} 缺少{'、'.join(column_label(c) for c in names)}，按最差值（0）计 / project {pid} has no "
                f"value for {', '.join(column_label(c, 'en') for c in names)}: counted as the worst value (0)"
            )
    filled = np.where(missing_mask, 0.0, normalised)
    points = np.array(list(weights.values()), dtype=float) * 100.0
    contributions = pd.DataFrame(filled * points, index=norm.index, columns=norm.columns)
    scores = pd.Series(weighted_scores(filled, np.array(list(weights.values()))), index=norm.index, name="score")
    return ScoreResult(
        scores=scores,
        contributions=contributions,
        normalised=norm,
        weights=weights,
        directions={c: d.value for c, d in directions.items()},
        weights_method=scenario.scoring.weights_method.value,
        ahp=ahp,
        entropy=entropy,
        missing=missing,
        warnings=warnings,
    )


def score_differences(got: ScoreResult, expected: ScoreResult | dict) -> list[str]:
    """The fields in which a :class:`~quota_opt.score.ScoreResult` differs from another or from
    :func:`reference_score`'s dict (none when they are the same): the tables exactly (values bit for bit,
    index, columns and types), the types of the project ids, and every other field (AHP and entropy results
    by their repr: NaN-safe)."""
    field = expected.__getitem__ if isinstance(expected, dict) else lambda name: getattr(expected, name)
    differ = []
    for name, check in (("scores", pd.testing.assert_series_equal), ("contributions", pd.testing.assert_frame_equal),
                        ("normalised", pd.testing.assert_frame_equal)):
        try:
            check(getattr(got, name), field(name), check_exact=True)
        except AssertionError:
            differ.append(name)
    if list(map(type, got.scores.index)) != list(map(type, field("scores").index)):
        differ.append("types of project ids")
    differ += [name for name in ("missing", "warnings", "weights", "directions", "weights_method")
               if getattr(got, name) != field(name)]
    differ += [name for name in ("ahp", "entropy") if repr(getattr(got, name)) != repr(field(name))]
    return differ
