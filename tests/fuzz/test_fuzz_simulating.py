"""Fuzz the commands that run simulations or searches: 0 tracebacks, 0 hangs (issue 13).

``factory simulate|replicate|size|rampup`` and ``watch place|simulate`` each get 1–3 of
their options set to hostile values on small inputs that run in seconds (the reference
line over one week, minsk-2k for ramp-up, the shorter Belarus–Latvia wall); the plant fuzz
runs mutated plants through ``factory simulate`` too, so ``validate`` and ``simulate`` are
held to agree. Cases per command: ``DRONEWORKS_FUZZ_SIM_CASES`` (12 in ``make test``, where
each case costs a simulation; the long profile raises it, see docs/cli.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from tests.fuzz.harness import explain, hostile_options, judge, run_cli
from tests.fuzz.mutations import damaged_bytes, mutated, to_toml
from tests.fuzz.test_fuzz_loaders import EXAMPLES, FUZZ, SEED, SEEDS

CASES = int(os.environ.get("DRONEWORKS_FUZZ_SIM_CASES", "12"))
WEEK_LINE = {**SEEDS["line"], "plant": {**SEEDS["line"]["plant"], "horizon": "1 wk"}}
PLANT_2K = str(EXAMPLES / "plants" / "minsk-2k.toml")

# Valid values among them are small (a run of seconds); the rest is refused or malformed.
HOSTILE = [
    "nan", "inf", "-inf", "-1", "0", "-0", "1e308", "1e-300", "1e999", str(2**63),
    str(-(2**63) - 1), "2147483648", "abc", "", "1,5", "true", "[bold]x[/bold]", "-1 wk",
    "1e308 yr", "5 mn", "0.02", "2", "3", "0.9", "0.999", "1e-9", "x=1", "units=0",
    "throughput_per_year=1%", "wip_mean=-1", "stations,teleport", ",", "100000/yr",
    "1e308/yr", "0/yr", "-5/yr", "greedy", "milp", "exact",
]  # fmt: skip

# command → (fixed arguments, options that take a value); {line}, {wall}, {tmp} filled in.
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "factory simulate": (
        ("factory", "simulate", "{line}", "--db", "{tmp}/runs.db", "--json"),
        ("--years", "--seed", "--reps", "--confidence", "--until-halfwidth"),
    ),
    "factory replicate": (
        ("factory", "replicate", "{line}", "--reps", "2", "--workers", "1",
         "--db", "{tmp}/runs.db", "--json"),
        ("--reps", "--max-reps", "--years", "--seed", "--confidence", "--until-halfwidth"),
    ),
    "factory size": (
        ("factory", "size", "{line}", "--target", "10000/yr", "--reps", "2",
         "--max-evaluations", "2", "--workers", "1", "--db", "{tmp}/runs.db", "--json"),
        ("--target", "--reps", "--verify-reps", "--max-evaluations", "--levers", "--years",
         "--confidence"),
    ),
    "factory rampup": (
        ("factory", "rampup", PLANT_2K, "--reps", "2", "--no-verify", "--json"),
        ("--reps", "--seed", "--confidence", "--tolerance", "--max-utilisation",
         "--service-level"),
    ),
    "watch place": (
        ("watch", "place", "{wall}", "--method", "greedy", "--time-limit", "5", "--json"),
        ("--target", "--budget", "--method", "--time-limit"),
    ),
    "watch simulate": (
        ("watch", "simulate", "{wall}", "--runs", "2", "--workers", "1", "--json"),
        ("--runs", "--workers"),
    ),
}  # fmt: skip


def _inputs(tmp: Path) -> dict[str, str]:
    line, wall = tmp / "line.toml", tmp / "wall.toml"
    line.write_text(to_toml(WEEK_LINE), encoding="utf-8")
    wall.write_text(to_toml(SEEDS["wall"]), encoding="utf-8")
    return {"{line}": str(line), "{wall}": str(wall), "{tmp}": str(tmp)}


def _args(fixed: tuple[str, ...], tmp: Path) -> list[str]:
    names = _inputs(tmp)
    args = []
    for arg in fixed:
        for name, value in names.items():
            arg = arg.replace(name, value)
        args.append(arg)
    return args


pytestmark = pytest.mark.slow


@pytest.mark.parametrize("command", list(COMMANDS))
def test_fixed_command_runs(tmp_path: Path, command: str) -> None:
    """Without hostile values each command succeeds, so the cases test the options."""
    args = _args(COMMANDS[command][0], tmp_path)
    outcome = run_cli(*args)
    assert outcome.code == 0, explain(outcome, tuple(args), [], "")


@pytest.mark.parametrize("command", list(COMMANDS))
@settings(FUZZ, max_examples=CASES)
@seed(SEED)
@given(data=st.data())
def test_hostile_option_values(
    tmp_path_factory: pytest.TempPathFactory, command: str, data: st.DataObject
) -> None:
    fixed, options = COMMANDS[command]
    args = _args(fixed, tmp_path_factory.mktemp("sim")) + hostile_options(data, options, HOSTILE)
    judge(run_cli(*args), args, [], "", command)


@settings(FUZZ, max_examples=CASES * 4)
@seed(SEED)
@given(data=st.data())
def test_mutated_plants_simulate(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """A plant that ``validate`` accepts also simulates (or is refused with one line)."""
    doc, changes = data.draw(mutated(WEEK_LINE), label="mutations")
    raw = data.draw(damaged_bytes(to_toml(doc)), label="bytes")
    tmp = tmp_path_factory.mktemp("plant")
    path = tmp / "line.toml"
    path.write_bytes(raw)
    args = ["factory", "simulate", str(path), "--json"]
    judge(run_cli(*args), args, changes, raw.decode("utf-8", errors="replace"), "plant simulate")
