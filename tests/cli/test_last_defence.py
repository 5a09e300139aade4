"""The CLI's last line of defence: one plain line on stderr and exit 1, whatever is raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.cli import main as main_module
from droneworks.core.errors import ConfigError
from tests.cli.conftest import Run


def _raising(error: Exception) -> object:
    def app(*args: object, **kwargs: object) -> None:
        raise error

    return app


def test_error_message_is_plain_text_not_markup(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    message = "drops[3]: lonlat [200.0, 55.0] is not [bold]WGS84[/bold]"
    monkeypatch.setattr(main_module, "app", _raising(ConfigError(message)))
    outcome = run("mission", "deliver")
    assert outcome.code == 1
    assert outcome.err == f"ConfigError: {message}\n"


@pytest.mark.parametrize(
    "error", [ZeroDivisionError("float division by zero"), RecursionError(), MemoryError()]
)
def test_unexpected_exception_is_one_internal_error_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    monkeypatch.setattr(main_module, "app", _raising(error))
    outcome = run("factory", "simulate", "plant.toml")
    assert outcome.code == 1
    assert outcome.out == ""
    lines = outcome.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"InternalError: {type(error).__name__}")
    assert lines[0].endswith("(run with --debug; please report)")


def test_internal_error_message_is_short_and_on_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "app", _raising(ValueError("a\n[b]\n" + "x" * 5000)))
    outcome = run("demo")
    assert outcome.err.startswith("InternalError: ValueError: a [b] xxx")
    assert len(outcome.err) < 400
    assert outcome.err.count("\n") == 1


def test_debug_reraises_the_unexpected_exception(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_module, "app", _raising(KeyError("boom")))
    with pytest.raises(KeyError):
        run("--debug", "demo")


def test_a_real_bad_file_ends_in_a_config_error(run: Run, tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("drones = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    outcome = run("catalogue", "list", "--file", str(deep))
    assert outcome.code == 1
    assert outcome.err.startswith(f"ConfigError: {deep}: tables or lists nested more than")
