from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.units import Duration
from droneworks.core.validation import UserModel, format_key_path, load_json, load_toml


class Operation(UserModel):
    name: str
    time: Duration


class Plant(UserModel):
    operations: list[Operation]


def test_key_path_format() -> None:
    assert format_key_path(("operations", 3, "time", "mean")) == "operations[3].time.mean"
    assert format_key_path(()) == "(top level)"


def test_unknown_key_and_bad_unit_are_named(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[[operations]]\nname="a"\ntime="2 min"\ncolour="red"\n')
    with pytest.raises(ConfigError, match=r"operations\[0\]\.colour: unknown key"):
        load_toml(path, Plant)
    path.write_text('[[operations]]\nname="a"\ntime="1 min"\n[[operations]]\nname="b"\ntime="x"\n')
    with pytest.raises(ConfigError, match=r'operations\[1\]\.time: "x" is not a duration'):
        load_toml(path, Plant)


def test_several_problems_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[[operations]]\ntime="x"\n')
    with pytest.raises(ConfigError, match="2 problems") as caught:
        load_toml(path, Plant)
    assert "operations[0].name: required key is missing" in str(caught.value)


def test_missing_file_and_bad_syntax(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_toml(tmp_path / "nope.toml", Plant)
    bad = tmp_path / "bad.toml"
    bad.write_text("operations = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_toml(bad, Plant)
    bad.write_text("{")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_json(bad)
