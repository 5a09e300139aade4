"""Coverage of a border by a sensor layout: k-coverage share, gaps, band depth, crossings.

Definitions (stated once, used everywhere):

* The line is cut into equal pieces ≤ ``spacing`` (default 100 m); each piece is judged at
  its midpoint, so shares are exact for piecewise-constant coverage up to one piece.
* A point is **covered by a sensor** when that sensor's *single-scan* detection probability
  there is ≥ ``pd_threshold`` (default 0.5). A point is **k-covered** when ≥ k sensors cover
  it. The **share** is the covered length over the line length (map length; the official
  length is reported beside it).
* **Gaps** are maximal runs of pieces that are not k-covered, with their positions in km
  along the line and in lon/lat.
* **Band depth**: the same share on lines offset across the border (negative = neighbour's
  side, positive = behind the line).
* **Crossing detection probability** (a second, cumulative view): a threat crossing straight
  over the band −2 km … +2 km at its speed is scanned by each sensor every scan period;
  with independent scans (Swerling 1 fluctuates scan to scan) P(miss) = Π over sensors and
  scans of (1 − Pd). Reported as the share of the line where it is ≥ 0.9.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.watch.border import Border
from droneworks.watch.sensors import (
    DetectionPairs,
    detection_matrix,
)
from droneworks.watch.wall import Threat, Wall

__all__ = [
    "CROSSING_BAND_M",
    "CROSSING_PD_GOAL",
    "BandShare",
    "CoverageProfile",
    "CoverageResult",
    "Gap",
    "evaluate_coverage",
    "find_gaps",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
CROSSING_BAND_M = 2_000.0
CROSSING_STEP_M = 250.0
CROSSING_PD_GOAL = 0.9


@dataclass(frozen=True)
class Gap:
    """A stretch of the line that is not k-covered."""

    start_m: float
    end_m: float
    start_lonlat: tuple[float, float]
    end_lonlat: tuple[float, float]

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m


@dataclass(frozen=True)
class BandShare:
    offset_m: float
    share: float


@dataclass(frozen=True)
class CoverageProfile:
    """Coverage of one threat at one altitude."""

    threat_id: str
    target_class: str
    altitude_m: float
    share: float
    gaps: tuple[Gap, ...]
    band: tuple[BandShare, ...]
    crossing_share: float  # share of the line with crossing detection probability ≥ 0.9
    along_m: FloatArray
    counts: IntArray  # sensors covering each piece
    crossing_pd: FloatArray  # cumulative: every sensor, every scan over the crossing band
    available_share: float = 1.0  # expected k-covered share with sensor outages
    fused_share: float = 0.0  # share where one scan of all sensors together reaches pd_threshold
    fused_pd: FloatArray | None = None  # per piece: 1 − Π(1 − A·Pd) over sensors, one scan

    @property
    def gap_length_m(self) -> float:
        return float(sum(gap.length_m for gap in self.gaps))

    @property
    def longest_gap_m(self) -> float:
        return max((gap.length_m for gap in self.gaps), default=0.0)


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of a wall for each threat and altitude."""

    wall_name: str
    length_m: float
    official_length_km: float | None
    spacing_m: float
    k: int
    pd_threshold: float
    profiles: tuple[CoverageProfile, ...]
    cost_eur: float
    sensors_by_type: dict[str, int]
    official_length_source: str | None = None  # who published the official length


def find_gaps(
    border: Border, along_m: FloatArray, piece_m: float, ok: npt.NDArray[np.bool_]
) -> tuple[Gap, ...]:
    """Maximal runs of pieces where ``ok`` is False, as :class:`Gap` values."""
    bad = np.concatenate([[False], ~ok, [False]]).astype(np.int8)
    edges = np.diff(bad)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    if len(starts) == 0:
        return ()
    start_m = np.maximum(along_m[starts] - piece_m / 2, 0.0)
    end_m = np.minimum(along_m[ends] + piece_m / 2, border.length_m)
    start_ll = border.to_lonlat(border.points_at(start_m))
    end_ll = border.to_lonlat(border.points_at(end_m))
    return tuple(
        Gap(float(a), float(b), (float(p[0]), float(p[1])), (float(q[0]), float(q[1])))
        for a, b, p, q in zip(start_m, end_m, start_ll, end_ll, strict=True)
    )


