"""Tiny named fixtures: a straight border in local metres with sensors at known spacing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from shapely.geometry import LineString

from droneworks.core.geo import LocalProjection
from droneworks.watch.border import Border, BorderSegment
from droneworks.watch.sensor_defaults import DEFAULT_SENSOR_TYPES
from droneworks.watch.sensors import (
    Environment,
    PlacedSensor,
    RangeCurve,
    RangeCurves,
    SensorKind,
    SensorType,
    TargetClass,
)
from droneworks.watch.wall import Threat, Wall
from droneworks.watch.wall_model import (
    AlertSpec,
    CoverageSpec,
    PlacementSpec,
    TrackerSpec,
)

MR = TargetClass.MULTIROTOR


def straight_border(length_m: float) -> Border:
    """A line due north from (500 km, 5,800 km) in UTM 34N; protected side = west (left)."""
    line = LineString([(500_000.0, 5_800_000.0), (500_000.0, 5_800_000.0 + length_m)])
    segment = BorderSegment("straight", "straight", 0.0, length_m, length_m / 1000, None)
    return Border("straight", line, LocalProjection.from_crs("EPSG:32634"), (segment,))


def disc_type(
    name: str,
    radius_m: float,
    cost_eur: float = 1.0,
    pd_close: float = 1.0,
    width: float = 1e-3,
    period_s: float = 1.0,
) -> SensorType:
    """A sensor with Pd = pd_close/2 exactly at ``radius_m`` slant range, no line of sight."""
    curve = RangeCurve(radius_m, width, pd_close)
    return SensorType(
        name=name,
        kind=SensorKind.ACOUSTIC,
        model=RangeCurves({MR: curve, TargetClass.FIXED_WING: curve}),
        mast_height_m=0.0,
        scan_period_s=period_s,
        false_alarms_per_h=0.0,
        cost_eur=cost_eur,
        sigma_range_m=10.0,
        sigma_bearing_deg=1.0,
        needs_line_of_sight=False,
    )


def threat(speed_mps: float = 15.0, altitude_m: float = 0.0) -> Threat:
    return Threat(
        "mr",
        "small-multirotor",
        MR,
        -15.0,
        True,
        speed_mps,
        altitude_m,
        1,
        (),
        5000.0,
        10000.0,
        30.0,
    )


def place_along(
    border: Border, kind: SensorType, along_m: Sequence[float], offset_m: float = 0.0
) -> tuple[PlacedSensor, ...]:
    xy = border.points_at(np.asarray(along_m, dtype=float), offset_m)
    return tuple(
        PlacedSensor(f"{kind.name}-{i}", kind, float(x), float(y), float(a))
        for i, ((x, y), a) in enumerate(zip(xy, along_m, strict=True))
    )


def make_wall(
    border: Border,
    sensors: Sequence[PlacedSensor],
    threats: Sequence[Threat],
    types: Sequence[SensorType] = (),
    coverage: dict[str, Any] | None = None,
    placement: dict[str, Any] | None = None,
) -> Wall:
    all_types = dict(DEFAULT_SENSOR_TYPES) | {t.name: t for t in types}
    return Wall(
        name="straight",
        border=border,
        environment=Environment(),
        sensor_types=all_types,
        sensors=tuple(sensors),
        threats=tuple(threats),
        horizon_s=3600.0,
        seed=0,
        runs=1,
        alerts=AlertSpec(),
        tracker=TrackerSpec(),
        coverage=CoverageSpec.model_validate(coverage or {"spacing": "10 m"}),
        placement=PlacementSpec.model_validate(placement or {}),
    )
