"""The flown path: straight legs in order, each sprayed or not, with its kind.

Runs (sprayed swaths and headland passes) are joined by turns (inside a cell) or transits
(between cells and rings); both stay inside the flyable area, around holes, through
:class:`~droneworks.missions.coverage.transit.VisibilityTransitPlanner`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
from shapely.geometry import LineString, MultiLineString

from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.coverage.route import Route
from droneworks.missions.coverage.transit import VisibilityTransitPlanner

__all__ = ["CoveragePath", "LegKind", "build_path"]


class LegKind(IntEnum):
    SWATH = 0
    HEADLAND = 1
    TURN = 2
    TRANSIT = 3


@dataclass(frozen=True)
class CoveragePath:
    """Legs as arrays: ``start`` and ``end`` (N, 2) local metres, ``kind`` (N,)."""

    start: FloatArray
    end: FloatArray
    kind: npt.NDArray[np.int8]
    swath_width_m: float

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def lengths_m(self) -> FloatArray:
        lengths: FloatArray = np.hypot(*(self.end - self.start).T)
        return lengths

    @property
    def spraying(self) -> npt.NDArray[np.bool_]:
        return self.kind <= LegKind.HEADLAND

    @property
    def length_m(self) -> float:
        return float(self.lengths_m.sum())

    @property
    def sprayed_length_m(self) -> float:
        return float(self.lengths_m[self.spraying].sum())

    @property
    def turns(self) -> int:
        """Connections between sprayed runs (each is a stop-and-turn for a multirotor)."""
        spraying = self.spraying
        return int(np.sum(spraying[1:] & ~spraying[:-1])) if len(spraying) else 0

    def sprayed_lines(self) -> MultiLineString:
        mask = self.spraying
        return MultiLineString(
            [[tuple(a), tuple(b)] for a, b in zip(self.start[mask], self.end[mask], strict=True)]
        )

    def as_linestring(self) -> LineString:
        if not len(self):
            return LineString()
        return LineString(np.vstack([self.start, self.end[-1:]]))

    def legs_of(self, kinds: tuple[LegKind, ...]) -> FloatArray:
        mask = np.isin(self.kind, [int(k) for k in kinds])
        return np.hstack([self.start[mask], self.end[mask]])


def _polyline_legs(
    points: FloatArray, kind: LegKind, sprayed: tuple[bool, ...] | None = None
) -> tuple[FloatArray, FloatArray, list[int]]:
    """Legs of a polyline; segments not sprayed (ends over the headland) become turns."""
    keep = np.hypot(*np.diff(points, axis=0).T) > 1e-9
    starts, ends = points[:-1][keep], points[1:][keep]
    flags = np.ones(len(points) - 1, bool) if sprayed is None else np.asarray(sprayed, bool)
    kinds = np.where(flags[keep], int(kind), int(LegKind.TURN))
    return starts, ends, [int(k) for k in kinds]


def build_path(
    route: Route, transit: VisibilityTransitPlanner, swath_width_m: float
) -> CoveragePath:
    """Legs of ``route``: each run's polyline, joined by turns or transits around holes."""
    starts: list[FloatArray] = []
    ends: list[FloatArray] = []
    kinds: list[int] = []
    previous: FloatArray | None = None
    for run in route.runs:
        if previous is not None:
            a = (float(previous[0]), float(previous[1]))
            b = (float(run.points[0][0]), float(run.points[0][1]))
            link = transit.path(a, b)
            s, e, k = _polyline_legs(link, LegKind.TURN if run.joined else LegKind.TRANSIT)
            starts.append(s)
            ends.append(e)
            kinds.extend(k)
        s, e, k = _polyline_legs(
            run.points, LegKind.SWATH if run.kind == "swath" else LegKind.HEADLAND, run.sprayed
        )
        starts.append(s)
        ends.append(e)
        kinds.extend(k)
        previous = run.points[-1]
    if not kinds:
        empty = np.zeros((0, 2))
        return CoveragePath(empty, empty, np.zeros(0, np.int8), swath_width_m)
    return CoveragePath(np.vstack(starts), np.vstack(ends), np.array(kinds, np.int8), swath_width_m)
