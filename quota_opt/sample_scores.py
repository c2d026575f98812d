"""Many weight samples' scores at once, compiled (numba), for :func:`quota_opt.score.weighted_scores`.

The same operations in the same order as the numpy blocks there -- for every project, the
criteria's points times its normalised values added one at a time from 0, then rounded to 9 and to
``SCORE_DECIMALS`` decimals as ``np.round`` does (multiply, round half to even, divide) -- so the
scores are equal bit for bit; done in one pass per score, where numpy makes a pass over the whole
block for every criterion and every rounding.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def sample_scores(columns, points, out, fine, coarse):
    """``out[k, i]``: sum_j points[k, j] * columns[j, i], rounded to ``fine`` then ``coarse`` (powers of 10)."""
    K, p = points.shape
    n = columns.shape[1]
    for k in range(K):
        for i in range(n):
            acc = 0.0
            for j in range(p):
                acc += points[k, j] * columns[j, i]
            acc = np.rint(acc * fine) / fine
            out[k, i] = np.rint(acc * coarse) / coarse