def _profile(
    wall: Wall, threat: Threat, altitude_m: float, k: int, along: FloatArray, piece_m: float
) -> CoverageProfile:
    """One detection query over the line, the band offsets and the crossing offsets."""
    settings, border = wall.coverage, wall.border
    band_offsets = sorted(settings.band_offsets)
    crossing_offsets = np.arange(-CROSSING_BAND_M, CROSSING_BAND_M + 1e-9, CROSSING_STEP_M)
    offsets = np.concatenate([[0.0], band_offsets, crossing_offsets])
    n = len(along)
    xy = border.points_at(np.tile(along, len(offsets)), np.repeat(offsets, n))
    pairs = detection_matrix(wall.sensors, xy, altitude_m, threat, wall.environment)
    available = np.array([s.type.availability for s in wall.sensors], dtype=float)
    covered = pairs.pd >= settings.pd_threshold
    counts = np.bincount(pairs.point_index[covered], minlength=len(xy)).reshape(len(offsets), n)
    ok = counts[0] >= k
    band = tuple(
        BandShare(float(offset), float(np.mean(counts[1 + i] >= k)))
        for i, offset in enumerate(band_offsets)
    )
    on_line = pairs.point_index < n
    line_avail = available[pairs.sensor_index[on_line & covered]]
    covered_up = at_least_k_up(pairs.point_index[on_line & covered], line_avail, n, k)
    fused = fused_scan_pd(pairs, available, on_line, n)
    crossing_pd = _crossing_pd(wall, threat, pairs, available, n, 1 + len(band_offsets))
    return CoverageProfile(
        threat_id=threat.id,
        target_class=threat.target_class.value,
        altitude_m=altitude_m,
        share=float(np.mean(ok)),
        gaps=find_gaps(border, along, piece_m, ok),
        band=band,
        crossing_share=float(np.mean(crossing_pd >= CROSSING_PD_GOAL)),
        along_m=along,
        counts=counts[0],
        crossing_pd=crossing_pd,
        available_share=float(np.mean(covered_up)),
        fused_share=float(np.mean(fused >= settings.pd_threshold)),
        fused_pd=fused,
    )


def at_least_k_up(point_index: IntArray, availability: FloatArray, n: int, k: int) -> FloatArray:
    """P(≥ k of the sensors listed for each point work), sensors down independently.

    A Poisson-binomial tail by dynamic programming, one round per rank of sensor at a point.
    """
    state = np.zeros((n, k + 1))  # state[i, j]: P(j working so far), j = k means ≥ k
    state[:, 0] = 1.0
    order = np.argsort(point_index, kind="stable")
    points, avail = point_index[order], availability[order]
    starts = np.searchsorted(points, points, side="left")
    rank = np.arange(len(points)) - starts
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        rows = rank == r
        i, a = points[rows], avail[rows][:, None]
        old = state[i]
        shifted = np.concatenate([np.zeros((len(i), 1)), old[:, :-1]], axis=1)
        shifted[:, k] += old[:, k]  # ≥ k stays ≥ k
        state[i] = old * (1 - a) + shifted * a
    result: FloatArray = state[:, k]
    return result


def fused_scan_pd(
    pairs: DetectionPairs, availability: FloatArray, rows: BoolArray, n: int
) -> FloatArray:
    """1 − Π over sensors (1 − A·Pd): one scan of every sensor together, at points < n."""
    pd = pairs.pd[rows] * availability[pairs.sensor_index[rows]]
    log_miss = np.bincount(
        pairs.point_index[rows], weights=np.log1p(-np.minimum(pd, 1 - 1e-12)), minlength=n
    )
    result: FloatArray = 1.0 - np.exp(log_miss[:n])
    return result


