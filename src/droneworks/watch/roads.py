"""Routes that follow roads: a threat's drones fly along the user's road lines across the border.

No package on the registries this project installs from ships road geometry for the
monitored borders (docs/tracking.md, "Routes along roads"), so the roads are the user's: a
GeoJSON or KML file of lines (a road network exported from OpenStreetMap by their GIS, or
a valley, a river, a power line a drone would follow), named by a threat's ``roads``.

A road route crosses where a road meets the border line: one of those crossings at random
(or the one nearest each of the threat's ``crossings``), flown along the road from
``approach`` before the crossing to ``penetration`` past it, in the direction that goes from
the neighbour's side to the protected side. The approach never starts inside: where the road
met the line before, the route starts just after that meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString
from shapely.ops import substring

from droneworks.core.errors import ConfigError
from droneworks.watch.border import Border, densify
from droneworks.watch.border_files import read_line_file

__all__ = ["RoadCrossing", "load_roads", "pick_crossing", "road_crossings", "road_route"]

FloatArray = NDArray[np.float64]
_STEP_M = 1.0  # a route starts this far past an earlier meeting with the line
_SIDE_M = 10.0  # the side of the line a road runs from is judged this far from the crossing


@dataclass(frozen=True)
class RoadCrossing:
    """Where road ``road`` meets the border: ``at_m`` along the road, ``along_m`` along the line."""

    road: int
    at_m: float
    along_m: float


def load_roads(path: Path, border: Border, edges: str, where: str) -> tuple[LineString, ...]:
    """The road lines of a GeoJSON/KML file in the border's local metres; one must cross it."""
    roads: list[LineString] = []
    try:
        features = read_line_file(path)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
    for geometry, _ in features:
        parts = geometry.geoms if isinstance(geometry, MultiLineString) else [geometry]
        for part in parts:
            roads.append(border.projection.geometry_to_local(densify(part, edges=edges)))
    if not road_crossings(border, tuple(roads)):
        raise ConfigError(f"{where}: no road in {path} crosses the border line")
    return tuple(roads)


def road_crossings(border: Border, roads: tuple[LineString, ...]) -> list[RoadCrossing]:
    """Every meeting of a road with the border line, in road order."""
    found = []
    for index, road in enumerate(roads):
        points = shapely.get_coordinates(shapely.intersection(road, border.line_m))
        for x, y in points:
            at = float(road.project(shapely.Point(x, y)))
            along, _ = border.locate(np.array([[x, y]]))
            found.append(RoadCrossing(index, at, float(along[0])))
    return sorted(found, key=lambda c: (c.road, c.at_m))


def road_route(
    border: Border,
    roads: tuple[LineString, ...],
    crossings: list[RoadCrossing],
    approach_m: float,
    penetration_m: float,
    crossing: RoadCrossing,
) -> tuple[FloatArray, float]:
    """Waypoints along the road through ``crossing`` and the route length to the crossing."""
    road = roads[crossing.road]
    sides = [crossing.at_m - _SIDE_M, crossing.at_m + _SIDE_M]
    points = np.array([road.interpolate(np.clip(s, 0.0, road.length)).coords[0] for s in sides])
    _, offsets = border.locate(points)
    inward = offsets[0] <= offsets[1]  # along the road's direction: neighbour side → protected
    meetings = [c.at_m for c in crossings if c.road == crossing.road]
    if inward:
        earlier = [m for m in meetings if m < crossing.at_m - _STEP_M]
        start = max(crossing.at_m - approach_m, max(earlier, default=-np.inf) + _STEP_M, 0.0)
        end = min(crossing.at_m + penetration_m, road.length)
    else:
        earlier = [m for m in meetings if m > crossing.at_m + _STEP_M]
        start = min(crossing.at_m + approach_m, min(earlier, default=np.inf) - _STEP_M, road.length)
        end = max(crossing.at_m - penetration_m, 0.0)
    piece = substring(road, start, end)  # runs from start to end, reversed when start > end
    return np.asarray(piece.coords, dtype=float)[:, :2], abs(crossing.at_m - start)


def pick_crossing(
    crossings: list[RoadCrossing], wanted_along_m: float | None, rng: np.random.Generator
) -> RoadCrossing:
    """The road crossing nearest ``wanted_along_m`` on the line, or one at random."""
    if wanted_along_m is None:
        return crossings[int(rng.integers(len(crossings)))]
    return min(crossings, key=lambda c: abs(c.along_m - wanted_along_m))
