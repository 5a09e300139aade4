"""Coverage stages: swath scanlines, best heading, cells, routes around holes, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box

from droneworks.missions.coverage import (
    BoustrophedonDecomposition,
    ConstantWidthHeadlandGenerator,
    CoverageParams,
    ParallelSwathGenerator,
    SwathCost,
    SwathObjective,
    VisibilityTransitPlanner,
    ground_speed_mps,
    plan_coverage,
)
from droneworks.missions.field import Field
from tests.missions.checkers import (
    assert_field_covered,
    assert_no_leg_crosses,
    assert_path_in_field,
    covered_ratio,
)


def _plan(region: Polygon, width: float = 10.0, passes: int = 1, **kw: object):  # type: ignore[no-untyped-def]
    transit = VisibilityTransitPlanner(region)
    start = tuple(region.exterior.coords[0])
    return plan_coverage(region, transit, CoverageParams(width, passes, **kw), start), transit


def test_rectangle_swaths_closed_form() -> None:
    # 200 m x 100 m, 10 m swaths along the long side: 10 lines, 10 pieces, 9 turns
    region = box(0, 0, 200, 100)
    swaths = ParallelSwathGenerator().generate(region, region, 10.0, 90.0)
    assert len(swaths.line_v) == 10
    assert swaths.pieces == 10
    assert swaths.length_m == pytest.approx(2000.0)
    plan, _ = _plan(region, passes=0)
    assert plan.heading_deg == pytest.approx(90.0)  # fewest turns: along the long side
    assert plan.path.turns == 9
    assert plan.path.sprayed_length_m == pytest.approx(2000.0)


def test_best_heading_follows_a_rotated_rectangle() -> None:
    region = shapely.affinity.rotate(box(0, 0, 400, 100), 30, origin=(0, 0))  # long side 30° N of E
    plan, _ = _plan(region)
    assert plan.heading_deg == pytest.approx(60.0, abs=1.0)  # compass heading of that side
    assert len(plan.heading_scores) == 180


def test_headlands_ring_and_mainland() -> None:
    region = box(0, 0, 100, 100)
    head = ConstantWidthHeadlandGenerator().generate(region, 10.0, 2)
    assert len(head.passes) == 2
    assert head.passes[0][0].length == pytest.approx(4 * 90)
    assert head.passes[1][0].length == pytest.approx(4 * 70)
    assert head.mainland.area == pytest.approx(60 * 60)
    assert head.swath_clip.area == pytest.approx(70 * 70)


def test_hole_splits_lines_into_cells() -> None:
    region = Polygon(box(0, 0, 300, 200).exterior, [Point(150, 100).buffer(40).exterior])
    swaths = ParallelSwathGenerator().generate(region, region, 10.0, 90.0)
    cells = BoustrophedonDecomposition().decompose(swaths)
    assert len(cells) == 4  # below, left, right, above the hole
    assert sum(len(c.pieces) for c in cells) == swaths.pieces


def test_pieces_count_equals_cheap_turn_score() -> None:
    region = Polygon(box(0, 0, 300, 200).exterior, [Point(150, 100).buffer(40).exterior])
    generator = ParallelSwathGenerator(headings=36)
    headings, scores = generator.heading_scores(region, region, 10.0, SwathCost())
    for heading, score in zip(headings[::6], scores[::6], strict=True):
        assert round(score) == generator.generate(region, region, 10.0, heading).pieces


def test_wind_changes_time_objective_to_crosswind() -> None:
    assert ground_speed_mps(90.0, 7.0, (3.0, 0.0)) == pytest.approx(10.0)  # tailwind
    assert ground_speed_mps(270.0, 7.0, (3.0, 0.0)) == pytest.approx(4.0)  # headwind
    assert ground_speed_mps(0.0, 7.0, (3.0, 0.0)) == pytest.approx(math.sqrt(40))
    assert ground_speed_mps(270.0, 7.0, (8.0, 0.0)) == 0.0
    region = box(0, 0, 300, 300)  # a square: no shape preference, only the wind decides
    calm = SwathCost(SwathObjective.TIME, speed_mps=7.0, turn_time_s=0.0)
    windy = SwathCost(SwathObjective.TIME, speed_mps=7.0, turn_time_s=0.0, wind_en_mps=(5.0, 0.0))
    generator = ParallelSwathGenerator(headings=4)
    _, calm_scores = generator.heading_scores(region, region, 10.0, calm)
    _, windy_scores = generator.heading_scores(region, region, 10.0, windy)
    assert calm_scores[0] == pytest.approx(calm_scores[2])
    assert windy_scores[0] < windy_scores[2]  # north-south legs: crosswind from the west


@pytest.mark.parametrize("name", ["convex_field", "concave_field", "field_20ha"])
def test_example_fields_covered_and_contained(name: str, request: pytest.FixtureRequest) -> None:
    field: Field = request.getfixturevalue(name)
    sprayable = field.sprayable(2.0)
    flyable = field.flyable(0.0, 2.0)
    transit = VisibilityTransitPlanner(flyable)
    plan = plan_coverage(sprayable, transit, CoverageParams(11.0, 1), field.base_xy)
    assert_field_covered(plan.path, sprayable)
    assert_path_in_field(plan.path, flyable)
    assert_no_leg_crosses(plan.path, field.keep_out)


def test_transit_goes_around_a_hole() -> None:
    region = Polygon(box(0, 0, 300, 200).exterior, [box(100, 50, 200, 150).exterior])
    transit = VisibilityTransitPlanner(region)
    path = transit.path((50.0, 100.0), (250.0, 100.0))
    assert len(path) > 2
    length = float(np.hypot(*np.diff(path, axis=0).T).sum())
    assert length == pytest.approx(2 * math.hypot(50, 50) + 100, rel=0.01)
    assert region.buffer(0.01).covers(shapely.LineString(path))


def test_length_objective_refines_with_full_paths() -> None:
    region = Polygon([(0, 0), (300, 0), (300, 120), (150, 60), (0, 120)])
    plan, _ = _plan(region, cost=SwathCost(SwathObjective.LENGTH))
    fixed = [_plan(region, heading_deg=h)[0].path.length_m for h in (0.0, 45.0, 90.0, 135.0)]
    assert plan.path.length_m <= min(fixed) * 1.02


@st.composite
def star_fields(draw: st.DrawFn) -> Polygon:
    count = draw(st.integers(4, 10))
    radii = draw(st.lists(st.floats(160.0, 400.0), min_size=count, max_size=count))
    jitter = draw(st.lists(st.floats(-0.25, 0.25), min_size=count, max_size=count))
    angles = [(2 * math.pi * (i + j)) / count for i, j in enumerate(jitter)]
    outer = [(r * math.cos(a), r * math.sin(a)) for r, a in zip(radii, angles, strict=True)]
    polygon = Polygon(outer)
    if draw(st.booleans()):
        hx, hy = draw(st.floats(-40, 40)), draw(st.floats(-40, 40))
        hole = Point(hx, hy).buffer(draw(st.floats(15.0, 60.0)), quad_segs=4)
        polygon = Polygon(outer, [hole.exterior.coords])
    return shapely.make_valid(polygon) if not polygon.is_valid else polygon


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=star_fields(), width=st.floats(6.0, 14.0))
def test_random_fields_are_covered_without_crossing_holes(region: Polygon, width: float) -> None:
    if not isinstance(region, Polygon):
        return
    plan, _transit = _plan(region, width=width, passes=1)
    ratio = covered_ratio(plan.path, region)
    assert ratio >= 0.99, f"covered {ratio:.4f} at heading {plan.heading_deg}"
    assert_path_in_field(plan.path, region)
    holes = shapely.union_all([Polygon(r) for r in region.interiors])
    assert_no_leg_crosses(plan.path, holes)


def test_swath_ends_over_the_headland_are_not_sprayed() -> None:
    # 200 x 100 m, 10 m swaths, one headland: mainland 180 x 80 → 8 lines of 190 m flown,
    # sprayed over the mainland only (180 m) plus 0.5 m overlap at each end
    region = box(0, 0, 200, 100)
    trimmed, _ = _plan(region, passes=1, heading_deg=90.0)
    full, _ = _plan(region, passes=1, heading_deg=90.0, trim_spray=False)
    assert trimmed.swaths.length_m == pytest.approx(8 * 190)
    assert trimmed.swaths.sprayed_length_m == pytest.approx(8 * 181)
    headland_m = 2 * (190 + 90)
    assert trimmed.path.sprayed_length_m == pytest.approx(8 * 181 + headland_m)
    assert full.path.sprayed_length_m == pytest.approx(8 * 190 + headland_m)
    assert trimmed.path.turns == full.path.turns
    assert_field_covered(trimmed.path, region)  # the 4 corner squares of 5 x 5 m stay dry
