"""Fuzz the commands the other fuzz suites leave out: 0 tracebacks, 0 hangs (issue 13).

``factory validate|schema|runs list|show|compare|experiment``, ``watch experiment``,
``serve`` and ``demo`` get hostile option values, positional arguments and paths; the two
experiment files are also mutated like every loader's (test_fuzz_loaders.py). Each case runs
in its own folder (a relative path lands there). ``serve`` is judged on its option checks:
the server itself is a fake that returns at once, so no case leaves one running. Cases per
command: ``DRONEWORKS_FUZZ_SIM_CASES`` (12 in ``make test``; each experiment or demo case
may run a short study), 4× that for the mutated experiment files.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from tests.fuzz.harness import Outcome, explain, hostile_options, judge, run_cli
from tests.fuzz.mutations import damaged_bytes, mutated, to_toml
from tests.fuzz.test_fuzz_loaders import FUZZ, SEED, SEEDS
from tests.fuzz.test_fuzz_options import HOSTILE
from tests.fuzz.test_fuzz_simulating import WEEK_LINE

CASES = int(os.environ.get("DRONEWORKS_FUZZ_SIM_CASES", "12"))

PATHS = [
    "", ".", "/", "/dev/null", "/dev/zero", "/dev/urandom", "/proc/self/status", "missing.toml",
    "no/such/folder/x.html", "{tmp}", "{tmp}/runs.db", "x" * 300, "a" * 5000, "-", "~",
    "[bold]x[/bold]", "a\nb", "out", "report.html", "sqlite:///{tmp}/other.db",
    "postgresql://user:secret@127.0.0.1:1/db", "sqlite:////no/such/folder/x.db", "nul.db",
]  # fmt: skip
EXECUTORS = ["serial", "local", "abc", "", "nan", "dask:", "tcp://", "local,serial"]
VALUES = HOSTILE + PATHS

EXPERIMENT: dict[str, Any] = {
    "experiment": {"name": "fuzz", "plant": "line.toml", "target": "10000/yr", "years": 0.05},
    "design": {"kind": "full"},
    "replications": {"reps": 2},
    "factors": [{"path": "work_centres.s06.stations", "levels": [1, 2]}],
}
WALL_EXPERIMENT: dict[str, Any] = {
    "experiment": {"wall": "wall.toml", "metric": "detected_share", "target": 0.5, "runs": 2},
    "design": {"kind": "full"},
    "factors": [{"path": "alerts.lookahead", "levels": ["30 s", "60 s"]}],
}

# command → (fixed arguments, options that take a value, values to draw). In the fixed
# arguments {value} is a drawn positional value and {db}, {tmp}, {experiment}, {walls} are
# filled in; a command's fixed arguments alone succeed (test_fixed_command_runs).
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], list[str]]] = {
    "factory validate": (("factory", "validate", "{value}", "--json"), (), PATHS),
    "factory schema": (("factory", "schema", "--out", "{tmp}/schema.json"), ("--out",), PATHS),
    "factory runs list": (("factory", "runs", "list", "--db", "{db}"), ("--limit", "--db"), VALUES),
    "factory runs show": (
        ("factory", "runs", "show", "{value}", "--db", "{db}"), ("--db",), VALUES,
    ),
    "factory runs compare": (
        ("factory", "runs", "compare", "{value}", "{value}", "--db", "{db}"),
        ("--confidence", "--db"), VALUES,
    ),
    "factory experiment": (
        ("factory", "experiment", "{experiment}", "--executor", "serial", "--db", "{db}",
         "--json"),
        ("--executor", "--workers", "--report", "--db"), VALUES + EXECUTORS,
    ),
    "watch experiment": (
        ("watch", "experiment", "{walls}", "--executor", "serial", "--db", "{db}", "--json"),
        ("--executor", "--workers", "--db"), VALUES + EXECUTORS,
    ),
    "serve": (
        ("serve", "--data", "{tmp}/web", "--db", "{db}", "--port", "0", "--json"),
        ("--host", "--port", "--token", "--data", "--db", "--max-upload-mb"), VALUES,
    ),
    "demo": (("demo", "--quick", "--out", "{tmp}/demo", "--json"), ("--out",), PATHS),
}  # fmt: skip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The week line, a wall, an experiment file for each, and a runs database with two runs."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "line.toml").write_text(to_toml(WEEK_LINE), encoding="utf-8")
    (folder / "wall.toml").write_text(to_toml(SEEDS["wall"]), encoding="utf-8")
    (folder / "experiment.toml").write_text(to_toml(EXPERIMENT), encoding="utf-8")
    (folder / "walls.toml").write_text(to_toml(WALL_EXPERIMENT), encoding="utf-8")
    db = folder / "runs.db"
    for _ in range(2):
        args = ["factory", "replicate", str(folder / "line.toml"), "--reps", "2", "--workers", "1"]
        outcome = run_cli(*args, "--db", str(db), "--json")
        assert outcome.code == 0, explain(outcome, tuple(args), [], "")
    return {
        "{line}": str(folder / "line.toml"),
        "{experiment}": str(folder / "experiment.toml"),
        "{walls}": str(folder / "walls.toml"),
        "{db}": str(db),
    }


def _fill(args: list[str], names: dict[str, str]) -> list[str]:
    filled = []
    for arg in args:
        for name, value in names.items():
            arg = arg.replace(name, value)
        filled.append(arg)
    return filled


def _run_in(folder: Path, args: list[str]) -> Outcome:
    """Run a case in ``folder`` (relative paths land there) with the server faked."""
    with contextlib.chdir(folder), mock.patch("uvicorn.run"):
        return run_cli(*args)


def _case(
    inputs: dict[str, str], folder: Path, command: str, positional: list[str], options: list[str]
) -> tuple[Outcome, list[str]]:
    fixed = list(COMMANDS[command][0])
    values = iter(positional)
    fixed = [next(values) if arg == "{value}" else arg for arg in fixed]
    args = _fill(fixed + options, {**inputs, "{tmp}": str(folder)})
    return _run_in(folder, args), args


@pytest.mark.parametrize("command", list(COMMANDS))
def test_fixed_command_runs(inputs: dict[str, str], tmp_path: Path, command: str) -> None:
    """With valid values each command succeeds, so the cases test the hostile ones."""
    valid = {"factory validate": [inputs["{line}"]]}
    positional = valid.get(command, ["1", "2"])
    outcome, args = _case(inputs, tmp_path, command, positional, [])
    assert outcome.code == 0, explain(outcome, tuple(args), [], "")


@pytest.mark.parametrize("command", list(COMMANDS))
@settings(FUZZ, max_examples=CASES)
@seed(SEED)
@given(data=st.data())
def test_hostile_values(
    inputs: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    command: str,
    data: st.DataObject,
) -> None:
    fixed, options, values = COMMANDS[command]
    positional = [
        data.draw(st.sampled_from(values), label="argument") for arg in fixed if arg == "{value}"
    ]
    chosen = hostile_options(data, options, values) if options else []
    folder = tmp_path_factory.mktemp("case")
    outcome, args = _case(inputs, folder, command, positional, chosen)
    judge(outcome, args, [], "", command)


@pytest.mark.parametrize(
    ("command", "seed_doc", "name"),
    [
        ("factory experiment", EXPERIMENT, "{experiment}"),
        ("watch experiment", WALL_EXPERIMENT, "{walls}"),
    ],
)
@settings(FUZZ, max_examples=CASES * 4)
@seed(SEED)
@given(data=st.data())
def test_mutated_experiment_files(
    inputs: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    command: str,
    seed_doc: dict[str, Any],
    name: str,
    data: st.DataObject,
) -> None:
    doc, changes = data.draw(mutated(seed_doc), label="mutations")
    raw = data.draw(damaged_bytes(to_toml(doc)), label="bytes")
    folder = tmp_path_factory.mktemp("experiment")
    source = Path(inputs[name]).parent
    for plant in ("line.toml", "wall.toml"):  # the files the experiment names, beside it
        (folder / plant).write_bytes((source / plant).read_bytes())
    path = folder / "experiment.toml"
    path.write_bytes(raw)
    outcome, args = _case({**inputs, name: str(path)}, folder, command, [], [])
    judge(outcome, args, changes, raw.decode("utf-8", errors="replace"), command)
