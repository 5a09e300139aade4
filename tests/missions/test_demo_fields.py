"""The field-missions part of `droneworks demo` runs on built-in data and writes its files."""

from __future__ import annotations

from pathlib import Path

from droneworks.core.progress import RecordingProgress
from droneworks.missions.demo_fields import demo_field, demo_part

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"


def test_demo_field_is_the_shipped_example() -> None:
    packaged = (
        Path(__file__).resolve().parents[2] / "src/droneworks/missions/data/demo_field_20ha.geojson"
    )
    assert packaged.read_bytes() == (FIELDS / "field_20ha.geojson").read_bytes()
    assert 20e4 < demo_field().area_m2 < 23e4


def test_demo_part_answers_and_writes_files(tmp_path: Path) -> None:
    progress = RecordingProgress()
    answer = demo_part(tmp_path, progress)
    assert progress.started and progress.updates[-1] == progress.started[0][1]
    assert answer.title == "Field missions"
    assert "0 legs cross" in answer.answer[0]
    assert answer.data["spray"]["covered_ratio"] >= 0.99
    assert {Path(name).suffix for name in answer.data["files"]} >= {".plan", ".png", ".kml"}
    for image in answer.sections[0].images:
        assert (tmp_path / image).stat().st_size > 10_000
    assert (tmp_path / "fields" / "spray_sorties.csv").exists()
