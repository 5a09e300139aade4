"""Sorties: split a coverage path by tank volume and battery energy, with a reserve to return.

The drone leaves the base with the liquid the rest of the path needs (at most a full tank;
when the battery, not the tank, ends the sortie, a lighter load is searched so the drone
carries only what it sprays — a lighter drone flies longer), flies to where the last sortie
stopped, follows the path and turns back when the next piece of path would leave it
without the liquid to spray it or without the energy to get home with the reserve
untouched. A leg is cut at the exact point
where the tank empties or where the energy runs out (bisection), and the next sortie
resumes there. Power follows the current mass (payload falls as the tank empties) and the
airspeed of each leg (:mod:`droneworks.missions.energy`); transits home are flown at cruise
airspeed, crabbing into the wind along the straight bearing to the base, on the shortest
path around holes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from droneworks.core.errors import InfeasibleError
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.coverage.transit import VisibilityTransitPlanner
from droneworks.missions.energy import EnergyModel
from droneworks.missions.wind import CALM, Wind, ground_speed_mps

__all__ = ["LegTable", "Sortie", "SortieLimits", "split_sorties"]

_EPS_L = 1e-9


@dataclass(frozen=True)
class LegTable:
    """Per-leg flight data. ``rate_lpha`` is 0 on legs that do not spray; ``hover_s`` is
    extra hovering at the leg's start (the stop-and-turn of a multirotor)."""

    start: FloatArray
    end: FloatArray
    spraying: npt.NDArray[np.bool_]
    rate_lpha: FloatArray
    ground_speed_mps: FloatArray
    airspeed_mps: FloatArray
    hover_s: FloatArray
    swath_width_m: float

    def __len__(self) -> int:
        return len(self.start)

    @property
    def lengths_m(self) -> FloatArray:
        lengths: FloatArray = np.hypot(*(self.end - self.start).T)
        return lengths

    @property
    def liquid_per_m_l(self) -> FloatArray:
        per_m: FloatArray = np.where(self.spraying, self.rate_lpha * self.swath_width_m / 1e4, 0.0)
        return per_m

    def point(self, leg: int, fraction: float) -> FloatArray:
        point: FloatArray = self.start[leg] + fraction * (self.end[leg] - self.start[leg])
        return point


@dataclass(frozen=True)
class SortieLimits:
    """What bounds a sortie. ``tank_l`` None: no liquid (a survey)."""

    tank_l: float | None
    density_kgpl: float = 1.0
    fixed_payload_kg: float = 0.0
    cruise_airspeed_mps: float = 10.0
    wind: Wind = CALM
    takeoff_landing_s: float = 30.0


@dataclass(frozen=True)
class Sortie:
    """One take-off to landing. Positions are (leg index, fraction of that leg)."""

    drone: int
    index: int
    start: tuple[int, float]
    end: tuple[int, float]
    loaded_l: float
    sprayed_l: float
    energy_wh: float
    flight_time_min: float
    work_m: float
    transit_out_m: float
    transit_back_m: float


@dataclass
class _Walk:
    table: LegTable
    energy: EnergyModel
    limits: SortieLimits
    transit: VisibilityTransitPlanner
    base: tuple[float, float]

    def __post_init__(self) -> None:
        self.lengths = self.table.lengths_m
        self.per_m = self.table.liquid_per_m_l
        ends_return = self.transit.lengths_to(self.base, self.table.end)
        self.return_at_end = ends_return
        liquid = self.per_m * self.lengths
        self.liquid_after = np.concatenate([np.cumsum(liquid[::-1])[::-1][1:], [0.0]])

    def payload(self, liquid_l: float) -> float:
        return self.limits.fixed_payload_kg + max(liquid_l, 0.0) * self.limits.density_kgpl

    def transit_wh(
        self, point: FloatArray, length_m: float, liquid_l: float, outbound: bool
    ) -> tuple[float, float]:
        """(energy Wh, time s) of a transit between ``point`` and the base."""
        dx, dy = self.base[0] - point[0], self.base[1] - point[1]
        bearing = math.degrees(math.atan2(dx, dy)) + (180.0 if outbound else 0.0)
        airspeed = self.limits.cruise_airspeed_mps
        speed = ground_speed_mps(bearing, airspeed, self.limits.wind) if length_m > 0 else airspeed
        if speed <= 0:
            raise InfeasibleError(f"wind {self.limits.wind} is stronger than the cruise airspeed")
        seconds = length_m / speed + self.limits.takeoff_landing_s / 2
        power = self.energy.payload_power_w(self.payload(liquid_l), airspeed)
        return power * seconds / 3600.0, seconds

    def piece(self, leg: int, a: float, b: float, liquid_l: float) -> tuple[float, float, float]:
        """(energy Wh, time s, liquid L) of leg ``leg`` from fraction a to b."""
        length = (b - a) * self.lengths[leg]
        used = self.per_m[leg] * length
        seconds = length / self.table.ground_speed_mps[leg] + (
            self.table.hover_s[leg] if a == 0 else 0.0
        )
        mean_payload = self.payload(max(liquid_l - used / 2, 0.0))
        power = self.energy.payload_power_w(mean_payload, float(self.table.airspeed_mps[leg]))
        return power * seconds / 3600.0, seconds, used

    def home_wh(self, leg: int, fraction: float, liquid_l: float) -> float:
        point = self.table.point(leg, fraction)
        if fraction >= 1.0:
            length = float(self.return_at_end[leg])
        else:
            length = float(self.transit.lengths_to(self.base, point[None, :])[0])
        return self.transit_wh(point, length, liquid_l, outbound=False)[0]


