"""The command tree of ``droneworks``, walked from the Typer app (so a new command is
covered by every test that uses it without being listed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from droneworks.cli.main import app


def walk(command: Any, path: str = "droneworks") -> Iterator[tuple[str, Any]]:
    """Every command and group below ``command`` as (``droneworks factory simulate``, it)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():  # typer ships its own click
        yield from walk(sub, f"{path} {name}")


ROOT = typer.main.get_command(app)
TREE = dict(walk(ROOT))
COMMANDS = {path: command for path, command in TREE.items() if not hasattr(command, "commands")}
GROUPS = {path: command for path, command in TREE.items() if hasattr(command, "commands")}
