"""Incursion scenarios over a wall: routes across the border, detections and false alarms.

Each threat class of the wall flies ``count`` straight routes at its speed and altitude:
from ``approach`` before the line to ``penetration`` behind it, crossing at a chosen point
along the line (the threat's ``crossings``, cycled) or at a uniform random one, heading
along the inward normal turned by a uniform random angle within ±``max_crossing_angle``;
each route starts at a uniform random time within the horizon. The approach follows the
border's actual shape: a heading whose approach would touch the protected side (a bend of
the line) is drawn again, and after 20 draws the approach is cut where it would enter, so
no route starts inside or is inside before its crossing.

Time runs in ticks of the shortest sensor scan period; a sensor reports at every
``period / tick``-th tick from a random phase. At its reporting ticks a sensor detects a
target with the single-scan Pd of W1's sensor models (range, RCS or range curve, line of
sight with canopy and earth curvature) and measures range and bearing with its noise;
false alarms arrive as a Poisson process at the sensor's ``false_alarms_per_h``, uniform
over the disc it can see a threat in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString

from droneworks.core.streams import RandomStreams
from droneworks.watch.border import Border
from droneworks.watch.sensors import (
    PlacedSensor,
    detection_matrix,
    max_detection_range_m,
    measure_positions,
    measurement_covariance_xy,
)
from droneworks.watch.tracking.models import FloatArray
from droneworks.watch.wall import Threat, Wall

__all__ = ["Incursion", "IncursionScenario", "generate_incursions", "tick_period_s"]

IntArray = NDArray[np.int64]
_HEADING_TRIES = 20  # random headings tried before a route's approach is shortened
_SAME_POINT_M = 1.0  # line meetings closer than this to the crossing are the crossing
_SIDE_STEP_M = 100.0


@dataclass(frozen=True)
class Incursion:
    """One drone's straight route across the border."""

    index: int
    threat_id: str
    start_s: float
    speed_mps: float
    start_xy_m: tuple[float, float]
    heading_xy: tuple[float, float]  # unit vector
    route_m: float
    cross_along_m: float
    approach_m: float

    @property
    def end_s(self) -> float:
        return self.start_s + self.route_m / self.speed_mps

    @property
    def cross_s(self) -> float:
        """When the route reaches the nominal crossing point."""
        return self.start_s + self.approach_m / self.speed_mps

    def positions_m(self, times_s: NDArray[np.floating[Any]]) -> FloatArray:
        """Positions ``(n, 2)`` at ``times_s`` (clipped to the route)."""
        travelled = np.clip((np.asarray(times_s) - self.start_s) * self.speed_mps, 0, self.route_m)
        start = np.asarray(self.start_xy_m, dtype=np.float64)
        heading = np.asarray(self.heading_xy, dtype=np.float64)
        return np.asarray(start + travelled[:, None] * heading, dtype=np.float64)


@dataclass(frozen=True)
class IncursionScenario:
    """Truth and detections of one Monte Carlo run (arrays over ticks)."""

    tick_s: float
    n_ticks: int
    incursions: tuple[Incursion, ...]
    truth_tick: IntArray  # (P,) tick of each truth point
    truth_target: IntArray  # (P,) incursion index
    truth_xy_m: FloatArray  # (P, 2)
    det_tick: IntArray  # (K,) detections sorted by tick, then sensor
    det_sensor: IntArray
    det_xy_m: FloatArray
    det_noise: FloatArray  # (K, 2, 2)
    det_target: IntArray  # incursion index, -1 for a false alarm


def tick_period_s(wall: Wall) -> float:
    """The time step: the shortest scan period of the wall's sensors."""
    return min((s.type.scan_period_s for s in wall.sensors), default=1.0)


def generate_incursions(wall: Wall, replication: int = 0) -> IncursionScenario:
    """Routes, detections and false alarms of run ``replication`` (seeded by the wall)."""
    streams = RandomStreams(wall.seed, replication)
    tick_s = tick_period_s(wall)
    n_ticks = math.floor(wall.horizon_s / tick_s) + 1
    incursions = _routes(wall, streams.generator("incursions/routes"))
    every, phase = _report_schedule(wall, tick_s, streams.generator("incursions/phase"))
    truth_tick, truth_target, truth_xy = _truth(incursions, tick_s, n_ticks)
    parts = [
        _target_detections(
            wall,
            incursions,
            (truth_tick, truth_target, truth_xy),
            every,
            phase,
            streams.generator("incursions/detections"),
        )
    ]
    parts.append(
        _false_alarms(wall, n_ticks, every, phase, streams.generator("incursions/clutter"))
    )
    tick, sensor, target, xy = (np.concatenate([p[i] for p in parts]) for i in range(4))
    order = np.lexsort((sensor, tick))
    tick, sensor, target, xy = tick[order], sensor[order], target[order], xy[order]
    noise = _noise(wall.sensors, sensor, xy)
    return IncursionScenario(
        tick_s, n_ticks, tuple(incursions), truth_tick, truth_target, truth_xy,
        tick, sensor, xy, noise, target,
    )  # fmt: skip


