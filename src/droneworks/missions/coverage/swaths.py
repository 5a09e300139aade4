"""Swaths: parallel lines one swath width apart, clipped to the region, at a chosen heading.

The best heading is found by a cheap objective evaluated for every heading at once per
angle with numpy scanlines (no route is planned per angle):

* ``turns`` — the number of swath pieces (each piece ends in a turn); ties broken by length;
* ``length`` — swath length plus an estimate of the links between pieces (turns between
  the ends of consecutive lines, transits around holes); the route planner then plans the
  best headings of the few best basins in full (see ``CoverageParams.refine``);
* ``time`` — swath and link length over the mean ground speed of the two opposite
  directions plus a turn time per piece. Legs hold the work ground speed while the
  airspeed it needs stays within the drone's maximum; in a strong wind the headwind legs
  slow down, so crosswind headings win.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from droneworks.missions.coverage.geometry import (
    FloatArray,
    direction,
    from_swath_frame,
    polygon_edges,
    to_swath_frame,
)
from droneworks.missions.coverage.scan import scan_headings

__all__ = [
    "ParallelSwathGenerator",
    "SwathCost",
    "SwathGenerator",
    "SwathObjective",
    "Swaths",
    "ground_speed_mps",
]


class SwathObjective(StrEnum):
    TURNS = "turns"
    LENGTH = "length"
    TIME = "time"


def ground_speed_mps(
    heading_deg: float, airspeed_mps: float, wind_en_mps: tuple[float, float]
) -> float:
    """Ground speed along ``heading_deg`` at ``airspeed_mps`` in a wind (east, north) vector
    (the velocity of the air, i.e. *towards* which it blows). 0 if the leg cannot be flown."""
    ux, uy = direction(heading_deg)
    along = ux * wind_en_mps[0] + uy * wind_en_mps[1]
    cross2 = wind_en_mps[0] ** 2 + wind_en_mps[1] ** 2 - along * along
    if cross2 >= airspeed_mps**2:
        return 0.0
    return max(0.0, along + math.sqrt(airspeed_mps**2 - cross2))


@dataclass(frozen=True)
class SwathCost:
    """What the best-heading search minimises."""

    objective: SwathObjective = SwathObjective.TURNS
    speed_mps: float = 7.0
    turn_time_s: float = 6.0
    wind_en_mps: tuple[float, float] = (0.0, 0.0)
    max_ground_speed_mps: float = math.inf
    max_airspeed_mps: float = math.inf

    def score(self, heading_deg: float, pieces: int, length_m: float, links_m: float) -> float:
        """Score of a heading from its piece count, swath length and estimated links."""
        if self.objective is SwathObjective.TURNS:
            return pieces + length_m * 1e-9
        if self.objective is SwathObjective.LENGTH:
            return length_m + links_m
        speeds = [self.leg_ground_speed_mps(h) for h in (heading_deg, heading_deg + 180.0)]
        if min(speeds) <= 0:
            return math.inf
        seconds_per_m = 0.5 * (1 / speeds[0] + 1 / speeds[1])
        return (length_m + links_m) * seconds_per_m + pieces * self.turn_time_s

    def leg_ground_speed_mps(self, heading_deg: float) -> float:
        """Ground speed of a swath leg: the work speed unless the flow cap or the wind (at
        the maximum airspeed) holds the drone slower."""
        top = self.max_airspeed_mps if math.isfinite(self.max_airspeed_mps) else self.speed_mps
        reachable = ground_speed_mps(heading_deg, max(top, self.speed_mps), self.wind_en_mps)
        return min(self.speed_mps, self.max_ground_speed_mps, reachable)


@dataclass(frozen=True)
class Swaths:
    """Swath pieces at one heading: line ordinates and per-line u-intervals (swath frame)."""

    heading_deg: float
    width_m: float
    line_v: FloatArray
    intervals: tuple[FloatArray, ...]
    spray: tuple[FloatArray, ...] | None = None  # sprayed sub-interval of each piece

    @property
    def pieces(self) -> int:
        return sum(len(item) for item in self.intervals)

    @property
    def length_m(self) -> float:
        return float(sum(float(np.sum(item[:, 1] - item[:, 0])) for item in self.intervals))

    def segment_local(self, line: int, piece: int, reverse: bool = False) -> FloatArray:
        """One swath piece as a (2, 2) array of local points, optionally reversed."""
        u0, u1 = self.intervals[line][piece]
        v = self.line_v[line]
        uv = np.array([[u1, v], [u0, v]] if reverse else [[u0, v], [u1, v]])
        return from_swath_frame(uv, self.heading_deg)

    @property
    def sprayed_length_m(self) -> float:
        parts = self.spray if self.spray is not None else self.intervals
        return float(sum(float(np.sum(item[:, 1] - item[:, 0])) for item in parts))

    def piece_local(
        self, line: int, piece: int, reverse: bool = False
    ) -> tuple[FloatArray, list[bool]]:
        """A piece as local points with the sprayed flag of each segment between them: the
        ends outside the sprayed sub-interval are flown with the sprayer off."""
        u0, u1 = self.intervals[line][piece]
        s0, s1 = (u0, u1) if self.spray is None else self.spray[line][piece]
        stops = [u0, s0, s1, u1]
        flags = [False, True, False]
        keep = [i for i in range(3) if stops[i + 1] - stops[i] > 1e-6]
        us = [stops[keep[0]], *(stops[i + 1] for i in keep)]
        sprayed = [flags[i] for i in keep]
        if reverse:
            us, sprayed = us[::-1], sprayed[::-1]
        v = self.line_v[line]
        points = from_swath_frame(np.array([[u, v] for u in us]), self.heading_deg)
        return points, sprayed

    def trimmed_to(self, region: BaseGeometry, overlap_m: float = 0.5) -> Swaths:
        """The same swaths sprayed only where their strip meets ``region`` (the mainland),
        plus ``overlap_m``: the ends that run over the headland are flown with the sprayer
        off, so the headland strip is not sprayed twice."""
        if self.pieces == 0:
            return self
        region_uv = shapely.transform(region, lambda xy: to_swath_frame(xy, self.heading_deg))
        half = self.width_m / 2
        rows = [(k, u0, u1) for k, item in enumerate(self.intervals) for u0, u1 in item]
        boxes = shapely.box(
            np.array([r[1] for r in rows]),
            np.array([self.line_v[r[0]] - half for r in rows]),
            np.array([r[2] for r in rows]),
            np.array([self.line_v[r[0]] + half for r in rows]),
        )
        bounds = shapely.bounds(shapely.intersection(boxes, region_uv))
        u0s, u1s = np.array([r[1] for r in rows]), np.array([r[2] for r in rows])
        s0 = np.where(np.isnan(bounds[:, 0]), u0s, np.maximum(bounds[:, 0] - overlap_m, u0s))
        s1 = np.where(np.isnan(bounds[:, 2]), u1s, np.minimum(bounds[:, 2] + overlap_m, u1s))
        spray, start = [], 0
        for item in self.intervals:
            stop = start + len(item)
            spray.append(np.column_stack([s0[start:stop], s1[start:stop]]))
            start = stop
        return replace(self, spray=tuple(spray))

    def subset(self, first: int, stop: int) -> Swaths:
        """Only the lines ``first`` ≤ k < ``stop`` keep their pieces (for splitting a field)."""

        def keep(parts: tuple[FloatArray, ...]) -> tuple[FloatArray, ...]:
            return tuple(item if first <= k < stop else item[:0] for k, item in enumerate(parts))

        return replace(
            self,
            intervals=keep(self.intervals),
            spray=None if self.spray is None else keep(self.spray),
        )

    def segments_local(self) -> FloatArray:
        """Every piece as an (N, 4) array ``x0, y0, x1, y1``."""
        rows = [
            self.segment_local(k, j).ravel()
            for k, item in enumerate(self.intervals)
            for j in range(len(item))
        ]
        return np.array(rows) if rows else np.zeros((0, 4))


def line_ordinates(mainland_uv: FloatArray, width_m: float) -> FloatArray:
    """Swath lines one width apart, centred over the mainland's extent across the swaths."""
    if len(mainland_uv) == 0:
        return np.zeros(0)
    v_min, v_max = float(mainland_uv[:, 1].min()), float(mainland_uv[:, 1].max())
    count = max(1, math.ceil((v_max - v_min) / width_m - 1e-9))
    first = v_min + ((v_max - v_min) - (count - 1) * width_m) / 2
    return first + width_m * np.arange(count, dtype=np.float64)


