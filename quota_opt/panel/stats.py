"""The expert panel's formulas, kept apart from reading and reporting: aggregation, standardisation,
leniency, Spearman's rho and Kendall's W. Every function takes plain numbers and returns plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..columns import AggregateRule

# With fewer valid scores than this, the trimmed rule cannot drop the extremes and takes the plain mean.
TRIM_MIN_SCORES = 5


def trimmed_mean(scores: Sequence[float]) -> float:
    """Drop exactly one highest and one lowest score, average the rest (去掉一个最高分和一个最低分).

    With equal extremes only one of them is dropped: (90, 90, 80, 70, 70) -> mean(90, 80, 70) = 80.
    Needs at least 3 scores.
    """
    values = sorted(float(s) for s in scores)
    if len(values) < 3:
        raise ValueError("the trimmed mean needs at least 3 scores")
    return math.fsum(values[1:-1]) / (len(values) - 2)


def aggregate(scores: Sequence[float], rule: AggregateRule | str) -> tuple[float | None, bool]:
    """A project's panel score from its valid scores, and whether the trimmed rule fell back to the mean.

    * ``trimmed``: with n >= 5 scores, :func:`trimmed_mean`; with fewer, the plain mean (fallback True);
    * ``mean``: sum / n;
    * ``median``: the middle score, or the mean of the two middle ones when n is even.

    No scores give None. Whether a project has enough scores (``min_experts``) is the caller's rule.
    """
    rule = AggregateRule(rule) if not isinstance(rule, AggregateRule) else rule
    values = [float(s) for s in scores]
    if not values:
        return None, False
    if rule is AggregateRule.MEDIAN:
        return float(np.median(values)), False
    if rule is AggregateRule.TRIMMED and len(values) >= TRIM_MIN_SCORES:
        return trimmed_mean(values), False
    return math.fsum(values) / len(values), rule is AggregateRule.TRIMMED


def standardise(own: Mapping[str, float], reference: Mapping[str, Sequence[float]]) -> dict[str, float] | None:
    """One expert's scores rescaled to the panel's mean and spread over the projects he scored.

    z_p = (x_p - mean(x)) / sd(x) over his projects p; then x'_p = M + S * z_p, where M and S are the
    mean and standard deviation of every valid score (all experts) on those projects. Standard
    deviations are population ones (ddof = 0). None when his scores cannot be standardised (fewer
    than 2 projects, or all equal): the caller keeps them as they are.
    """
    if len(own) < 2:
        return None
    x = np.array(list(own.values()), dtype=float)
    sd = float(x.std())
    if sd == 0:
        return None
    pooled = np.array([v for p in own for v in reference[p]], dtype=float)
    m, s = float(pooled.mean()), float(pooled.std())
    mean = float(x.mean())
    return {p: m + s * (v - mean) / sd for p, v in own.items()}


def leniency(own: Mapping[str, float], others: Mapping[str, Sequence[float]]) -> float | None:
    """Mean over the projects p he scored of (his score - the mean of the other experts' scores on p).

    Projects no other expert scored are left out; None when none is left. Positive means lenient.
    """
    diffs = [v - math.fsum(others[p]) / len(others[p]) for p, v in own.items() if others.get(p)]
    return math.fsum(diffs) / len(diffs) if diffs else None


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho (scipy.stats.spearmanr: the Pearson correlation of average ranks); None with
    fewer than 3 pairs or when either side is constant."""
    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    from scipy import stats as _stats  # imported when used: scipy.stats takes a second to import

    rho = _stats.spearmanr(x, y).statistic
    return None if rho is None or math.isnan(float(rho)) else float(rho)


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance of m judges on n objects, with the tie correction."""

    w: float | None
    m: int  # judges (experts)
    n: int  # objects (projects)
    chi2: float | None
    p_value: float | None


def kendall_w(matrix: Sequence[Sequence[float]]) -> KendallW:
    """Kendall's W of an m x n matrix (a row per judge, a column per object; higher = better).

    Each judge's scores are ranked (ties get their average rank); R_i is object i's rank sum and
    S = sum_i (R_i - mean R)^2. With T_j = sum over judge j's tie groups of (t^3 - t):

        W = 12 S / (m^2 (n^3 - n) - m sum_j T_j)

    (Kendall & Babington Smith 1939; Siegel & Castellan 1988, §9.4; Legendre 2005, eq. 1-2).
    chi2 = m (n - 1) W with n - 1 degrees of freedom gives the p-value. W is None with fewer than 2
    judges or 2 objects, or when every judge ties every object.
    """
    data = np.asarray(matrix, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] < 2:
        m = int(data.shape[0]) if data.ndim == 2 else 0
        n = int(data.shape[1]) if data.ndim == 2 else 0
        return KendallW(None, m, n, None, None)
    m, n = data.shape
    from scipy import stats as _stats

    ranks = np.vstack([_stats.rankdata(row) for row in data])
    totals = ranks.sum(axis=0)
    s = float(((totals - totals.mean()) ** 2).sum())
    ties = 0.0
    for row in data:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts ** 3 - counts).sum())
    denominator = m * m * (n ** 3 - n) - m * ties
    if denominator <= 0:
        return KendallW(None, int(m), int(n), None, None)
    w = 12 * s / denominator
    chi2 = m * (n - 1) * w
    return KendallW(float(w), int(m), int(n), float(chi2), float(_stats.chi2.sf(chi2, n - 1)))


__all__ = ["TRIM_MIN_SCORES", "KendallW", "aggregate", "kendall_w", "leniency", "spearman", "standardise",
           "trimmed_mean"]
