"""Bottlenecks by the active-period method (Roser, Nakano & Tanaka, 2001 and 2002).

A work centre is *active* while it works, sets up or is being repaired — every state except
waiting (starved or blocked). An *active period* is an uninterrupted stretch of activity.

* **Average method** (Roser et al. 2001): the work centre whose active periods are longest on
  average is the bottleneck of the whole run.
* **Momentary method** (Roser et al. 2002, "shifting bottleneck detection"): at any time the
  work centre with the longest active period *covering that time* is the momentary
  bottleneck, during that whole active period. Where the active period of the current
  bottleneck overlaps the one of the previous or next bottleneck, the bottleneck is
  *shifting* (both work centres are counted); elsewhere it is the *sole* bottleneck.

:func:`active_period_bottlenecks` computes both for one replication from
``SimResult.active_periods``; :func:`bottleneck_kpis` flattens the shares into KPIs
(``bottleneck.<wc>.sole`` …), so confidence intervals over replications come from the same
machinery as every other KPI. Ties between equally long periods go to the work centre listed
first. The painting of the time line runs in O(N α(N)) over N active periods (numba).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numba
import numpy as np

__all__ = [
    "BottleneckShares",
    "active_period_bottlenecks",
    "bottleneck_kpis",
    "warm_compiled_helpers",
]


@dataclass(frozen=True)
class BottleneckShares:
    """Bottleneck measures of one run. Sole and shifting shares are fractions of the time at
    least one work centre is active, so nights and weekends off shift do not dilute them."""

    work_centres: tuple[str, ...]
    sole: np.ndarray
    shifting: np.ndarray
    mean_active_min: np.ndarray
    active_share: np.ndarray  # share of the observation window each work centre is active
    observed_min: float  # time at least one work centre is active (the shares' base)

    @property
    def total(self) -> np.ndarray:
        """Sole plus shifting share per work centre (Roser's bottleneck percentage)."""
        return np.asarray(self.sole + self.shifting)

    @property
    def momentary_bottleneck(self) -> str:
        """The work centre with the largest sole + shifting share."""
        return self.work_centres[int(np.argmax(self.total))]

    @property
    def average_bottleneck(self) -> str:
        """The work centre with the longest mean active period."""
        return self.work_centres[int(np.argmax(self.mean_active_min))]


def _merge_periods(periods: np.ndarray, start_min: float, end_min: float) -> np.ndarray:
    """Clip to [start, end], sort and join periods that touch or overlap."""
    array = np.asarray(periods, dtype=float).reshape(-1, 2)
    array = np.clip(array, start_min, end_min)
    array = array[array[:, 1] > array[:, 0]]
    if array.size == 0:
        return np.asarray(array)
    array = array[np.argsort(array[:, 0], kind="stable")]
    running_end = np.maximum.accumulate(array[:, 1])
    new_group = np.empty(len(array), dtype=bool)
    new_group[0] = True
    new_group[1:] = array[1:, 0] > running_end[:-1] + 1e-9
    group = np.cumsum(new_group) - 1
    starts = array[new_group, 0]
    ends = np.zeros(len(starts))
    np.maximum.at(ends, group, array[:, 1])
    return np.column_stack([starts, ends])


@numba.njit(cache=True)
def _find(next_free: np.ndarray, index: int) -> int:
    root = index
    while next_free[root] != root:
        root = next_free[root]
    while next_free[index] != root:  # path compression
        following = next_free[index]
        next_free[index] = root
        index = following
    return root


@numba.njit(cache=True)
def _paint(first: np.ndarray, last: np.ndarray, order: np.ndarray, n_segments: int) -> np.ndarray:
    """Owner of each elementary segment: the longest period covering it (by ``order``)."""
    owner = np.full(n_segments, -1, dtype=np.int64)
    next_free = np.arange(n_segments + 1)
    for period in order:
        segment = _find(next_free, first[period])
        while segment < last[period]:
            owner[segment] = period
            next_free[segment] = segment + 1
            segment = _find(next_free, segment + 1)
    return owner


def warm_compiled_helpers() -> None:
    """Compile (or load) the numba helpers with the types real runs use, so the first
    replication after a fresh install does not compile them silently."""
    index = np.zeros(1, dtype=np.int64)
    _paint(index, index + 1, index, 1)


def _bottleneck_sequence(starts: np.ndarray, ends: np.ndarray, wc: np.ndarray) -> np.ndarray:
    """Indices of the momentary-bottleneck periods in time order."""
    bounds = np.unique(np.concatenate([starts, ends]))
    first = np.searchsorted(bounds, starts)
    last = np.searchsorted(bounds, ends)
    order = np.lexsort((wc, -(ends - starts)))  # longest first, ties: first work centre
    owner = _paint(first, last, order.astype(np.int64), len(bounds) - 1)
    owner = owner[owner >= 0]
    if owner.size == 0:
        return owner
    keep = np.ones(len(owner), dtype=bool)
    keep[1:] = owner[1:] != owner[:-1]
    return owner[keep]


def _sole_and_shifting(
    starts: np.ndarray, ends: np.ndarray, wc: np.ndarray, sequence: np.ndarray, n_wc: int
) -> tuple[np.ndarray, np.ndarray]:
    sole = np.zeros(n_wc)
    shifting = np.zeros(n_wc)
    s, e, m = starts[sequence], ends[sequence], wc[sequence]
    overlap = np.maximum(0.0, np.minimum(e[:-1], e[1:]) - np.maximum(s[:-1], s[1:]))
    overlap_prev = np.concatenate([[0.0], overlap])
    overlap_next = np.concatenate([overlap, [0.0]])
    np.add.at(shifting, m[:-1], overlap)
    np.add.at(shifting, m[1:], overlap)
    np.add.at(sole, m, np.maximum(0.0, (e - s) - overlap_prev - overlap_next))
    return sole, shifting


def active_period_bottlenecks(
    active_periods: Mapping[str, np.ndarray],
    start_min: float,
    end_min: float,
    work_centres: tuple[str, ...] | None = None,
) -> BottleneckShares:
    """Sole and shifting bottleneck shares and mean active periods over [start, end].

    ``active_periods`` maps each work centre to an (n, 2) array of [start, end] minutes.
    """
    if end_min <= start_min:
        raise ValueError(f"observation window is empty: [{start_min}, {end_min}]")
    names = tuple(work_centres) if work_centres is not None else tuple(active_periods)
    merged = [
        _merge_periods(active_periods.get(name, np.empty((0, 2))), start_min, end_min)
        for name in names
    ]
    durations = [block[:, 1] - block[:, 0] for block in merged]
    mean_active = np.array([d.mean() if d.size else 0.0 for d in durations])
    observed = end_min - start_min
    active_share = np.array([d.sum() / observed for d in durations])
    blocks = [block for block in merged if block.size]
    if not blocks:
        zeros = np.zeros(len(names))
        return BottleneckShares(names, zeros, zeros.copy(), mean_active, active_share, 0.0)
    all_periods = np.concatenate(blocks)
    wc = np.concatenate([np.full(len(block), i) for i, block in enumerate(merged) if block.size])
    starts, ends = all_periods[:, 0], all_periods[:, 1]
    sequence = _bottleneck_sequence(starts, ends, wc)
    sole, shifting = _sole_and_shifting(starts, ends, wc, sequence, len(names))
    union = _merge_periods(all_periods, start_min, end_min)
    productive = float((union[:, 1] - union[:, 0]).sum())
    return BottleneckShares(
        names, sole / productive, shifting / productive, mean_active, active_share, productive
    )


def bottleneck_kpis(shares: BottleneckShares) -> dict[str, float]:
    """Flat KPIs ``bottleneck.<wc>.{sole,shifting,total,mean_active_min}``."""
    kpis: dict[str, float] = {}
    total = shares.total
    for index, name in enumerate(shares.work_centres):
        kpis[f"bottleneck.{name}.sole"] = float(shares.sole[index])
        kpis[f"bottleneck.{name}.shifting"] = float(shares.shifting[index])
        kpis[f"bottleneck.{name}.total"] = float(total[index])
        kpis[f"bottleneck.{name}.mean_active_min"] = float(shares.mean_active_min[index])
    return kpis
