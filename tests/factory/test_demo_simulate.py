"""The factory simulation demo part runs on the built-in plants and writes its files."""

from __future__ import annotations

from pathlib import Path

from droneworks.core.progress import RecordingProgress
from droneworks.factory.demo_simulate import PLANTS, demo_part
from droneworks.factory.model import load_plant
from droneworks.factory.plan.roughcut import annual_demand


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
    # each line says whether the run met its plan, and by how much it missed
    demanded = annual_demand(load_plant(PLANTS / "minsk-2k.toml"))
    assert demanded is not None
    small = answer.answer[0]
    assert f"plan of {demanded:,.0f}/yr" in small
    delivered = answer.data["minsk-2k"]["throughput_per_year"]
    if delivered < 0.99 * demanded:
        assert f"MISSED by {demanded - delivered:,.0f}/yr = " in small
    else:
        assert "met" in small
