"""Reports of replicated runs and sizing searches: offline HTML, titled plots, CSV tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

from droneworks.factory.model import load_plant
from droneworks.factory.plan.compare import compare_bottlenecks
from droneworks.factory.plan.replications import replicate
from droneworks.factory.plan.roughcut import rough_cut
from droneworks.factory.plan.sizing import size
from droneworks.factory.report import (
    SeriesNames,
    replication_sections,
    sizing_sections,
    write_factory_report,
)
from tests.factory.plan.fakes import (
    FakeProblem,
    capacity_simulate,
    fake_simulate,
    identity_compile,
)

DATA = Path(__file__).parent / "data"


def test_comparison_flags_a_simulated_bottleneck_the_rough_cut_misses() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    rough = rough_cut(plant)  # frame is the rough-cut bottleneck (utilisation 138 %)
    study = replicate(FakeProblem(work_centres=("test", "frame")), 5, simulate_fn=fake_simulate)
    comparison = compare_bottlenecks(rough, study)
    assert comparison.roughcut_bottleneck == "frame"
    assert comparison.simulated_bottleneck == "test"
    assert not comparison.agree
    top = comparison.rows[0]
    assert top.work_centre == "test" and "simulated bottleneck" in top.flag
    assert any("blocked" in loss for loss in top.losses)
    assert "rough-cut bottleneck" in comparison.rows[1].flag


def plot_layouts(html: str) -> list[dict[str, object]]:
    """The layout objects of every plotly figure in a report."""
    layouts = []
    for match in re.finditer(
        r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{", html, re.S
    ):
        layouts.append(json.loads(match.group(2)))
    return layouts


def test_report_has_titled_plots_and_csv_tables(tmp_path: Path) -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    study = replicate(FakeProblem(work_centres=("test", "frame")), 4, simulate_fn=fake_simulate)
    sizing = size(
        plant, 15000.0, reps=4, simulate_fn=capacity_simulate, compile_fn=identity_compile
    )
    sections = replication_sections(
        study,
        SeriesNames(("quad",), ("test", "frame")),
        target_per_year=900.0,
        comparison=compare_bottlenecks(rough_cut(plant), study),
    )
    sections += sizing_sections(sizing)
    written = write_factory_report(tmp_path / "report.html", "Fake plant", sections)
    html = written[0].read_text()
    assert "<script src=" not in html
    layouts = plot_layouts(html)
    assert len(layouts) >= 5
    for layout in layouts:
        assert layout["title"]["text"]
        for axis in ("xaxis", "yaxis"):
            text = layout[axis]["title"]["text"]
            assert text == "work centre" or re.search(r"\(.+\)", text), text
        assert layout["showlegend"] is True
    csvs = [path for path in written if path.suffix == ".csv"]
    assert len(csvs) >= 3
    assert any("P(output ≥ target)" in path.read_text() for path in csvs)


def test_comparison_by_active_periods_and_bad_method() -> None:
    import pytest

    plant = load_plant(DATA / "tiny_cell.toml")
    study = replicate(FakeProblem(work_centres=("frame", "test")), 3, simulate_fn=fake_simulate)
    by_periods = compare_bottlenecks(rough_cut(plant), study, method="active_period")
    assert by_periods.simulated_bottleneck == "frame"  # the longer active period
    assert by_periods.agree and by_periods.method == "active_period"
    with pytest.raises(ValueError, match="method"):
        compare_bottlenecks(rough_cut(plant), study, method="guess")
