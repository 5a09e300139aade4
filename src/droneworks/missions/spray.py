"""Spray missions: coverage path, variable rate, wind, tank and battery sorties, several drones.

``plan_spray(field, drone, params)`` runs, in order:

1. the sprayable area (field minus holes and obstacles grown by ``clearance_m``) and the
   flyable area (the field grown by ``margin_m`` minus the same keep-out areas);
2. the coverage pipeline (headlands → swaths at the best heading → cells → route → path);
3. with several drones, bands of equal work across the swaths, one per drone;
4. per leg: the application rate (constant, or per prescription zone along the leg), the
   ground speed (work airspeed corrected for wind, capped so the pump's ``flow_max`` can
   hold the rate) and the airspeed that sets the power;
5. sorties from the tank volume and the payload-dependent battery energy with a reserve.

Spray legs hold the work ground speed (the rate per hectare depends on it) while the
airspeed this needs stays within the drone's top speed (its catalogue cruise speed); in a
strong headwind the leg slows down and the flow follows the ground speed to hold the rate
(as DJI/XAG flow controllers do). The airspeed, not the ground speed, sets the power, so
wind changes the energy of every leg; the ``time`` objective of the heading search sees the
slower headwind legs and prefers crosswind headings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from droneworks.catalogue import DroneType
from droneworks.core.errors import ConfigError, InfeasibleError
from droneworks.missions.coverage import (
    CoverageParams,
    CoveragePath,
    CoveragePlan,
    LegKind,
    SwathCost,
    SwathObjective,
    VisibilityTransitPlanner,
    plan_coverage,
)
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.coverage.split import split_coverage
from droneworks.missions.energy import EnergyModel, EnergyParams
from droneworks.missions.field import Field
from droneworks.missions.flight import FlightSettings
from droneworks.missions.flight.replay import servo_rate
from droneworks.missions.prescription import Prescription
from droneworks.missions.sorties import LegTable, Sortie, SortieLimits, split_sorties
from droneworks.missions.true_north import grid_to_true_deg, grid_wind, true_to_grid_deg
from droneworks.missions.wind import CALM, Wind

__all__ = ["SprayParams", "SprayPlan", "plan_spray", "spray_flight", "spray_leg_table"]


@dataclass(frozen=True)
class SprayParams:
    """Settings of a spray mission; ``None`` takes the drone's catalogue figure."""

    rate_lpha: float
    swath_width_m: float | None = None
    work_speed_mps: float | None = None
    height_m: float | None = None
    headland_passes: int = 1
    clearance_m: float = 2.0
    margin_m: float = 0.0
    objective: SwathObjective = SwathObjective.TURNS
    heading_deg: float | None = None
    wind: Wind = CALM
    drones: int = 1
    density_kgpl: float = 1.0
    turn_time_s: float = 6.0
    vertical_speed_mps: float = 2.0
    turnaround_min: float = 3.0
    prescription: Prescription | None = None
    zone_step_m: float = 2.0
    balance_rounds: int = 3
    energy: EnergyParams = field(default_factory=EnergyParams)

    def __post_init__(self) -> None:
        if not self.rate_lpha > 0:
            raise ValueError(f"rate_lpha must be positive, not {self.rate_lpha}")
        if self.drones < 1:
            raise ValueError(f"drones must be at least 1, not {self.drones}")


