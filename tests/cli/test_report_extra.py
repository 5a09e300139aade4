"""plotly is the ``[report]`` extra: without it every ``--report`` names the extra before
any work, reports without figures and the quick demo still work, the factory parts of the
demo are skipped with a line naming it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from droneworks import demo
from droneworks.core.report import Section, Table, render_html
from tests.cli.conftest import Run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLANT = str(EXAMPLES / "plants" / "reference-line.toml")
MESSAGE = (
    "MissingExtraError: --report (an HTML report with plotly figures) needs the optional "
    "package plotly (not installed: plotly); install it with: pip install 'droneworks[report]'"
)


@pytest.fixture
def no_plotly(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name.split(".")[0] == "plotly"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "plotly", None)  # as if not installed


@pytest.mark.usefixtures("no_plotly")
@pytest.mark.parametrize(
    "command",
    [
        ("factory", "simulate", PLANT),
        ("factory", "replicate", PLANT, "--reps", "2"),
        ("factory", "size", PLANT, "--target", "100/yr"),
        ("factory", "rampup", str(EXAMPLES / "plants" / "minsk-rampup.toml")),
        ("factory", "experiment", str(EXAMPLES / "experiments" / "minsk-100k-risk.toml")),
    ],
)
def test_every_report_names_the_extra_before_work(
    run: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    report = tmp_path / "report.html"
    outcome = run(*command, "--report", str(report))
    assert outcome.code == 1
    assert outcome.err.strip().splitlines() == [MESSAGE]
    assert not report.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("no_plotly")
def test_a_report_without_figures_needs_no_plotly() -> None:
    html = render_html("t", [Section("s", tables=[Table(["a"], [[1]])])])
    assert "<table" in html and "plotly" not in html


def test_factory_demo_parts_skipped_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(demo, "_installed", lambda extra: extra != "report")
    skipped = {name for name, extra in demo.PART_EXTRAS.items() if extra == "report"}
    assert skipped == {
        f"droneworks.factory.demo_{part}" for part in ("simulate", "capacity", "rampup")
    }
    answers = demo.run_demo(tmp_path, demo.demo_parts()[1:4])
    assert [answer.answer for answer in answers] == [
        [f"{title}: skipped, it needs pip install 'droneworks[report]'."]
        for title in ("Simulate", "Capacity", "Rampup")
    ]
