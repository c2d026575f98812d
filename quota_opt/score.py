"""Weighted merit scores of the eligible candidates, and where the weights come from.

Score (min-max, the default and only normalisation)::

    benefit criterion:  r_ij = (x_ij - min_j) / (max_j - min_j)
    cost criterion:     r_ij = (max_j - x_ij) / (max_j - min_j)
    score_i = 100 * sum_j w_j * r_ij        with the weights normalised to sum 1

min and max are taken over the eligible pool (the projects that compete with each other).

* A criterion whose observed values are all equal (max = min) cannot separate the projects:
  every project with a value gets r = 1 (it is both the best and the worst), so the criterion
  adds the same w_j * 100 to every such score and leaves the ranking unchanged. A pool of one
  project therefore scores 100.
* A missing value is never silently the best: it counts as r = 0, the worst value of the pool,
  and the project is named in a warning. A criterion no project has a value for adds nothing.
* The weights are scaled to sum 1 by :func:`normalise_weights` (exactly 1.0 in floating point)
  and the criteria are added one at a time in order (:func:`weighted_scores`), so the scores of
  many weight vectors computed at once (weight sampling) equal, bit for bit, :func:`score`'s.
* Scores are rounded to ``SCORE_DECIMALS`` (6) decimal places. Two projects whose rounded scores
  are equal are tied; ties are broken by project_id (see :mod:`quota_opt.optimise`).

Weights come from the scenario (``weights_method``):

* ``manual``: the ``[weights]`` table as given.
* ``ahp``: the principal eigenvector of a pairwise comparison matrix (Saaty 1980), with the
  consistency index CI = (lambda_max - n)/(n - 1) and ratio CR = CI/RI; a CR above Saaty's limit for
  the matrix size (:func:`cr_limit`: 0.05 for 3 criteria, 0.08 for 4, 0.10 from 5) is warned about.
* ``entropy`` (熵权法, the Chinese textbook form): r_ij by min-max as above, p_ij = r_ij / sum_i r_ij,
  e_j = -(1/ln n_j) * sum_i p_ij ln p_ij with 0 ln 0 = 0, d_j = 1 - e_j, w_j = d_j / sum_k d_k.
  n_j counts the projects with a value; a criterion with fewer than two values or max = min
  carries no information (e_j = 1, d_j = 0).
* ``blend``: subjective weights s (AHP when a matrix is given, else ``[weights]``) with entropy
  weights e: linear w = a*s + (1-a)*e (default a = 0.5), or multiplicative w_j = s_j e_j / sum_k s_k e_k.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .columns import COLUMNS_BY_NAME, BlendForm, Direction, WeightMethod, column_label
from .errors import InputError
from .scenario import AhpSpec, Scenario

SCORE_DECIMALS = 6

# Saaty's average random consistency index (Saaty, T. L. 1980, The Analytic Hierarchy Process,
# McGraw-Hill; the values used in Saaty 1990, EJOR 48: 9-26). Saaty advises at most 9 criteria.
RANDOM_INDEX: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.10  # the limit from 5 criteria on (see cr_limit)
# Saaty's acceptable consistency ratio by matrix size (Saaty, T. L. 1994, "How to make a decision: the
# analytic hierarchy process", Interfaces 24(6): 19-43: 5% for 3x3, 8% for 4x4, 10% for larger);
# a matrix of 1 or 2 criteria is always consistent.
CR_LIMITS: dict[int, float] = {3: 0.05, 4: 0.08}


def cr_limit(n: int) -> float:
    """The largest acceptable consistency ratio for an n x n comparison matrix (Saaty 1994)."""
    if n <= 2:
        return float("inf")
    return CR_LIMITS.get(n, CR_LIMIT)
# A user who types 0.33 for 1/3 is still reciprocal: a_ij * a_ji may differ from 1 by this much.
RECIPROCAL_TOLERANCE = 0.02

_NUMERIC_KINDS = {"maturity", "percent", "number"}


# ---------------------------------------------------------------------- AHP


@dataclass(frozen=True)
class AhpResult:
    criteria: tuple[str, ...]
    weights: dict[str, float]
    lambda_max: float
    ci: float
    ri: float
    cr: float

    @property
    def limit(self) -> float:
        """Saaty's acceptable CR for this matrix size (:func:`cr_limit`; infinite for n <= 2)."""
        return cr_limit(len(self.criteria))

    @property
    def consistent(self) -> bool:
        return self.cr <= self.limit

    def warning(self) -> str | None:
        if self.consistent:
            return None
        n = len(self.criteria)
        return (f"层次分析法判断矩阵一致性比率 CR = {self.cr:.3f} > {self.limit:g}（{n} 个指标的上限），判断不够一致，建议调整 / "
                f"the AHP comparison matrix has consistency ratio CR = {self.cr:.3f} > {self.limit:g} (the limit for "
                f"{n} criteria): the judgements are not consistent enough; consider revising them")


