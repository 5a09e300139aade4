"""Run one CLI command in-process under a time limit and a memory cap, and judge it.

A case passes when the command ends with exit code 0 or 1 (a clean ``ErrorName: message``,
usage errors included) and nothing on stderr is a traceback or an ``InternalError`` (the CLI's
last line of defence, which means an input reached a bug). A case that uses more than
``CASE_SECONDS`` of CPU time, or waits more than ``WALL_FACTOR`` times that on the clock,
is a hang; one that passes the memory cap ends in MemoryError, hence InternalError.

The CPU-time limit is what makes the verdict the same on an idle laptop and on a machine
whose cores are shared by twenty other processes (a wall-clock limit failed a valid case
there); the wall-clock one still catches a case that blocks without computing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import resource
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from unittest import mock

import click
import typer
from hypothesis import strategies as st

from droneworks.cli import main as main_module

COLLECT = os.environ.get("DRONEWORKS_FUZZ_COLLECT")  # a file: log failures instead of stopping
CASE_SECONDS = int(os.environ.get("DRONEWORKS_FUZZ_CASE_SECONDS", "30"))
WALL_FACTOR = 10  # a case may wait this many times CASE_SECONDS for a core
MEMORY_CAP_BYTES = 3 * 2**30  # on top of what the test process already holds


HANG = -1  # the exit code an Outcome reports for a case that ran past CASE_SECONDS


class CaseTimeout(BaseException):
    """A fuzz case ran past :data:`CASE_SECONDS`."""


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def internal(self) -> bool:
        return "InternalError" in self.err or "Traceback" in self.err or self.code not in (0, 1)


def _address_space() -> int:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@contextlib.contextmanager
def limits(
    seconds: int = CASE_SECONDS, extra_bytes: int = MEMORY_CAP_BYTES, wall_factor: int = WALL_FACTOR
) -> Iterator[None]:
    """Raise CaseTimeout after ``seconds`` of CPU time (or ``wall_factor`` × ``seconds`` on
    the clock); cap the address space at current + ``extra_bytes``."""

    def on_cpu(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"used more than {seconds} s of CPU time")

    def on_clock(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"waited more than {seconds * wall_factor} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + extra_bytes
    previous = signal.signal(signal.SIGPROF, on_cpu), signal.signal(signal.SIGALRM, on_clock)
    resource.setrlimit(
        resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard)
    )
    signal.setitimer(signal.ITIMER_PROF, seconds)  # CPU time of this process, all threads
    signal.alarm(seconds * wall_factor)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
        signal.signal(signal.SIGPROF, previous[0])
        signal.signal(signal.SIGALRM, previous[1])
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@functools.cache
def _click_command() -> click.Command:
    """The Click command Typer builds from the app on every call (~0.2 s), built once."""
    return typer.main.get_command(main_module.app)


def run_cli(*args: str) -> Outcome:
    """``droneworks ARGS`` through :func:`droneworks.cli.main.main` (its last line of defence
    included) in this process, under :func:`limits`."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch.object(main_module, "app", _click_command()),
        limits(),
    ):
        try:
            main_module.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except CaseTimeout as timeout:
            return Outcome(HANG, out.getvalue(), f"{err.getvalue()}\nhang: {timeout}")
    return Outcome(code, out.getvalue(), err.getvalue())


def explain(outcome: Outcome, args: tuple[str, ...], changes: list[str], text: str) -> str:
    """A failure message: the command, the mutations, the start of the file, stderr."""
    return (
        f"droneworks {' '.join(args)} → exit {outcome.code}\n"
        f"mutations: {changes}\nfile starts: {text[:600]!r}\nstderr: {outcome.err[-2000:]}"
    )


def judge(outcome: Outcome, args: list[str], changes: list[str], text: str, label: str) -> None:
    """Fail on a traceback, InternalError or hang; with ``DRONEWORKS_FUZZ_COLLECT`` log the
    case there instead (survey mode: every failing case listed, not only the first)."""
    message = explain(outcome, tuple(args), changes, text)
    if outcome.internal and COLLECT:
        with open(COLLECT, "a", encoding="utf-8") as stream:
            stream.write(f"[{label}] {message[:3000]}\n\n")
        return
    assert not outcome.internal, message


def hostile_options(data: st.DataObject, options: tuple[str, ...], values: list[str]) -> list[str]:
    """1–3 distinct ``options``, each followed by a value drawn from ``values``."""
    chosen = data.draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))
    args: list[str] = []
    for option in chosen:
        args += [option, data.draw(st.sampled_from(values), label=option)]
    return args
