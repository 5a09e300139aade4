"""Ramp-up: bootstrap bands stay in the replications' range; latest dates that the
simulation refutes move earlier until it agrees."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from droneworks.factory.plan.rampup import _verify_latest
from droneworks.factory.plan.rampup_capacity import ChangeDeadline
from droneworks.factory.plan.statistics import bootstrap_bands

WEEK = 10_080.0


def test_bootstrap_bands_never_leave_the_range_of_the_replications() -> None:
    output = np.array([[0.0, 10.0, 5_000.0], [0.0, 30.0, 100.0]])  # 2 replications
    bands = bootstrap_bands(output, 0.95)
    for (mean, low, high), column in zip(bands, output.T, strict=True):
        assert column.min() <= low <= mean <= high <= column.max()
    assert bands[0] == (0.0, 0.0, 0.0)
    assert bands[1][0] == pytest.approx(20.0)
    assert bootstrap_bands(output, 0.95) == bands  # seeded


@dataclass
class _Plant:
    period_min: float = WEEK


@dataclass
class _FakeCheck:
    """A plant whose period 5 misses unless change 0 takes effect by week 3."""

    plant: _Plant
    calls: int = 0

    def missed(self, deadlines: tuple[ChangeDeadline, ...]) -> tuple[int, ...]:
        self.calls += 1
        first = deadlines[0].latest_min
        return (5,) if first is not None and first > 3 * WEEK else ()


def _deadline(index: int, latest_weeks: float | None) -> ChangeDeadline:
    latest = None if latest_weeks is None else latest_weeks * WEEK
    return ChangeDeadline(index, f"change {index}", 0.0, latest, 0.0, "w", 1.2)


def test_dates_move_earlier_until_the_simulation_agrees() -> None:
    check = _FakeCheck(_Plant())
    deadlines = (_deadline(0, 5), _deadline(1, None), _deadline(2, 9))
    final, missed, moves = _verify_latest(check, deadlines, set())  # type: ignore[arg-type]
    assert missed == () and moves == 2 and check.calls == 3
    assert final[0].latest_min == 3 * WEEK  # 5 → 4 → 3 weeks
    assert final[1].latest_min is None  # not needed: not moved
    assert final[2].latest_min == 9 * WEEK  # after the missed period: not moved


def test_dates_that_hold_are_not_moved() -> None:
    check = _FakeCheck(_Plant())
    deadlines = (_deadline(0, 2),)
    final, missed, moves = _verify_latest(check, deadlines, set())  # type: ignore[arg-type]
    assert (final, missed, moves) == (deadlines, (), 0)
