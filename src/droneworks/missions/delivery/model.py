"""Delivery problems: the frozen values the planner works on (read from the user file by
:mod:`droneworks.missions.delivery.file`).

A delivery file names bases, a fleet (drone types from the catalogue, a count per base),
drops (position, payload, optional time window as clock times), no-fly zones (polygons the
sorties fly around, keeping ``no_fly_margin`` away) and the operating settings (shift,
battery swap time, drop hover time, cruise altitude, wind). Quantities carry units
(``"1.2 kg"``, ``"5 min"``); clock times are ``"HH:MM"``. Internally times are minutes
after midnight, masses kg, lengths m.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from shapely.geometry import Polygon

from droneworks.catalogue import DroneType
from droneworks.core.errors import ConfigError
from droneworks.missions.wind import CALM, Wind

__all__ = [
    "Base",
    "DeliveryParams",
    "DeliveryProblem",
    "Drop",
    "FleetGroup",
    "NoFlyZone",
    "clock_to_min",
    "min_to_clock",
]

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def clock_to_min(text: str) -> float:
    """``"09:30"`` → 570.0 minutes after midnight (``"24:00"`` allowed)."""
    match = _CLOCK.match(text)
    if not match or int(match[2]) >= 60 or int(match[1]) * 60 + int(match[2]) > 1440:
        raise ValueError(f'{text!r} is not a clock time like "09:30"')
    return float(int(match[1]) * 60 + int(match[2]))


def min_to_clock(minutes: float) -> str:
    """Minutes after midnight → ``"HH:MM"`` (rounded to the minute)."""
    if not math.isfinite(minutes):
        return "—"
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True)
class Base:
    """A base where drones take off, land and swap batteries."""

    name: str
    lon: float
    lat: float
    alt_amsl_m: float = 0.0


@dataclass(frozen=True)
class Drop:
    """One delivery: where, how heavy, and when (minutes after midnight; inf = open)."""

    id: str
    lon: float
    lat: float
    payload_kg: float
    window_open_min: float = 0.0
    window_close_min: float = math.inf


@dataclass(frozen=True)
class NoFlyZone:
    """A polygon (WGS84 lon/lat) no sortie may enter."""

    name: str
    polygon: Polygon


@dataclass(frozen=True)
class FleetGroup:
    """``count`` drones of one type stationed at ``base``."""

    drone: DroneType
    count: int
    base: str


@dataclass(frozen=True)
class DeliveryParams:
    """Operating settings (defaults are estimates for winch-delivery multirotors)."""

    shift_start_min: float = 8 * 60.0
    shift_end_min: float = 18 * 60.0
    swap_time_min: float = 5.0
    drop_time_min: float = 0.75
    cruise_alt_m: float = 60.0
    vertical_speed_mps: float = 3.0
    wind: Wind = CALM
    release_height_m: float = 15.0  # winch release height of Manna-class drones (REF §4)
    no_fly_margin_m: float = 20.0  # how far legs keep from a no-fly zone
    # How far the release itself lowers the drone below the release height and climbs back
    # (NAV_PAYLOAD_PLACE down to touchdown; 0 for a gripper or winch release).
    release_descent_m: float = 0.0
    # Hover after the release before climbing (a winch winding its line back in).
    after_release_min: float = 0.0

    def __post_init__(self) -> None:
        if not 1.0 <= self.no_fly_margin_m <= 1000.0:
            raise ValueError(f"the no-fly margin must be 1–1000 m, not {self.no_fly_margin_m:g} m")
        if not 0 <= self.release_height_m <= self.cruise_alt_m:
            raise ValueError(
                f"the release height ({self.release_height_m:g} m) must be between 0 and the "
                f"cruise altitude ({self.cruise_alt_m:g} m)"
            )
        if not self.after_release_min >= 0:
            raise ValueError("the hover after the release must not be negative")
        if not 0 <= self.release_descent_m <= self.release_height_m:
            raise ValueError("the release descent must be between 0 and the release height")
        if not self.shift_end_min > self.shift_start_min:
            raise ValueError("the shift must end after it starts")
        if self.swap_time_min < 0 or self.drop_time_min < 0 or self.cruise_alt_m <= 0:
            raise ValueError("swap/drop times must be ≥ 0 and the cruise altitude positive")
        if self.vertical_speed_mps <= 0:
            raise ValueError("vertical speed must be positive")

    @property
    def climb_min(self) -> float:
        """Minutes to climb to (or descend from) cruise altitude."""
        return self.cruise_alt_m / self.vertical_speed_mps / 60.0

    @property
    def drop_dz_m(self) -> float:
        """How far the drone descends at a drop before releasing (and climbs after)."""
        return self.cruise_alt_m - self.release_height_m + self.release_descent_m

    @property
    def drop_service_min(self) -> float:
        """Minutes a drop adds to a sortie besides the wait: descent, hover, release, climb."""
        return self.drop_time_min + self.drop_vertical_min + self.after_release_min

    @property
    def drop_vertical_min(self) -> float:
        """Minutes to descend to the release height (and the release's own descent) and
        climb back at each drop."""
        return 2 * self.drop_dz_m / self.vertical_speed_mps / 60.0


@dataclass(frozen=True)
class DeliveryProblem:
    """Bases, fleet, drops and settings, validated and cross-checked."""

    name: str
    bases: tuple[Base, ...]
    fleet: tuple[FleetGroup, ...]
    drops: tuple[Drop, ...]
    params: DeliveryParams = DeliveryParams()
    description: str = ""
    no_fly: tuple[NoFlyZone, ...] = ()

    def base(self, name: str) -> Base:
        for base in self.bases:
            if base.name == name:
                return base
        raise ConfigError(f"unknown base {name!r}; bases: {', '.join(b.name for b in self.bases)}")

    def with_fleet(self, drone: DroneType, count: int) -> DeliveryProblem:
        """The same problem with ``count`` drones of ``drone`` spread over the bases."""
        if count < 1:
            raise ConfigError(f"the fleet needs at least one drone, not {count}")
        share, extra = divmod(count, len(self.bases))
        groups = tuple(
            FleetGroup(drone, share + (1 if index < extra else 0), base.name)
            for index, base in enumerate(self.bases)
            if share + (1 if index < extra else 0) > 0
        )
        return replace(self, fleet=groups)
