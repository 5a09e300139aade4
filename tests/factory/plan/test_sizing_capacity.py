"""Sizing asks a capacity question: orders always waiting, in the demand's mix."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.factory import compile_plant, load_plant, simulate
from droneworks.factory.model import ReleaseKind
from droneworks.factory.plan.sizing import capacity_view, demand_mix

PLANT = """
[plant]
name = "demand-capped"
horizon = "2 wk"
seed = 1
[products.a]
drone_type = "small-multirotor"
[[products.a.operations]]
work_centre = "bench"
time = "10 min"
[products.b]
drone_type = "small-multirotor"
[[products.b.operations]]
work_centre = "bench"
time = "10 min"
[work_centres.bench]
stations = 1
[demand]
release = "rate"
rate = {a = "300/wk", b = "100/wk"}
policy = "conwip"
conwip_cap = 5
"""


@pytest.fixture
def plant_path(tmp_path: Path) -> Path:
    path = tmp_path / "capped.toml"
    path.write_text(PLANT)
    return path


def test_demand_mix_from_rates_and_plan(plant_path: Path) -> None:
    plant = load_plant(plant_path)
    assert demand_mix(plant.demand, ["a", "b"]) == pytest.approx({"a": 0.75, "b": 0.25})


def test_capacity_view_releases_unlimited_in_the_same_mix(plant_path: Path) -> None:
    plant = load_plant(plant_path)
    view = capacity_view(plant)
    assert view.demand.release is ReleaseKind.UNLIMITED
    assert view.demand.mix_weights(["a", "b"]) == pytest.approx({"a": 0.75, "b": 0.25})
    assert view.demand.conwip_cap == plant.demand.conwip_cap
    assert capacity_view(view) is view


def test_demand_caps_output_but_capacity_does_not(plant_path: Path) -> None:
    plant = load_plant(plant_path)
    as_demanded = simulate(compile_plant(plant), seed=1)
    capacity = simulate(compile_plant(capacity_view(plant)), seed=1)
    # 400 orders a week for 2 weeks; one station makes 6 an hour = 1,008 a week.
    assert as_demanded.units <= 800
    assert capacity.units == pytest.approx(2 * 1008, rel=0.01)
    shares = capacity.kpis["units.a"] / capacity.units
    assert shares == pytest.approx(0.75, abs=0.02)