def _routes(wall: Wall, rng: np.random.Generator) -> list[Incursion]:
    routes: list[Incursion] = []
    for threat in wall.threats:
        for k in range(threat.count):
            routes.append(_route(wall, threat, k, len(routes), rng))
    return routes


def _route(wall: Wall, threat: Threat, k: int, index: int, rng: np.random.Generator) -> Incursion:
    border = wall.border
    margin = min(threat.approach_m, border.length_m / 4)
    if threat.crossings_m:
        along = float(threat.crossings_m[k % len(threat.crossings_m)])
    else:
        along = float(rng.uniform(margin, border.length_m - margin))
    cross_xy = border.points_at(np.array([along]))[0]
    normal = border.normals_at(np.array([along]))[0]
    heading, approach_m = normal, -1.0
    for _ in range(_HEADING_TRIES):  # the longest outside approach of up to 20 headings
        angle = math.radians(rng.uniform(-1.0, 1.0) * threat.max_crossing_angle_deg)
        turned = np.array(
            [normal[0] * math.cos(angle) - normal[1] * math.sin(angle),
             normal[0] * math.sin(angle) + normal[1] * math.cos(angle)]
        )  # fmt: skip
        length = outside_approach_m(border, cross_xy, turned, threat.approach_m)
        if length > approach_m:
            heading, approach_m = turned, length
        if approach_m >= threat.approach_m:
            break
    route_m = approach_m + threat.penetration_m
    duration_s = route_m / threat.speed_mps
    start_s = float(rng.uniform(0.0, max(wall.horizon_s - duration_s, 0.0)))
    start = cross_xy - heading * approach_m
    return Incursion(
        index, threat.id, start_s, threat.speed_mps, (float(start[0]), float(start[1])),
        (float(heading[0]), float(heading[1])), route_m, along, approach_m,
    )  # fmt: skip


def outside_approach_m(
    border: Border, cross_xy: FloatArray, heading: FloatArray, wanted_m: float
) -> float:
    """How far back from ``cross_xy`` against ``heading`` the route stays outside (≤ wanted).

    The approach ends where, walking back from the crossing, it would first meet the line
    again (exact segment–line intersection) or, past the line's ends, where a point every
    100 m would be on the protected side; so a route never starts inside nor crosses the
    line before its crossing point, whatever the border's shape.
    """
    start = cross_xy - heading * wanted_m
    meets = shapely.intersection(LineString([cross_xy, start]), border.line_m)
    points = shapely.get_coordinates(meets)
    back = np.hypot(*(points - cross_xy).T) if len(points) else np.zeros(0)
    back = back[back > _SAME_POINT_M]
    length = float(back.min()) - _SAME_POINT_M if len(back) else float(wanted_m)
    # off the ends of the line (past a tripoint) no meeting marks the side: sample it
    samples = np.linspace(0.0, length, max(2, math.ceil(length / _SIDE_STEP_M)) + 1)[1:]
    _, offset = border.locate(cross_xy[None, :] - samples[:, None] * heading[None, :])
    inside = np.flatnonzero(offset > 0)
    if len(inside):
        length = float(samples[inside[0] - 1]) if inside[0] > 0 else 0.0
    return max(length, 0.0)


