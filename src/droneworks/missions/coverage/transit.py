"""Transit paths inside the flyable area: straight when possible, else around holes.

A shortest path among polygonal obstacles bends only at obstacle vertices, so the planner
builds a visibility graph on the vertices of the flyable area (pulled a few centimetres
inside so edges along a boundary count as inside) and runs Dijkstra from both ends. The
graph is built once per field; a straight line that stays inside needs no graph at all.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from droneworks.core.errors import InfeasibleError
from droneworks.missions.coverage.geometry import FloatArray, polygon_edges

__all__ = ["VisibilityTransitPlanner"]


@dataclass
class VisibilityTransitPlanner:
    """Shortest transits inside ``flyable`` (points outside it first go to its nearest point)."""

    flyable: BaseGeometry
    inset_m: float = 0.05
    _nodes: FloatArray | None = field(default=None, init=False, repr=False)
    _adjacency: list[list[tuple[int, float]]] = field(default_factory=list, init=False, repr=False)
    _inner: BaseGeometry | None = field(default=None, init=False, repr=False)
    _trees: dict[tuple[float, float], FloatArray] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        shapely.prepare(self.flyable)
        self._test_region = self.flyable.buffer(self.inset_m / 10)
        shapely.prepare(self._test_region)

    def visible(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        if a == b:
            return bool(self._test_region.covers(Point(a)))
        return bool(self._test_region.covers(LineString([a, b])))

    def visible_many(self, segments: FloatArray) -> np.ndarray:
        """Vectorised :meth:`visible` for an (N, 4) array of segments."""
        lines = shapely.linestrings(segments.reshape(-1, 2, 2))
        return np.asarray(shapely.covers(self._test_region, lines), dtype=bool)

    def _graph(self) -> FloatArray:
        if self._nodes is None:
            inner = self.flyable.buffer(-self.inset_m, join_style="mitre").simplify(self.inset_m)
            nodes = polygon_edges(inner)[:, :2]
            self._nodes = nodes
            count = len(nodes)
            self._adjacency = [[] for _ in range(count)]
            if count:
                i, j = np.triu_indices(count, k=1)
                segments = np.hstack([nodes[i], nodes[j]])
                ok = self.visible_many(segments)
                lengths = np.hypot(*(nodes[j] - nodes[i]).T)
                for a, b, length in zip(i[ok], j[ok], lengths[ok], strict=True):
                    self._adjacency[a].append((int(b), float(length)))
                    self._adjacency[b].append((int(a), float(length)))
        return self._nodes

    def _entry(self, point: tuple[float, float]) -> tuple[float, float]:
        if self._test_region.covers(Point(point)):
            return point
        if self._inner is None:
            self._inner = self.flyable.buffer(-self.inset_m)
        nearest = nearest_points(self._inner, Point(point))[0]
        return (float(nearest.x), float(nearest.y))

    def path(self, a: tuple[float, float], b: tuple[float, float]) -> FloatArray:
        """The (n, 2) polyline of the shortest transit from ``a`` to ``b``."""
        start, end = self._entry(a), self._entry(b)
        prefix = [a] if start != a else []
        suffix = [b] if end != b else []
        if self.visible(start, end):
            return np.array([*prefix, start, end, *suffix], dtype=float)
        middle = self._dijkstra(start, end)
        return np.array([*prefix, start, *middle, end, *suffix], dtype=float)

    def length_m(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        points = self.path(a, b)
        return float(np.hypot(*np.diff(points, axis=0).T).sum())

    def lengths_to(self, target: tuple[float, float], points: FloatArray) -> FloatArray:
        """Transit lengths from each of the (n, 2) ``points`` to ``target`` (vectorised: one
        shortest-path tree from the target, straight lines where they stay inside)."""
        entry = self._entry(target)
        offset = float(np.hypot(entry[0] - target[0], entry[1] - target[1]))
        segments = np.hstack([np.repeat(np.asarray([entry]), len(points), axis=0), points])
        lengths = np.hypot(points[:, 0] - entry[0], points[:, 1] - entry[1])
        blocked = ~self.visible_many(segments) if len(points) else np.zeros(0, bool)
        if blocked.any():
            nodes = self._graph()
            tree = self._tree(entry)
            for index in np.flatnonzero(blocked):
                point = points[index]
                links = np.hstack([np.repeat(point[None, :], len(nodes), axis=0), nodes])
                seen = self.visible_many(links)
                total = np.hypot(*(nodes - point).T) + tree
                lengths[index] = float(np.min(total[seen])) if seen.any() else math.inf
        result: FloatArray = lengths + offset
        return result

    def _tree(self, source: tuple[float, float]) -> FloatArray:
        """Shortest lengths from ``source`` to every graph node (Dijkstra)."""
        key = (round(source[0], 3), round(source[1], 3))
        if key in self._trees:
            return self._trees[key]
        nodes = self._graph()
        segments = np.hstack([np.repeat(np.asarray([source]), len(nodes), axis=0), nodes])
        seen = self.visible_many(segments) if len(nodes) else np.zeros(0, bool)
        distance = np.full(len(nodes), math.inf)
        heap: list[tuple[float, int]] = []
        for first in np.flatnonzero(seen):
            distance[first] = float(np.hypot(*(nodes[first] - np.asarray(source))))
            heapq.heappush(heap, (float(distance[first]), int(first)))
        while heap:
            d, node = heapq.heappop(heap)
            if d > distance[node]:
                continue
            for nxt, length in self._adjacency[node]:
                if d + length < distance[nxt]:
                    distance[nxt] = d + length
                    heapq.heappush(heap, (d + length, nxt))
        self._trees[key] = distance
        return distance

    def _dijkstra(
        self, start: tuple[float, float], end: tuple[float, float]
    ) -> list[tuple[float, float]]:
        nodes = self._graph()
        count = len(nodes)
        ends = np.array([start, end])
        links = []
        for point in ends:
            segments = np.hstack([np.repeat(point[None, :], count, axis=0), nodes])
            links.append(self.visible_many(segments) if count else np.zeros(0, bool))
        distance = np.full(count + 1, math.inf)
        previous = [-1] * (count + 1)
        heap: list[tuple[float, int]] = []
        for first in np.flatnonzero(links[0]):
            d = float(np.hypot(*(nodes[first] - ends[0])))
            distance[first] = d
            heapq.heappush(heap, (d, int(first)))
        target = count
        while heap:
            d, node = heapq.heappop(heap)
            if d > distance[node] or node == target:
                if node == target:
                    break
                continue
            if links[1][node]:
                total = d + float(np.hypot(*(nodes[node] - ends[1])))
                if total < distance[target]:
                    distance[target], previous[target] = total, node
                    heapq.heappush(heap, (total, target))
            for nxt, length in self._adjacency[node]:
                if d + length < distance[nxt]:
                    distance[nxt], previous[nxt] = d + length, node
                    heapq.heappush(heap, (d + length, nxt))
        if not math.isfinite(distance[target]):
            raise InfeasibleError(
                f"no transit inside the flyable area from {start} to {end} "
                "(the field is split by obstacles)"
            )
        route: list[tuple[float, float]] = []
        step = previous[target]
        while step >= 0:
            route.append((float(nodes[step][0]), float(nodes[step][1])))
            step = previous[step]
        return route[::-1]
