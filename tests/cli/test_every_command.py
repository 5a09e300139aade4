"""Conventions every command follows: --json, help text, a wing group per wing."""

from __future__ import annotations

from droneworks.cli.main import WINGS
from tests.cli.commands import COMMANDS


def test_every_wing_has_commands() -> None:
    for wing in WINGS:
        assert any(path.startswith(f"droneworks {wing} ") for path in COMMANDS), wing


def test_every_command_has_json_and_help() -> None:
    assert len(COMMANDS) >= 15  # discovery found the wings
    for path, command in COMMANDS.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--json" in options, f"{path} has no --json"
        assert (command.help or "").strip(), f"{path} has no help text"


def test_help_paragraphs_wrap_at_the_terminal_not_at_the_docstring() -> None:
    """Typer keeps a docstring's line breaks after its first paragraph: the CLI joins them,
    so at 80 columns no sentence breaks after a short line (lists and indented blocks keep
    their lines)."""
    import os
    import subprocess
    import sys

    for path, command in COMMANDS.items():
        for paragraph in (command.help or "").split("\n\n"):
            lines = paragraph.splitlines()
            if not any(line[:1].isspace() or line.lstrip()[:2] in ("- ", "* ") for line in lines):
                assert len(lines) <= 1, f"{path}: a help paragraph keeps its line breaks"
    shown = subprocess.run(
        [sys.executable, "-c", "from droneworks.cli.main import main; main()",
         "factory", "replicate", "--help"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"}, check=True,
    ).stdout  # fmt: skip
    assert "active-period method; every run is stored" in " ".join(shown.split())
