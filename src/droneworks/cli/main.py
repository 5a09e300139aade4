"""The `droneworks` command: thin Typer commands that parse, call the library and render.

Errors: a :class:`~droneworks.core.errors.DroneworksError` prints ``ErrorName: message`` on
stderr and exits 1 (``--debug`` shows the traceback); so do usage errors, as one
``UsageError: …`` line (:mod:`droneworks.cli.usage`).
"""

from __future__ import annotations

import atexit
import gc
import inspect
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from droneworks import __version__
from droneworks.cli.output import ForceOption, emit, err_console, progress_bar, writing
from droneworks.cli.usage import OneLineUsageGroup
from droneworks.core.errors import DroneworksError
from droneworks.core.outputs import check_out_folder

app = typer.Typer(
    name="droneworks",
    cls=OneLineUsageGroup,
    help="Drone plant digital twin, mission planning and border monitoring networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"droneworks {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """droneworks: factory, missions and watch on one core."""


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("out/demo"),
    quick: Annotated[
        bool, typer.Option("--quick", help="Only the parts that take seconds (smoke test).")
    ] = False,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run every wing's main job on the built-in examples and write out/demo/."""
    from droneworks.cli.kernel import ready_kernel
    from droneworks.demo import demo_parts, run_demo

    check_out_folder(out)
    ready_kernel(not as_json)
    with writing(force), progress_bar(not as_json) as progress:
        answers = run_demo(out, demo_parts(quick), progress=progress)
    data = {
        "out": str(out),
        "report": str(out / "report.html"),
        "answers": {
            answer.title: {"answer": list(answer.answer), **answer.data} for answer in answers
        },
    }

    def render(console: Console) -> None:
        for answer in answers:
            console.print(f"[bold]{answer.title}[/bold]")
            for line in answer.answer:
                console.print(f"  {line}")
        console.print(f"Report: {out / 'report.html'}")

    emit(data, as_json, render)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: a free one).")] = 8000,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Allow an address other than localhost.")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(help="Token every request must carry [default: a new one when remote]."),
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="Folder for jobs and uploads [default: user data folder].")
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help="Runs database (as the CLI).")] = None,
    max_upload_mb: Annotated[float, typer.Option(min=0.001, max=1000)] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the address as JSON.")] = False,
) -> None:
    """The web dashboard: start, follow and compare studies in the browser."""
    from droneworks.cli.serve import run_server

    run_server(host, port, allow_remote, token, data, db, max_upload_mb, as_json)


WINGS = {
    "factory": "Digital twin of a drone assembly plant.",
    "mission": "Survey, spraying and delivery missions.",
    "watch": "Border drone-monitoring networks.",
}


# Help lists a wing's commands in workflow order; modules not named here come last.
MODULE_ORDER = (
    "factory_validate", "factory_simulate", "factory_plan", "factory_size",
    "factory_runs", "factory_rampup",
    "factory_experiment",
    "mission_plan", "mission_deliver", "watch_coverage", "watch_simulate",
)  # fmt: skip


def _group_modules(group: str) -> list[str]:
    """The command modules of a group: ``droneworks.cli.<group>`` and
    ``droneworks.cli.<group>_<area>``, in :data:`MODULE_ORDER`."""
    import pkgutil

    import droneworks.cli as package

    names = sorted(
        (info.name for info in pkgutil.iter_modules(package.__path__)),
        key=lambda name: (MODULE_ORDER.index(name) if name in MODULE_ORDER else 99, name),
    )
    return [
        f"droneworks.cli.{name}" for name in names if name == group or name.startswith(f"{group}_")
    ]


def _lazy_group(group: str) -> type[TyperGroup]:
    """A command group that imports its command modules only when it is used.

    ``droneworks --help`` or ``catalogue list`` then never import a wing (numba, scipy,
    sqlalchemy …), and ``droneworks factory …`` only the factory's command modules. Each
    module has its own ``app``; their commands are merged into the group.
    """

    class LazyGroup(TyperGroup):
        _loaded: dict[str, Any] | None = None

        @property
        def commands(self) -> MutableMapping[str, Any]:
            if self._loaded is None:
                import importlib

                merged = typer.Typer()
                for name in _group_modules(group):
                    merged.add_typer(importlib.import_module(name).app)
                self._loaded = dict(typer.main.get_group(merged).commands)
                for command in self._loaded.values():
                    _unwrap_help(command)
            return self._loaded

        @commands.setter
        def commands(self, value: MutableMapping[str, Any]) -> None:
            """Typer hands an empty mapping at construction; the modules fill it."""

    return LazyGroup


def _unwrap_help(command: Any) -> None:
    """Join the lines of each help paragraph (Typer keeps a docstring's line breaks after
    the first paragraph, so ``--help`` broke sentences mid-line at 80 columns); paragraphs
    that are lists or indented blocks keep theirs. Sub-commands too."""
    if command.help:
        command.help = "\n\n".join(
            paragraph if _is_block(paragraph) else " ".join(paragraph.split())
            for paragraph in inspect.cleandoc(command.help).split("\n\n")
        )
    for sub in getattr(command, "commands", {}).values():
        _unwrap_help(sub)


def _is_block(paragraph: str) -> bool:
    lines = paragraph.splitlines()
    return any(line[:1].isspace() or line.lstrip()[:2] in ("- ", "* ", "\b") for line in lines)


GROUPS = {"catalogue": "Civilian drone types shared by all wings.", **WINGS}


def _register_groups() -> None:
    """Add the catalogue and each wing's command group, each loaded on first use."""
    for group, help_text in GROUPS.items():
        lazy = typer.Typer(cls=_lazy_group(group), help=help_text, no_args_is_help=True)
        app.add_typer(lazy, name=group)


_register_groups()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: the last line of defence (docs/cli.md, "Errors").

    A :class:`DroneworksError` prints ``ErrorName: message``; any other exception is a bug
    and prints one ``InternalError: … (run with --debug; please report)`` line. Both exit 1;
    ``--debug`` re-raises them with their traceback.
    """
    if argv is None:  # the console script: this process ends with the command
        _collect_for_a_short_process()
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app(args=args, prog_name="droneworks")
    except DroneworksError as error:
        if debug:
            raise
        _print_error(type(error).__name__, str(error))
        sys.exit(1)
    except Exception as error:  # the last line of defence: any bug ends in one line
        if debug:
            raise
        _print_error(
            "InternalError", f"{internal_message(error)} (run with --debug; please report)"
        )
        sys.exit(1)


def _collect_for_a_short_process() -> None:
    """Tune the cyclic garbage collector for a process that ends when its command does.

    numba, llvmlite and pydantic make some 130,000 long-lived objects: the collector walks
    them again and again while they are imported, and frees them one by one when the
    interpreter exits — together a third of the CPU time of a one-year ``factory
    simulate`` (0.5 of 1.8 s, benchmarks/RESULTS.md). Young collections run every 5,000
    allocations instead of 700, and what is alive at exit is frozen, so the shutdown
    skips it (objects freed by their reference counts still are; the rest ends with the
    process, whose files the commands have closed).
    """
    gc.set_threshold(5_000, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)


def internal_message(error: BaseException, limit: int = 300) -> str:
    """``ExceptionType: first line of its message``, at most ``limit`` characters."""
    text = " ".join(str(error).split())
    text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _print_error(name: str, message: str) -> None:
    """``name: message`` on stderr; the message is plain text, never read as rich markup."""
    err_console.print(Text.assemble((name, "bold red"), ": ", message), soft_wrap=True)