def _report_schedule(
    wall: Wall, tick_s: float, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Each sensor reports at ticks ``phase + j·every``."""
    every = np.array(
        [max(1, round(s.type.scan_period_s / tick_s)) for s in wall.sensors], dtype=np.int64
    )
    phase = (rng.random(len(every)) * every).astype(np.int64)
    return every, phase


def _truth(
    incursions: list[Incursion], tick_s: float, n_ticks: int
) -> tuple[IntArray, IntArray, FloatArray]:
    ticks, targets, points = [], [], []
    for inc in incursions:
        first = math.ceil(inc.start_s / tick_s)
        last = min(math.floor(inc.end_s / tick_s), n_ticks - 1)
        tick = np.arange(first, last + 1, dtype=np.int64)
        ticks.append(tick)
        targets.append(np.full(len(tick), inc.index, dtype=np.int64))
        points.append(inc.positions_m(tick * tick_s))
    if not ticks:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, 2))
    return np.concatenate(ticks), np.concatenate(targets), np.concatenate(points)


def _target_detections(
    wall: Wall,
    incursions: list[Incursion],
    truth: tuple[IntArray, IntArray, FloatArray],
    every: IntArray,
    phase: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    truth_tick, truth_target, truth_xy = truth
    threat_of = {t.id: t for t in wall.threats}
    out: list[tuple[IntArray, IntArray, IntArray, FloatArray]] = []
    for threat_id in dict.fromkeys(inc.threat_id for inc in incursions):
        threat = threat_of[threat_id]
        members = np.array([inc.index for inc in incursions if inc.threat_id == threat_id])
        rows = np.flatnonzero(np.isin(truth_target, members))
        if len(rows) == 0 or not wall.sensors:
            continue
        pairs = detection_matrix(
            wall.sensors, truth_xy[rows], threat.altitude_m, threat, wall.environment
        )
        sensor = pairs.sensor_index.astype(np.int64)
        point = rows[pairs.point_index]
        reports = (truth_tick[point] - phase[sensor]) % every[sensor] == 0
        detected = reports & (rng.random(len(sensor)) < pairs.pd)
        sensor, point = sensor[detected], point[detected]
        xy = _measure(wall.sensors, sensor, truth_xy[point], rng)
        out.append((truth_tick[point], sensor, truth_target[point], xy))
    if not out:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, 2))
    return tuple(np.concatenate([o[i] for o in out]) for i in range(4))  # type: ignore[return-value]


def _measure(
    sensors: tuple[PlacedSensor, ...], sensor: IntArray, xy: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Noisy positions, sensor by sensor (range and bearing noise of each sensor)."""
    measured = np.empty_like(xy)
    for index in np.unique(sensor):
        rows = sensor == index
        measured[rows] = measure_positions(sensors[index], xy[rows], rng)
    return measured


def _noise(sensors: tuple[PlacedSensor, ...], sensor: IntArray, xy: FloatArray) -> FloatArray:
    """Measurement covariance of each detection, as the tracker sees it (at the measurement)."""
    noise = np.empty((len(sensor), 2, 2))
    for index in np.unique(sensor):
        rows = sensor == index
        noise[rows] = measurement_covariance_xy(sensors[index], xy[rows])
    return noise


def _false_alarms(
    wall: Wall, n_ticks: int, every: IntArray, phase: IntArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Poisson false alarms of every sensor, uniform over the disc it sees threats in."""
    reach = _reach_by_type(wall)
    ticks, sensors, points = [], [], []
    horizon_h = wall.horizon_s / 3600.0
    for index, sensor in enumerate(wall.sensors):
        count = int(rng.poisson(sensor.type.false_alarms_per_h * horizon_h))
        if count == 0:
            continue
        n_reports = max(1, (n_ticks - 1 - phase[index]) // every[index] + 1)
        tick = phase[index] + every[index] * rng.integers(0, n_reports, size=count)
        radius = reach[sensor.type.name] * np.sqrt(rng.random(count))
        angle = rng.uniform(0.0, 2.0 * math.pi, size=count)
        xy = np.column_stack(
            [sensor.x_m + radius * np.cos(angle), sensor.y_m + radius * np.sin(angle)]
        )
        ticks.append(tick.astype(np.int64))
        sensors.append(np.full(count, index, dtype=np.int64))
        points.append(xy)
    if not ticks:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, 2))
    tick_all = np.concatenate(ticks)
    return (
        tick_all,
        np.concatenate(sensors),
        np.full(len(tick_all), -1, np.int64),
        np.concatenate(points),
    )


def _reach_by_type(wall: Wall) -> dict[str, float]:
    """The farthest a sensor type detects any of the wall's threats (at Pd ≥ 1e-4)."""
    reach: dict[str, float] = {}
    for sensor in wall.sensors:
        name = sensor.type.name
        if name not in reach:
            reach[name] = max(
                (max_detection_range_m(sensor.type, t, t.altitude_m, wall.environment)
                 for t in wall.threats),
                default=1000.0,
            )  # fmt: skip
            reach[name] = max(reach[name], 1.0)
    return reach
