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
    Environment,
    PlacedSensor,
    TargetSignature,
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
    "point_coverage",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
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
    crossing_pd: FloatArray

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


def point_coverage(
    sensors: Sequence[PlacedSensor],
    xy: FloatArray,
    alt_m: float,
    threat: TargetSignature,
    environment: Environment,
    pd_threshold: float,
) -> tuple[IntArray, FloatArray]:
    """Per point: how many sensors have Pd ≥ threshold, and Σ log(1 − Pd) over sensors/scan."""
    n = len(xy)
    if not sensors:
        return np.zeros(n, dtype=np.intp), np.zeros(n)
    pairs = detection_matrix(sensors, xy, alt_m, threat, environment)
    covered = pairs.pd >= pd_threshold
    counts = np.bincount(pairs.point_index[covered], minlength=n).astype(np.intp)
    periods = np.array([s.type.scan_period_s for s in sensors])[pairs.sensor_index]
    log_miss_per_s = np.log1p(-np.minimum(pairs.pd, 1 - 1e-12)) / periods
    log_miss: FloatArray = np.bincount(
        pairs.point_index, weights=log_miss_per_s, minlength=n
    ).astype(float)
    return counts, log_miss


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
    counts_all, log_rate_all = point_coverage(
        wall.sensors, xy, altitude_m, threat, wall.environment, settings.pd_threshold
    )
    counts = counts_all.reshape(len(offsets), n)
    log_rate = log_rate_all.reshape(len(offsets), n)
    ok = counts[0] >= k
    band = tuple(
        BandShare(float(offset), float(np.mean(counts[1 + i] >= k)))
        for i, offset in enumerate(band_offsets)
    )
    seconds_per_step = CROSSING_STEP_M / threat.speed_mps
    log_miss = log_rate[1 + len(band_offsets) :].sum(axis=0) * seconds_per_step
    crossing_pd: FloatArray = 1.0 - np.exp(log_miss)
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
    )


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
