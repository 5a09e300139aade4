"""The coverage pipeline in order: headlands → swaths (best heading) → cells → route → path."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from shapely.geometry.base import BaseGeometry

from droneworks.missions.coverage.decomposition import BoustrophedonDecomposition, Cell
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.coverage.headlands import ConstantWidthHeadlandGenerator, Headlands
from droneworks.missions.coverage.path import CoveragePath, build_path
from droneworks.missions.coverage.route import BoustrophedonRoutePlanner, Route
from droneworks.missions.coverage.swaths import (
    ParallelSwathGenerator,
    SwathCost,
    SwathObjective,
    Swaths,
)
from droneworks.missions.coverage.transit import VisibilityTransitPlanner

__all__ = ["CoverageParams", "CoveragePlan", "plan_coverage"]


@dataclass(frozen=True)
class CoverageParams:
    """Stage settings. ``heading_deg`` fixes the heading; otherwise the best one is searched.

    For the ``length`` objective the cheap score (swaths plus one width per turn) misses the
    transits between cells, so the best heading of each of the ``refine`` best basins of
    the cheap score (its local minima over the circle of headings) is planned in full and
    the shortest path wins; the other objectives are decided by the cheap score alone.
    ``trim_spray``: with headlands, swath ends that run over the headland strip are flown
    with the sprayer off (see :meth:`Swaths.trimmed_to`).
    """

    swath_width_m: float
    headland_passes: int = 1
    cost: SwathCost = field(default_factory=SwathCost)
    heading_deg: float | None = None
    refine: int = 4
    trim_spray: bool = True
    swath_generator: ParallelSwathGenerator = field(default_factory=ParallelSwathGenerator)

    def __post_init__(self) -> None:
        if self.swath_width_m <= 0:
            raise ValueError(f"swath_width_m must be positive, not {self.swath_width_m}")


@dataclass(frozen=True)
class CoveragePlan:
    heading_deg: float
    headlands: Headlands
    swaths: Swaths
    cells: tuple[Cell, ...]
    route: Route
    path: CoveragePath
    heading_scores: FloatArray


def _basins(scores: FloatArray) -> list[int]:
    """Indices of the local minima of a circular score array, best first."""
    before, after = np.roll(scores, 1), np.roll(scores, -1)
    minima = np.flatnonzero((scores <= before) & (scores <= after))
    if len(minima) == 0:
        minima = np.arange(len(scores))
    return [int(i) for i in minima[np.argsort(scores[minima], kind="stable")]]


def _plan_at(
    heading: float,
    headlands: Headlands,
    params: CoverageParams,
    transit: VisibilityTransitPlanner,
    start_xy: tuple[float, float],
) -> tuple[Swaths, tuple[Cell, ...], Route, CoveragePath]:
    swaths = params.swath_generator.generate(
        headlands.mainland, headlands.swath_clip, params.swath_width_m, heading
    )
    if params.trim_spray and headlands.passes:
        swaths = swaths.trimmed_to(headlands.mainland)
    cells = BoustrophedonDecomposition().decompose(swaths)
    rings = [ring for rings in headlands.passes for ring in rings]
    route = BoustrophedonRoutePlanner().plan(rings, swaths, cells, start_xy)
    return swaths, cells, route, build_path(route, transit, params.swath_width_m)


def plan_coverage(
    sprayable: BaseGeometry,
    transit: VisibilityTransitPlanner,
    params: CoverageParams,
    start_xy: tuple[float, float],
) -> CoveragePlan:
    """Plan the coverage of ``sprayable``; transits stay inside ``transit.flyable``. An area
    too narrow for its headland passes is covered by swaths alone."""
    width = params.swath_width_m
    headlands = ConstantWidthHeadlandGenerator().generate(sprayable, width, params.headland_passes)
    generator = params.swath_generator
    if params.heading_deg is not None:
        candidates = [params.heading_deg % 180.0]
        scores = np.zeros(0)
    else:
        headings, scores = generator.heading_scores(
            headlands.mainland, headlands.swath_clip, width, params.cost
        )
        count = params.refine if params.cost.objective is SwathObjective.LENGTH else 1
        candidates = [
            generator.refine_heading(
                headlands.mainland, headlands.swath_clip, width, params.cost, float(headings[i])
            )
            for i in _basins(scores)[:count]
        ]
    best: CoveragePlan | None = None
    for heading in candidates:
        swaths, cells, route, path = _plan_at(heading, headlands, params, transit, start_xy)
        if best is None or path.length_m < best.path.length_m:
            best = CoveragePlan(heading, headlands, swaths, cells, route, path, scores)
    assert best is not None
    if not len(best.path) and params.headland_passes > 0 and sprayable.area > 0:
        # narrower than the headland passes: swaths over the whole area instead
        return plan_coverage(sprayable, transit, replace(params, headland_passes=0), start_xy)
    return best
