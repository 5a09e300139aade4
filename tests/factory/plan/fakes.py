"""Test doubles for the engine: a cheap ``simulate`` with a known output distribution."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from droneworks.core.streams import RandomStreams


@dataclass(frozen=True)
class FakeProblem:
    """Units per replication ~ Normal(mean_units, std_units²); two work centres."""

    mean_units: float = 1000.0
    std_units: float = 50.0
    seed: int = 0
    horizon_min: float = 1000.0
    warmup_min: float = 0.0
    work_centres: tuple[str, ...] = ("slow", "fast")
    interrupt_at: int | None = None  # raise KeyboardInterrupt in this replication
    crash_at: int | None = None  # kill the process (os._exit) in this replication


@dataclass(frozen=True)
class FakeResult:
    kpis: dict[str, float]
    period_min: float = 100.0
    output_by_period: np.ndarray = field(default_factory=lambda: np.zeros((10, 1)))
    active_periods: dict[str, np.ndarray] | None = None
    wip_by_period: np.ndarray | None = None


def fake_simulate(
    problem: FakeProblem,
    seed: int = 0,
    replication: int = 0,
    horizon_min: float | None = None,
    record_active_periods: bool = False,
    **_: Any,
) -> FakeResult:
    """Draw units from the replication's own stream (common random numbers by name)."""
    z = RandomStreams(seed, replication).generator("fake/units").standard_normal()
    units = problem.mean_units + problem.std_units * z
    if problem.interrupt_at == replication:
        raise KeyboardInterrupt
    if problem.crash_at == replication:
        os._exit(3)
    output = np.full((10, 1), units / 10)
    active = None
    first, second = problem.work_centres
    if record_active_periods:
        horizon = horizon_min or problem.horizon_min
        active = {
            first: np.array([[0.0, 0.6 * horizon]]),
            second: np.array([[0.5 * horizon, 0.7 * horizon]]),
        }
    kpis = {
        "units": units,
        "constant": 3.0,
        f"wc.{first}.working": 0.6,
        f"wc.{first}.blocked": 0.1 + 0.01 * z,
        f"wc.{second}.working": 0.3,
    }
    wip = np.full(10, 20.0 + z)
    return FakeResult(kpis, 100.0, output, active, wip)


def capacity_simulate(
    plant: Any,
    seed: int = 0,
    replication: int = 0,
    horizon_min: float | None = None,
    record_active_periods: bool = False,
    **_: Any,
) -> FakeResult:
    """A plant whose annual output is 90 % of its rough-cut capacity, cv 2 % (normal)."""
    from droneworks.factory.plan.roughcut import rough_cut

    z = RandomStreams(seed, replication).generator("fake/output").standard_normal()
    mean = FAKE_EFFICIENCY * rough_cut(plant).max_output_per_year
    output = mean * (1.0 + FAKE_CV * z)
    return FakeResult({"throughput_per_year": output, "units": output})


FAKE_EFFICIENCY = 0.9
FAKE_CV = 0.02


def identity_compile(plant: Any) -> Any:
    return plant


def interrupted_engine_simulate(problem: Any, **kwargs: Any) -> Any:
    """The real engine, but Ctrl-C arrives during replication 1."""
    from droneworks.factory import simulate

    if kwargs.get("replication") == 1:
        raise KeyboardInterrupt
    return simulate(problem, **kwargs)