def ahp_weights(matrix: Sequence[Sequence[float]] | np.ndarray, criteria: Sequence[str] | None = None) -> AhpResult:
    """Weights from a pairwise comparison matrix by Saaty's principal-eigenvector method.

    ``a_ij`` says how much more important criterion i is than j (1-9 scale), ``a_ji = 1/a_ij``.
    w is the eigenvector of the largest eigenvalue lambda_max, scaled to sum 1;
    CI = (lambda_max - n)/(n - 1), CR = CI / RI(n) (``RANDOM_INDEX``; CR = 0 for n <= 2).
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0] if a.ndim == 2 else 0
    names = tuple(criteria) if criteria is not None else tuple(f"C{i + 1}" for i in range(n))
    if a.ndim != 2 or a.shape[0] != a.shape[1] or n == 0 or len(names) != n:
        raise InputError("层次分析法判断矩阵应为方阵，行列数等于指标数",
                         "the AHP comparison matrix must be square, with one row and column per criterion")
    if n > max(RANDOM_INDEX):
        raise InputError(f"层次分析法最多支持 {max(RANDOM_INDEX)} 个指标（Saaty 随机一致性指标表），现有 {n} 个",
                         f"AHP supports at most {max(RANDOM_INDEX)} criteria (Saaty's random index table); got {n}")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise InputError("层次分析法判断矩阵的元素都应为正数", "every entry of the AHP comparison matrix must be positive")
    for i in range(n):
        if abs(a[i, i] - 1) > 1e-9:
            raise InputError(f"判断矩阵对角线元素（{names[i]}）应为 1", f"the diagonal entry of {names[i]} must be 1")
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > RECIPROCAL_TOLERANCE:
                raise InputError(
                    f"判断矩阵不互反：{names[i]} 对 {names[j]} 为 {a[i, j]:g}，反向应为 {1 / a[i, j]:.4g}，实为 {a[j, i]:g}",
                    f"the comparison matrix is not reciprocal: {names[i]} vs {names[j]} is {a[i, j]:g}, so "
                    f"{names[j]} vs {names[i]} should be {1 / a[i, j]:.4g}, not {a[j, i]:g}",
                )
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    vec = np.abs(vectors[:, k].real)
    w = vec / vec.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ci = max(ci, 0.0)  # lambda_max >= n for a positive reciprocal matrix; clip rounding noise
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(names, {c: float(x) for c, x in zip(names, w)}, lam, ci, ri, cr)


# ---------------------------------------------------------------------- normalisation and entropy


def minmax_normalise(values: pd.DataFrame, directions: Mapping[str, Direction] | None = None) -> pd.DataFrame:
    """Min-max normalise every column (benefit or cost); max = min gives 1; missing stays missing."""
    directions = directions or {}
    out = {}
    for col in values.columns:
        out[col] = _minmax(values[col].to_numpy(dtype=float), directions.get(col, Direction.BENEFIT))
    return pd.DataFrame(out, index=values.index, columns=values.columns)


def _minmax(x: np.ndarray, direction: Direction) -> np.ndarray:
    """One column of :func:`minmax_normalise`, on its values (the same operations, element by element)."""
    present = ~np.isnan(x)
    if not present.any():
        return x.copy()
    lo, hi = x[present].min(), x[present].max()
    with np.errstate(over="ignore", invalid="ignore"):  # inf - inf: NaN, not finite, quietly
        overflows = not np.isfinite(hi - lo)
    with np.errstate(invalid="ignore", divide="ignore"):  # an infinite value: NaN, quietly, as pandas gives it
        if overflows:
            # The range overflows (values near ±1.8e308): scale into [-1, 1] before subtracting.
            scale = max(abs(lo), abs(hi))
            x, lo, hi = x / scale, lo / scale, hi / scale
        if hi == lo:
            return np.where(present, 1.0, x)
        if direction is Direction.COST:
            return (hi - x) / (hi - lo)
        return (x - lo) / (hi - lo)


@dataclass(frozen=True)
class EntropyResult:
    weights: dict[str, float]
    entropy: dict[str, float]
    divergence: dict[str, float]
    uninformative: tuple[str, ...] = ()

    def warnings(self) -> list[str]:
        out = []
        for c in self.uninformative:
            out.append(f"熵权法：{column_label(c)}在各项目间没有差异（或有效值少于两个），权重为 0 / "
                       f"entropy weights: {column_label(c, 'en')} does not vary across the projects "
                       "(or has fewer than two values), so its weight is 0")
        if self.uninformative and len(self.uninformative) == len(self.weights):
            out.append("熵权法：所有指标都没有差异，改用等权重 / entropy weights: no criterion varies, "
                       "so the criteria are weighted equally")
        return out


def entropy_weights(values: pd.DataFrame, directions: Mapping[str, Direction] | None = None) -> EntropyResult:
    """Entropy weights (熵权法), the Chinese textbook form with 0 ln 0 = 0 (formula in the module doc).

    Each column is standardised by min-max over the projects that have a value (n_j of them);
    a column with n_j < 2 or max = min has e_j = 1 and weight 0. When no column varies the
    weights are equal.
    """
    norm = minmax_normalise(values, directions)
    entropy: dict[str, float] = {}
    divergence: dict[str, float] = {}
    flat: list[str] = []
    for col in norm.columns:
        r = norm[col].dropna().to_numpy(dtype=float)
        raw = values[col].dropna().astype(float)
        if len(r) < 2 or raw.max() == raw.min():
            entropy[col], divergence[col] = 1.0, 0.0
            flat.append(col)
            continue
        p = r / r.sum()
        nz = p[p > 0]
        e = float(-(nz * np.log(nz)).sum() / np.log(len(r)))
        entropy[col] = e
        divergence[col] = 1.0 - e
    total = sum(divergence.values())
    if total > 0:
        weights = {c: d / total for c, d in divergence.items()}
    else:
        weights = {c: 1.0 / len(divergence) for c in divergence} if divergence else {}
    return EntropyResult(weights, entropy, divergence, tuple(flat))


def blend_weights(subjective: Mapping[str, float], objective: Mapping[str, float], alpha: float = 0.5,
                  form: BlendForm | str = BlendForm.LINEAR) -> dict[str, float]:
    """Combine subjective weights s and objective (entropy) weights e, each first scaled to sum 1.

    linear:          w_j = alpha * s_j + (1 - alpha) * e_j
    multiplicative:  w_j = s_j * e_j / sum_k s_k * e_k   (乘法合成归一化)
    A criterion named by only one side counts 0 on the other.
    """
    form = BlendForm.parse(form) if not isinstance(form, BlendForm) else form
    if form is None:
        raise InputError("组合方式应为 linear 或 multiplicative", "the blend form must be linear or multiplicative")
    if not 0 <= alpha <= 1:
        raise InputError(f"组合系数应在 0 到 1 之间（{alpha}）", f"the blend share must be between 0 and 1 ({alpha})")
    keys = list(dict.fromkeys([*subjective, *objective]))
    s = _normalised({k: subjective.get(k, 0.0) for k in keys})
    e = _normalised({k: objective.get(k, 0.0) for k in keys})
    if form is BlendForm.LINEAR:
        return {k: alpha * s[k] + (1 - alpha) * e[k] for k in keys}
    prod = {k: s[k] * e[k] for k in keys}
    total = sum(prod.values())
    if total <= 0:
        raise InputError("乘法合成无法进行：没有指标同时具有正的主观权重和正的熵权",
                         "the multiplicative blend is undefined: no criterion has both a positive subjective "
                         "and a positive entropy weight")
    return {k: v / total for k, v in prod.items()}


def _ordered_sum(values: np.ndarray) -> np.ndarray:
    """Row sums of a 2-D array, adding the columns one at a time in order (no pairwise summation),
    so a row's sum does not depend on how many rows are summed with it."""
    total = np.zeros(values.shape[0])
    for j in range(values.shape[1]):
        total += values[:, j]
    return total


