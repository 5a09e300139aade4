"""Route: the order in which headland passes and cells are covered, and their directions.

:class:`BoustrophedonRoutePlanner` covers the headland rings first (nearest ring next, each
entered at its vertex nearest the drone), then the cells, each swept back and forth; the
next cell and its sweep variant (start at its first or last line, first piece left-to-right
or right-to-left) are chosen greedily by the straight distance from where the drone is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from shapely.geometry import LineString, Point

from droneworks.missions.coverage.decomposition import Cell
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.coverage.swaths import Swaths

__all__ = ["BoustrophedonRoutePlanner", "Route", "RoutePlanner", "Run"]


@dataclass(frozen=True)
class Run:
    """A sprayed polyline; ``joined`` = reached from the previous run by a turn in a cell."""

    points: FloatArray
    kind: str  # "swath" or "headland"
    joined: bool = False
    sprayed: tuple[bool, ...] | None = None  # per segment; None: all sprayed


@dataclass(frozen=True)
class Route:
    runs: tuple[Run, ...]


class RoutePlanner(Protocol):
    def plan(
        self,
        headland_paths: Sequence[LineString],
        swaths: Swaths,
        cells: Sequence[Cell],
        start_xy: tuple[float, float],
    ) -> Route: ...


def _ring_from(ring: LineString, position: FloatArray) -> FloatArray:
    """Ring coordinates rotated to start (and end) at the vertex nearest ``position``."""
    coords = np.asarray(ring.coords, dtype=float)
    closed = bool(np.hypot(*(coords[0] - coords[-1])) < 1e-6)  # not allclose: metres ~1e6
    body = coords[:-1] if closed else coords
    if not closed:
        if np.hypot(*(body[-1] - position)) < np.hypot(*(body[0] - position)):
            return body[::-1].copy()
        return body
    start = int(np.argmin(np.hypot(*(body - position).T)))
    rolled = np.roll(body, -start, axis=0)
    return np.vstack([rolled, rolled[:1]])


def _sweep(
    swaths: Swaths, cell: Cell, from_first: bool, reverse_first: bool
) -> list[tuple[FloatArray, list[bool]]]:
    order = cell.pieces if from_first else cell.pieces[::-1]
    return [
        swaths.piece_local(line, piece, reverse=reverse_first != bool(t % 2))
        for t, (line, piece) in enumerate(order)
    ]


@dataclass(frozen=True)
class BoustrophedonRoutePlanner:
    """Headlands first (nearest first), then cells by greedy nearest entry."""

    headlands_first: bool = True

    def plan(
        self,
        headland_paths: Sequence[LineString],
        swaths: Swaths,
        cells: Sequence[Cell],
        start_xy: tuple[float, float],
    ) -> Route:
        """Runs in flying order from ``start_xy`` (headland paths: closed rings or pieces)."""
        position = np.asarray(start_xy, dtype=float)
        runs: list[Run] = []
        rings = list(headland_paths)
        while self.headlands_first and rings:
            nearest = min(range(len(rings)), key=lambda i: rings[i].distance(Point(position)))
            points = _ring_from(rings.pop(nearest), position)
            runs.append(Run(points, "headland"))
            position = points[-1]
        remaining = list(cells)
        while remaining:
            best: tuple[float, int, bool, bool] | None = None
            for index, cell in enumerate(remaining):
                for from_first in (True, False):
                    for reverse_first in (False, True):
                        line, piece = cell.pieces[0] if from_first else cell.pieces[-1]
                        entry = swaths.segment_local(line, piece, reverse=reverse_first)[0]
                        distance = float(np.hypot(*(entry - position)))
                        if best is None or distance < best[0]:
                            best = (distance, index, from_first, reverse_first)
            assert best is not None
            _, index, from_first, reverse_first = best
            for t, segment in enumerate(
                _sweep(swaths, remaining.pop(index), from_first, reverse_first)
            ):
                points, sprayed = segment
                runs.append(Run(points, "swath", joined=t > 0, sprayed=tuple(sprayed)))
            position = runs[-1].points[-1]
        return Route(tuple(runs))
