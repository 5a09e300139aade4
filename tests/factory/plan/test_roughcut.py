"""Rough-cut capacity arithmetic on a tiny plant computed by hand (see tiny_cell.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.factory.model import load_plant, with_changes, work_content_min
from droneworks.factory.plan.roughcut import annual_demand, product_mix, rough_cut

DATA = Path(__file__).parent / "data"
WORKING_MIN = 261 * 480  # working minutes in the year from Monday 2026-01-05


def test_rough_cut_by_hand() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    cut = rough_cut(plant)
    assert cut.working_min_per_year == pytest.approx(WORKING_MIN)
    assert product_mix(plant) == {"quad": 1.0}
    assert annual_demand(plant) == pytest.approx(20000.0)
    # test: passes 0.8 + 0.2·0.5 = 0.9 after at most one rework; 0.2 reworks per unit tested
    frame_min = 10 / 0.9 + 0.2 * 20 / 0.9  # 15.556 min per good unit (first pass + rework)
    test_min = 5 / 0.9 * 1.2  # 6.667 (first tests + retests)
    loads = {r.name: r for r in cut.resources}
    assert loads["frame"].minutes_per_unit == pytest.approx(frame_min)
    assert loads["test"].minutes_per_unit == pytest.approx(test_min)
    assert loads["assemblers"].minutes_per_unit == pytest.approx(frame_min)
    assert loads["frame"].availability == pytest.approx(0.9)
    assert loads["frame"].utilisation == pytest.approx(20000 * frame_min / (2 * WORKING_MIN * 0.9))
    assert loads["test"].utilisation == pytest.approx(20000 * test_min / WORKING_MIN)
    assert loads["assemblers"].utilisation == pytest.approx(20000 * frame_min / (2 * WORKING_MIN))
    assert cut.bottleneck.name == "frame"
    assert cut.max_output_per_year == pytest.approx(2 * WORKING_MIN * 0.9 / frame_min)
    # the stations the frame cell needs for 20,000/yr: 311,111 / (125,280·0.9) = 2.76 → 3
    assert loads["frame"].count_needed(20000) == 3
    assert loads["test"].count_needed(20000) == 2


def test_station_minutes_agree_with_the_model_work_content() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    cut = rough_cut(plant)
    content = work_content_min(plant, "quad")
    for resource in cut.work_centres():
        assert resource.minutes_per_unit == pytest.approx(content.get(resource.name, 0.0))


def test_more_shifts_and_stations_lower_utilisation() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    base = {r.name: r.utilisation for r in rough_cut(plant).resources}
    two_shifts = {
        r.name: r.utilisation for r in rough_cut(with_changes(plant, shifts_per_day=2)).resources
    }
    for name, value in base.items():
        assert two_shifts[name] == pytest.approx(value / 2)
    more = rough_cut(with_changes(plant, stations={"frame": 4}), volume_per_year=10000)
    assert {r.name: r for r in more.resources}["frame"].utilisation == pytest.approx(
        base["frame"] / 2 / 2
    )