def _crossings(edges_uv: FloatArray, line_v: FloatArray) -> FloatArray:
    """(K, E) u of each line's crossing with each edge, NaN where it does not cross, sorted."""
    v0, v1 = edges_uv[:, 1][None, :], edges_uv[:, 3][None, :]
    v = line_v[:, None]
    crosses = ((v0 <= v) & (v < v1)) | ((v1 <= v) & (v < v0))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (v - v0) / (v1 - v0)
        u = edges_uv[:, 0][None, :] + t * (edges_uv[:, 2] - edges_uv[:, 0])[None, :]
    return np.sort(np.where(crosses, u, np.nan), axis=1)


class SwathGenerator(Protocol):
    """Makes swaths over a region at a heading, and finds the best heading."""

    def generate(
        self, mainland: BaseGeometry, clip: BaseGeometry, width_m: float, heading_deg: float
    ) -> Swaths: ...

    def best_heading(
        self, mainland: BaseGeometry, clip: BaseGeometry, width_m: float, cost: SwathCost
    ) -> tuple[float, FloatArray]: ...


@dataclass(frozen=True)
class ParallelSwathGenerator:
    """Straight parallel swaths; headings searched on a grid of ``headings`` steps over 180°.

    ``min_piece_m``: pieces shorter than this are dropped (the headland covers them).
    """

    headings: int = 180
    min_piece_m: float = 1.0

    def generate(
        self, mainland: BaseGeometry, clip: BaseGeometry, width_m: float, heading_deg: float
    ) -> Swaths:
        """Swaths over ``mainland`` (line positions) clipped to ``clip`` (line ends)."""
        if width_m <= 0:
            raise ValueError(f"width_m must be positive, not {width_m}")
        mainland_uv = to_swath_frame(polygon_edges(mainland)[:, :2], heading_deg)
        line_v = line_ordinates(mainland_uv, width_m)
        edges = polygon_edges(clip)
        edges_uv = np.hstack(
            [to_swath_frame(edges[:, :2], heading_deg), to_swath_frame(edges[:, 2:], heading_deg)]
        )
        crossings = _crossings(edges_uv, line_v) if len(line_v) else np.zeros((0, 0))
        intervals = []
        for row in crossings:
            values = row[~np.isnan(row)]
            pairs = values[: len(values) // 2 * 2].reshape(-1, 2)
            keep = pairs[:, 1] - pairs[:, 0] >= self.min_piece_m
            intervals.append(pairs[keep])
        return Swaths(heading_deg % 180.0, width_m, line_v, tuple(intervals))

    def heading_scores(
        self,
        mainland: BaseGeometry,
        clip: BaseGeometry,
        width_m: float,
        cost: SwathCost,
        headings: FloatArray | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """(headings, scores) for every heading of the grid (or of ``headings``) — cheap: no
        route is planned."""
        if headings is None:
            headings = np.arange(self.headings, dtype=np.float64) * (180.0 / self.headings)
        with_links = cost.objective is not SwathObjective.TURNS
        pieces, lengths, links = scan_headings(mainland, clip, width_m, headings, with_links)
        scores = np.array(
            [
                cost.score(float(h), int(p), float(length), float(link))
                for h, p, length, link in zip(headings, pieces, lengths, links, strict=True)
            ]
        )
        return headings, scores

    def refine_heading(
        self,
        mainland: BaseGeometry,
        clip: BaseGeometry,
        width_m: float,
        cost: SwathCost,
        heading_deg: float,
    ) -> float:
        """The best heading within one grid step of ``heading_deg``, to 0.01°.

        A field edge a fraction of a degree off the grid (a long strip) makes every grid
        heading cut the swaths obliquely into many short overlapping pieces; the directions
        of the region's own edges near the heading are tried exactly, then two finer scans
        (a tenth and a hundredth of the step) close in on the best score."""
        step = 180.0 / self.headings
        edges = polygon_edges(mainland)
        dx, dy = edges[:, 2] - edges[:, 0], edges[:, 3] - edges[:, 1]
        along = np.degrees(np.arctan2(dx, dy)) % 180.0  # compass-like, as ``direction``
        near = np.abs((along - heading_deg + 90.0) % 180.0 - 90.0) <= step
        trials = [np.array([heading_deg]), along[near & (np.hypot(dx, dy) > width_m)]]
        best = heading_deg
        for fine in (step / 10, step / 100):
            trials.append(best + fine * np.arange(-10, 11, dtype=np.float64))
            headings = np.concatenate(trials) % 180.0
            _, scores = self.heading_scores(mainland, clip, width_m, cost, headings)
            best = float(headings[int(np.argmin(scores))])
            trials = [np.array([best])]
        return best

    def best_heading(
        self, mainland: BaseGeometry, clip: BaseGeometry, width_m: float, cost: SwathCost
    ) -> tuple[float, FloatArray]:
        """The heading with the lowest score (refined below the grid step), and the scores
        of every grid heading."""
        headings, scores = self.heading_scores(mainland, clip, width_m, cost)
        grid_best = float(headings[int(np.argmin(scores))])
        return self.refine_heading(mainland, clip, width_m, cost, grid_best), scores
