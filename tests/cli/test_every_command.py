"""Conventions every command follows: --json, help text, a wing group per wing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from droneworks.cli.main import WINGS, app


def leaf_commands(command: Any, path: str = "droneworks") -> Iterator[tuple[str, Any]]:
    if hasattr(command, "commands"):  # a group (typer ships its own click)
        for name, sub in command.commands.items():
            yield from leaf_commands(sub, f"{path} {name}")
    else:
        yield path, command


COMMANDS = dict(leaf_commands(typer.main.get_command(app)))


def test_every_wing_has_commands() -> None:
    for wing in WINGS:
        assert any(path.startswith(f"droneworks {wing} ") for path in COMMANDS), wing


def test_every_command_has_json_and_help() -> None:
    assert len(COMMANDS) >= 15  # discovery found the wings
    for path, command in COMMANDS.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--json" in options, f"{path} has no --json"
        assert (command.help or "").strip(), f"{path} has no help text"
