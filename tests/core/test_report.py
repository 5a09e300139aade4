from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from droneworks.core.report import Section, Table, write_atomic, write_report


def test_report_is_self_contained(tmp_path: Path) -> None:
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    figure.update_layout(title="t", xaxis_title="x (min)", yaxis_title="y (units)")
    path = write_report(
        tmp_path / "r.html",
        "Report",
        [
            Section(
                "Part", paragraphs=["hello <b>"], tables=[Table(["a"], [[1.5]])], figures=[figure]
            )
        ],
    )
    text = path.read_text()
    assert "hello &lt;b&gt;" in text
    assert "<td>1.5</td>" in text
    assert "<script src=" not in text  # plotly.js inlined, nothing fetched
    assert len(text) > 1_000_000


def test_table_csv() -> None:
    assert Table(["a", "b"], [[1, "x"]]).to_csv() == "a,b\n1,x\n"


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "keep.txt", "good")

    class Boom:
        def encode(self, _: str) -> bytes:
            raise RuntimeError("boom")

    with pytest.raises(TypeError):
        write_atomic(target, Boom())  # type: ignore[arg-type]
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