@dataclass(frozen=True)
class SprayPlan:
    """A planned spray mission: coverage, per-drone paths and leg tables, sorties."""

    field: Field
    drone: DroneType
    params: SprayParams
    swath_width_m: float
    work_speed_mps: float
    height_m: float
    coverage: CoveragePlan
    paths: tuple[CoveragePath, ...]
    tables: tuple[LegTable, ...]
    zones: tuple[npt.NDArray[np.int16], ...]
    sorties: tuple[Sortie, ...]
    energy: EnergyModel

    @property
    def sprayable_m2(self) -> float:
        return float(self.field.sprayable(self.params.clearance_m).area)

    @cached_property
    def covered_ratio(self) -> float:
        """Share of the sprayable area under at least one spray strip."""
        import shapely

        half = self.swath_width_m / 2
        strips = [
            shapely.LineString([tuple(a), tuple(b)]).buffer(half, cap_style="flat")
            for table in self.tables
            for a, b in zip(table.start[table.spraying], table.end[table.spraying], strict=True)
        ]
        sprayable = self.field.sprayable(self.params.clearance_m)
        covered = shapely.union_all(strips, grid_size=0.001).intersection(sprayable)
        return float(covered.area / sprayable.area)

    def legs_crossing_keep_out(self) -> int:
        """Legs (all drones) that enter a hole or obstacle or leave the flyable area (0)."""
        import shapely

        flyable = self.field.flyable(self.params.margin_m, self.params.clearance_m).buffer(0.01)
        count = 0
        for table in self.tables:
            lines = shapely.linestrings(np.stack([table.start, table.end], axis=1))
            count += int(np.sum(~shapely.covers(flyable, lines)))
        return count

    @property
    def flight(self) -> FlightSettings:
        """How the drones fly (the settings the plan and the replay of its files use)."""
        return spray_flight(self.field, self.drone, self.params, self.work_speed_mps)

    def drone_time_min(self, drone: int) -> float:
        """Flights plus refills/battery swaps between them for one drone."""
        flights = [s.flight_time_min for s in self.sorties if s.drone == drone]
        return sum(flights) + max(len(flights) - 1, 0) * self.params.turnaround_min

    def summary(self) -> dict[str, Any]:
        """The figures the CLI prints and ``--json`` returns."""
        figures: dict[str, Any] = {
            "field": self.field.name,
            "drone": self.drone.id,
            "drones": self.params.drones,
            "area_ha": self.field.area_m2 / 1e4,
            "sprayable_ha": self.sprayable_m2 / 1e4,
            "covered_ratio": self.covered_ratio,
            "heading_deg": grid_to_true_deg(self.field, self.coverage.heading_deg) % 180.0,
            "swath_width_m": self.swath_width_m,
            "path_m": sum(p.length_m for p in self.paths),
            "sprayed_path_m": sum(p.sprayed_length_m for p in self.paths),
            "transit_to_base_m": sum(s.transit_out_m + s.transit_back_m for s in self.sorties),
            "turns": sum(p.turns for p in self.paths),
            "sorties": len(self.sorties),
            "flight_time_min": sum(s.flight_time_min for s in self.sorties),
            "mission_time_min": max(self.drone_time_min(d) for d in range(self.params.drones)),
            "volume_l": sum(s.sprayed_l for s in self.sorties),
            "energy_wh": sum(s.energy_wh for s in self.sorties),
            "rate_lpha": self.params.rate_lpha,
            "wind": str(self.params.wind),
        }
        return {k: float(v) if isinstance(v, np.floating) else v for k, v in figures.items()}


def _drone_figures(drone: DroneType, params: SprayParams) -> tuple[float, float, float, float]:
    width = params.swath_width_m or drone.swath_width
    speed = params.work_speed_mps or drone.work_speed
    if drone.tank is None or width is None or speed is None:
        raise ConfigError(
            f"drone type {drone.id!r} is not a sprayer (no tank, swath or work speed)"
        )
    return width, speed, params.height_m or drone.work_height or 3.0, drone.tank


