"""Every usage error of every command is one line naming what and where, exit 1 (issue 13).

The cases are derived from the command tree (tests/cli/commands.py): for each command an
unknown option, a missing argument, an option without its value, a value below or above
every declared range, a word for every number; for each group a misspelt command. A new
command or option is covered without being listed here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.commands import COMMANDS, GROUPS
from tests.cli.conftest import Run

Case = tuple[list[str], list[str]]  # the arguments; fragments the one line must contain


def _words(path: str) -> list[str]:
    return path.split()[1:]


def _arguments(command: Any) -> list[str]:
    """Placeholder values for the required arguments (the errors come before any use)."""
    return [
        "1" if param.type_descriptor.annotation is int else "x"
        for param in command.params
        if param.param_type_name == "argument" and param.required
    ]


def _value_options(command: Any) -> list[tuple[str, Any, Any]]:
    """(longest option name, type, parameter info) of every option that takes one value."""
    return [
        (
            max(param.opts, key=len),
            param.type_descriptor.annotation,
            param.type_descriptor.parameter_info,
        )
        for param in command.params
        if param.param_type_name == "option" and not param.is_flag
    ]


def _command_cases(path: str, command: Any) -> dict[str, Case]:
    words, arguments = _words(path), _arguments(command)
    cases: dict[str, Case] = {
        f"{path} --no-such-option": (
            [*words, *arguments, "--no-such-option"],
            [path, "No such option: --no-such-option"],
        )
    }
    if arguments:
        cases[f"{path} (no arguments)"] = (words, [path, "Missing argument"])
    for option, kind, info in _value_options(command):
        cases[f"{path} {option} (no value)"] = (
            [*words, *arguments, option],
            [path, option, "requires an argument"],
        )
        if kind not in (int, float):
            continue
        cases[f"{path} {option} words"] = (
            [*words, *arguments, option, "many"],
            [f"{path} {option}: got 'many'"],
        )
        for bound, step in ((info.min, -1), (info.max, +1)):
            if bound is not None:
                value = str(kind(bound) + step)
                cases[f"{path} {option} {value}"] = (
                    [*words, *arguments, option, value],
                    [f"{path} {option}: got '{value}'"],
                )
    return cases


def _group_cases(path: str, group: Any) -> dict[str, Case]:
    name = sorted(group.commands)[0]
    typo = name[:-1]
    return {
        f"{path} {typo}": (
            [*_words(path), typo],
            [path, f"No such command '{typo}'", f"Did you mean '{name}'"],
        )
    }


CASES: dict[str, Case] = {}
for _path, _command in COMMANDS.items():
    CASES.update(_command_cases(_path, _command))
for _path, _group in GROUPS.items():
    CASES.update(_group_cases(_path, _group))


def test_the_cases_cover_the_tree() -> None:
    assert len(COMMANDS) >= 20 and len(GROUPS) >= 5
    ranged = [case for case in CASES if case.endswith(("-1", "0", "10001", "65536"))]
    assert len(ranged) >= 20, ranged  # the ranges were found, not only the unknown options


@pytest.mark.parametrize("case", list(CASES))
def test_usage_error_is_one_line(run: Run, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    args, fragments = CASES[case]
    outcome = run(*args)
    assert outcome.code == 1, (case, outcome)
    assert outcome.out == ""
    line = outcome.err.rstrip("\n")
    assert "\n" not in line and line.startswith("UsageError: droneworks"), outcome.err
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert "--help" in line and "╭" not in line and "Traceback" not in line


def test_a_group_without_a_command_shows_its_help(run: Run) -> None:
    outcome = run("factory")
    assert outcome.code == 0
    assert "simulate" in outcome.out and "replicate" in outcome.out


def test_a_long_value_is_cut_in_the_message(run: Run) -> None:
    outcome = run("factory", "replicate", "x", "--reps", "9" * 500)
    assert outcome.code == 1 and len(outcome.err) < 300, outcome.err
    assert "…" in outcome.err