def normalise_weights(weights: np.ndarray) -> np.ndarray:
    """Weights scaled to sum 1: one vector (p,) or one per row (K, p), each >= 0 with a positive sum.

    w_j = v_j / sum_k v_k, except the last: w_p = 1 - (w_1 + ... + w_(p-1)). The weights then add
    up (in order) to exactly 1.0 in floating point, so normalising them again changes no bit: base
    weights and sampled weights that equal them give identical scores.
    """
    v = np.asarray(weights, dtype=float)
    single = v.ndim == 1
    v2 = np.atleast_2d(v)
    top = v2.max(axis=1)
    with np.errstate(over="ignore"):
        extreme = ~np.isfinite(_ordered_sum(v2)) | (top > 1e300) | ((top > 0) & (top < 1e-300))
    if extreme.any():  # a sum that overflows (1e308 + 1e308) or weights near underflow: divide by the largest first
        v2 = v2.copy()
        v2[extreme] = v2[extreme] / top[extreme, None]
    w = v2 / _ordered_sum(v2)[:, None]
    if w.shape[1] > 1:
        last = 1.0 - _ordered_sum(w[:, :-1])
        exact = last > 0  # else the last weight is below ~1e-15 of the total: keep the quotient
        w[exact, -1] = last[exact]
    return w[0] if single else w


