"""Invariant checkers shared by the engine tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from droneworks.factory.engine import SimResult


def assert_little_law(result: SimResult, rel: float = 0.05, stationary: bool = True) -> None:
    """Little's law on one run.

    Exact bookkeeping identity: the area under the work-in-process curve equals the time
    every product spent in the system after the warm-up (completed, scrapped, or still
    inside at the end). Law: mean WIP ≈ departure rate × mean time in the system, within
    ``rel`` (end effects of a finite run; skipped for a ``stationary=False`` system whose
    work in process keeps growing).
    """
    k = result.kpis
    area, sojourn = k["little.wip_area_min"], k["little.sojourn_min"]
    assert math.isclose(area, sojourn, rel_tol=1e-9, abs_tol=1e-6), (area, sojourn)
    assert k["wip_mean"] * k["measured_min"] == pytest.approx(area, rel=1e-12)
    if k["departures"] < 1000 or not stationary:
        return
    rate = k["departures"] / k["measured_min"]
    mean_in_system = k["lead_time_mean_min"]
    if k["scrap"] > 0:
        return  # scrapped units leave earlier: the identity above still holds
    assert k["wip_mean"] == pytest.approx(rate * mean_in_system, rel=rel)


def assert_shares_sum_to_one(result: SimResult) -> None:
    """Every work centre's state shares add up to 1."""
    for name in result.work_centres:
        shares = result.work_centre_shares(name)
        if all(math.isnan(value) for value in shares.values()):
            continue
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-9), name


def interval_99(values: list[float]) -> tuple[float, float]:
    """The 99 % confidence interval of the mean of independent replication ``values``."""
    mean = float(np.mean(values))
    half = stats.t.ppf(0.995, len(values) - 1) * np.std(values, ddof=1) / math.sqrt(len(values))
    return mean - half, mean + half
