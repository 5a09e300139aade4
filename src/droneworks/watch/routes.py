"""Incursion routes: straight crossings that follow the border's shape, waypoints, or roads.

A route is a polyline in local metres flown at the threat's speed, with an altitude at each
waypoint (linear in between). Three kinds:

* **straight** (the default): crossing at a chosen point along the line (the threat's
  ``crossings``, cycled) or a uniform random one, heading along the inward normal turned by
  a uniform random angle within ±``max_crossing_angle``, from ``approach`` before the line
  to ``penetration`` behind it. The approach follows the border's actual shape: a heading
  whose approach would touch the protected side (a bend of the line) is drawn again, and
  after 20 draws the approach is cut where it would enter, so no route starts inside or is
  inside before its crossing;
* **waypoints** (a threat's ``route``): turns and altitude changes given relative to the
  crossing point — each waypoint ``along`` the line from it and ``offset`` across the line
  as it runs there (negative: the neighbour's side) — so one planned manoeuvre is flown at
  every crossing point, bending with the border;
* **roads** (a threat's ``roads``): along the user's road lines where they cross the border
  (:mod:`droneworks.watch.roads`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString

from droneworks.watch.border import Border
from droneworks.watch.roads import RoadCrossing, pick_crossing, road_crossings, road_route
from droneworks.watch.wall import Threat, Wall

__all__ = ["Incursion", "outside_approach_m", "plan_routes"]

FloatArray = NDArray[np.float64]
_HEADING_TRIES = 20  # random headings tried before a route's approach is shortened
_SAME_POINT_M = 1.0  # line meetings closer than this to the crossing are the crossing
_SIDE_STEP_M = 100.0


@dataclass(frozen=True)
class Incursion:
    """One drone's route across the border: waypoints flown at one speed."""

    index: int
    threat_id: str
    start_s: float
    speed_mps: float
    waypoints_xy_m: tuple[tuple[float, float], ...]
    waypoints_alt_m: tuple[float, ...]
    cross_along_m: float
    approach_m: float  # route length from the start to the crossing point

    @property
    def _cumulative_m(self) -> FloatArray:
        steps = np.hypot(*np.diff(np.asarray(self.waypoints_xy_m), axis=0).T)
        return np.concatenate([[0.0], np.cumsum(steps)])

    @property
    def route_m(self) -> float:
        return float(self._cumulative_m[-1])

    @property
    def end_s(self) -> float:
        return self.start_s + self.route_m / self.speed_mps

    @property
    def cross_s(self) -> float:
        """When the route reaches the nominal crossing point."""
        return self.start_s + self.approach_m / self.speed_mps

    def _travelled(self, times_s: NDArray[np.floating[Any]]) -> FloatArray:
        moved = (np.asarray(times_s, dtype=float) - self.start_s) * self.speed_mps
        return np.clip(moved, 0.0, self.route_m)

    def positions_m(self, times_s: NDArray[np.floating[Any]]) -> FloatArray:
        """Positions ``(n, 2)`` at ``times_s`` (clipped to the route)."""
        travelled, cumulative = self._travelled(times_s), self._cumulative_m
        points = np.asarray(self.waypoints_xy_m, dtype=float)
        x = np.interp(travelled, cumulative, points[:, 0])
        y = np.interp(travelled, cumulative, points[:, 1])
        return np.column_stack([x, y])

    def altitudes_m(self, times_s: NDArray[np.floating[Any]]) -> FloatArray:
        """Altitude above ground at ``times_s`` (linear between waypoints)."""
        result: FloatArray = np.interp(
            self._travelled(times_s), self._cumulative_m, np.asarray(self.waypoints_alt_m)
        )
        return result


def plan_routes(wall: Wall, rng: np.random.Generator) -> list[Incursion]:
    """Every threat's ``count`` routes, each starting at a uniform time within the horizon."""
    routes: list[Incursion] = []
    for threat in wall.threats:
        crossings = road_crossings(wall.border, threat.roads) if threat.roads else []
        for k in range(threat.count):
            routes.append(_route(wall, threat, k, len(routes), rng, crossings))
    return routes


def _crossing_along(wall: Wall, threat: Threat, k: int, rng: np.random.Generator) -> float:
    border = wall.border
    reach = max([threat.approach_m] + [abs(w[0]) + 1_000.0 for w in threat.route])
    margin = min(reach, border.length_m / 4)
    if threat.crossings_m:
        return float(threat.crossings_m[k % len(threat.crossings_m)])
    return float(rng.uniform(margin, border.length_m - margin))


def _route(
    wall: Wall, threat: Threat, k: int, index: int, rng: np.random.Generator,
    crossings: list[RoadCrossing],
) -> Incursion:  # fmt: skip
    if crossings:
        wanted = threat.crossings_m[k % len(threat.crossings_m)] if threat.crossings_m else None
        crossing = pick_crossing(crossings, wanted, rng)
        points, approach_m = road_route(
            wall.border, threat.roads, crossings, threat.approach_m, threat.penetration_m, crossing
        )
        altitudes, along = [threat.altitude_m] * len(points), crossing.along_m
    elif threat.route:
        along = _crossing_along(wall, threat, k, rng)
        points, altitudes, approach_m = _waypoint_route(wall.border, threat, along)
    else:
        along = _crossing_along(wall, threat, k, rng)
        points, altitudes, approach_m = _straight_route(wall.border, threat, along, rng)
    route_m = float(np.hypot(*np.diff(points, axis=0).T).sum())
    duration_s = route_m / threat.speed_mps
    start_s = float(rng.uniform(0.0, max(wall.horizon_s - duration_s, 0.0)))
    return Incursion(
        index, threat.id, start_s, threat.speed_mps,
        tuple((float(x), float(y)) for x, y in points), tuple(altitudes), along, approach_m,
    )  # fmt: skip


def _straight_route(
    border: Border, threat: Threat, along: float, rng: np.random.Generator
) -> tuple[FloatArray, list[float], float]:
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
    start = cross_xy - heading * approach_m
    end = cross_xy + heading * threat.penetration_m
    return np.array([start, end]), [threat.altitude_m] * 2, approach_m


def _waypoint_route(
    border: Border, threat: Threat, along: float
) -> tuple[FloatArray, list[float], float]:
    """Waypoints placed relative to the crossing point on the line as it runs there."""
    shifts = np.array([along + w[0] for w in threat.route])
    offsets = np.array([w[1] for w in threat.route])
    points = border.points_at(shifts, offsets)
    altitudes, current = [], threat.altitude_m
    for waypoint in threat.route:
        current = current if waypoint[2] is None else waypoint[2]
        altitudes.append(current)
    steps = np.hypot(*np.diff(points, axis=0).T)
    first_in = int(np.argmax(offsets >= 0))  # the model asks for one; the first is outside
    before = offsets[first_in - 1]
    fraction = -before / (offsets[first_in] - before) if offsets[first_in] != before else 1.0
    approach_m = float(steps[: first_in - 1].sum() + fraction * steps[first_in - 1])
    return points, altitudes, approach_m


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
