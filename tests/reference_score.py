"""The column-by-column pandas scoring quota-opt used before issue 13 (every criterion's min-max, checks
and missing values through pandas Series), kept as the oracle: :func:`reference_score` must give exactly
what :func:`quota_opt.score.score` gives (tests/test_score.py), bit for bit. It reads the criteria's values
with the package's own :func:`quota_opt.score.criterion_values` (which only gathers the columns)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from quota_opt.columns import Direction, column_label
from quota_opt.scenario import Scenario
from quota_opt.score import criterion_values, resolve_weights, weighted_scores


def reference_minmax_normalise(values: pd.DataFrame, directions: Mapping[str, Direction] | None = None) -> pd.DataFrame:
    """Min-max normalise every column (benefit or cost); max = min gives 1; missing stays missing."""
    directions = directions or {}
    out = pd.DataFrame(index=values.index)
    for col in values.columns:
        x = values[col].astype(float)
        lo, hi = x.min(skipna=True), x.max(skipna=True)
        with np.errstate(over="ignore"):
            overflows = not pd.isna(lo) and not np.isfinite(hi - lo)
        if overflows:
            # The range overflows (values near ±1.8e308): scale into [-1, 1] before subtracting.
            scale = max(abs(lo), abs(hi))
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


def reference_score(eligible: pd.DataFrame, scenario: Scenario) -> dict:
    """Score every eligible project under the scenario's manual weights (the part of scoring issue 13
    changed: what comes after the weights are known)."""
    weights, _, _ = resolve_weights(scenario)
    criteria = list(weights)
    values, value_warnings = criterion_values(eligible, criteria)
    warnings = list(value_warnings)
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
            "warnings": warnings, "weights": weights, "directions": {c: d.value for c, d in directions.items()}}
