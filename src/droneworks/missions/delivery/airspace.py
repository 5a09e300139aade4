"""Where delivery sorties may fly: everywhere outside the no-fly zones and their margin.

A leg from ``a`` to ``b`` is straight when it keeps ``margin_m`` from every zone, else the
shortest path around them. The *blocked* area is the zones grown by the margin; their
rounded corners are polygons whose chords cut inside the circle (GEOS's chords span up to
33.75°), so they are grown by ``margin_m / cos(3π / 32)``: every chord keeps at least
``margin_m``. Every leg is tested
against this exact blocked area, however detailed.

Shortest paths among polygonal obstacles bend only at the obstacles' convex corners, along
lines tangent to the obstacles at both ends, so the paths are searched on a small graph:

- the corners come from an *outline* of the blocked area that contains it — the blocked
  area grown by a tolerance and simplified by the same tolerance (Douglas–Peucker moves the
  boundary by at most the tolerance, and containment is checked), so a 10,000-vertex
  coastline becomes tens of corners while every path around the outline still keeps the
  margin from the true zone. The tolerance starts at 1 % of the margin and doubles while
  the outline has more than ``_TARGET_CORNERS`` corners, up to half the margin; the detours
  are then at most that much longer than the exact ones;
- only the outline's convex corners, pushed 5 cm outward, are graph vertices, and only
  pairs tangent at both ends and clear of the blocked area are edges (a sparse graph);
- shortest paths are computed lazily: one Dijkstra from each leg end that needs one
  (cached), never all pairs.

A point inside the margin (a drop next to a zone) first leaves it by the shortest way.
Zones so detailed or so many that even the simplest outline keeps more than
``MAX_CORNERS`` corners are refused with a :class:`ValueError` saying so.

All coordinates are local metres of the planner's projection. Paths are cached per pair,
because the planner flies the same legs many times while it repairs and merges sorties.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points

__all__ = ["MAX_CORNERS", "OPEN_AIR", "Airspace", "enclosing_outline"]

XY = tuple[float, float]
MAX_CORNERS = 3000  # graph vertices beyond which the zones are refused as too detailed
_TARGET_CORNERS = 300  # the outline is simplified further while it has more corners
_QUAD_SEGS = 4
# GEOS splits a corner turning by θ into round(θ / q) chords (q = 90° / quad_segs), so a
# chord spans up to 1.5 q and dips cos(0.75 q) below the circle: grow by its inverse
_GROWTH = 1 / math.cos(0.75 * math.pi / (2 * _QUAD_SEGS))
_NODE_OFFSET_M = 0.05  # graph vertices sit this far outside the outline
_TOUCH_M = 0.01  # a leg may graze the blocked area by this much (numerical slack)
_FIRST_TOLERANCE = 0.01  # of the margin
_LAST_TOLERANCE = 0.5  # of the margin
_CONVEX_M2 = 1e-6  # a corner turning less than this (cross product, m²) is not convex


class Airspace:
    """The flyable space around ``zones`` (local polygons) kept ``margin_m`` away from."""

    def __init__(self, zones: Sequence[Polygon] = (), margin_m: float = 0.0) -> None:
        self.zones = tuple(Polygon(zone.exterior) for zone in zones)
        self.margin_m = margin_m
        self._paths: dict[tuple[XY, XY], tuple[XY, ...] | None] = {}
        self._sight: dict[XY, np.ndarray] = {}
        self._searches: dict[XY, tuple[np.ndarray, np.ndarray]] = {}
        if not self.zones:
            return
        blocked = shapely.union_all([_grown(zone, margin_m) for zone in self.zones])
        self._test = blocked.buffer(-_TOUCH_M)
        self._outside = blocked.buffer(_NODE_OFFSET_M, join_style="mitre")
        shapely.prepare(self._test)
        self.tolerance_m, outline = enclosing_outline(
            blocked, _TARGET_CORNERS, margin_m * _FIRST_TOLERANCE, margin_m * _LAST_TOLERANCE
        )
        self._outline, self._core = outline, _core(self._test, self.tolerance_m)
        shapely.prepare(self._outline)
        self._nodes, before, after = _convex_corners(
            outline.buffer(_NODE_OFFSET_M, join_style="mitre")
        )
        if len(self._nodes) > MAX_CORNERS:
            simplified = f" even simplified by {self.tolerance_m:g} m" if self.tolerance_m else ""
            raise ValueError(
                f"the no-fly zones ({len(self.zones):,}) keep {len(self._nodes):,} corners"
                f"{simplified} (at most {MAX_CORNERS:,}): too many or too detailed to search "
                "paths around; merge or simplify them"
            )
        self._before, self._after = before, after
        self._edges = self._node_edges()

    @property
    def corners(self) -> int:
        """How many corners the path search bends at (0 in open air)."""
        return len(self._nodes) if self.zones else 0

    def _clear_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Which of the segments ``starts[k] → ends[k]`` stay out of the blocked area."""
        if len(starts) == 0:
            return np.zeros(0, dtype=bool)
        lines = shapely.linestrings(np.stack([starts, ends], axis=1))
        if self._core is None:
            return ~np.asarray(shapely.intersects(self._test, lines), dtype=bool)
        # clear of the outline: clear; into the core: blocked; only the rest (lines grazing
        # the strip between them) is tested against the detailed area
        clear = ~np.asarray(shapely.intersects(self._outline, lines), dtype=bool)
        unsure = ~clear & ~np.asarray(shapely.intersects(self._core, lines), dtype=bool)
        clear[unsure] = ~np.asarray(shapely.intersects(self._test, lines[unsure]), dtype=bool)
        return clear

    def _tangent_at_nodes(self, indices: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Whether the lines from ``others[k]`` through node ``indices[k]`` stay on one side
        of the outline at that node (a shortest path only bends around a corner so)."""
        node = self._nodes[indices]
        direction = node - others
        side_before = _cross(direction, self._before[indices] - node)
        side_after = _cross(direction, self._after[indices] - node)
        return np.asarray(side_before * side_after >= 0.0)

    def _node_edges(self) -> csr_matrix:
        """The graph of node pairs tangent at both ends and clear of the blocked area."""
        count = len(self._nodes)
        rows, cols, weights = [], [], []
        for i in range(count - 1):
            j = np.arange(i + 1, count)
            mine = np.full(len(j), i)
            keep = self._tangent_at_nodes(mine, self._nodes[j])
            keep &= self._tangent_at_nodes(j, self._nodes[mine])
            j = j[keep]
            j = j[self._clear_many(self._nodes[np.full(len(j), i)], self._nodes[j])]
            rows.append(np.full(len(j), i))
            cols.append(j)
            weights.append(np.hypot(*(self._nodes[j] - self._nodes[i]).T))
        if not rows:
            return csr_matrix((count, count))
        r, c, w = (np.concatenate(part) for part in (rows, cols, weights))
        return csr_matrix((w, (r, c)), shape=(count, count))

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

    def _search(self, point: XY) -> tuple[np.ndarray, np.ndarray]:
        """Shortest distances from ``point`` to every node over the graph, and each node's
        predecessor (``len(nodes)`` stands for ``point`` itself); one Dijkstra, cached."""
        if point not in self._searches:
            count = len(self._nodes)
            seen = np.flatnonzero(np.isfinite(self._sees(point)))
            first = csr_matrix(
                (self._sees(point)[seen], (np.full(len(seen), count), seen)),
                shape=(count + 1, count + 1),
            )
            graph = first + _padded(self._edges, count + 1)
            lengths, previous = dijkstra(
                graph, directed=False, indices=count, return_predecessors=True
            )
            self._searches[point] = (lengths[:count], previous[:count])
        return self._searches[point]

    def _find(self, a: XY, b: XY) -> tuple[XY, ...] | None:
        start, end = self._entry(a), self._entry(b)
        head = (a, start) if start != a else (a,)
        tail = (end, b) if end != b else (b,)
        if self._clear_many(np.array([start]), np.array([end]))[0]:
            return (*head, *tail)
        lengths, previous = self._search(start)
        total = lengths + self._sees(end)
        last = int(np.argmin(total))
        if not math.isfinite(total[last]):
            return None
        chain = [last]
        while previous[chain[-1]] != len(self._nodes):
            chain.append(int(previous[chain[-1]]))
        bends = tuple((float(x), float(y)) for x, y in self._nodes[chain[::-1]])
        return (*head, *bends, *tail)


def _grown(zone: Polygon, distance_m: float) -> BaseGeometry:
    """``zone`` grown by at least ``distance_m`` everywhere, in steps that double from a
    sixteenth of it: GEOS buffers a jagged ring (a coastline) by a distance much larger than
    its jags slowly, in steps fast; each step keeps its own distance on every chord, so the
    steps together keep the whole. A zone of few corners is grown in one step (fewer bends)."""
    if len(zone.exterior.coords) <= _TARGET_CORNERS:
        return zone.buffer(distance_m * _GROWTH, quad_segs=_QUAD_SEGS)
    step = distance_m / 16
    grown, done = zone, 0.0
    while done < distance_m:
        step = min(step, distance_m - done)
        grown = grown.buffer(step * _GROWTH, quad_segs=_QUAD_SEGS)
        done += step
        step *= 2
    return grown


def enclosing_outline(
    area: BaseGeometry, corners: int, first_m: float, last_m: float
) -> tuple[float, BaseGeometry]:
    """An outline containing ``area`` with at most ``corners`` corners if a tolerance up to
    ``last_m`` reaches that: ``area`` grown by a tolerance and simplified by it, the
    tolerance doubling from ``first_m``. Returns the tolerance (0 when ``area`` has few
    enough corners as it is) and the outline; the outline lies within twice the tolerance
    of ``area``."""
    if _corner_count(area) <= corners:
        return 0.0, area
    tolerance = first_m
    while True:
        widened = area.buffer(tolerance, quad_segs=1)
        outline = widened.simplify(tolerance, preserve_topology=False)
        if not outline.is_valid or outline.is_empty:  # a ring simplified across itself
            outline = widened.simplify(tolerance)
        if not outline.contains(area):  # Douglas–Peucker's bound is tight: grow by 1 mm
            outline = shapely.union_all([outline.buffer(1e-3, join_style="mitre"), area])
        if _corner_count(outline) <= corners or tolerance * 2 > last_m:
            return tolerance, outline
        tolerance *= 2


def _core(area: BaseGeometry, tolerance_m: float) -> BaseGeometry | None:
    """A simple area inside ``area`` (shrunk by twice the tolerance, simplified by it), or
    ``None`` when the area needs no simplifying."""
    if tolerance_m == 0.0:
        return None
    core = area.buffer(-2 * tolerance_m, quad_segs=1).simplify(tolerance_m)
    if core.is_empty or not area.contains(core):
        return shapely.Polygon()
    shapely.prepare(core)
    return core


def _corner_count(area: BaseGeometry) -> int:
    return sum(len(ring.coords) - 1 for ring in _rings(area))


def _rings(area: BaseGeometry) -> list[shapely.LinearRing]:
    """Every ring of ``area``, oriented so that the area lies to the left of its walk."""
    parts = [orient(part, 1.0) for part in getattr(area, "geoms", [area]) if not part.is_empty]
    return [ring for part in parts for ring in (part.exterior, *part.interiors)]


def _convex_corners(area: BaseGeometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The corners of ``area`` that point into the free space, with the corners before and
    after each one on its ring."""
    nodes, before, after = [], [], []
    for ring in _rings(area):
        corners = np.asarray(ring.coords[:-1], dtype=float)
        previous, following = np.roll(corners, 1, axis=0), np.roll(corners, -1, axis=0)
        convex = _cross(corners - previous, following - corners) > _CONVEX_M2
        nodes.append(corners[convex])
        before.append(previous[convex])
        after.append(following[convex])
    if not nodes:
        return (np.zeros((0, 2)),) * 3
    return np.concatenate(nodes), np.concatenate(before), np.concatenate(after)


def _cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.asarray(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])


def _padded(matrix: csr_matrix, size: int) -> csr_matrix:
    """``matrix`` as the top-left block of a ``size`` × ``size`` matrix."""
    coo = matrix.tocoo()
    return csr_matrix((coo.data, (coo.row, coo.col)), shape=(size, size))


OPEN_AIR = Airspace()
