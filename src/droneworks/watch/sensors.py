"""Detection models of border sensors: radar, RF detector, EO/IR camera, acoustic node.

Every sensor answers one question, vectorised over targets: the probability that one scan
detects a target at these positions (:func:`detection_probability`). It is the product of

* a **detection model** of slant range and target signature:

  - :class:`RadarEquation` — SNR ∝ Pt·G²·λ²·σ/R⁴, parameterised by a reference range at
    which a reference RCS gives a reference SNR, so SNR(R, σ) = SNR_ref · (σ/σ_ref) ·
    (R_ref/R)⁴; Pd from SNR and the false-alarm probability per cell by the **Swerling 1**
    closed form Pd = Pfa^(1/(1+SNR)) (a fluctuating small target, one pulse/dwell);
  - :class:`RangeCurves` — a logistic Pd curve per target class (RF, EO/IR, acoustic),
    Pd(R) = pd_close / (1 + exp((R − R½)/(w·R½))), R½ = range where Pd is half its
    close-range value; an RF detector is blind to targets that do not emit
    (``emits_rf`` false: autonomous or fibre-optic drones);

* the sensor's **sector** (:func:`in_sector`): a directional radar or camera watches
  ``sector_deg`` centred on its ``azimuth_deg`` (a rotating radar: 360°; a camera sweeping
  a sector once per scan period: the swept sector);

* **line of sight** (:func:`line_of_sight`) over a 4/3 earth with a forest canopy of uniform
  height that starts beyond a clearing around the mast, and optionally a DEM
  (:class:`~droneworks.watch.terrain.Terrain`). Acoustic nodes do not need line of sight.

Heights are above local ground: ``mast_height_m`` of the sensor, ``alt_m`` of the target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from droneworks.watch.detection_models import (
    RadarEquation,
    RangeCurve,
    RangeCurves,
    Signature,
    TargetClass,
    TargetSignature,
)
from droneworks.watch.measurement import measure_positions, measurement_covariance_xy
from droneworks.watch.propagation import (
    EARTH_RADIUS_M,
    FLAT,
    K_FACTOR,
    Environment,
    line_of_sight,
    radio_horizon_m,
)

__all__ = [
    "EARTH_RADIUS_M",
    "K_FACTOR",
    "DetectionPairs",
    "Environment",
    "PlacedSensor",
    "RadarEquation",
    "RangeCurve",
    "RangeCurves",
    "SensorKind",
    "SensorType",
    "Signature",
    "TargetClass",
    "TargetSignature",
    "default_sensor_types",
    "detection_matrix",
    "detection_probability",
    "in_sector",
    "line_of_sight",
    "max_detection_range_m",
    "measure_positions",
    "measurement_covariance_xy",
    "radio_horizon_m",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class SensorKind(StrEnum):
    RADAR = "radar"
    RF = "rf"
    EOIR = "eoir"
    ACOUSTIC = "acoustic"


@dataclass(frozen=True)
class SensorType:
    """One kind of sensor with its parameters (frozen; built from the wall file)."""

    name: str
    kind: SensorKind
    model: RadarEquation | RangeCurves
    mast_height_m: float
    scan_period_s: float
    false_alarms_per_h: float
    cost_eur: float
    sigma_range_m: float
    sigma_bearing_deg: float
    needs_line_of_sight: bool = True
    instrumented_range_m: float = math.inf  # processing limit: no detection beyond
    sector_deg: float = 360.0  # field watched (fixed, or swept once per scan period)
    availability: float = 1.0  # share of the time the sensor works (outages)

    def __post_init__(self) -> None:
        for name in ("mast_height_m", "false_alarms_per_h", "cost_eur"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in ("scan_period_s", "sigma_range_m", "sigma_bearing_deg"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if not 0 < self.sector_deg <= 360:
            raise ValueError(f"sector_deg must be in (0, 360], not {self.sector_deg}")
        if not 0 <= self.availability <= 1:
            raise ValueError(f"availability must be in [0, 1], not {self.availability}")

    @property
    def directional(self) -> bool:
        return self.sector_deg < 360.0


@dataclass(frozen=True)
class PlacedSensor:
    """A sensor of a type at a local-metric position (``x_m``, ``y_m``)."""

    id: str
    type: SensorType
    x_m: float
    y_m: float
    along_m: float | None = None  # position along the border line, if placed by it
    azimuth_deg: float = 0.0  # centre of a sector, clockwise from grid north (local +y)

    @property
    def xy(self) -> FloatArray:
        return np.array([self.x_m, self.y_m])


def _geometry(
    sensor: PlacedSensor, xy_targets: FloatArray, alt_m: float | FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    xy = np.atleast_2d(np.asarray(xy_targets, dtype=float))
    if xy.shape[-1] != 2:
        raise ValueError(f"xy_targets must have shape (n, 2), not {xy.shape}")
    ground = np.hypot(xy[:, 0] - sensor.x_m, xy[:, 1] - sensor.y_m)
    alt = np.broadcast_to(np.asarray(alt_m, dtype=float), ground.shape)
    slant = np.hypot(ground, alt - sensor.type.mast_height_m)
    return ground, alt, slant


def detection_probability(
    sensor: PlacedSensor,
    xy_targets: FloatArray,
    alt_m: float | FloatArray,
    threat: TargetSignature,
    environment: Environment = FLAT,
) -> FloatArray:
    """Single-scan detection probability of ``threat`` at each of ``xy_targets`` (n, 2).

    ``alt_m`` is the target height above ground (scalar or one per target).
    """
    ground, alt, slant = _geometry(sensor, xy_targets, alt_m)
    kind = sensor.type
    pd = kind.model.pd(slant, threat)
    pd = np.where(slant <= kind.instrumented_range_m, pd, 0.0)
    if kind.directional:
        xy = np.atleast_2d(np.asarray(xy_targets, dtype=float))
        pd = np.where(in_sector(kind, sensor.xy[None, :], sensor.azimuth_deg, xy), pd, 0.0)
    if kind.needs_line_of_sight:
        if environment.terrain is not None:
            visible = environment.terrain.line_of_sight(sensor, xy_targets, alt, environment)
        else:
            visible = line_of_sight(ground, kind.mast_height_m, alt, environment)
        pd = np.where(visible, pd, 0.0)
    result: FloatArray = np.asarray(pd, dtype=float)
    return result


def max_detection_range_m(
    sensor_type: SensorType,
    threat: TargetSignature,
    alt_m: float,
    environment: Environment = FLAT,
    pd_floor: float = 1e-4,
) -> float:
    """Ground range beyond which Pd < ``pd_floor`` (bounded by horizon); for pruning."""
    reach = min(sensor_type.model.range_for_pd(pd_floor, threat), sensor_type.instrumented_range_m)
    if sensor_type.needs_line_of_sight and environment.terrain is None:
        # canopy and terrain only shorten it: the smooth-earth horizon bounds line of sight
        horizon = radio_horizon_m(sensor_type.mast_height_m, environment.k_factor)
        horizon = horizon + radio_horizon_m(alt_m, environment.k_factor)
        reach = min(reach, float(horizon) + 1.0)
    return max(reach, 0.0)


@dataclass(frozen=True)
class DetectionPairs:
    """Sparse single-scan Pd of many sensors at many points: COO triplets with Pd > 1e-4."""

    sensor_index: npt.NDArray[np.intp]
    point_index: npt.NDArray[np.intp]
    pd: FloatArray
    n_sensors: int
    n_points: int


def detection_matrix(
    sensors: Sequence[PlacedSensor],
    xy_points: FloatArray,
    alt_m: float,
    threat: TargetSignature,
    environment: Environment = FLAT,
) -> DetectionPairs:
    """Pd of every sensor at every point, pruned by a KD-tree to each type's reach."""
    from scipy.spatial import cKDTree

    points = np.atleast_2d(np.asarray(xy_points, dtype=float))
    tree = cKDTree(points)
    by_type: dict[str, list[int]] = {}
    for index, sensor in enumerate(sensors):
        by_type.setdefault(sensor.type.name, []).append(index)
    parts: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]] = []
    for indices in by_type.values():
        kind = sensors[indices[0]].type
        reach = max_detection_range_m(kind, threat, alt_m, environment)
        centres = np.array([[sensors[i].x_m, sensors[i].y_m] for i in indices])
        azimuths = np.array([sensors[i].azimuth_deg for i in indices])
        hits = tree.query_ball_point(centres, reach)
        counts = np.array([len(h) for h in hits], dtype=np.intp)
        if counts.sum() == 0:
            continue
        owner = np.repeat(np.arange(len(indices)), counts)
        point_index = np.concatenate([np.asarray(h, dtype=np.intp) for h in hits if h])
        pd = _pair_pd(kind, centres[owner], points[point_index], alt_m, threat, environment)
        if kind.directional:
            seen = in_sector(kind, centres[owner], azimuths[owner], points[point_index])
            pd = np.where(seen, pd, 0.0)
        if environment.terrain is not None and kind.needs_line_of_sight:
            for local, global_index in enumerate(indices):
                rows = owner == local
                sensor = sensors[global_index]
                seen = environment.terrain.line_of_sight(
                    sensor, points[point_index[rows]], np.full(rows.sum(), alt_m), environment
                )
                pd[rows] = np.where(seen, pd[rows], 0.0)
        keep = pd > 1e-4
        sensor_index = np.asarray(indices, dtype=np.intp)[owner]
        parts.append((sensor_index[keep], point_index[keep], pd[keep]))
    if not parts:
        empty = np.zeros(0, dtype=np.intp)
        return DetectionPairs(empty, empty, np.zeros(0), len(sensors), len(points))
    return DetectionPairs(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        len(sensors),
        len(points),
    )


