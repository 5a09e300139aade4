"""One sortie's flight: legs, times and energy with the payload falling at each drop.

A sortie takes off from its base, climbs to cruise altitude, flies straight legs to its
drops at cruise airspeed (in a wind the ground speed, and so the time and energy of each
leg, depend on its direction; hovering is taken as in still air), hovers at each drop for
the drop time (winch down and release; the parcel is still aboard while hovering) and, if
it arrives before the window opens, hovers until it opens; then it flies home and
descends. Power comes from :class:`~droneworks.missions.energy.EnergyModel` at the mass
aboard on each leg, so a sortie that delivers its heaviest parcel first flies further on
the same battery.
A sortie is *within range* when its energy is at most the model's budget (usable energy
minus the reserve).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from droneworks.catalogue import DroneType
from droneworks.missions.delivery.model import DeliveryParams
from droneworks.missions.energy import EnergyModel
from droneworks.missions.wind import ground_speed_mps

__all__ = ["DroneOps", "SortieFlight", "fly_sortie", "leg_seconds"]

XY = tuple[float, float]


@dataclass(frozen=True)
class DroneOps:
    """A drone type with its energy model and the operating settings it flies with."""

    drone: DroneType
    energy: EnergyModel
    params: DeliveryParams

    @classmethod
    def of(cls, drone: DroneType, params: DeliveryParams) -> DroneOps:
        return cls(drone, EnergyModel.from_drone(drone), params)

    @property
    def speed_mps(self) -> float:
        return self.drone.cruise_speed

    @property
    def payload_max_kg(self) -> float:
        return self.drone.payload_max if self.drone.payload_max is not None else 0.0

    @property
    def budget_wh(self) -> float:
        return self.energy.budget_wh


@dataclass(frozen=True)
class SortieFlight:
    """Distance, energy and timing of one sortie (times in minutes after take-off)."""

    distance_m: float
    energy_wh: float
    duration_min: float
    arrival_offsets_min: tuple[float, ...]
    waits_min: tuple[float, ...]
    takeoff_payload_kg: float

    def within(self, budget_wh: float) -> bool:
        return self.energy_wh <= budget_wh * (1 + 1e-9)


def _distance(a: XY, b: XY) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def leg_seconds(ops: DroneOps, a: XY, b: XY) -> float:
    """Flight time of the straight leg ``a → b`` at cruise airspeed in the settings' wind
    (crabbing to hold the track; ``inf`` if the wind is too strong to fly it)."""
    metres = _distance(a, b)
    if metres == 0.0:
        return 0.0
    wind = ops.params.wind
    if wind.speed_mps == 0.0:
        return metres / ops.speed_mps
    bearing = math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))
    ground = ground_speed_mps(bearing, ops.speed_mps, wind)
    return metres / ground if ground > 0 else math.inf


def fly_sortie(
    ops: DroneOps,
    base_xy: XY,
    stops_xy: Sequence[XY],
    payloads_kg: Sequence[float],
    windows_open_min: Sequence[float] | None = None,
    takeoff_min: float = 0.0,
) -> SortieFlight:
    """Fly ``base → stops → base``; with window openings (and the take-off clock time) the
    drone hovers at a drop until its window opens, and that hover costs energy."""
    if len(stops_xy) != len(payloads_kg):
        raise ValueError("one payload per stop")
    energy = ops.energy
    speed = ops.speed_mps
    climb_min = ops.params.climb_min
    payload = float(sum(payloads_kg))
    joules = energy.payload_power_w(payload, 0.0) * climb_min * 60.0
    clock = climb_min
    distance = 0.0
    position = base_xy
    arrivals: list[float] = []
    waits: list[float] = []
    for index, (stop, drop_kg) in enumerate(zip(stops_xy, payloads_kg, strict=True)):
        leg, seconds = _distance(position, stop), leg_seconds(ops, position, stop)
        distance += leg
        joules += energy.payload_power_w(payload, speed) * seconds
        clock += seconds / 60.0
        wait = 0.0
        if windows_open_min is not None:
            wait = max(0.0, windows_open_min[index] - (takeoff_min + clock))
        hover_min = wait + ops.params.drop_time_min
        joules += energy.payload_power_w(payload, 0.0) * hover_min * 60.0
        arrivals.append(clock + wait)
        waits.append(wait)
        clock += hover_min
        payload = max(0.0, payload - drop_kg)
        position = stop
    leg, seconds = _distance(position, base_xy), leg_seconds(ops, position, base_xy)
    distance += leg
    joules += energy.payload_power_w(payload, speed) * seconds
    clock += seconds / 60.0
    joules += energy.payload_power_w(payload, 0.0) * climb_min * 60.0
    clock += climb_min
    return SortieFlight(
        distance_m=distance,
        energy_wh=joules / 3600.0,
        duration_min=clock,
        arrival_offsets_min=tuple(arrivals),
        waits_min=tuple(waits),
        takeoff_payload_kg=float(sum(payloads_kg)),
    )
