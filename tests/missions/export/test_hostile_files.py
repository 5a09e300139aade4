"""Issue 13: the .plan and .waypoints readers go through the bounded loader: hostile files
end in one ConfigError naming the file, never a traceback or an unbounded read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.loader import MAX_DEPTH, MAX_FILE_BYTES
from droneworks.missions.export import MissionPlan, plan_to_wpl, read_qgc_plan, read_wpl
from droneworks.missions.export.qgc_plan import plan_to_qgc

Reader = Callable[[Path], object]


def _plan_text(plan: MissionPlan) -> str:
    return json.dumps(plan_to_qgc(plan))


def test_the_valid_files_are_read(tmp_path: Path, every_builder_plan: MissionPlan) -> None:
    (tmp_path / "a.plan").write_text(_plan_text(every_builder_plan), encoding="utf-8")
    (tmp_path / "a.waypoints").write_text(plan_to_wpl(every_builder_plan), encoding="utf-8")
    assert len(read_qgc_plan(tmp_path / "a.plan").plan.items) == len(every_builder_plan.items)
    assert len(read_wpl(tmp_path / "a.waypoints").items) == len(every_builder_plan.items)


@pytest.mark.parametrize(("reader", "name"), [(read_qgc_plan, "x.plan"), (read_wpl, "x.waypoints")])
def test_size_encoding_and_missing_file(tmp_path: Path, reader: Reader, name: str) -> None:
    path = tmp_path / name
    with pytest.raises(ConfigError, match=f"{path}: no such file"):
        reader(path)
    path.write_bytes("QGC WPL 110\nMi\xf1sk".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        reader(path)
    with path.open("wb") as stream:  # sparse: nothing is read past the limit
        stream.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ConfigError, match="larger than the 32 MiB limit"):
        reader(path)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH}"),
        ("[" * 5000 + "]" * 5000, f"nested more than {MAX_DEPTH}"),
        ('{"fileType": "Plan", "mission": {"cruiseSpeed": NaN}}', "NaN is not a number"),
        ('{"fileType": "Plan", "mission": []}', "malformed plan"),
        ('{"fileType": "Plan", "mission": {"plannedHomePosition": [53.9]}}', "malformed plan"),
        ('{"fileType": "Mission"}', "not a QGroundControl plan"),
    ],
)
def test_hostile_plan_files(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "x.plan"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment) as caught:
        read_qgc_plan(path)
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_waypoint_values(
    tmp_path: Path, every_builder_plan: MissionPlan, value: str
) -> None:
    lines = plan_to_wpl(every_builder_plan).splitlines()
    fields = lines[2].split("\t")
    fields[8] = value  # the latitude of the first mission item
    lines[2] = "\t".join(fields)
    path = tmp_path / "x.waypoints"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{path}:3: parameters and position must be finite"):
        read_wpl(path)
