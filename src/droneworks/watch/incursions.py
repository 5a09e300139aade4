"""Incursion scenarios over a wall: routes across the border, detections and false alarms.

Each threat class of the wall flies ``count`` routes at its speed (straight crossings that
follow the border's shape, or the threat's waypoint route with turns and altitude changes;
see :mod:`droneworks.watch.routes`), each starting at a uniform random time in the horizon.

Time runs in ticks of the shortest sensor scan period; a sensor reports at every
``period / tick``-th tick from a random phase. At its reporting ticks a sensor detects a
target with the single-scan Pd of W1's sensor models (range, RCS or range curve, line of
sight with canopy and earth curvature) and measures range and bearing with its noise;
false alarms arrive as a Poisson process at the sensor's ``false_alarms_per_h``, uniform
over the disc it can see a threat in. A sensor type's ``availability`` < 1 takes each of its
sensors down for a whole run with probability 1 − availability (no detections, no clutter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray

from droneworks.core.streams import RandomStreams
from droneworks.watch.routes import Incursion, plan_routes
from droneworks.watch.sensors import (
    PlacedSensor,
    detection_matrix,
    max_detection_range_m,
    measure_positions,
    measurement_covariance_xy,
)
from droneworks.watch.tracking.models import FloatArray
from droneworks.watch.wall import Wall

__all__ = ["Incursion", "IncursionScenario", "generate_incursions", "tick_period_s"]

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class IncursionScenario:
    """Truth and detections of one Monte Carlo run (arrays over ticks)."""

    tick_s: float
    n_ticks: int
    incursions: tuple[Incursion, ...]
    truth_tick: IntArray  # (P,) tick of each truth point
    truth_target: IntArray  # (P,) incursion index
    truth_xy_m: FloatArray  # (P, 2)
    truth_alt_m: FloatArray  # (P,) altitude above ground
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
    incursions = plan_routes(wall, streams.generator("incursions/routes"))
    every, phase = _report_schedule(wall, tick_s, streams.generator("incursions/phase"))
    truth_tick, truth_target, truth_xy, truth_alt = _truth(incursions, tick_s, n_ticks)
    parts = [
        _target_detections(
            wall,
            incursions,
            (truth_tick, truth_target, truth_xy, truth_alt),
            every,
            phase,
            streams.generator("incursions/detections"),
        )
    ]
    parts.append(
        _false_alarms(wall, n_ticks, every, phase, streams.generator("incursions/clutter"))
    )
    tick, sensor, target, xy = (np.concatenate([p[i] for p in parts]) for i in range(4))
    working = sensors_up(wall, streams.generator("incursions/outages"))
    tick, sensor, target, xy = (a[working[sensor]] for a in (tick, sensor, target, xy))
    order = np.lexsort((sensor, tick))
    tick, sensor, target, xy = tick[order], sensor[order], target[order], xy[order]
    noise = _noise(wall.sensors, sensor, xy)
    return IncursionScenario(
        tick_s, n_ticks, tuple(incursions), truth_tick, truth_target, truth_xy, truth_alt,
        tick, sensor, xy, noise, target,
    )  # fmt: skip


def sensors_up(wall: Wall, rng: np.random.Generator) -> npt.NDArray[np.bool_]:
    """Which sensors work during this run: each is down with probability 1 − availability.

    An outage lasts the run (a run is hours; repairs take days), so a run with a sensor down
    shows the gap it leaves; over runs, each sensor works its availability share of them.
    """
    draws = rng.random(len(wall.sensors))
    availability = np.array([s.type.availability for s in wall.sensors], dtype=float)
    up: npt.NDArray[np.bool_] = draws < availability
    return up


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
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    ticks, targets, points, altitudes = [], [], [], []
    for inc in incursions:
        first = math.ceil(inc.start_s / tick_s)
        last = min(math.floor(inc.end_s / tick_s), n_ticks - 1)
        tick = np.arange(first, last + 1, dtype=np.int64)
        ticks.append(tick)
        targets.append(np.full(len(tick), inc.index, dtype=np.int64))
        points.append(inc.positions_m(tick * tick_s))
        altitudes.append(inc.altitudes_m(tick * tick_s))
    if not ticks:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, 2)), np.empty(0)
    return tuple(np.concatenate(a) for a in (ticks, targets, points, altitudes))  # type: ignore[return-value]


def _target_detections(
    wall: Wall,
    incursions: list[Incursion],
    truth: tuple[IntArray, IntArray, FloatArray, FloatArray],
    every: IntArray,
    phase: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    truth_tick, truth_target, truth_xy, truth_alt = truth
    threat_of = {t.id: t for t in wall.threats}
    out: list[tuple[IntArray, IntArray, IntArray, FloatArray]] = []
    for threat_id in dict.fromkeys(inc.threat_id for inc in incursions):
        threat = threat_of[threat_id]
        members = np.array([inc.index for inc in incursions if inc.threat_id == threat_id])
        mine = np.flatnonzero(np.isin(truth_target, members))
        if len(mine) == 0 or not wall.sensors:
            continue
        altitude = truth_alt[mine]
        if np.ptp(altitude) > 0:
            altitude = np.round(altitude)  # one detection query per metre of altitude
        for level in np.unique(altitude):
            rows = mine[altitude == level]
            pairs = detection_matrix(
                wall.sensors, truth_xy[rows], float(level), threat, wall.environment
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
