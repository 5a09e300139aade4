"""Terminal tables keep every id whole at 80 columns (and when piped)."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from droneworks.cli.output import table

IDS = ["harness", "harness-cell", "agras-t40-sprayer-final-assembly", "stores"]
STATES = ["working %", "setup %", "blocked %", "starved_work %", "starved_material %",
          "starved_worker %", "down %", "off_shift %", "OEE %"]  # fmt: skip


def _render(width: int, columns: list[str], rows: list[list[object]]) -> list[str]:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None).print(table("T", columns, rows))
    return buffer.getvalue().splitlines()


@pytest.mark.parametrize("width", [40, 80, 200])
def test_wide_tables_split_their_columns_and_keep_ids_whole(width: int) -> None:
    rows = [[name, *[12.5 * k for k in range(len(STATES))]] for name in IDS]
    lines = _render(width, ["work centre", *STATES], rows)
    assert max(cell_len(line) for line in lines) <= width
    text = "\n".join(lines)
    assert "…" not in text
    for name in IDS:  # whole, alone in a cell or on its own line
        assert f" {name} " in text or f"\n{name}\n" in f"\n{text}\n"
    for header_word in ("starved_material", "off_shift", "OEE"):
        assert header_word in text
    split = "T (2/" in text
    stacked = "  OEE %: 100" in text
    assert (split, stacked) == {40: (False, True), 80: (True, False), 200: (False, False)}[width]


def test_long_labels_wrap_at_spaces_but_ids_stay_whole() -> None:
    label = "floor time, release to completion: mean / p50 / p90 / p99 min"
    lines = _render(40, ["kpi", "value"], [[label, "1989 / 1499 / 4258 / 5209"]])
    assert max(cell_len(line) for line in lines) <= 40
    assert "1989" in "\n".join(lines) and "…" not in "\n".join(lines)
