"""Where delivery sorties may fly: everywhere outside the no-fly zones and their margin.

A leg from ``a`` to ``b`` is straight when it keeps ``margin_m`` from every zone, else the
shortest path around them. Shortest paths among polygonal obstacles bend only at obstacle
vertices, so the airspace builds a visibility graph once on the vertices of the *blocked*
area — the zones grown by the margin — pushed 5 cm outward, with all-pairs shortest paths
between them (scipy's Dijkstra); a blocked leg then enters the graph at a vertex it sees
and leaves it at a vertex ``b`` sees (the cheapest such pair). The grown zones' rounded
corners are polygons whose chords cut inside the circle, so they are grown by
``margin_m / cos(π / 16)``: every chord keeps at least ``margin_m``. A point inside the
margin (a drop next to a zone) first leaves it by the shortest way.

All coordinates are local metres of the planner's projection. Paths are cached per pair,
because the planner flies the same legs many times while it repairs and merges sorties.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse.csgraph import shortest_path
from shapely.geometry import Point, Polygon
from shapely.ops import nearest_points

__all__ = ["OPEN_AIR", "Airspace"]

XY = tuple[float, float]
_QUAD_SEGS = 4
_GROWTH = 1 / math.cos(math.pi / (4 * _QUAD_SEGS))  # chords of the rounded corners ≥ margin
_NODE_OFFSET_M = 0.05  # graph vertices sit this far outside the blocked area
_TOUCH_M = 0.01  # a leg may graze the blocked area by this much (numerical slack)


class Airspace:
    """The flyable space around ``zones`` (local polygons) kept ``margin_m`` away from."""

    def __init__(self, zones: Sequence[Polygon] = (), margin_m: float = 0.0) -> None:
        self.zones = tuple(Polygon(zone.exterior) for zone in zones)
        self.margin_m = margin_m
        self._paths: dict[tuple[XY, XY], tuple[XY, ...] | None] = {}
        self._sight: dict[XY, np.ndarray] = {}
        if not self.zones:
            return
        grown = [zone.buffer(margin_m * _GROWTH, quad_segs=_QUAD_SEGS) for zone in self.zones]
        self._blocked = shapely.union_all(grown)
        self._test = self._blocked.buffer(-_TOUCH_M)
        self._outside = self._blocked.buffer(_NODE_OFFSET_M, join_style="mitre")
        shapely.prepare(self._test)
        rings = [
            ring
            for part in getattr(self._outside, "geoms", [self._outside])
            for ring in (part.exterior, *part.interiors)
        ]
        self._nodes = np.array([xy for ring in rings for xy in ring.coords[:-1]], dtype=float)
        count = len(self._nodes)
        i, j = np.triu_indices(count, k=1)
        clear = self._clear_many(self._nodes[i], self._nodes[j])
        lengths = np.hypot(*(self._nodes[j] - self._nodes[i]).T)
        graph = np.zeros((count, count))
        graph[i[clear], j[clear]] = lengths[clear]
        self._lengths, self._previous = shortest_path(
            graph, method="D", directed=False, return_predecessors=True
        )

    def _clear_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Which of the segments ``starts[k] → ends[k]`` stay out of the blocked area."""
        if len(starts) == 0:
            return np.zeros(0, dtype=bool)
        lines = shapely.linestrings(np.stack([starts, ends], axis=1))
        return ~np.asarray(shapely.intersects(self._test, lines), dtype=bool)

    def path(self, a: XY, b: XY) -> tuple[XY, ...] | None:
        """The polyline ``a → … → b`` (both ends included); ``None`` when zones enclose one
        end so that no path exists."""
        if not self.zones or a == b:
            return (a, b)
        key = (a, b)
        if key not in self._paths:
            found = self._find(a, b)
            self._paths[key] = found
            self._paths[(b, a)] = None if found is None else found[::-1]
        return self._paths[key]

    def length_m(self, a: XY, b: XY) -> float:
        """Length of :meth:`path` (``inf`` when there is none)."""
        points = self.path(a, b)
        if points is None:
            return math.inf
        return sum(math.dist(p, q) for p, q in itertools.pairwise(points))

    def _entry(self, point: XY) -> XY:
        """``point``, or the nearest point outside the margin when it lies inside it."""
        if not self._test.contains(Point(point)):
            return point
        nearest = nearest_points(self._outside.boundary, Point(point))[0]
        return (float(nearest.x), float(nearest.y))

    def _sees(self, point: XY) -> np.ndarray:
        """Distances from ``point`` to the graph vertices it sees (``inf`` where blocked)."""
        if point not in self._sight:
            start = np.repeat(np.array([point], dtype=float), len(self._nodes), axis=0)
            distance = np.hypot(*(self._nodes - start).T)
            distance[~self._clear_many(start, self._nodes)] = math.inf
            self._sight[point] = distance
        return self._sight[point]

    def _find(self, a: XY, b: XY) -> tuple[XY, ...] | None:
        start, end = self._entry(a), self._entry(b)
        head = (a, start) if start != a else (a,)
        tail = (end, b) if end != b else (b,)
        if self._clear_many(np.array([start]), np.array([end]))[0]:
            return (*head, *tail)
        total = self._sees(start)[:, None] + self._lengths + self._sees(end)[None, :]
        first, last = np.unravel_index(int(np.argmin(total)), total.shape)
        if not math.isfinite(total[first, last]):
            return None
        chain = [int(last)]
        while chain[-1] != first:
            chain.append(int(self._previous[first, chain[-1]]))
        bends = tuple((float(x), float(y)) for x, y in self._nodes[chain[::-1]])
        return (*head, *bends, *tail)


OPEN_AIR = Airspace()