def in_sector(
    kind: SensorType,
    sensor_xy: FloatArray,
    azimuth_deg: float | FloatArray,
    target_xy: FloatArray,
) -> BoolArray:
    """Whether each target lies in the sensor's sector (bearing from grid north, clockwise)."""
    if not kind.directional:
        return np.ones(len(target_xy), dtype=bool)
    delta = np.asarray(target_xy, dtype=float) - np.asarray(sensor_xy, dtype=float)
    bearing = np.degrees(np.arctan2(delta[:, 0], delta[:, 1]))
    off = (bearing - np.asarray(azimuth_deg, dtype=float) + 180.0) % 360.0 - 180.0
    result: BoolArray = np.abs(off) <= kind.sector_deg / 2 + 1e-9
    return result


def _pair_pd(
    kind: SensorType,
    sensor_xy: FloatArray,
    target_xy: FloatArray,
    alt_m: float,
    threat: TargetSignature,
    environment: Environment,
) -> FloatArray:
    ground = np.hypot(target_xy[:, 0] - sensor_xy[:, 0], target_xy[:, 1] - sensor_xy[:, 1])
    slant = np.hypot(ground, alt_m - kind.mast_height_m)
    pd = np.where(slant <= kind.instrumented_range_m, kind.model.pd(slant, threat), 0.0)
    if kind.needs_line_of_sight and environment.terrain is None:
        pd = np.where(line_of_sight(ground, kind.mast_height_m, alt_m, environment), pd, 0.0)
    result: FloatArray = np.asarray(pd, dtype=float)
    return result


def default_sensor_types() -> dict[str, SensorType]:
    """Built-in sensor types; every figure is an estimate from REFERENCE §5 ranges."""
    from droneworks.watch.sensor_defaults import DEFAULT_SENSOR_TYPES

    return dict(DEFAULT_SENSOR_TYPES)
