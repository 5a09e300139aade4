"""What a report shows, read back from its HTML: every figure has data, the lead-time
histogram is on a log axis, intervals stay in range, images are embedded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.report import Section, write_report
from droneworks.factory.plan.statistics import Interval
from droneworks.factory.report.tables import interval_cells
from tests.factory.test_cli_simulate import _run

PLANTS = Path(__file__).resolve().parents[3] / "examples" / "plants"


def figures_of(html: str) -> list[tuple[list[dict[str, object]], dict[str, object]]]:
    """(traces, layout) of every plotly figure in a report."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*", html):
        traces, end = decoder.raw_decode(html, match.end())
        start = html.index("{", end)
        layout, _ = decoder.raw_decode(html, start)
        found.append((traces, layout))
    return found


def _values(trace: dict[str, object], axis: str) -> np.ndarray:
    raw = trace.get(axis)
    if isinstance(raw, dict):  # plotly's binary encoding of numpy arrays
        import base64

        data = np.frombuffer(base64.b64decode(str(raw["bdata"])), dtype=str(raw["dtype"]))
        return data.astype(float)
    return np.asarray(raw if raw is not None else [], dtype=float)


def test_simulation_report_figures_hold_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "run.html"
    plant = str(PLANTS / "minsk-2k.toml")
    code, _, _ = _run(capsys, "factory", "simulate", plant, "--years", "0.3", "--report",
                      str(report), "--json")  # fmt: skip
    assert code == 0
    html = report.read_text()
    figures = figures_of(html)
    assert len(figures) >= 5
    for traces, layout in figures:
        title = str(layout["title"])
        axis = "x" if traces and traces[0].get("orientation") == "h" else "y"
        assert any(np.nansum(np.abs(_values(t, axis))) > 0 for t in traces), title
    (histogram,) = [f for f in figures if "Lead time" in str(f[1]["title"])]
    assert histogram[1]["xaxis"]["type"] == "log"  # type: ignore[index]
    assert [t["name"].split(" (")[0] for t in histogram[0]] == [
        "lead time, order → delivery", "floor time, release → completion"]  # fmt: skip
    for trace in histogram[0]:
        bars = _values(trace, "y")
        assert 3 <= len(bars) <= 200 and bars.sum() > 0
    (output,) = [f for f in figures if "Cumulative output" in str(f[1]["title"])]
    demand = [t for t in output[0] if str(t["name"]).startswith("demand: units ordered")]
    assert demand and _values(demand[0], "y")[-1] > 0  # the plan drawn against the output
    assert "confidence band" not in html and "mean of 1 replications" not in html
    assert "mean over replications" not in html  # one run says so
    assert "one run (seed" in html and "; a single run" in html  # the stop reason, once
    assert html.index("Verdict") < html.index("Main KPIs")
    assert (tmp_path / "run_csv" / "run-all-kpis.csv").is_file()
    assert 'href="run_csv/run-all-kpis.csv"' in html
    assert "while any of its stations" not in html


def test_images_are_embedded_so_the_html_alone_is_the_report(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    report = write_report(tmp_path / "r.html", "T", [Section("Map", images=["maps/map.png"])])
    sources = re.findall(r'<img src="([^"]+)"', report.read_text())
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)


def test_intervals_respect_the_range_and_float_noise() -> None:
    share = Interval(0.02, 0.05, 0.0, 5, 0.95)
    _, _, low, high = interval_cells("wc.frame.working", share)
    assert low == 0.0 and high == pytest.approx(0.07)
    near_one = Interval(0.99, 0.05, 0.0, 5, 0.95)
    assert interval_cells("wc.frame.oee", near_one)[3] == 1.0
    noise = Interval(97_000.0, 2.7e-15, 0.0, 4, 0.95)
    assert interval_cells("units", noise)[1] == 0.0
    assert interval_cells("units", Interval(5.0, float("nan"), 0.0, 1, 0.95))[1] == "one run"
