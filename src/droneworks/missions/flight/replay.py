"""Replay a written mission: energy and time of the items an autopilot will fly.

:func:`replay_mission` walks a :class:`~droneworks.missions.export.MissionPlan` (built by a
planner, or read back from a ``.plan`` or WPL file) item by item with the physics of
:mod:`.legs`:

* ``NAV_TAKEOFF`` climbs from the ground to its altitude; ``NAV_LAND`` flies to its
  position and descends to the ground;
* ``NAV_WAYPOINT`` flies level to its position at the current speed, then climbs or
  descends to its altitude, then hovers its hold time (param 1, seconds);
* ``DO_CHANGE_SPEED`` sets the ground speed of the following legs (before the first one the
  plan's cruise speed applies);
* ``NAV_PAYLOAD_PLACE`` flies to its position and altitude, descends its maximum descent
  (param 1) until the parcel touches down, releases it and climbs back (ArduPilot Copter);
  ``DO_WINCH`` costs nothing of its own (the waypoint holds around it carry the line's time);
* ``DO_SPRAYER`` switches spraying: while on, liquid leaves the tank at the rate × swath
  width per metre (``DO_SET_SERVO`` on the rate servo sets the zone rate: 1000 µs = 0,
  2000 µs = the top rate); ``DO_GRIPPER`` release drops the next parcel;
* ``NAV_RETURN_TO_LAUNCH`` is refused: it climbs to an autopilot-default altitude the file
  does not state, so its energy cannot be known (droneworks never writes it).

Altitudes are relative to home (every droneworks file uses frame 3). Distances come from
the projection the plan was made in, so the replay of a file repeats the plan's figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.core.geo import LocalProjection
from droneworks.missions.export.mission import MavCmd, MavFrame, MissionItem, MissionPlan
from droneworks.missions.flight.legs import FlightSettings, level_leg

__all__ = ["RATE_SERVO", "Load", "Replay", "replay_mission", "servo_pwm", "servo_rate"]

RATE_SERVO = 12  # not 10: ArduPilot's sprayer example puts the pump (function 22) on servo 10


def servo_pwm(rate_lpha: float, top_rate_lpha: float) -> int:
    """PWM (µs) of the rate servo for ``rate_lpha``: 1000 = 0, 2000 = the top rate."""
    return round(1000 + 1000 * min(max(rate_lpha / max(top_rate_lpha, 1e-9), 0.0), 1.0))


def servo_rate(rate_lpha: float, top_rate_lpha: float) -> float:
    """The rate the rate servo actually commands for ``rate_lpha`` (1 µs steps)."""
    return (servo_pwm(rate_lpha, top_rate_lpha) - 1000) / 1000 * top_rate_lpha


@dataclass(frozen=True)
class Load:
    """What the drone carries at take-off: a fixed payload, liquid to spray, parcels.

    ``rate_lpha`` is the constant application rate; with a prescription the rate servo sets
    it, ``top_rate_lpha`` being the rate at 2000 µs."""

    fixed_kg: float = 0.0
    liquid_l: float = 0.0
    density_kgpl: float = 1.0
    swath_width_m: float = 0.0
    rate_lpha: float = 0.0
    top_rate_lpha: float = 0.0
    parcels_kg: tuple[float, ...] = ()


@dataclass(frozen=True)
class Replay:
    """Energy, time and distance of a replayed mission."""

    energy_wh: float
    time_s: float
    distance_m: float
    sprayed_l: float
    released_kg: float

    @property
    def time_min(self) -> float:
        return self.time_s / 60.0


@dataclass
class _State:
    settings: FlightSettings
    load: Load
    x: float
    y: float
    alt_m: float = 0.0
    speed_mps: float = 0.0
    spraying: bool = False
    rate_lpha: float = 0.0
    liquid_l: float = 0.0
    parcels: int = 0
    energy_wh: float = 0.0
    time_s: float = 0.0
    distance_m: float = 0.0

    @property
    def payload_kg(self) -> float:
        parcels = sum(self.load.parcels_kg[self.parcels :])
        return self.load.fixed_kg + parcels + max(self.liquid_l, 0.0) * self.load.density_kgpl

    def fly_to(self, x: float, y: float) -> None:
        leg = level_leg(self.settings, x - self.x, y - self.y, self.speed_mps)
        if leg.length_m > 0:
            if not math.isfinite(leg.seconds):
                raise ValueError(f"the wind {self.settings.wind} stops a leg of the mission")
            per_m = self.rate_lpha * self.load.swath_width_m / 1e4 if self.spraying else 0.0
            used = per_m * leg.length_m
            mean_kg = self.load.fixed_kg + sum(self.load.parcels_kg[self.parcels :])
            mean_kg += max(self.liquid_l - used / 2, 0.0) * self.load.density_kgpl
            self.energy_wh += self.settings.power_w(mean_kg, leg.air_mps) * leg.seconds / 3600
            self.time_s += leg.seconds
            self.distance_m += leg.length_m
            self.liquid_l = max(self.liquid_l - used, 0.0)
        self.x, self.y = x, y

    def move_to_alt(self, alt_m: float) -> None:
        wh, seconds = self.settings.vertical(alt_m - self.alt_m, self.payload_kg)
        self.energy_wh += wh
        self.time_s += seconds
        self.alt_m = alt_m

    def hover(self, seconds: float) -> None:
        self.energy_wh += self.settings.hover_wh(seconds, self.payload_kg)
        self.time_s += max(seconds, 0.0)


def _step(state: _State, item: MissionItem, projection: LocalProjection) -> None:
    command = item.command
    if item.has_position and item.frame != MavFrame.GLOBAL_RELATIVE_ALT:
        raise ValueError(f"cannot replay frame {item.frame}: altitudes must be relative to home")
    if item.has_position and command in (MavCmd.NAV_TAKEOFF, MavCmd.NAV_WAYPOINT, MavCmd.NAV_LAND):
        x, y = (float(v) for v in projection.to_local(item.lon, item.lat))
        if command == MavCmd.NAV_TAKEOFF:
            state.move_to_alt(item.alt)
            state.fly_to(x, y)
        elif command == MavCmd.NAV_WAYPOINT:
            state.fly_to(x, y)
            state.move_to_alt(item.alt)
            hold = item.params[0]
            state.hover(hold if math.isfinite(hold) else 0.0)
        else:
            state.fly_to(x, y)
            state.move_to_alt(0.0)
    elif command == MavCmd.NAV_PAYLOAD_PLACE:
        _payload_place(state, item, projection)
    elif command == MavCmd.NAV_RETURN_TO_LAUNCH:
        raise ValueError(
            "RETURN_TO_LAUNCH flies at the autopilot's default altitude, which the file does "
            "not state: its energy cannot be replayed (write the return as waypoints and LAND)"
        )
    elif command == MavCmd.DO_CHANGE_SPEED and item.params[1] > 0:
        state.speed_mps = item.params[1]
    elif command == MavCmd.DO_SPRAYER:
        state.spraying = item.params[0] >= 0.5
    elif command == MavCmd.DO_SET_SERVO and round(item.params[0]) == RATE_SERVO:
        share = min(max((item.params[1] - 1000.0) / 1000.0, 0.0), 1.0)
        state.rate_lpha = share * state.load.top_rate_lpha
    elif command == MavCmd.DO_GRIPPER and item.params[1] == 0.0:
        _release_parcel(state)
    elif item.has_position:
        raise ValueError(f"cannot replay positional command {command}")


def _payload_place(state: _State, item: MissionItem, projection: LocalProjection) -> None:
    """Fly to the item at its altitude, descend its maximum descent (param 1, at most to the
    ground: the parcel touches down), release the parcel, climb back (ArduPilot Copter)."""
    x, y = (float(v) for v in projection.to_local(item.lon, item.lat))
    state.fly_to(x, y)
    state.move_to_alt(item.alt)
    descent = min(max(item.params[0], 0.0), item.alt)
    state.move_to_alt(item.alt - descent)
    _release_parcel(state)
    state.move_to_alt(item.alt)


def _release_parcel(state: _State) -> None:
    if state.parcels >= len(state.load.parcels_kg):
        raise ValueError("the mission releases more parcels than it carries")
    state.parcels += 1


def replay_mission(
    mission: MissionPlan, settings: FlightSettings, projection: LocalProjection, load: Load
) -> Replay:
    """Energy (Wh) and time (s) of ``mission`` as an autopilot flies it, from its items."""
    x, y = (float(v) for v in projection.to_local(mission.home_lon, mission.home_lat))
    state = _State(settings, load, x, y, speed_mps=mission.cruise_speed_mps)
    state.rate_lpha, state.liquid_l = load.rate_lpha, load.liquid_l
    for item in mission.items:
        _step(state, item, projection)
    return Replay(
        state.energy_wh,
        state.time_s,
        state.distance_m,
        load.liquid_l - state.liquid_l,
        sum(load.parcels_kg[: state.parcels]),
    )
