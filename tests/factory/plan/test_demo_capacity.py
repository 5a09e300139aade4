"""The capacity demo's answer, on a tiny plant with a fake simulator (the real run is in
test_cli_plan.py / the demo)."""

from __future__ import annotations

from pathlib import Path

from droneworks.factory.demo_capacity import PLANT_FILE, capacity_answer
from droneworks.factory.model import load_plant
from tests.factory.plan.fakes import capacity_simulate, identity_compile

DATA = Path(__file__).parent / "data"


def test_capacity_answer_names_verdict_change_and_few_replications() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    lines, result, _comparison, verdict = capacity_answer(
        plant,
        15000.0,
        reps=4,
        verify_reps=6,
        max_evaluations=8,
        simulate_fn=capacity_simulate,
        compile_fn=identity_compile,
    )
    text = "\n".join(lines)
    assert "Capacity — can it build 15,000 a year (asked)? NO" in lines[0]
    assert lines[1].startswith("Plan as demanded: delivered")
    assert "Cheapest change found: frame 2→3 stations, assemblers 2→3 workers/shift" in text
    assert "+50,000 EUR/yr" in text and "confirmed" in text
    assert "Few replications" in lines[-1]
    assert result.best is not None and result.verified
    assert 3 <= len(lines) <= 7
    assert verdict is not None and verdict.answer == "no"


def test_demo_plant_file_is_shipped() -> None:
    assert PLANT_FILE.is_file()
