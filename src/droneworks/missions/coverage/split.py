"""Split one coverage plan between several drones sharing a base: bands across the swaths.

The swath lines are cut into consecutive groups of (nearly) equal work — swath length plus
the headland length lying across those lines — so each drone gets a band of whole swaths and
the headland pieces inside its band (no strip is sprayed twice). Each band is then routed
on its own with the same heading, cells and transit planner.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.ops import linemerge

from droneworks.missions.coverage.decomposition import Cell
from droneworks.missions.coverage.geometry import from_swath_frame, to_swath_frame
from droneworks.missions.coverage.path import CoveragePath, build_path
from droneworks.missions.coverage.plan import CoveragePlan
from droneworks.missions.coverage.route import BoustrophedonRoutePlanner
from droneworks.missions.coverage.transit import VisibilityTransitPlanner

__all__ = ["split_coverage"]

_FAR_M = 100.0  # margin around the data for the band rectangles


def _band_cuts(plan: CoveragePlan, shares: Sequence[float], rings: list[LineString]) -> list[int]:
    """Line indices where each band after the first starts (band ``d`` gets ``shares[d]`` of
    the work)."""
    swaths = plan.swaths
    count = len(swaths.line_v)
    work = np.array([float(np.sum(item[:, 1] - item[:, 0])) for item in swaths.intervals])
    boundaries = swaths.line_v[:-1] + swaths.width_m / 2
    for ring in rings:
        uv = to_swath_frame(np.asarray(ring.coords, dtype=float), plan.heading_deg)
        mid_v = (uv[1:, 1] + uv[:-1, 1]) / 2
        lengths = np.hypot(*np.diff(uv, axis=0).T)
        np.add.at(work, np.searchsorted(boundaries, mid_v), lengths)
    cumulative = np.cumsum(work) / max(float(work.sum()), 1e-9)
    targets = np.cumsum(shares)[:-1] / float(np.sum(shares))
    cuts = [int(np.searchsorted(cumulative, target)) + 1 for target in targets]
    return [min(max(cut, 1), count) for cut in cuts]


def _band(plan: CoveragePlan, v_low: float, v_high: float, u_range: tuple[float, float]) -> Polygon:
    u0, u1 = u_range
    uv = np.array([[u0, v_low], [u1, v_low], [u1, v_high], [u0, v_high]])
    return Polygon(from_swath_frame(uv, plan.heading_deg))


def _pieces(geometry: object) -> list[LineString]:
    if isinstance(geometry, LineString):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, MultiLineString):
        merged = linemerge(geometry)
        return _pieces(merged) if isinstance(merged, LineString) else list(merged.geoms)
    return [
        g for g in getattr(geometry, "geoms", []) if isinstance(g, LineString) and not g.is_empty
    ]


def split_coverage(
    plan: CoveragePlan,
    parts: int,
    transit: VisibilityTransitPlanner,
    start_xy: tuple[float, float],
    shares: Sequence[float] | None = None,
) -> list[CoveragePath]:
    """``parts`` coverage paths; together they spray what ``plan`` does. Part ``d`` gets
    ``shares[d]`` of the work (swath plus headland length; equal shares by default)."""
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    if parts == 1:
        return [plan.path]
    rings = [ring for rings in plan.headlands.passes for ring in rings]
    swaths = plan.swaths
    if shares is None:
        shares = [1.0] * parts
    if len(shares) != parts or min(shares) <= 0:
        raise ValueError(f"need {parts} positive shares, not {list(shares)}")
    cuts = [0, *_band_cuts(plan, shares, rings), len(swaths.line_v)]
    half = swaths.width_m / 2
    corners = np.vstack([np.asarray(ring.coords) for ring in rings] or [np.zeros((1, 2))])
    uv_all = to_swath_frame(
        np.vstack([corners, swaths.segments_local().reshape(-1, 2)]), plan.heading_deg
    )
    u_range = (float(uv_all[:, 0].min()) - _FAR_M, float(uv_all[:, 0].max()) + _FAR_M)
    v_min, v_max = float(uv_all[:, 1].min()) - _FAR_M, float(uv_all[:, 1].max()) + _FAR_M
    # More parts than swath lines leave some parts without lines: they get an empty path,
    # and the outermost parts with lines take the headland beyond the last line.
    busy = [part for part in range(parts) if cuts[part] < cuts[part + 1]] or [0]
    paths = []
    for part in range(parts):
        first, stop = cuts[part], cuts[part + 1]
        band = None
        if part in busy:
            v_low = v_min if part == busy[0] else float(swaths.line_v[first]) - half
            v_high = v_max if part == busy[-1] else float(swaths.line_v[stop - 1]) + half
            band = _band(plan, v_low, v_high, u_range)
        pieces = [p for ring in rings for p in _pieces(ring.intersection(band))] if band else []
        subset = swaths.subset(first, stop)
        cells = [
            Cell(tuple(piece for piece in cell.pieces if first <= piece[0] < stop))
            for cell in plan.cells
        ]
        cells = [cell for cell in cells if cell.pieces]
        route = BoustrophedonRoutePlanner().plan(pieces, subset, cells, start_xy)
        paths.append(build_path(route, transit, swaths.width_m))
    return paths
