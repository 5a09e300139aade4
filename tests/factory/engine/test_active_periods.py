"""Active periods (Roser): a work centre is active only while all its stations are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from droneworks.factory import compile_plant, load_plant, simulate

PLANT = """
[plant]
name = "two-benches"
horizon = "1 d"
seed = 1
[products.drone]
drone_type = "small-multirotor"
[[products.drone.operations]]
work_centre = "bench"
time = "10 min"
[work_centres.bench]
stations = 2
[demand]
{demand}
"""


def active_minutes(tmp_path: Path, demand: str) -> float:
    path = tmp_path / "benches.toml"
    path.write_text(PLANT.format(demand=demand))
    result = simulate(compile_plant(load_plant(path)), seed=1, record_active_periods=True)
    periods = np.asarray(result.active_periods["bench"]).reshape(-1, 2)
    return float((periods[:, 1] - periods[:, 0]).sum())


def test_half_used_parallel_stations_are_never_active(tmp_path: Path) -> None:
    # One drone every 10 min keeps one of the two benches busy: capacity to spare.
    assert active_minutes(tmp_path, 'release = "rate"\nrate = {drone = "144/d"}') < 30.0


def test_saturated_parallel_stations_are_active_all_day(tmp_path: Path) -> None:
    assert active_minutes(tmp_path, 'release = "unlimited"') == pytest.approx(1440.0, abs=1.0)
