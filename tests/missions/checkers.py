"""Invariant checkers shared by the mission tests (coverage, containment, sortie limits)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from droneworks.missions.coverage import CoveragePath
from droneworks.missions.sorties import Sortie


def sprayed_area(path: CoveragePath) -> BaseGeometry:
    """Union of the spray strips (flat-ended, one swath width) of every sprayed leg."""
    half = path.swath_width_m / 2
    strips = [
        LineString([tuple(a), tuple(b)]).buffer(half, cap_style="flat")
        for a, b in zip(path.start[path.spraying], path.end[path.spraying], strict=True)
    ]
    return shapely.union_all(strips, grid_size=0.001)  # GEOS 3.14 drops area without a grid


def covered_ratio(path: CoveragePath, sprayable: BaseGeometry) -> float:
    return float(sprayed_area(path).intersection(sprayable).area / sprayable.area)


def assert_field_covered(
    path: CoveragePath, sprayable: BaseGeometry, at_least: float = 0.99
) -> None:
    """The spray strips cover at least ``at_least`` of the sprayable area."""
    ratio = covered_ratio(path, sprayable)
    assert ratio >= at_least, f"only {ratio:.4f} of the sprayable area is covered"


def assert_path_in_field(
    path: CoveragePath, flyable: BaseGeometry, tolerance_m: float = 0.01
) -> None:
    """Every leg stays inside the flyable area (field + margin, minus holes and obstacles)."""
    region = flyable.buffer(tolerance_m)
    shapely.prepare(region)
    for index, (a, b) in enumerate(zip(path.start, path.end, strict=True)):
        leg = LineString([tuple(a), tuple(b)])
        assert region.covers(leg), f"leg {index} {leg.wkt} leaves the flyable area"


def assert_no_leg_crosses(path: CoveragePath, keep_out: BaseGeometry) -> None:
    """No leg of the path touches the interior of a hole or obstacle."""
    if keep_out.is_empty:
        return
    lines = shapely.linestrings(list(zip(path.start, path.end, strict=True)))
    crossing = shapely.length(shapely.intersection(lines, keep_out.buffer(-0.01))) > 1e-6
    assert not crossing.any(), f"{int(crossing.sum())} legs cross a hole or obstacle"


def assert_sorties_within_limits(
    sorties: Sequence[Sortie], tank_l: float | None, budget_wh: float
) -> None:
    """Every sortie carries at most a tank and spends at most the budget (reserve kept)."""
    for sortie in sorties:
        if tank_l is not None:
            assert sortie.loaded_l <= tank_l + 1e-6, (
                f"sortie {sortie.index} loads {sortie.loaded_l} L"
            )
            assert sortie.sprayed_l <= sortie.loaded_l + 1e-6
        assert sortie.energy_wh <= budget_wh + 1e-6, (
            f"sortie {sortie.index} uses {sortie.energy_wh:.1f} Wh > budget {budget_wh:.1f} Wh"
        )


def assert_sorties_resume(sorties: Sequence[Sortie], legs: int) -> None:
    """Sorties of one drone follow each other along the path with no gap, to the end."""
    assert sorties, "no sortie"
    assert sorties[0].start == (0, 0.0)
    for previous, current in itertools.pairwise(sorties):
        leg, fraction = previous.end
        expected = (leg + 1, 0.0) if fraction >= 1.0 else (leg, fraction)
        assert current.start == expected, f"sortie {current.index} does not resume at {expected}"
    assert sorties[-1].end[0] == legs - 1 and sorties[-1].end[1] == 1.0
