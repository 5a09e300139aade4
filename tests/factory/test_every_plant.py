"""Every plant the docs and examples show runs without stalling; a plant that stalls is
warned about by `validate` and reported (non-zero exit) by `simulate`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from droneworks.core.units import MINUTES_PER_WEEK
from droneworks.factory import compile_plant, load_plant, simulate
from droneworks.factory.model.holding import find_holding_cycles
from droneworks.factory.plan.stall import find_stalls
from tests.factory.test_cli_simulate import _run

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def _doc_plants() -> list[tuple[str, str]]:
    """Every complete plant file (a TOML block with a [plant] table) in docs/*.md."""
    found = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for k, block in enumerate(re.findall(r"```toml\n(.*?)```", doc.read_text(), re.S)):
            if re.search(r"^\[plant\]", block, re.M):
                found.append((f"{doc.name}#{k}", block))
    return found


def _plants() -> list[tuple[str, str]]:
    examples = sorted((ROOT / "examples").rglob("*.toml"))
    return _doc_plants() + [(p.name, str(p)) for p in examples if "[plant]" in p.read_text()]


def test_the_docs_hold_at_least_one_plant() -> None:
    assert any(name.startswith("plant-file.md") for name, _ in _doc_plants())


@pytest.mark.parametrize(("name", "source"), _plants(), ids=[name for name, _ in _plants()])
def test_every_shown_plant_runs_without_stalling(name: str, source: str, tmp_path: Path) -> None:
    path = Path(source) if name.endswith(".toml") else tmp_path / "plant.toml"
    if path.parent == tmp_path:
        path.write_text(source)  # a plant written out in the docs
    plant = load_plant(path)
    assert find_holding_cycles(plant) == []
    horizon = min(plant.horizon_min, plant.warmup_min + 10 * MINUTES_PER_WEEK)
    result = simulate(compile_plant(plant, horizon_min=horizon), seed=0)
    assert result.output_by_period.sum() > 0
    assert find_stalls(result, find_holding_cycles(plant)) == []


def test_a_stalling_plant_is_warned_about_and_reported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = DATA / "stall_shared_assembly.toml"
    plant = load_plant(path)
    (cycle,) = find_holding_cycles(plant)
    assert (cycle.work_centre, cycle.holder, cycle.component) == ("assembly", "sprayer", "arm")
    assert any("can hold all 2 stations" in warning for warning in plant.warnings)
    code, out, _ = _run(capsys, "factory", "simulate", str(path), "--json")
    assert code == 3
    (stall,) = json.loads(out)["stalls"]
    assert not stall["recovered"] and stall["end_min"] == pytest.approx(4 * MINUTES_PER_WEEK)
    (centre,) = [c for c in stall["centres"] if c["work_centre"] == "assembly"]
    assert centre["state"] == "starved_material" and centre["waiting_for"] == ["arm"]
    assert "never recovered" in stall["finding"]
    # the stations that are stuck, what each holds and the material it waits for
    assert [(h["work_centre"], h["station"], h["holds"], h["waiting_for"])
            for h in stall["stations"]] == [("assembly", 1, "sprayer", "arm"),
                                            ("assembly", 2, "sprayer", "arm")]  # fmt: skip
    assert "assembly stations 1, 2 hold sprayer, waiting for material arm" in stall["finding"]


def test_a_stall_the_plant_recovers_from_names_its_stations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = DATA / "stall_late_parts.toml"
    code, out, _ = _run(capsys, "factory", "simulate", str(path), "--json")
    assert code == 0  # it recovered: the KPIs describe a plant that runs again
    data = json.loads(out)
    (stall,) = data["stalls"]
    assert stall["recovered"] and stall["end_min"] < 8 * MINUTES_PER_WEEK
    # named from the same run simulated up to the stall's end
    assert [(h["work_centre"], h["station"], h["holds"], h["activity"], h["waiting_for"])
            for h in stall["stations"]] == [
        ("assembly", 1, "quad", "waiting for material", "frame")]  # fmt: skip
    assert "then recovered" in stall["finding"]
    assert any(line.startswith("Stall from day") for line in data["verdict"]["lines"])