def _fits(walk: _Walk, leg: int, a: float, b: float, used_wh: float, liquid: float) -> bool:
    energy, _, need = walk.piece(leg, a, b, liquid)
    if need > liquid + _EPS_L:
        return False
    return used_wh + energy + walk.home_wh(leg, b, max(liquid - need, 0.0)) <= walk.energy.budget_wh


def _furthest(walk: _Walk, leg: int, a: float, used_wh: float, liquid: float) -> float:
    """The furthest fraction b in [a, 1) of ``leg`` this sortie can still reach (bisection)."""
    per_m = walk.per_m[leg] * walk.lengths[leg]
    high = 1.0 if per_m <= 0 else min(1.0, a + liquid / per_m)
    low = a
    if _fits(walk, leg, a, high, used_wh, liquid):
        return high
    for _ in range(30):
        middle = (low + high) / 2
        if _fits(walk, leg, a, middle, used_wh, liquid):
            low = middle
        else:
            high = middle
    return low


def _fly(
    walk: _Walk, start: tuple[int, float], loaded: float, drone: int, index: int, min_piece_m: float
) -> Sortie:
    """One sortie from ``start`` with ``loaded`` litres, as far as tank and energy allow."""
    table, transit, base_xy = walk.table, walk.transit, walk.base
    leg, fraction = start
    liquid = loaded
    start_point = table.point(leg, fraction)
    out_m = float(transit.lengths_to(base_xy, start_point[None, :])[0])
    used_wh, seconds = walk.transit_wh(start_point, out_m, liquid, outbound=True)
    work_m = 0.0
    while leg < len(table):
        if _fits(walk, leg, fraction, 1.0, used_wh, liquid):
            end_fraction = 1.0
        else:
            end_fraction = _furthest(walk, leg, fraction, used_wh, liquid)
            if (end_fraction - fraction) * walk.lengths[leg] < min_piece_m:
                break
        wh, s, need = walk.piece(leg, fraction, end_fraction, liquid)
        used_wh, seconds, liquid = used_wh + wh, seconds + s, max(liquid - need, 0.0)
        work_m += (end_fraction - fraction) * walk.lengths[leg]
        if end_fraction >= 1.0:
            leg, fraction = leg + 1, 0.0
        else:
            fraction = end_fraction
            break
    if (leg, fraction) == start:
        raise InfeasibleError(
            f"a sortie from the base cannot reach and cover any of the path at leg {leg}: "
            f"the battery budget ({walk.energy.budget_wh:.0f} Wh after reserve) is too small"
        )
    end_leg, end_fraction = (leg - 1, 1.0) if fraction == 0.0 else (leg, fraction)
    end_point = table.point(end_leg, end_fraction)
    back_m = float(transit.lengths_to(base_xy, end_point[None, :])[0])
    back_wh, back_s = walk.transit_wh(end_point, back_m, liquid, outbound=False)
    return Sortie(
        drone,
        index,
        start,
        (end_leg, end_fraction),
        loaded,
        loaded - liquid,
        used_wh + back_wh,
        (seconds + back_s) / 60.0,
        work_m,
        out_m,
        back_m,
    )


def _progress(sortie: Sortie) -> tuple[int, float]:
    return sortie.end


def _lightest_load(
    walk: _Walk, start: tuple[int, float], full: Sortie, min_piece_m: float, steps: int
) -> Sortie:
    """When the battery ends a sortie with liquid left, a lighter load flies further: bisect
    the load towards the one the sortie sprays exactly, keeping the sortie that gets furthest."""
    best = full
    low, high = full.sprayed_l, full.loaded_l
    for _ in range(steps):
        load = (low + high) / 2
        trial = _fly(walk, start, load, full.drone, full.index, min_piece_m)
        if trial.loaded_l - trial.sprayed_l > 1e-6:  # battery-bound still: lighten further
            high = load
        else:  # tank-bound: that load is too light
            low = load
        if _progress(trial) > _progress(best):
            best = trial
    return best


def split_sorties(
    table: LegTable,
    energy: EnergyModel,
    limits: SortieLimits,
    transit: VisibilityTransitPlanner,
    base_xy: tuple[float, float],
    drone: int = 0,
    min_piece_m: float = 0.5,
    load_steps: int = 6,
) -> tuple[Sortie, ...]:
    """Sorties covering the whole leg table in order; InfeasibleError if one cannot start.

    Each sortie first loads what the rest of the path needs (at most a tank); if the battery
    ends it with liquid left, ``load_steps`` bisection steps look for a lighter load that
    flies further (the drone carries only what it will spray)."""
    walk = _Walk(table, energy, limits, transit, base_xy)
    sorties: list[Sortie] = []
    start = (0, 0.0)
    tank = math.inf if limits.tank_l is None else limits.tank_l
    while start[0] < len(table):
        leg, fraction = start
        remaining = walk.liquid_after[leg] + walk.per_m[leg] * walk.lengths[leg] * (1 - fraction)
        loaded = float(min(tank, max(remaining, 0.0)))
        sortie = _fly(walk, start, loaded, drone, len(sorties), min_piece_m)
        if sortie.loaded_l - sortie.sprayed_l > 0.5:
            sortie = _lightest_load(walk, start, sortie, min_piece_m, load_steps)
        sorties.append(sortie)
        end_leg, end_fraction = sortie.end
        start = (end_leg + 1, 0.0) if end_fraction >= 1.0 else (end_leg, end_fraction)
    return tuple(sorties)