def _crossing_pd(
    wall: Wall,
    threat: Threat,
    pairs: DetectionPairs,
    availability: FloatArray,
    n: int,
    first_row: int,
) -> FloatArray:
    """Cumulative detection probability of a straight crossing at each piece of the line.

    Every sensor scans the drone each scan period over the crossing band, independently
    (Swerling 1); a sensor that is down is down for the whole crossing: per sensor
    P(miss) = A·Π(1 − Pd) + (1 − A), multiplied over sensors.
    """
    rows = pairs.point_index >= first_row * n
    sensor, path = pairs.sensor_index[rows], pairs.point_index[rows] % n
    periods = np.array([s.type.scan_period_s for s in wall.sensors])[sensor]
    seconds_per_step = CROSSING_STEP_M / threat.speed_mps
    log_miss = np.log1p(-np.minimum(pairs.pd[rows], 1 - 1e-12)) / periods * seconds_per_step
    key = sensor.astype(np.int64) * n + path
    unique, inverse = np.unique(key, return_inverse=True)
    per_sensor = np.bincount(inverse, weights=log_miss, minlength=len(unique))
    a = availability[unique // n]
    with np.errstate(divide="ignore"):  # log 0 = −inf: a sensor always (or never) up
        miss = np.logaddexp(np.log(a) + per_sensor, np.log1p(-a))
    total = np.bincount(unique % n, weights=miss, minlength=n)
    result: FloatArray = 1.0 - np.exp(total)
    return result


def evaluate_coverage(
    wall: Wall,
    k: int | None = None,
    altitudes_m: Sequence[float] | None = None,
    progress: Progress = NO_PROGRESS,
) -> CoverageResult:
    """Coverage of ``wall`` for each threat at each altitude.

    Altitudes: ``altitudes_m`` if given, else the wall's ``coverage.altitudes``, else each
    threat's own altitude. With no threats, a small multirotor at 100 m is assumed.
    """
    k = wall.coverage.k if k is None else k
    if k < 1:
        raise ValueError(f"k must be ≥ 1, not {k}")
    threats = wall.threats or (default_threat(),)
    along, pieces = wall.border.sample(wall.coverage.spacing)
    piece_m = float(pieces[0])
    jobs = [
        (threat, altitude)
        for threat in threats
        for altitude in (altitudes_m or wall.coverage.altitudes or [threat.altitude_m])
    ]
    progress.start("coverage", len(jobs))
    profiles = []
    for done, (threat, altitude) in enumerate(jobs, start=1):
        profiles.append(_profile(wall, threat, float(altitude), k, along, piece_m))
        progress.update(done)
    return CoverageResult(
        wall_name=wall.name,
        length_m=wall.border.length_m,
        official_length_km=wall.border.official_length_km,
        spacing_m=piece_m,
        k=k,
        pd_threshold=wall.coverage.pd_threshold,
        profiles=tuple(profiles),
        cost_eur=wall.cost_eur,
        sensors_by_type=dict(Counter(s.type.name for s in wall.sensors)),
        official_length_source=wall.border.official_length_source,
    )


def default_threat() -> Threat:
    """A small multirotor (catalogue figures) at 100 m, used when a wall names no threat."""
    from droneworks.catalogue import default_catalogue
    from droneworks.watch.sensors import TargetClass

    drone = default_catalogue()["small-multirotor"]
    return Threat(
        id="small-multirotor",
        drone_id="small-multirotor",
        target_class=TargetClass.MULTIROTOR,
        rcs_dbsm=drone.rcs_dbsm,
        emits_rf=True,
        speed_mps=drone.cruise_speed,
        altitude_m=100.0,
        count=1,
        crossings_m=(),
        approach_m=5000.0,
        penetration_m=10000.0,
        max_crossing_angle_deg=30.0,
    )
