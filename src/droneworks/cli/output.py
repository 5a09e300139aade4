"""Rendering helpers shared by every command: JSON or rich tables, progress bars, and the
``--force`` option with :func:`writing`, the output session every writing command opens
(files policy: :mod:`droneworks.core.outputs`, docs/cli.md "Files")."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

if TYPE_CHECKING:
    from droneworks.core.outputs import OutputSession

__all__ = [
    "ForceOption",
    "console",
    "emit",
    "err_console",
    "progress_bar",
    "table",
    "to_jsonable",
    "writing",
]

console = Console()
err_console = Console(stderr=True)


ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace output files that exist already.")
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
    """A rich table; numbers right-aligned and formatted compactly."""
    result = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        result.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        result.add_row(*(_format(cell) for cell in row))
    return result


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


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Any]:
    """A Progress sink drawing on stderr (silent when ``enabled`` is false, e.g. --json)."""
    from droneworks.core.progress import NO_PROGRESS

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
