"""Fuzz the numeric and text options of every wing's commands: 0 tracebacks, 0 hangs.

Each case gives 1–3 options of one command hostile values (non-finite, huge, negative,
64-bit edges, unit typos, markup, empty text) on a small valid input file. Cases per wing:
``DRONEWORKS_FUZZ_OPTION_CASES`` (100 in ``make test``; the long profile raises it).
Commands that simulate or search (``factory simulate|replicate|size|rampup``, ``watch
place|simulate``) are fuzzed on small inputs in test_fuzz_simulating.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from tests.fuzz.harness import explain, hostile_options, judge, run_cli
from tests.fuzz.test_fuzz_loaders import EXAMPLES, FUZZ, SEED

CASES = int(os.environ.get("DRONEWORKS_FUZZ_OPTION_CASES", "100"))
PLANT = str(EXAMPLES / "plants" / "minsk-2k.toml")
FIELD = str(EXAMPLES / "fields" / "convex.geojson")
DROPS = str(EXAMPLES / "deliveries" / "minsk_30.toml")
WALL = str(EXAMPLES / "walls" / "belarus-poland.toml")

HOSTILE = [
    "nan", "inf", "-inf", "-1", "0", "1e308", "1e-300", str(2**63), str(-(2**63) - 1),
    "2147483648", "abc", "", "1,5", "true", "[bold]x[/bold]", "-1 wk", "1e308 yr",
    "1e-300 wk", "5 mn", "60", "60 m", "nan m", "1e308 m", "8 m/s@999", "@", "27.6,nan",
    "200,55", "1/0", "-0", "1e999",
]  # fmt: skip

# wing → commands: (fixed arguments, options that take a value); {tmp} is the case folder.
COMMANDS: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "factory": [
        (("factory", "mrp", PLANT), ("--horizon", "--service-level")),
    ],
    "mission": [
        (("mission", "survey", FIELD, "--altitude", "100 m"),
         ("--gsd", "--altitude", "--overlap", "--heading", "--wind", "--base", "--drone")),
        (("mission", "spray", FIELD),
         ("--rate", "--zones", "--drones", "--headlands", "--heading", "--wind", "--base")),
        (("mission", "deliver", DROPS, "--iterations", "30"),
         ("--drones", "--iterations", "--seed", "--wind", "--drone")),
    ],
    "watch": [
        (("watch", "coverage", WALL, "--out", "{tmp}"), ("--k", "--altitude")),
        (("catalogue", "show"), ("--file",)),
    ],
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("wing", list(COMMANDS))
@settings(FUZZ, max_examples=CASES)
@seed(SEED)
@given(data=st.data())
def test_hostile_option_values(
    tmp_path_factory: pytest.TempPathFactory, wing: str, data: st.DataObject
) -> None:
    fixed, options = data.draw(st.sampled_from(COMMANDS[wing]), label="command")
    tmp = tmp_path_factory.mktemp("options")
    args = [arg.replace("{tmp}", str(tmp)) for arg in fixed]
    args += hostile_options(data, options, HOSTILE)
    if fixed[:2] == ("catalogue", "show"):
        args.insert(2, "agras-t40-class")
    judge(run_cli(*args), args, [], "", f"options {wing}")


def test_every_fixed_command_runs(tmp_path: Path) -> None:
    """Without hostile values each command succeeds, so the cases test the options."""
    for commands in COMMANDS.values():
        for fixed, _ in commands:
            args = [arg.replace("{tmp}", str(tmp_path)) for arg in fixed]
            if fixed[:2] == ("catalogue", "show"):
                args.append("agras-t40-class")
            outcome = run_cli(*args)
            assert outcome.code == 0, explain(outcome, tuple(args), [], "")
