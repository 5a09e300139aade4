"""Usage errors as one line: the root command group of the ``droneworks`` command.

Click (through Typer) reports a bad option value, an unknown option or command, or a
missing argument with a usage block and a boxed panel, and exits 2. The project promises
one line naming what is wrong and where, and exit code 1 (docs/cli.md, "Never a
traceback"): :class:`OneLineUsageGroup` runs the command tree and turns those errors into

    UsageError: droneworks factory replicate --reps: got '0'; Input should be greater
    than or equal to 2 (see droneworks factory replicate --help)

(one line; wrapped here). A group called without a command prints its help and exits 0.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from rich.text import Text

# typer vendors its own Click; its exceptions live here (typer re-exports only some).
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    UsageError,
)
from typer.core import TyperGroup
from typer.exceptions import Abort

from droneworks.cli.output import err_console

VALUE_CHARS = 60  # a longer bad value is cut in the message


class OneLineUsageGroup(TyperGroup):
    """The root group: Click's usage errors become one ``UsageError: …`` line, exit 1."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        parse = (args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:  # the caller handles Click's exceptions itself
            return super().main(*parse, **extra)
        try:
            code = super().main(*parse, **extra)
        except NoArgsIsHelpError:  # the help is printed already
            sys.exit(0)
        except ClickException as error:
            known = getattr(error, "ctx", None) is not None
            _fail(usage_message(error, "" if known else self._path(prog_name, args)))
        except Abort:
            _fail("Aborted")
        sys.exit(code if isinstance(code, int) else 0)

    def _path(self, prog_name: str | None, args: Sequence[str] | None) -> str:
        """The command path the words of ``args`` name (for errors Click gives no context)."""
        words = [prog_name or "droneworks"]
        command: Any = self
        for word in sys.argv[1:] if args is None else args:
            commands = getattr(command, "commands", None)
            if not commands or word not in commands:
                break
            command = commands[word]
            words.append(word)
        return " ".join(words)


def _fail(message: str) -> NoReturn:
    err_console.print(Text.assemble(("UsageError", "bold red"), ": ", message), soft_wrap=True)
    sys.exit(1)


def usage_message(error: ClickException, fallback_path: str = "") -> str:
    """Where (command, option) and what, on one line, with a pointer to the help.

    ``fallback_path`` names the command when the error carries no context.
    """
    context = getattr(error, "ctx", None)
    path = context.command_path if context is not None else fallback_path
    what = _one_line(error.format_message())
    if isinstance(error, BadParameter) and not isinstance(error, MissingParameter):
        where = f"{path} {_option_name(error.param)}".strip() if error.param else path
        detail = _one_line(error.message)
        given = _given_value(error)
        what = f"got {given}; {_lower_first(detail)}" if given else f"invalid value: {detail}"
    else:
        where = path
    hint = f" (see {path} --help)" if isinstance(error, UsageError) and path else ""
    return f"{where}: {what}{hint}" if where else f"{what}{hint}"


def _option_name(param: Any) -> str:
    """``--reps`` for an option (its longest name), ``PLANT`` for an argument."""
    names = [str(name) for name in getattr(param, "opts", []) if name.startswith("-")]
    if names:
        return max(names, key=len)
    return str(param.get_error_hint()).strip("'")


def _given_value(error: BadParameter) -> str | None:
    """The value the user gave, when the error came from typer's pydantic check."""
    cause = error.__cause__
    errors = getattr(cause, "errors", None)
    if errors is None:
        return None
    try:
        value = errors()[0]["input"]
    except (IndexError, KeyError, TypeError):
        return None
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…'"


def _lower_first(text: str) -> str:
    """``Input should …`` → ``input should …``; ``URL …`` stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _one_line(text: str) -> str:
    return " ".join(text.split()).rstrip(".")
