"""`droneworks factory validate` and `droneworks factory schema`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from droneworks.core.validation import read_toml
from droneworks.factory.model import plant_json_schema
from tests.cli.conftest import Run

REPO = Path(__file__).resolve().parents[3]
PLANTS = sorted((REPO / "examples" / "plants").glob("*.toml")) + sorted(
    (REPO / "tests" / "factory" / "data").glob("ok_*.toml")
)


def test_validate_prints_a_summary(run: Run) -> None:
    outcome = run("factory", "validate", str(REPO / "examples/plants/minsk-100k.toml"))
    assert outcome.code == 0, outcome.err
    assert "Minsk 100k" in outcome.out
    assert "flight-test" in outcome.out
    assert "valid, 0 warning(s)" in outcome.out


def test_validate_json_is_one_object(run: Run) -> None:
    outcome = run("factory", "validate", str(REPO / "tests/factory/data/ok_small.toml"), "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["valid"] is True
    assert data["plant"] == "ok_small"
    assert data["work_centres"]["assembly"]["stations"] == 2
    assert data["workers"] == {"assemblers": 3, "testers": 1}
    assert data["calendar"]["working_min_in_horizon"] == 19 * 960
    assert data["warnings"] == []


def test_validate_missing_file(run: Run, tmp_path: Path) -> None:
    outcome = run("factory", "validate", str(tmp_path / "nope.toml"))
    assert outcome.code == 1
    assert outcome.err.startswith(f"ConfigError: {tmp_path / 'nope.toml'}: no such file")


def test_schema_to_stdout_and_file(run: Run, tmp_path: Path) -> None:
    printed = run("factory", "schema")
    assert printed.code == 0
    schema = json.loads(printed.out)
    assert schema["title"] == "droneworks plant file"
    assert {"plant", "products", "work_centres", "demand"} <= set(schema["properties"])
    out = tmp_path / "plant.schema.json"
    written = run("factory", "schema", "--out", str(out), "--json")
    assert written.code == 0
    assert json.loads(written.out)["out"] == str(out)
    assert json.loads(out.read_text()) == schema


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", PLANTS, ids=[path.name for path in PLANTS])
def test_schema_accepts_every_good_plant(path: Path) -> None:
    jsonschema.validate(_jsonable(read_toml(path)), plant_json_schema())


def test_schema_rejects_an_unknown_key() -> None:
    data = _jsonable(read_toml(REPO / "tests/factory/data/ok_small.toml"))
    data["work_centres"]["kitting"]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate(data, plant_json_schema())