def _zone_split(
    path: CoveragePath, params: SprayParams, field_: Field
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int8], npt.NDArray[np.int16], FloatArray]:
    """Legs cut where the prescription zone changes: start, end, kind, zone, rate."""
    prescription = params.prescription
    zones = np.full(len(path), -1, dtype=np.int16)
    if prescription is None or not len(path):
        rates = np.where(path.spraying, params.rate_lpha, 0.0)
        return path.start, path.end, path.kind, zones, rates
    lengths = path.lengths_m
    counts = np.where(
        path.spraying, np.maximum(np.ceil(lengths / params.zone_step_m), 1), 1
    ).astype(int)
    owner = np.repeat(np.arange(len(path)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    t = (offsets + 0.5) / counts[owner]
    samples = path.start[owner] + t[:, None] * (path.end[owner] - path.start[owner])
    sampled = prescription.zone_at(samples, field_.projection)
    starts, ends, kinds, zone_list, rate_list = [], [], [], [], []
    for leg in range(len(path)):
        mask = owner == leg
        leg_zones, leg_t = sampled[mask], t[mask]
        change: list[int] = []
        if path.spraying[leg]:
            change = [int(i) for i in np.flatnonzero(leg_zones[1:] != leg_zones[:-1])]
        cut = [0.0, *((leg_t[i] + leg_t[i + 1]) / 2 for i in change), 1.0]
        run_zones = [leg_zones[0], *(leg_zones[i + 1] for i in change)]
        a, b = path.start[leg], path.end[leg]
        for (t0, t1), zone in zip(itertools.pairwise(cut), run_zones, strict=True):
            starts.append(a + t0 * (b - a))
            ends.append(a + t1 * (b - a))
            kinds.append(path.kind[leg])
            sprayed = bool(path.spraying[leg])
            zone_list.append(int(zone) if sprayed else -1)
            rate = servo_rate(prescription.rate_at(int(zone)), max(prescription.rates_lpha))
            rate_list.append(rate if sprayed else 0.0)
    return (
        np.array(starts),
        np.array(ends),
        np.array(kinds, np.int8),
        np.array(zone_list, np.int16),
        np.array(rate_list),
    )


def spray_leg_table(
    path: CoveragePath,
    params: SprayParams,
    field_: Field,
    drone: DroneType,
    width_m: float,
    speed_mps: float,
) -> tuple[LegTable, npt.NDArray[np.int16]]:
    """Per-leg rates (zones), ground speeds and airspeeds in the wind, turn hovers."""
    start, end, kind, zones, rates = _zone_split(path, params, field_)
    delta = end - start
    lengths = np.hypot(*delta.T)
    safe = np.where(lengths > 0, lengths, 1.0)
    ux, uy = delta[:, 0] / safe, delta[:, 1] / safe
    wx, wy = params.wind.vector_en
    along = ux * wx + uy * wy
    cross2 = wx * wx + wy * wy - along * along
    top_air = max(drone.cruise_speed, speed_mps)
    if np.any(cross2 >= top_air**2):
        raise InfeasibleError(f"wind {params.wind} is stronger than {drone.id}'s top airspeed")
    reachable = along + np.sqrt(top_air**2 - cross2)
    if np.any(reachable <= 0):
        raise InfeasibleError(f"wind {params.wind} stops {drone.id} on headwind legs")
    ground = np.minimum(speed_mps, reachable)
    spraying = kind <= LegKind.HEADLAND
    if drone.flow_max is not None:
        with np.errstate(divide="ignore"):
            cap = np.where(
                rates > 0,
                drone.flow_max * 1e4 / (np.maximum(rates, 1e-12) * width_m * 60.0),
                np.inf,
            )
        ground = np.minimum(ground, cap)
    air = np.hypot(ground * ux - wx, ground * uy - wy)
    starts_turn = np.concatenate([[False], spraying[:-1] & ~spraying[1:]])
    hover = np.where(starts_turn, params.turn_time_s, 0.0)
    table = LegTable(start, end, spraying, rates, ground, air, hover, width_m)
    return table, zones


@dataclass
class _Fleet:
    paths: list[CoveragePath]
    tables: list[LegTable]
    zones: list[npt.NDArray[np.int16]]
    sorties: list[Sortie]

    def times_min(self, drones: int, turnaround_min: float) -> list[float]:
        flights = [[s.flight_time_min for s in self.sorties if s.drone == d] for d in range(drones)]
        return [sum(f) + max(len(f) - 1, 0) * turnaround_min for f in flights]


def _balance(fly: Callable[[list[float] | None], _Fleet], params: SprayParams) -> _Fleet:
    """Bands of equal work first; then ``balance_rounds`` re-splits giving each drone a share
    proportional to the work it did per minute (far bands cost more transit), keeping the
    fleet whose slowest drone finishes first."""
    best = fly(None)
    if params.drones == 1:
        return best
    times = best.times_min(params.drones, params.turnaround_min)
    shares = [1.0] * params.drones
    for _ in range(params.balance_rounds):
        shares = [share / max(time, 1e-9) for share, time in zip(shares, times, strict=True)]
        total = sum(shares)
        shares = [share / total for share in shares]
        trial = fly(shares)
        times = trial.times_min(params.drones, params.turnaround_min)
        if max(times) < max(best.times_min(params.drones, params.turnaround_min)):
            best = trial
    return best


def _in_grid(field_: Field, params: SprayParams) -> SprayParams:
    heading = params.heading_deg
    return replace(
        params,
        wind=grid_wind(field_, params.wind),
        heading_deg=None if heading is None else true_to_grid_deg(field_, heading),
    )


def spray_flight(
    field_: Field, drone: DroneType, params: SprayParams, work_speed_mps: float
) -> FlightSettings:
    """How a sprayer flies: top airspeed its cruise (or work) speed, the wind (in the
    field's grid), climb rate."""
    vertical = params.vertical_speed_mps
    top = max(drone.cruise_speed, work_speed_mps)
    energy = EnergyModel.from_drone(drone, params.energy)
    return FlightSettings(energy, top, grid_wind(field_, params.wind), vertical, vertical)


def plan_spray(field_: Field, drone: DroneType, user_params: SprayParams) -> SprayPlan:
    """Plan a spray mission of ``field_`` with ``params.drones`` drones of type ``drone``.

    The heading and the wind direction are compass degrees from true north; the plan works
    in the field's grid (see :mod:`droneworks.missions.true_north`)."""
    params = _in_grid(field_, user_params)
    width, speed, height, tank = _drone_figures(drone, params)
    sprayable = field_.sprayable(params.clearance_m)
    flyable = field_.flyable(params.margin_m, params.clearance_m)
    transit = VisibilityTransitPlanner(flyable)
    flow_cap = math.inf
    if drone.flow_max is not None:
        flow_cap = drone.flow_max * 1e4 / (params.rate_lpha * width * 60.0)
    cost = SwathCost(
        params.objective,
        speed,
        params.turn_time_s,
        params.wind.vector_en,
        flow_cap,
        drone.cruise_speed,
    )
    coverage_params = CoverageParams(width, params.headland_passes, cost, params.heading_deg)
    coverage = plan_coverage(sprayable, transit, coverage_params, field_.base_xy)
    flight = spray_flight(field_, drone, user_params, speed)
    energy = flight.energy
    limits = SortieLimits(tank, height, drone.cruise_speed, params.density_kgpl)

    def fly(shares: list[float] | None) -> _Fleet:
        paths = split_coverage(coverage, params.drones, transit, field_.base_xy, shares)
        fleet = _Fleet(paths, [], [], [])
        for index, path in enumerate(paths):
            table, leg_zones = spray_leg_table(path, params, field_, drone, width, speed)
            fleet.tables.append(table)
            fleet.zones.append(leg_zones)
            if len(table):
                fleet.sorties.extend(
                    split_sorties(table, flight, limits, transit, field_.base_xy, index)
                )
        return fleet

    fleet = _balance(fly, params)
    paths, tables, zones, sorties = fleet.paths, fleet.tables, fleet.zones, fleet.sorties
    return SprayPlan(
        field_,
        drone,
        user_params,
        width,
        speed,
        height,
        coverage,
        tuple(paths),
        tuple(tables),
        tuple(zones),
        tuple(sorties),
        energy,
    )
