"""Rendering helpers shared by every command: JSON or rich tables, progress bars, and the
``--force`` option with :func:`writing`, the output session every writing command opens
(files policy: :mod:`droneworks.core.outputs`, docs/cli.md "Files")."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from droneworks.core.executor import Executor
    from droneworks.core.outputs import OutputSession

__all__ = [
    "ForceOption",
    "SizeGuardOption",
    "console",
    "emit",
    "err_console",
    "progress_bar",
    "resumable",
    "table",
    "to_jsonable",
    "writing",
]

console = Console()
err_console = Console(stderr=True)


ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace output files that exist already.")
]
SizeGuardOption = Annotated[
    bool,
    typer.Option(
        "--size-guard/--no-size-guard",
        help="Refuse work estimated at over an hour of CPU or too large for memory "
        "(docs/cli.md, work-size guards).",
    ),
]
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        help="local (process pool), serial, dask (a local Dask cluster) "
        "or a Dask scheduler address tcp://HOST:8786.",
    ),
]


@contextmanager
def writing(force: bool) -> Iterator[OutputSession]:
    """Stage the block's files; rename them all at its end (see core.outputs).

    Without ``force`` an existing file stops the command with one error and nothing is
    written; with it, one ``Replaced N existing files`` line goes to stderr.
    """
    from droneworks.core.outputs import output_session

    with output_session(force) as session:
        yield session
    if session.replaced:
        count = len(session.replaced)
        err_console.print(f"Replaced {count} existing file{'s' if count > 1 else ''} (--force).")


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from numpy scalars/arrays, paths, enums and non-finite floats."""
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(item) for item in value]
    if _is_numpy(value):  # a numpy scalar or array: its Python equivalent
        return to_jsonable(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _is_numpy(value: Any) -> bool:
    """True for numpy values, without importing numpy (if it is not loaded, there are none)."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray | numpy.generic)


def emit(data: Mapping[str, Any], as_json: bool, render: Callable[[Console], None]) -> None:
    """Print ``data`` as one JSON object on stdout, or call ``render`` for people."""
    if as_json:
        sys.stdout.write(json.dumps(to_jsonable(data), indent=2) + "\n")
    else:
        render(console)


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    """A rich table; numbers right-aligned and formatted compactly. Ids are never cut: a
    table wider than the terminal (or than 80 columns when piped) is split into several
    tables that each repeat the first column; cells fold only as a last resort."""
    cells = [[_format(cell) for cell in row] for row in rows]
    return _FittingTable(title, list(columns), cells)


class _FittingTable(Table):
    """A table that keeps every cell whole by splitting its columns to fit the width."""

    def __init__(self, title: str, columns: list[str], cells: list[list[str]]) -> None:
        super().__init__(title=title, title_justify="left")
        self._columns, self._cells = columns, cells
        self._fill(self, list(range(len(columns))))

    def _fill(self, target: Table, keep: list[int], fits: bool = True) -> None:
        """Columns ``keep`` of the table; when they cannot fit at full width, cells wrap at
        spaces, and only the words of the first column (the ids) are kept whole."""
        for index in keep:
            target.add_column(
                self._columns[index],
                justify="left" if index == 0 else "right",
                width=self._width(index) if fits else None,
                min_width=self._word(index) if index == 0 and not fits else None,
                overflow="fold",
            )
        for row in self._cells:
            target.add_row(*(row[index] for index in keep))

    def _width(self, index: int) -> int:
        """Widest cell of a column, or its header's longest word (headers may wrap)."""
        words = self._columns[index].split() or [""]
        widest = max((cell_len(row[index]) for row in self._cells if index < len(row)), default=0)
        return max(widest, *(cell_len(word) for word in words))

    def _word(self, index: int) -> int:
        """Longest word in a column (what must not fold)."""
        words = [word for row in self._cells for word in row[index].split()]
        return max((cell_len(word) for word in words), default=1)

    def _fits(self, keep: list[int], max_width: int, first: int | None = None) -> bool:
        """Whether columns ``keep`` fit at full width (the first one at ``first``)."""
        widths = [first if (index == 0 and first) else self._width(index) for index in keep]
        return 1 + sum(width + 3 for width in widths) <= max_width

    def _groups(self, max_width: int) -> list[list[int]]:
        """Column 0 plus as many further columns as fit, for each part of the table."""
        first = self._width(0) + 3 + 1  # padding and borders
        groups: list[list[int]] = [[0]]
        used = first
        for index in range(1, len(self._columns)):
            need = self._width(index) + 3
            if used + need > max_width and len(groups[-1]) > 1:
                groups.append([0])
                used = first
            groups[-1].append(index)
            used += need
        return groups

    def _stacked(self) -> RenderResult:
        """One block per row (its id, then ``column: value`` lines) for narrow terminals."""
        yield Text(str(self.title), style="italic")
        for row in self._cells:
            yield Text(row[0], style="bold")
            for column, cell in zip(self._columns[1:], row[1:], strict=False):
                yield Text(f"  {column}: {cell}")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        groups = self._groups(options.max_width)
        if len(groups) == 1 and self._fits(groups[0], options.max_width):
            yield from super().__rich_console__(console, options)
            return
        if not all(self._fits(keep, options.max_width, self._word(0)) for keep in groups):
            yield from self._stacked()  # not even the words of the ids fit beside a column
            return
        for part, keep in enumerate(groups):
            title = str(self.title) + (f" ({part + 1}/{len(groups)})" if len(groups) > 1 else "")
            piece = Table(title=title, title_justify="left")
            self._fill(piece, keep, self._fits(keep, options.max_width))
            yield piece


def _format(value: Any) -> str:
    if isinstance(value, float) or (_is_numpy(value) and value.dtype.kind == "f"):
        number = float(value)
        if not math.isfinite(number):
            return "—"
        return f"{number:,.0f}" if abs(number) >= 1e4 else f"{number:.4g}"
    if value is None:
        return "—"
    return str(value)


class _RichProgress:
    """Adapts a rich progress bar to droneworks.core.progress.Progress."""

    def __init__(self, bar: Progress) -> None:
        self._bar = bar
        self._task: Any = None

    def start(self, description: str, total: float) -> None:
        self._task = self._bar.add_task(description, total=total)

    def update(self, done: float) -> None:
        if self._task is not None:
            self._bar.update(self._task, completed=done)


class _LineProgress:
    """Progress as JSON lines ``{"description", "done", "total"}`` (DRONEWORKS_PROGRESS)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._description, self._total = "", 0.0

    def start(self, description: str, total: float) -> None:
        self._description, self._total = description, float(total)
        self.update(0.0)

    def update(self, done: float) -> None:
        line = {"description": self._description, "done": float(done), "total": self._total}
        self._stream.write(json.dumps(line) + "\n")
        self._stream.flush()


@contextmanager
def resumable(runner: Executor, kept: str) -> Iterator[None]:
    """Work on ``runner`` that stores each finished piece: the executor is closed at the
    end, and Ctrl-C says the finished ``kept`` are stored and exits 130."""
    try:
        yield
    except KeyboardInterrupt:
        err_console.print(
            f"Interrupted: finished {kept} are stored; run the same command again to continue.",
            markup=False,
        )
        raise typer.Exit(130) from None
    finally:
        runner.close()


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Any]:
    """A Progress sink drawing on stderr (silent when ``enabled`` is false, e.g. --json)."""
    from droneworks.core.progress import NO_PROGRESS

    lines = os.environ.get("DRONEWORKS_PROGRESS")
    if lines:  # a caller such as the web dashboard follows progress in this file
        with open(lines, "a", encoding="utf-8") as stream:
            yield _LineProgress(stream)
        return
    if not enabled or not err_console.is_terminal:
        yield NO_PROGRESS
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        yield _RichProgress(bar)
