"""Coverage planning stages (as in Fields2Cover): headlands → swaths → cells → route → path."""

from droneworks.missions.coverage.decomposition import BoustrophedonDecomposition, Cell
from droneworks.missions.coverage.headlands import (
    ConstantWidthHeadlandGenerator,
    HeadlandGenerator,
    Headlands,
)
from droneworks.missions.coverage.path import CoveragePath, LegKind, build_path
from droneworks.missions.coverage.plan import CoverageParams, CoveragePlan, plan_coverage
from droneworks.missions.coverage.route import BoustrophedonRoutePlanner, Route, RoutePlanner
from droneworks.missions.coverage.swaths import (
    ParallelSwathGenerator,
    SwathCost,
    SwathGenerator,
    SwathObjective,
    Swaths,
    ground_speed_mps,
)
from droneworks.missions.coverage.transit import VisibilityTransitPlanner

__all__ = [
    "BoustrophedonDecomposition",
    "BoustrophedonRoutePlanner",
    "Cell",
    "ConstantWidthHeadlandGenerator",
    "CoverageParams",
    "CoveragePath",
    "CoveragePlan",
    "HeadlandGenerator",
    "Headlands",
    "LegKind",
    "ParallelSwathGenerator",
    "Route",
    "RoutePlanner",
    "SwathCost",
    "SwathGenerator",
    "SwathObjective",
    "Swaths",
    "VisibilityTransitPlanner",
    "build_path",
    "ground_speed_mps",
    "plan_coverage",
]
