"""Ramp-up: bootstrap bands stay in the replications' range; latest dates that the
simulation refutes move earlier until it agrees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def _result(missed_with_plan: tuple[int, ...], missed_at_latest: tuple[int, ...]) -> Any:
    """A ramp-up result with only what the answer lines read (one change, moved 5 → 4 wk)."""
    from droneworks.factory.plan.rampup import PeriodOutcome, RampupResult

    periods = tuple(
        PeriodOutcome(k, k * WEEK, 10.0, 10.0, 9.0, 11.0, k in missed_with_plan, "", "")
        for k in range(8)
    )
    rough = (_deadline(0, 5),)
    empty: Any = None
    return RampupResult("p", WEEK, 2, 0.95, periods, 520.0, None, rough, (), empty, empty, {},
                        False, missed_at_latest, 0.0, (_deadline(0, 4),))  # fmt: skip


def test_dates_that_still_miss_are_not_called_verified() -> None:
    from droneworks.factory.model import load_plant
    from droneworks.factory.plan.rampup_report import _change_lines

    plant = load_plant("examples/plants/minsk-rampup.toml")
    short = _result((1,), (1, 5, 6))  # period 1 misses anyway; 5 and 6 only at latest dates
    text = " ".join(_change_lines(plant, short))
    assert "verified by simulation, " not in text
    assert "NOT enough: the simulation still misses periods 5 (from " in text
    assert "6 (from " in text and "1 (from" not in text
    # two dates of one change never read alike: when to decide, when it must be in effect
    assert "change 0 — decide by " in text and "change 0 in effect by " in text
    assert short.still_missed == (5, 6)
    holds = _result((1,), (1,))
    assert "(latest, verified by simulation," in " ".join(_change_lines(plant, holds))
