"""The factory simulation demo part runs on the built-in plants and writes its files."""

from __future__ import annotations

from pathlib import Path

from droneworks.core.progress import RecordingProgress
from droneworks.factory.demo_simulate import demo_part


def test_demo_part(tmp_path: Path) -> None:
    progress = RecordingProgress()
    answer = demo_part(tmp_path, progress)
    assert len(answer.answer) == 2
    assert answer.data["minsk-100k"]["units"] > answer.data["minsk-2k"]["units"] > 0
    assert all(section.figures for section in answer.sections)
    for figure in answer.sections[0].figures:
        layout = figure.layout
        assert layout.title.text and layout.xaxis.title.text and layout.yaxis.title.text
    assert len(list(tmp_path.glob("factory-simulate-*.csv"))) == 2
    assert progress.started
