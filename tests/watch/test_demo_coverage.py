"""The coverage demo part runs on the shipped example and writes its files."""

from __future__ import annotations

from pathlib import Path

from droneworks.core.progress import RecordingProgress
from droneworks.watch.demo_coverage import demo_part


def test_demo_part_answers_and_writes_map_and_csv(tmp_path: Path) -> None:
    answer = demo_part(tmp_path, RecordingProgress())
    assert len(answer.answer) == 4 and "Belarus–Poland" in answer.answer[0]
    assert (tmp_path / "watch-coverage.png").stat().st_size > 10_000
    assert (tmp_path / "watch-coverage.csv").read_text().startswith("threat,")
    assert set(answer.data["shares"]) == {
        "multirotor-100m",
        "multirotor-autonomous-50m",
        "fixed-wing-300m",
    }
    assert 0 < answer.data["milp_95_cost_eur"] <= answer.data["greedy_95_cost_eur"]
    assert all(
        0 <= line <= 1 and 0 <= band <= 1
        for by_alt in answer.data["altitude_sweep"].values()
        for line, band in by_alt.values()
    )
