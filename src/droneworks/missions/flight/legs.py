"""The physics of one piece of flight, shared by every planner and by the file replay.

A mission is flown as level legs, vertical moves and hovers; each costs energy from
:class:`~droneworks.missions.energy.EnergyModel` at the payload aboard:

* a **level leg** is flown at the commanded ground speed (``DO_CHANGE_SPEED``) unless the
  wind does not allow it: the ground speed is at most what the drone's top airspeed holds
  along the track (crabbing into the wind); the airspeed ``|v_ground · u − wind|`` sets the
  power, the ground speed the time;
* a **vertical move** climbs at ``climb_mps`` (climb power) or descends at ``descent_mps``
  (hover power);
* a **hover** (waypoint hold, drop, stop-and-turn) costs hover power.

The planners (spray, survey, delivery) size their sorties with these functions and the
replay (:mod:`.replay`) reads the written mission items back through them, so the energy of
a plan is the energy of the file it exports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.missions.energy import EnergyModel
from droneworks.missions.wind import CALM, Wind

__all__ = ["FILE_ROUNDING_MARGIN", "FlightSettings", "LevelLeg", "level_leg"]

# Files round what the plan computed: WPL writes 8 decimals of a degree (≈ 1 mm) and 6 of a
# speed, autopilots store 1e-7° (≈ 1 cm). Plans keep this share of the budget unspent so
# the replay of any written file stays within the budget after the reserve.
FILE_ROUNDING_MARGIN = 1e-4


@dataclass(frozen=True)
class FlightSettings:
    """How a drone flies: its energy model, the wind, its top airspeed, vertical speeds."""

    energy: EnergyModel
    top_airspeed_mps: float
    wind: Wind = CALM
    climb_mps: float = 3.0
    descent_mps: float = 3.0

    def __post_init__(self) -> None:
        for name in ("top_airspeed_mps", "climb_mps", "descent_mps"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be positive, not {value}")

    @property
    def planning_budget_wh(self) -> float:
        """What a plan may spend: the budget after the reserve, less the rounding margin."""
        return self.energy.budget_wh * (1 - FILE_ROUNDING_MARGIN)

    def vertical(self, dz_m: float, payload_kg: float) -> tuple[float, float]:
        """(energy Wh, time s) of a vertical move by ``dz_m`` (positive up)."""
        if dz_m == 0.0:
            return 0.0, 0.0
        mass = self.energy.mass_kg(payload_kg)
        if dz_m > 0:
            seconds = dz_m / self.climb_mps
            return self.energy.climb_power_w(mass, self.climb_mps) * seconds / 3600.0, seconds
        seconds = -dz_m / self.descent_mps
        return self.energy.hover_power_w(mass) * seconds / 3600.0, seconds

    def hover_wh(self, seconds: float, payload_kg: float) -> float:
        """Energy of hovering ``seconds`` with ``payload_kg`` aboard."""
        if seconds <= 0.0:
            return 0.0
        return self.energy.payload_power_w(payload_kg, 0.0) * seconds / 3600.0

    def power_w(self, payload_kg: float, airspeed_mps: float) -> float:
        return self.energy.payload_power_w(payload_kg, airspeed_mps)


@dataclass(frozen=True)
class LevelLeg:
    """Speeds and time of a straight level leg (``inf`` seconds if the wind forbids it)."""

    length_m: float
    ground_mps: float
    air_mps: float

    @property
    def seconds(self) -> float:
        if self.length_m == 0.0:
            return 0.0
        return self.length_m / self.ground_mps if self.ground_mps > 0 else math.inf


def level_leg(settings: FlightSettings, dx: float, dy: float, commanded_mps: float) -> LevelLeg:
    """The straight leg ``(dx, dy)`` metres flown at ``commanded_mps`` ground speed."""
    length = math.hypot(dx, dy)
    if length == 0.0:
        return LevelLeg(0.0, commanded_mps, commanded_mps)
    ux, uy = dx / length, dy / length
    wx, wy = settings.wind.vector_en
    along = ux * wx + uy * wy
    cross2 = max(wx * wx + wy * wy - along * along, 0.0)
    top = settings.top_airspeed_mps
    if cross2 >= top * top:
        return LevelLeg(length, 0.0, top)
    ground = min(commanded_mps, along + math.sqrt(top * top - cross2))
    if ground <= 0:
        return LevelLeg(length, 0.0, top)
    return LevelLeg(length, ground, math.hypot(ground * ux - wx, ground * uy - wy))
