"""One sortie's flight: legs, times and energy with the payload falling at each drop.

A sortie is flown exactly as its mission file commands it
(:func:`~droneworks.missions.delivery.export.sortie_mission`), with the physics of
:mod:`droneworks.missions.flight.legs` that the file replay uses: take off and climb to
cruise altitude, fly legs to the drops — straight, or around the no-fly zones
(:class:`~droneworks.missions.delivery.airspace.Airspace`, the file writes each bend as a
waypoint) — at the commanded cruise ground speed (in a
wind the airspeed, and so the energy of each leg, depends on its direction; a headwind the
top airspeed cannot beat slows the leg), at each drop descend to the release height, hover
for the drop time (and until the window opens if early; the parcel is still aboard), with a
payload-place release descend on to touchdown (``release_descent_m``), release, hover while
a winch winds its line back in (``after_release_min``), climb back to cruise altitude; then
fly home at cruise altitude and descend to land.
Power comes from :class:`~droneworks.missions.energy.EnergyModel` at the mass aboard on
each leg, so a sortie that delivers its heaviest parcel first flies further on
the same battery.
A sortie is *within range* when its energy is at most the model's budget (usable energy
minus the reserve).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from droneworks.catalogue import DroneType
from droneworks.missions.delivery.airspace import OPEN_AIR, Airspace
from droneworks.missions.delivery.model import DeliveryParams
from droneworks.missions.energy import EnergyModel
from droneworks.missions.flight.legs import FlightSettings, level_leg

__all__ = ["DroneOps", "SortieFlight", "fly_sortie", "leg_seconds"]

XY = tuple[float, float]


@dataclass(frozen=True)
class DroneOps:
    """A drone type with its energy model and the operating settings it flies with."""

    drone: DroneType
    energy: EnergyModel
    params: DeliveryParams
    airspace: Airspace = field(default=OPEN_AIR, compare=False)
    # flights without windows by (base, stops, payloads): repair, merging and balancing fly
    # the same sorties over and over while they try days
    plain_flights: dict[tuple[Any, ...], SortieFlight] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(
        cls, drone: DroneType, params: DeliveryParams, airspace: Airspace = OPEN_AIR
    ) -> DroneOps:
        return cls(drone, EnergyModel.from_drone(drone), params, airspace)

    @property
    def flight(self) -> FlightSettings:
        """How it flies: cruise speed as top airspeed, the wind, the vertical speed."""
        vertical = self.params.vertical_speed_mps
        return FlightSettings(self.energy, self.speed_mps, self.params.wind, vertical, vertical)

    @property
    def speed_mps(self) -> float:
        return self.drone.cruise_speed

    @property
    def payload_max_kg(self) -> float:
        return self.drone.payload_max if self.drone.payload_max is not None else 0.0

    @property
    def budget_wh(self) -> float:
        """The budget after the reserve, less the margin for the files' rounding."""
        return self.flight.planning_budget_wh


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


def leg_seconds(ops: DroneOps, a: XY, b: XY) -> float:
    """Flight time of the leg ``a → b`` (around the no-fly zones) at the commanded cruise
    ground speed, slower where the wind does not let the top airspeed hold it (``inf`` if
    it stops it, or if no path exists)."""
    path = ops.airspace.path(a, b)
    if path is None:
        return math.inf
    flight, speed = ops.flight, ops.speed_mps
    return sum(
        level_leg(flight, q[0] - p[0], q[1] - p[1], speed).seconds
        for p, q in itertools.pairwise(path)
    )


class _Clock:
    """Energy (J) and time (min) of a sortie as it is flown, item by item."""

    def __init__(self, ops: DroneOps) -> None:
        self.ops, self.joules, self.minutes, self.metres = ops, 0.0, 0.0, 0.0

    def vertical(self, dz_m: float, payload_kg: float) -> None:
        wh, seconds = self.ops.flight.vertical(dz_m, payload_kg)
        self.joules += wh * 3600.0
        self.minutes += seconds / 60.0

    def hover(self, minutes: float, payload_kg: float) -> None:
        self.joules += self.ops.flight.hover_wh(minutes * 60.0, payload_kg) * 3600.0
        self.minutes += minutes

    def level(self, a: XY, b: XY, payload_kg: float) -> None:
        """Fly ``a → b`` at cruise altitude, bending around the no-fly zones."""
        path = self.ops.airspace.path(a, b)
        if path is None:  # enclosed by no-fly zones: cannot be flown
            self.joules = self.minutes = self.metres = math.inf
            return
        for p, q in itertools.pairwise(path):
            leg = level_leg(self.ops.flight, q[0] - p[0], q[1] - p[1], self.ops.speed_mps)
            self.metres += leg.length_m
            if leg.length_m > 0:
                self.joules += self.ops.flight.power_w(payload_kg, leg.air_mps) * leg.seconds
                self.minutes += leg.seconds / 60.0


def fly_sortie(
    ops: DroneOps,
    base_xy: XY,
    stops_xy: Sequence[XY],
    payloads_kg: Sequence[float],
    windows_open_min: Sequence[float] | None = None,
    takeoff_min: float = 0.0,
) -> SortieFlight:
    """Fly ``base → stops → base`` as the mission file does; with window openings (and the
    take-off clock time) the drone hovers at release height until the window opens, and that
    hover costs energy."""
    if len(stops_xy) != len(payloads_kg):
        raise ValueError("one payload per stop")
    if windows_open_min is None:
        stops = tuple((float(x), float(y)) for x, y in stops_xy)
        key = (float(base_xy[0]), float(base_xy[1]), stops, tuple(map(float, payloads_kg)))
        if key not in ops.plain_flights:
            ops.plain_flights[key] = _fly(ops, base_xy, stops_xy, payloads_kg, None, 0.0)
        return ops.plain_flights[key]
    return _fly(ops, base_xy, stops_xy, payloads_kg, windows_open_min, takeoff_min)


def _fly(
    ops: DroneOps,
    base_xy: XY,
    stops_xy: Sequence[XY],
    payloads_kg: Sequence[float],
    windows_open_min: Sequence[float] | None,
    takeoff_min: float,
) -> SortieFlight:
    params = ops.params
    hover_dz = params.cruise_alt_m - params.release_height_m
    payload = float(sum(payloads_kg))
    clock = _Clock(ops)
    clock.vertical(params.cruise_alt_m, payload)
    position = base_xy
    arrivals: list[float] = []
    waits: list[float] = []
    for index, (stop, drop_kg) in enumerate(zip(stops_xy, payloads_kg, strict=True)):
        clock.level(position, stop, payload)
        clock.vertical(-hover_dz, payload)
        wait = 0.0
        if windows_open_min is not None:
            wait = max(0.0, windows_open_min[index] - (takeoff_min + clock.minutes))
        arrivals.append(clock.minutes + wait)
        waits.append(wait)
        clock.hover(wait + params.drop_time_min, payload)
        clock.vertical(-params.release_descent_m, payload)  # payload place: to touchdown
        payload = max(0.0, payload - drop_kg)
        clock.hover(params.after_release_min, payload)  # a winch winding its line in
        clock.vertical(params.drop_dz_m, payload)
        position = stop
    clock.level(position, base_xy, payload)
    clock.vertical(-params.cruise_alt_m, payload)
    return SortieFlight(
        distance_m=clock.metres,
        energy_wh=clock.joules / 3600.0,
        duration_min=clock.minutes,
        arrival_offsets_min=tuple(arrivals),
        waits_min=tuple(waits),
        takeoff_payload_kg=float(sum(payloads_kg)),
    )
