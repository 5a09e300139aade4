"""Multi-target tracking metrics: GOSPA and its decomposition, confidence intervals.

GOSPA (generalised optimal sub-pattern assignment, Rahmathullah, García-Fernández and
Svensson 2017) with α = 2 between a truth set X and an estimate set Y::

    GOSPA = ( min_γ Σ_(i,j)∈γ min(d_ij, c)^p + c^p/2 · (|X| + |Y| − 2|γ|) )^(1/p)

Only pairs closer than ``c`` are worth assigning (a pair at ``d ≥ c`` costs ``c^p``, the
same as leaving both unassigned), so large sets are solved on the sparse graph of pairs
within ``c`` (a k-d tree finds them) with ``min_weight_full_bipartite_matching``, each truth
also owning a private "missed" column of cost ``c^p``; small sets with a dense
``linear_sum_assignment``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree
from scipy.stats import t as student_t

__all__ = ["GospaResult", "MeanInterval", "assign_within", "gospa", "mean_interval"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GospaResult:
    """GOSPA distance and its parts (localisation, missed and false terms, each to the p)."""

    distance: float
    localisation: float
    missed: int
    false: int
    assigned: int


def gospa(
    truth_m: FloatArray, estimates_m: FloatArray, c_m: float = 100.0, p: float = 2.0
) -> GospaResult:
    """GOSPA (α = 2) between point sets ``truth_m`` ``(N, d)`` and ``estimates_m`` ``(M, d)``."""
    if c_m <= 0 or p < 1:
        raise ValueError(f"GOSPA needs c > 0 and p >= 1, not c={c_m!r}, p={p!r}")
    truth, est = _as_points(truth_m), _as_points(estimates_m)
    n_truth, n_est = len(truth), len(est)
    _, _, dist = _assignment(truth, est, c_m, p)
    local = float((dist**p).sum())
    assigned = len(dist)
    missed, false = n_truth - assigned, n_est - assigned
    cost_c = c_m**p
    total = local + cost_c / 2.0 * (missed + false)
    return GospaResult(total ** (1.0 / p), local, missed, false, assigned)


def assign_within(
    truth_m: FloatArray, estimates_m: FloatArray, c_m: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Minimum-total-distance pairs ``(truth index, estimate index)`` closer than ``c_m``.

    The assignment GOSPA uses (with ``p = 1``): unassigned points cost ``c_m`` each side.
    """
    rows, cols, _ = _assignment(_as_points(truth_m), _as_points(estimates_m), c_m, 1.0)
    return rows, cols


# Up to this many truth × estimate pairs a dense assignment is faster than a sparse one.
_DENSE_UP_TO = 400


def _assignment(
    truth: FloatArray, est: FloatArray, c_m: float, p: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]:
    """Pairs (truth, estimate, distance < c) minimising Σ d^p + c^p per unassigned truth."""
    n_truth, n_est = len(truth), len(est)
    if n_truth == 0 or n_est == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    if n_truth * n_est <= _DENSE_UP_TO:
        dist = np.linalg.norm(truth[:, None, :] - est[None, :, :], axis=2)
        rows, cols = linear_sum_assignment(np.minimum(dist, c_m) ** p)
        keep = dist[rows, cols] < c_m
        rows, cols = rows[keep], cols[keep]
        return rows.astype(np.int64), cols.astype(np.int64), dist[rows, cols]
    rows, cols, dist = _pairs_within(truth, est, c_m)
    if len(rows) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    weights = np.concatenate([dist**p + 1.0, np.full(n_truth, c_m**p + 1.0)])
    row_index = np.concatenate([rows, np.arange(n_truth)])
    col_index = np.concatenate([cols, n_est + np.arange(n_truth)])
    matrix = csr_matrix((weights, (row_index, col_index)), shape=(n_truth, n_est + n_truth))
    _, col_for_row = min_weight_full_bipartite_matching(matrix)
    hit = np.flatnonzero(col_for_row < n_est)
    width = n_est + n_truth
    pair_keys = rows * width + cols
    order = np.argsort(pair_keys)
    chosen = hit * width + col_for_row[hit]
    picked = order[np.searchsorted(pair_keys[order], chosen)]
    return hit.astype(np.int64), cols[picked], dist[picked]


def _as_points(points: FloatArray) -> FloatArray:
    array = np.asarray(points, dtype=float)
    return array if array.ndim == 2 else array.reshape(-1, 2)


def _pairs_within(
    truth: FloatArray, est: FloatArray, c_m: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]:
    if len(truth) == 0 or len(est) == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0)
    found = cKDTree(truth).sparse_distance_matrix(cKDTree(est), c_m, output_type="ndarray")
    keep = found["v"] < c_m
    return (
        found["i"][keep].astype(np.int64),
        found["j"][keep].astype(np.int64),
        found["v"][keep].astype(float),
    )


@dataclass(frozen=True)
class MeanInterval:
    """A sample mean with a two-sided Student-t confidence interval."""

    mean: float
    low: float
    high: float
    n: int
    confidence: float = 0.95


def mean_interval(
    values: Sequence[float],
    confidence: float = 0.95,
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> MeanInterval:
    """Mean of ``values`` with its t confidence interval (NaN bounds below 2 values).

    ``bounds``: the range the quantity cannot leave (a rate is ≥ 0, a share in [0, 1]);
    the interval is cut to it, as the true mean lies inside it.
    """
    data = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if len(data) == 0:
        return MeanInterval(math.nan, math.nan, math.nan, 0, confidence)
    mean = float(data.mean())
    if len(data) < 2:
        return MeanInterval(mean, math.nan, math.nan, 1, confidence)
    half = float(
        student_t.ppf(0.5 + confidence / 2.0, len(data) - 1) * data.std(ddof=1)
    ) / math.sqrt(len(data))
    low, high = max(mean - half, bounds[0]), min(mean + half, bounds[1])
    return MeanInterval(mean, low, high, len(data), confidence)
