"""Issue 13: hostile plant values are refused at validation, so `validate` and `simulate`
agree; each message names the key path and the limit."""

from __future__ import annotations

import copy
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from droneworks.core.errors import ConfigError, ModelError
from droneworks.core.limits import MAX_PLAN_PERIODS, MAX_RELEASED_UNITS
from droneworks.core.units import MINUTES_PER_DAY, MINUTES_PER_YEAR
from droneworks.factory.model import parse_plant, with_changes

PLANT = tomllib.loads(
    (Path(__file__).parents[3] / "examples" / "plants" / "minsk-2k.toml").read_text("utf-8")
)
Change = Callable[[dict[str, Any]], None]


def _set(*path: str | int, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        for key in path[:-1]:
            data = data[key]  # type: ignore[index]
        data[path[-1]] = value  # type: ignore[index]

    return change


def _duplicate_rework_id(data: dict[str, Any]) -> None:
    operations = data["products"]["agras-t40"]["operations"]
    test = next(op["test"] for op in operations if "test" in op)
    test["rework"].append(dict(test["rework"][0]))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (_set("work_centres", "subassembly", "stations", value=1e30), "subassembly.stations: "),
        (_set("work_centres", "subassembly", "buffer", value=2**63), "buffer: an integer outside"),
        (_set("work_centres", "subassembly", "buffer", value=10**12), "less than or equal to"),
        (_set("parts", "frame-kit-ag", "reorder_quantity", value=2**63 + 5), "reorder_quantity"),
        (_set("parts", "frame-kit-ag", "unit_cost", value=float("inf")), "unit_cost: inf is not"),
        (_set("parts", "frame-kit-ag", "unit_cost", value=float("nan")), "unit_cost: nan is not"),
        (_set("plant", "period", value="1e-300 wk"), 'plant.period: "1e-300 wk" is too small'),
        (_set("plant", "horizon", value="1e308 yr"), 'plant.horizon: "1e308 yr" is too large'),
        (_set("plant", "seed", value=True), "seed: true/false is not a number"),
        (_set("plant", "seed", value=2**64), "seed: an integer outside"),
        (_duplicate_rework_id, 'both have the id "leak-rework"'),
    ],
)
def test_refused_at_validation(change: Change, fragment: str) -> None:
    data = copy.deepcopy(PLANT)
    change(data)
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")) as caught:
        parse_plant(data, "minsk-2k.toml")
    assert str(caught.value).startswith("minsk-2k.toml: ")


def test_consumes_beyond_the_count_limit() -> None:
    data = copy.deepcopy(PLANT)
    operation = data["products"]["agras-t40"]["operations"][0]
    operation["consumes"] = {name: 2**62 for name in operation["consumes"]}
    with pytest.raises(ConfigError, match=r"consumes.*less than or equal to 1000000000"):
        parse_plant(data, "minsk-2k.toml")


def test_the_example_itself_is_valid() -> None:
    assert parse_plant(copy.deepcopy(PLANT), "minsk-2k.toml").plant.name


def _with_demand(demand: dict[str, Any], horizon: str) -> dict[str, Any]:
    data = copy.deepcopy(PLANT)
    data["demand"] = demand
    data["plant"]["horizon"] = horizon
    return data


def test_rate_demand_past_the_released_units_limit() -> None:
    """Every released unit is kept until finished: an absurd rate is refused at validation,
    naming the key, the computed units, the horizon and the limit."""
    data = _with_demand(
        {"release": "rate", "rate": {"agras-t40": "1e6/d", "cargo": "1e6/d"}}, "4 wk"
    )
    units = 2 * 10**6 * 28
    assert units > MAX_RELEASED_UNITS
    message = (
        f"minsk-2k.toml: demand.rate: releases {units:,} units over the 28 d horizon; "
        f"at most {MAX_RELEASED_UNITS:,}"
    )
    with pytest.raises(ModelError, match=message):
        parse_plant(data, "minsk-2k.toml")
    data = _with_demand({"release": "rate", "rate": {"agras-t40": "1e5/d"}}, "4 wk")
    assert parse_plant(data, "minsk-2k.toml").demand.released_units(28 * MINUTES_PER_DAY, 1) == (
        pytest.approx(28 * 10**5)
    )


def test_plan_demand_repeated_over_a_long_horizon() -> None:
    plan = {"agras-t40": [108], "cargo": [46]}
    demand = {"release": "plan", "plan_period": "1 d", "plan": plan}
    periods = math.ceil(1000 * MINUTES_PER_YEAR / MINUTES_PER_DAY)
    with pytest.raises(ModelError, match=f"demand.plan: releases {periods * 154:,} units"):
        parse_plant(_with_demand(demand, "1000 yr"), "minsk-2k.toml")
    stopped = parse_plant(_with_demand({**demand, "after_plan": "stop"}, "1000 yr"), "p.toml")
    assert stopped.demand.released_units(stopped.horizon_min, stopped.period_min) == 154


def test_plan_period_too_short_for_the_horizon() -> None:
    demand = {"release": "plan", "plan_period": "1 s", "plan": {"agras-t40": [0]}}
    periods = math.ceil(MINUTES_PER_YEAR * 60)
    assert periods > MAX_PLAN_PERIODS
    with pytest.raises(ModelError, match=f"demand.plan_period: {periods:,} plan periods"):
        parse_plant(_with_demand(demand, "1 yr"), "minsk-2k.toml")


def test_a_longer_horizon_is_checked_too() -> None:
    """``--years`` changes the horizon through with_changes: the same guard applies."""
    demand = {"release": "rate", "rate": {"agras-t40": "1000/d"}}
    plant = parse_plant(_with_demand(demand, "1 yr"), "minsk-2k.toml")
    with pytest.raises(ModelError, match=r"demand.rate: releases 36,500,000 units over the 100 yr"):
        with_changes(plant, horizon_min=100 * MINUTES_PER_YEAR)
