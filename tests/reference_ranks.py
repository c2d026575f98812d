"""The plain way to what quota_opt.score.weighted_scores and quota_opt.sensitivity.rank_percentiles compute
fast (issue 13): the tests check both equal these bit for bit, and benchmarks/bench_analysis.py times them."""

from __future__ import annotations

import numpy as np

from quota_opt.score import SCORE_DECIMALS
from quota_opt.sensitivity import PERCENTILES


def scores_the_plain_way(norm: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """One sum over the whole samples x projects matrix, criterion by criterion in order, rounded to 9 and
    then SCORE_DECIMALS decimals."""
    total = np.zeros((len(weights), len(norm)))
    for j in range(norm.shape[1]):
        total = total + (weights[:, j:j + 1] * 100.0) * norm[:, j]
    return np.round(np.round(total, 9), SCORE_DECIMALS)


def rank_percentiles_the_plain_way(scores: np.ndarray) -> np.ndarray:
    """Every sample's ranks by a stable sort (ties by column), then numpy's percentiles of each column."""
    k, n = scores.shape
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    ranks[np.arange(k)[:, None], order] = np.arange(1, n + 1)
    return np.percentile(ranks, PERCENTILES, axis=0)
