"""Issue 13: hostile plant values are refused at validation, so `validate` and `simulate`
agree; each message names the key path and the limit."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from droneworks.core.errors import ConfigError
from droneworks.factory.model import parse_plant

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