# values per block of weighted_scores (1 MB of float64: the block and its product stay in a core's cache)
_BLOCK_CELLS = 1 << 17


_COMPILED_ROWS = 256  # weight vectors from which the scores are worked out by compiled code (quota_opt.sample_scores)


def weighted_scores(normalised: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """score_i = 100 * sum_j w_j r_ij, rounded to 9 and then ``SCORE_DECIMALS`` decimals, for one
    weight vector (p,) -> (n,) or one per row (K, p) -> (K, n).

    ``normalised`` is r (n, p) with missing values as 0, its columns in the order of the weights.
    The criteria are added one at a time in order, so scoring K weight vectors at once gives bit for
    bit what :func:`score` gives for each alone.
    """
    r = np.asarray(normalised, dtype=float)
    w = np.asarray(weights, dtype=float)
    single = w.ndim == 1
    points = np.atleast_2d(w) * 100.0
    columns = np.ascontiguousarray(r.T)  # criterion j's values side by side
    if points.shape[0] >= _COMPILED_ROWS and r.shape[0]:  # weight samples: compiled, equal bit for bit
        from .sample_scores import sample_scores

        total = np.empty((points.shape[0], r.shape[0]))
        sample_scores(columns, np.ascontiguousarray(points), total, 1e9, float(10 ** SCORE_DECIMALS))
        return total
    total = np.zeros((points.shape[0], r.shape[0]))
    # In blocks of rows that stay in the processor's cache, with no temporary arrays beyond one
    # block: the same operations in the same order as one sum over the whole matrix.
    rows = max(1, _BLOCK_CELLS // max(r.shape[0], 1))
    product = np.empty((min(rows, len(total)), r.shape[0]))
    for start in range(0, len(total), rows):
        block = total[start:start + rows]
        term = product[:len(block)]
        for j in range(r.shape[1]):
            np.multiply(points[start:start + rows, j:j + 1], columns[j], out=term)
            block += term
        # Round away floating-point noise first (1e-9), then to SCORE_DECIMALS: equal weights written
        # differently (0.5/0.5 or 3/3) give bit-identical scores, and so the same ties.
        np.round(block, 9, out=block)
        np.round(block, SCORE_DECIMALS, out=block)
    return total[0] if single else total


def _normalised(weights: Mapping[str, float]) -> dict[str, float]:
    values = {k: float(v) for k, v in weights.items()}
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {k: 0.0 for k in weights}
    if not math.isfinite(sum(values.values())) or top > 1e300 or top < 1e-300:
        values = {k: v / top for k, v in values.items()}  # divided by the largest first: no overflow
    total = sum(values.values())
    return {k: v / total for k, v in values.items()}


# ---------------------------------------------------------------------- scores


@dataclass(frozen=True)
class ScoreResult:
    """Scores of the eligible pool, indexed by project_id, with what went into them."""

    scores: pd.Series  # float, rounded to SCORE_DECIMALS, index project_id
    contributions: pd.DataFrame  # points each criterion adds (100 * w * r); rows sum to the score
    normalised: pd.DataFrame  # r_ij in [0, 1], NaN where the value is missing
    weights: dict[str, float]  # the weights used, normalised to sum 1 (criteria with weight 0 dropped)
    directions: dict[str, str]
    weights_method: str
    ahp: AhpResult | None = None
    entropy: EntropyResult | None = None
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def resolve_weights(scenario: Scenario, values_for: Callable[[list[str]], pd.DataFrame] | None = None
                    ) -> tuple[dict[str, float], AhpResult | None, EntropyResult | None]:
    """The scenario's weights (normalised, zeros dropped), computing AHP/entropy weights as asked.

    ``values_for(criteria) -> DataFrame`` supplies the pool's values for entropy weights.
    """
    spec = scenario.scoring
    method = spec.weights_method
    ahp = entropy = None
    if method is WeightMethod.MANUAL:
        raw = dict(scenario.weights)
    elif method is WeightMethod.AHP:
        ahp = _ahp(spec.ahp)
        raw = ahp.weights
    else:
        if spec.ahp is not None:
            ahp = _ahp(spec.ahp)
            subjective = ahp.weights
        else:
            subjective = {k: v for k, v in scenario.weights.items() if v > 0}
        criteria = list(spec.entropy_criteria or subjective)
        if not criteria:
            raise InputError("熵权法需要指标列表", "entropy weights need a list of criteria")
        if values_for is None:
            raise ValueError("entropy weights need the pool's values (values_for)")
        directions = {c: scenario.direction_of(c) for c in criteria}
        entropy = entropy_weights(values_for(criteria), directions)
        raw = entropy.weights if method is WeightMethod.ENTROPY else blend_weights(
            subjective, entropy.weights, spec.blend_alpha, spec.blend_form)
    positive = {k: float(v) for k, v in raw.items() if v > 0}
    if not positive:
        raise InputError("没有正的权重，无法计算得分", "no positive weight: scores cannot be computed")
    return dict(zip(positive, normalise_weights(np.array(list(positive.values()))).tolist())), ahp, entropy


def _ahp(spec: AhpSpec | None) -> AhpResult:
    if spec is None:
        raise InputError("层次分析法需要判断矩阵（[scoring.ahp]）", "AHP weights need a comparison matrix ([scoring.ahp])")
    return ahp_weights(spec.matrix, spec.criteria)


def _criterion_columns(eligible: pd.DataFrame, criteria: Sequence[str]) -> tuple[dict[str, np.ndarray], list[str]]:
    """The numeric values of each of ``criteria`` (float, NaN where missing), in row order, and warnings
    (the rules of :func:`criterion_values`)."""
    out: dict[str, np.ndarray] = {}
    warnings: list[str] = []
    for c in criteria:
        if c in eligible.columns:
            col = eligible[c]
            if isinstance(col.dtype, np.dtype) and col.dtype.kind in "biuf":  # numpy numbers: read as they are
                out[c] = col.to_numpy(dtype=float)
                continue
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
            out[c] = np.full(len(eligible), np.nan)
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
    return out, warnings


def _project_index(eligible: pd.DataFrame) -> pd.Index:
    """The project ids as text, the index of every score table."""
    return pd.Index(eligible["project_id"].astype(str), name="project_id")


def criterion_values(eligible: pd.DataFrame, criteria: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """The numeric values of ``criteria``, indexed by project_id, and warnings.

    A canonical numeric column the table lacks counts as missing everywhere (with a warning);
    any other column the table lacks, or a column that is not numeric, is an :class:`InputError`.
    """
    index = _project_index(eligible)
    out, warnings = _criterion_columns(eligible, criteria)
    return pd.DataFrame(out, index=index, columns=list(out)), warnings


def _missing_warnings(missing_mask: np.ndarray, criteria: Sequence[str], index: pd.Index
                      ) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Each project missing a value that other projects have, with the criteria it misses, and one warning
    per such project in row order. The projects fall into few patterns of gaps; each pattern is worded once."""
    gaps = missing_mask.sum(axis=0)
    partly = [j for j in range(len(criteria)) if 0 < gaps[j] < len(index)]
    if not partly:
        return {}, []
    flags = missing_mask[:, partly]
    rows = np.flatnonzero(flags.any(axis=1))
    patterns, which = np.unique(flags[rows], axis=0, return_inverse=True)
    worded = []
    for pattern in patterns:
        names = tuple(criteria[j] for j, flag in zip(partly, pattern) if flag)
        worded.append((names, "、".join(column_label(c) for c in names), ", ".join(column_label(c, "en") for c in names)))
    missing: dict[str, tuple[str, ...]] = {}
    warnings: list[str] = []
    for pid, k in zip(index.take(rows).tolist(), which.reshape(-1).tolist()):
        names, zh, en = worded[k]
        missing[pid] = names
        warnings.append(f"项目 {pid} 缺少{zh}，按最差值（0）计 / project {pid} has no value for {en}: "
                        "counted as the worst value (0)")
    return missing, warnings


def score(eligible: pd.DataFrame, scenario: Scenario) -> ScoreResult:
    """Score every eligible project (formula and the rules for constant and missing values in the module doc).

    Worked out on arrays, one criterion (column) at a time; the tables of the result are made at the end.
    """
    if "project_id" not in eligible.columns:
        raise InputError("候选表缺少项目编号列", "the candidate table has no project_id column")
    index = _project_index(eligible)
    if not index.is_unique:
        dupes = sorted(set(index[index.duplicated()]))
        raise InputError(f"项目编号重复：{'、'.join(dupes)}", f"duplicate project ids: {', '.join(dupes)}")
    warnings: list[str] = []

    def values_for(criteria: Sequence[str]) -> pd.DataFrame:
        values, _ = criterion_values(eligible, criteria)
        return values

    weights, ahp, entropy = resolve_weights(scenario, values_for)
    if ahp is not None and ahp.warning():
        warnings.append(ahp.warning())
    if entropy is not None:
        warnings += entropy.warnings()
    criteria = list(weights)
    columns, value_warnings = _criterion_columns(eligible, criteria)
    warnings += value_warnings
    directions = {c: scenario.direction_of(c) for c in criteria}
    n = len(index)
    raw = np.empty((n, len(criteria)), order="F")  # a criterion's values side by side
    normalised = np.empty((n, len(criteria)), order="F")
    for j, c in enumerate(criteria):
        raw[:, j] = columns[c]
        normalised[:, j] = _minmax(raw[:, j], directions[c])
        observed = raw[:, j][~np.isnan(raw[:, j])]
        if len(observed) and n > 1 and observed.max() == observed.min():
            warnings.append(
                f"所有项目的“{column_label(c)}”都相同（{observed[0]:g}），该指标不区分项目，对有值的项目均计满分 / "
                f"every project has the same {column_label(c, 'en')} ({observed[0]:g}): the criterion does not "
                "separate them and adds its full weight to each project with a value"
            )
        elif len(observed) == 0 and c in eligible.columns and n:
            warnings.append(f"没有项目填写“{column_label(c)}”，该指标对所有项目计 0 分 / no project has a value for "
                            f"{column_label(c, 'en')}: the criterion adds nothing")

    missing_mask = np.isnan(normalised)
    missing, missing_warnings = _missing_warnings(missing_mask, criteria, index)
    warnings += missing_warnings
    filled = np.where(missing_mask, 0.0, normalised)
    points = np.array(list(weights.values()), dtype=float) * 100.0
    return ScoreResult(
        scores=pd.Series(weighted_scores(filled, np.array(list(weights.values()))), index=index, name="score"),
        contributions=pd.DataFrame(filled * points, index=index, columns=criteria),
        normalised=pd.DataFrame(normalised, index=index, columns=criteria),
        weights=weights,
        directions={c: d.value for c, d in directions.items()},
        weights_method=scenario.scoring.weights_method.value,
        ahp=ahp,
        entropy=entropy,
        missing=missing,
        warnings=warnings,
    )


__all__ = [
    "AhpResult",
    "CR_LIMIT",
    "cr_limit",
    "EntropyResult",
    "RANDOM_INDEX",
    "SCORE_DECIMALS",
    "ScoreResult",
    "ahp_weights",
    "blend_weights",
    "criterion_values",
    "entropy_weights",
    "minmax_normalise",
    "normalise_weights",
    "resolve_weights",
    "score",
    "weighted_scores",
]
