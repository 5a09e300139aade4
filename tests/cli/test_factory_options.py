"""Issue 13: factory command options are checked before any work, with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.limits import MAX_PROCESSES, MAX_REPS
from tests.cli.conftest import Run

LINE = str(Path(__file__).parents[2] / "examples/plants/reference-line.toml")
PLANT = str(Path(__file__).parents[2] / "examples/plants/minsk-2k.toml")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("factory", "replicate", "/no/such/plant.toml"), "/no/such/plant.toml: no such file"),
        (("factory", "simulate", "/no/such/plant.toml", "--reps", "2"), "no such file"),
        (("factory", "size", "/no/such/plant.toml", "--target", "1000/yr"), "no such file"),
        (("factory", "replicate", LINE, "--years", "0"), "--years must exceed the plant's warm-up"),
        (("factory", "replicate", LINE, "--years", "nan"), "--years must exceed"),
        (("factory", "replicate", LINE, "--years", "1e300"), "at most 1000"),
        (("factory", "mrp", PLANT, "--horizon", "-1 wk"), "--horizon must be a positive duration"),
        (("factory", "mrp", PLANT, "--horizon", "1e308 yr"), "too large a duration"),
        (("factory", "mrp", PLANT, "--horizon", "1000 yr"), "MRP periods of 28 d; at most 10,000"),
        (("factory", "replicate", LINE, "--reps", "300"), "--reps 300 is more than --max-reps 200"),
    ],
)
def test_bad_option_is_one_config_error(
    run: Run, tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    db = () if args[1] == "mrp" else ("--db", str(tmp_path / "runs.db"))
    outcome = run(*args, *db)
    assert outcome.code == 1, outcome.err
    last = outcome.err.strip().splitlines()[-1]  # a cold kernel cache says so first
    assert last.startswith("ConfigError: ")
    assert fragment in last
    assert "InternalError" not in outcome.err


@pytest.mark.parametrize("command", ["simulate", "replicate"])
def test_seed_beyond_64_bits_is_a_usage_error(run: Run, command: str) -> None:
    outcome = run("factory", command, LINE, "--seed", str(2**63))
    assert outcome.code == 1 and outcome.err.startswith(
        f"UsageError: droneworks factory {command} --seed"
    )
    assert "InternalError" not in outcome.err


@pytest.mark.parametrize("seed", [str(2**32), "-1"])
def test_deliver_seed_within_pyvrp_range(run: Run, seed: str) -> None:
    drops = str(Path(__file__).parents[2] / "examples/deliveries/minsk_30.toml")
    outcome = run("mission", "deliver", drops, "--iterations", "10", "--seed", seed)
    assert outcome.code == 1 and outcome.err.startswith(
        "UsageError: droneworks mission deliver --seed"
    )
    assert "InternalError" not in outcome.err


@pytest.mark.parametrize(
    "args",
    [
        ("factory", "replicate", LINE, "--reps", str(MAX_REPS + 1)),
        ("factory", "replicate", LINE, "--max-reps", str(MAX_REPS + 1)),
        ("factory", "simulate", LINE, "--reps", str(MAX_REPS + 1)),
        ("factory", "replicate", LINE, "--workers", str(MAX_PROCESSES + 1)),
        ("factory", "size", LINE, "--target", "100/yr", "--max-evaluations", str(MAX_REPS + 1)),
        ("factory", "size", LINE, "--target", "100/yr", "--verify-reps", str(MAX_REPS + 1)),
        ("factory", "rampup", PLANT, "--reps", "201"),
        ("factory", "rampup", PLANT, "--workers", str(MAX_PROCESSES + 1)),
    ],
)
def test_work_counts_past_their_limit_are_usage_errors(run: Run, args: tuple[str, ...]) -> None:
    """Replications, evaluations and processes are bounded (10**12 replications or a million
    processes were accepted, or reached a ValueError inside)."""
    outcome = run(*args)
    assert outcome.code == 1 and outcome.err.startswith(
        f"UsageError: droneworks {args[0]} {args[1]} {args[-2]}"
    ), outcome.err
    assert "InternalError" not in outcome.err


def test_watch_simulate_workers_bounded(run: Run) -> None:
    wall = str(Path(__file__).parents[2] / "examples/walls/belarus-poland.toml")
    outcome = run("watch", "simulate", wall, "--workers", str(MAX_PROCESSES + 1))
    assert outcome.code == 1
    assert outcome.err.strip() == (
        f"ConfigError: --workers must be between 1 and {MAX_PROCESSES}, not {MAX_PROCESSES + 1}"
    )
