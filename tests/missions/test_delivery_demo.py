"""The deliveries demo part runs on the built-in example and writes its map and files."""

from __future__ import annotations

from pathlib import Path

from droneworks.core.progress import RecordingProgress
from droneworks.missions.demo_deliveries import demo_part


def test_demo_part(tmp_path: Path) -> None:
    progress = RecordingProgress()
    answer = demo_part(tmp_path, progress)
    assert answer.title == "Deliveries"
    assert answer.data["all_sorties_within_range"] is True
    assert answer.data["served"] + len(answer.data["infeasible"]) == answer.data["drops"]
    assert (tmp_path / "deliveries" / "deliveries_map.png").stat().st_size > 10_000
    assert len(list((tmp_path / "deliveries").glob("*.plan"))) == answer.data["sorties"]
    assert "too heavy" in " ".join(answer.answer)
