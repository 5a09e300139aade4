"""Calendar windows (property tests) and the ramp-up models' arithmetic and checks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.core.errors import ConfigError
from droneworks.core.validation import validate
from droneworks.factory.model import Calendar, CapacityChange, Learning, Weekday, YieldLearning

DAYS = list(Weekday)


@settings(max_examples=60, deadline=None)
@given(
    shifts=st.integers(1, 3),
    length_h=st.sampled_from([4.0, 6.0, 7.5, 8.0]),
    start_h=st.integers(0, 23),
    days=st.sets(st.sampled_from(DAYS), min_size=1),
    weeks=st.integers(1, 6),
    start=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
)
def test_windows_cover_exactly_the_shift_time(
    shifts: int, length_h: float, start_h: int, days: set[Weekday], weeks: int, start: dt.date
) -> None:
    if shifts * length_h > 24:
        return
    calendar = Calendar.model_validate(
        {
            "shifts_per_day": shifts,
            "shift_length": f"{length_h} h",
            "day_start": f"{start_h} h",
            "working_days": [day.value for day in DAYS if day in days],
        }
    )
    horizon = weeks * 7 * 1440.0
    windows = calendar.working_windows_min(start, horizon)
    assert np.all(windows[:, 1] > windows[:, 0])
    assert np.all(windows[1:, 0] > windows[:-1, 1])  # sorted, disjoint, merged when touching
    assert windows.min() >= 0 and windows.max() <= horizon
    # Whole weeks: every weekday occurs `weeks` times; shifts spilling past the horizon
    # are balanced by the spill-in from the day before the start.
    expected = weeks * len(days) * shifts * length_h * 60
    assert calendar.working_minutes(start, horizon) == pytest.approx(expected)


def test_default_calendar_is_24_7() -> None:
    calendar = Calendar()
    assert calendar.is_continuous
    assert calendar.working_windows_min(dt.date(2026, 1, 5), 1000.0).tolist() == [[0, 1000]]


def test_calendar_rejects_too_many_shifts() -> None:
    with pytest.raises(ConfigError, match="3 shifts of 600 min do not fit in a day"):
        validate(Calendar, {"shifts_per_day": 3, "shift_length": "10 h"}, "cal")


def test_wright_learning_curve() -> None:
    curve = Learning(rate=0.85, floor=0.4)
    assert curve.factor(0) == 1.0
    assert curve.factor(1) == pytest.approx(0.85)  # second unit: one doubling
    assert curve.factor(3) == pytest.approx(0.85**2)
    assert curve.factor(10**9) == 0.4
    shifted = Learning(rate=0.9, initial_units=1)
    assert shifted.factor(0) == pytest.approx(0.9)


def test_yield_learning() -> None:
    curve = YieldLearning(initial=0.85, mature=0.97, halving_units=5000)
    assert curve.yield_at(0) == pytest.approx(0.85)
    assert curve.yield_at(5000) == pytest.approx(0.91)
    assert curve.yield_at(10**7) == pytest.approx(0.97)
    with pytest.raises(ConfigError, match="mature yield is below the initial yield"):
        validate(YieldLearning, {"initial": 0.9, "mature": 0.8, "halving_units": 10}, "y")


def test_capacity_change_forms() -> None:
    by_date = validate(CapacityChange, {"at": dt.date(2026, 2, 2), "pool": "a", "workers": 3}, "c")
    assert by_date.at_min(dt.date(2026, 1, 5)) == 28 * 1440
    by_time = validate(CapacityChange, {"at": "2 wk", "shifts_per_day": 2}, "c")
    assert by_time.at_min(dt.date(2026, 1, 5)) == 2 * 10080
    with pytest.raises(ConfigError, match="exactly one of"):
        validate(CapacityChange, {"at": "1 d", "shifts_per_day": 2, "pool": "a", "workers": 1}, "c")
    with pytest.raises(ConfigError, match=r'c: at: "soon" is not a duration'):
        validate(CapacityChange, {"at": "soon", "shifts_per_day": 2}, "c")
