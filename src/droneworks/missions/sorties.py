"""Sorties: split a coverage path by tank volume and battery energy, with a reserve to return.

The drone leaves the base with the liquid the rest of the path needs (at most a full tank;
when the battery, not the tank, ends the sortie, a lighter load is searched so the drone
carries only what it sprays — a lighter drone flies longer), flies to where the last sortie
stopped, follows the path and turns back when the next piece of path would leave it
without the liquid to spray it or without the energy to get home with the reserve
untouched. A leg is cut at the exact point
where the tank empties or where the energy runs out (bisection), and the next sortie
resumes there. When even a full load cannot cover any path (a far or long field), lighter
loads are tried too; a sortie is refused only when the drone cannot fly there and back with
an empty tank.

Every piece is costed with :mod:`droneworks.missions.flight.legs`, the physics the file
replay uses: the climb after take-off and the descent to land, transits on the shortest path
around holes at the commanded cruise ground speed (segment by segment in a wind), legs at
their planned ground and airspeeds with the payload falling as the tank empties, and the
stop-and-turn hovers the files write as waypoint holds. The files of a plan replay to the
energy and time of its sorties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from droneworks.core.errors import InfeasibleError
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.coverage.transit import VisibilityTransitPlanner
from droneworks.missions.flight.legs import FlightSettings, level_leg

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
    """What bounds a sortie. ``tank_l`` None: no liquid (a survey). Transits to and from the
    base are flown at ``cruise_speed_mps`` (ground speed commanded in the file) at
    ``height_m`` above the base, reached by a vertical climb after take-off."""

    tank_l: float | None
    height_m: float
    cruise_speed_mps: float
    density_kgpl: float = 1.0
    fixed_payload_kg: float = 0.0


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
    flight: FlightSettings
    limits: SortieLimits
    transit: VisibilityTransitPlanner
    base: tuple[float, float]

    def __post_init__(self) -> None:
        self.lengths = self.table.lengths_m
        self.per_m = self.table.liquid_per_m_l
        self.calm = self.flight.wind.speed_mps == 0.0
        self.return_at_end = self.transit.lengths_to(self.base, self.table.end)
        liquid = self.per_m * self.lengths
        self.liquid_after = np.concatenate([np.cumsum(liquid[::-1])[::-1][1:], [0.0]])
        self.budget_wh = self.flight.planning_budget_wh

    def payload(self, liquid_l: float) -> float:
        return self.limits.fixed_payload_kg + max(liquid_l, 0.0) * self.limits.density_kgpl

    def transit_cost(
        self, point: FloatArray, liquid_l: float, outbound: bool, length_m: float | None = None
    ) -> tuple[float, float, float]:
        """(energy Wh, time s, length m) between the base and ``point`` at transit height,
        with the climb after take-off (outbound) or the descent to land (home)."""
        a = (float(point[0]), float(point[1]))
        payload = self.payload(liquid_l)
        dz = self.limits.height_m if outbound else -self.limits.height_m
        wh, seconds = self.flight.vertical(dz, payload)
        cruise = self.limits.cruise_speed_mps
        if self.calm:
            if length_m is None:
                length_m = float(self.transit.lengths_to(self.base, point[None, :])[0])
            legs = [level_leg(self.flight, length_m, 0.0, cruise)]
        else:
            path = self.transit.path(self.base, a) if outbound else self.transit.path(a, self.base)
            steps = np.diff(path, axis=0)
            legs = [level_leg(self.flight, float(dx), float(dy), cruise) for dx, dy in steps]
            length_m = sum(leg.length_m for leg in legs)
        for leg in legs:
            if leg.length_m > 0 and not math.isfinite(leg.seconds):
                raise InfeasibleError(f"wind {self.flight.wind} stops the transit to the base")
            wh += self.flight.power_w(payload, leg.air_mps) * leg.seconds / 3600.0
            seconds += leg.seconds
        return wh, seconds, float(length_m or 0.0)

    def piece(self, leg: int, a: float, b: float, liquid_l: float) -> tuple[float, float, float]:
        """(energy Wh, time s, liquid L) of leg ``leg`` from fraction a to b (with the
        stop-and-turn hover at its start when a = 0, at the payload then aboard)."""
        length = (b - a) * self.lengths[leg]
        used = self.per_m[leg] * length
        hover = float(self.table.hover_s[leg]) if a == 0 else 0.0
        wh = self.flight.hover_wh(hover, self.payload(liquid_l))
        seconds = length / self.table.ground_speed_mps[leg]
        mean_payload = self.payload(max(liquid_l - used / 2, 0.0))
        power = self.flight.power_w(mean_payload, float(self.table.airspeed_mps[leg]))
        return wh + power * seconds / 3600.0, seconds + hover, used

    def home_wh(self, leg: int, fraction: float, liquid_l: float) -> float:
        point = self.table.point(leg, fraction)
        known = float(self.return_at_end[leg]) if fraction >= 1.0 else None
        return self.transit_cost(point, liquid_l, outbound=False, length_m=known)[0]


_Piece = tuple[float, float, float]  # energy Wh, time s, liquid L


def _fits(
    walk: _Walk, leg: int, a: float, b: float, used_wh: float, liquid: float
) -> _Piece | None:
    """The piece a → b of ``leg`` if the sortie can fly it and still get home, else None."""
    piece = walk.piece(leg, a, b, liquid)
    energy, _, need = piece
    if need > liquid + _EPS_L:
        return None
    home = walk.home_wh(leg, b, max(liquid - need, 0.0))
    return piece if used_wh + energy + home <= walk.budget_wh else None


def _furthest(walk: _Walk, leg: int, a: float, used_wh: float, liquid: float) -> float:
    """The furthest fraction b in [a, 1) of ``leg`` this sortie can still reach (bisection)."""
    per_m = walk.per_m[leg] * walk.lengths[leg]
    high = 1.0 if per_m <= 0 else min(1.0, a + liquid / per_m)
    low = a
    if _fits(walk, leg, a, high, used_wh, liquid) is not None:
        return high
    for _ in range(30):
        middle = (low + high) / 2
        if _fits(walk, leg, a, middle, used_wh, liquid) is not None:
            low = middle
        else:
            high = middle
    return low


class _NoProgressError(Exception):
    """A sortie with this load cannot cover any of the path."""


def _fly(
    walk: _Walk, start: tuple[int, float], loaded: float, drone: int, index: int, min_piece_m: float
) -> Sortie:
    """One sortie from ``start`` with ``loaded`` litres, as far as tank and energy allow."""
    table = walk.table
    leg, fraction = start
    liquid = loaded
    used_wh, seconds, out_m = walk.transit_cost(table.point(leg, fraction), liquid, True)
    work_m = 0.0
    while leg < len(table):
        piece = _fits(walk, leg, fraction, 1.0, used_wh, liquid)
        end_fraction = 1.0
        if piece is None:
            end_fraction = _furthest(walk, leg, fraction, used_wh, liquid)
            if (end_fraction - fraction) * walk.lengths[leg] < min_piece_m:
                break
            piece = walk.piece(leg, fraction, end_fraction, liquid)
        wh, s, need = piece
        used_wh, seconds, liquid = used_wh + wh, seconds + s, max(liquid - need, 0.0)
        work_m += (end_fraction - fraction) * walk.lengths[leg]
        if end_fraction >= 1.0:
            leg, fraction = leg + 1, 0.0
        else:
            fraction = end_fraction
            break
    if (leg, fraction) == start:
        raise _NoProgressError
    end_leg, end_fraction = (leg - 1, 1.0) if fraction == 0.0 else (leg, fraction)
    back_wh, back_s, back_m = walk.transit_cost(table.point(end_leg, end_fraction), liquid, False)
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


def _attempt(
    walk: _Walk, start: tuple[int, float], load: float, drone: int, index: int, min_piece_m: float
) -> Sortie | None:
    try:
        return _fly(walk, start, load, drone, index, min_piece_m)
    except _NoProgressError:
        return None


def _sized_sortie(
    walk: _Walk,
    start: tuple[int, float],
    full_l: float,
    ids: tuple[int, int],
    min_piece_m: float,
    steps: int,
) -> Sortie:
    """The sortie from ``start`` that gets furthest along the path.

    A full load (what the rest of the path needs, at most a tank) is tried first; if the
    battery ends it with liquid left, or it cannot cover any path at all (a far or long
    field), lighter loads are bisected: battery-bound or no progress → lighter, tank-bound →
    heavier (a lighter drone flies further, so it carries only what it sprays)."""
    drone, index = ids
    full = _attempt(walk, start, full_l, drone, index, min_piece_m)
    if full is not None and (full.loaded_l - full.sprayed_l <= 0.5 or full_l <= 0):
        return full
    if full is None and full_l <= 0:
        raise InfeasibleError(_unreachable(walk, start))
    best = full
    low, high = (full.sprayed_l if full is not None else 0.0), full_l
    for _ in range(steps if full is not None else 4 * steps):
        load = float(low + high) / 2
        trial = _attempt(walk, start, load, drone, index, min_piece_m)
        if trial is None or trial.loaded_l - trial.sprayed_l > 1e-6:
            high = load
        else:
            low = load
        if trial is not None and (best is None or trial.end > best.end):
            best = trial
    if best is None:
        best = _attempt(walk, start, 0.0, drone, index, min_piece_m)
    if best is None:
        raise InfeasibleError(_unreachable(walk, start))
    return best


def _unreachable(walk: _Walk, start: tuple[int, float]) -> str:
    point = walk.table.point(*start)
    out_wh, _, out_m = walk.transit_cost(point, 0.0, True)
    back_wh, _, _ = walk.transit_cost(point, 0.0, False)
    empty = "with an empty tank " if walk.limits.tank_l is not None else ""
    return (
        f"the path at leg {start[0]} is out of reach, {out_m:.0f} m from the base: flying "
        f"there and back {empty}needs {out_wh + back_wh:.0f} Wh before any work, more than "
        f"the battery budget of {walk.flight.energy.budget_wh:.0f} Wh after the reserve"
    )


def split_sorties(
    table: LegTable,
    flight: FlightSettings,
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
    walk = _Walk(table, flight, limits, transit, base_xy)
    sorties: list[Sortie] = []
    start = (0, 0.0)
    tank = math.inf if limits.tank_l is None else limits.tank_l
    while start[0] < len(table):
        leg, fraction = start
        remaining = walk.liquid_after[leg] + walk.per_m[leg] * walk.lengths[leg] * (1 - fraction)
        loaded = float(min(tank, max(float(remaining), 0.0)))
        ids = (drone, len(sorties))
        sortie = _sized_sortie(walk, start, loaded, ids, min_piece_m, load_steps)
        sorties.append(sortie)
        end_leg, end_fraction = sortie.end
        start = (end_leg + 1, 0.0) if end_fraction >= 1.0 else (end_leg, end_fraction)
    return tuple(sorties)
