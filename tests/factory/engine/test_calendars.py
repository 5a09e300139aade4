"""Calendars in the engine: a work centre on a calendar of its own, breaks and overtime,
and pools staffed per shift — each against the working minutes it must produce in.

Operations take 1 min, so a station completes one unit per working minute. A unit that
ends exactly when a window closes is paused with no work left and counted when the next
window opens; each run therefore ends in the middle of a window (horizon 30.5 min into
the first shift after the last full day), and a station completes ⌊working minutes⌋."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from droneworks.factory import Dist, ProblemBuilder, compile_plant, simulate
from droneworks.factory.model import Calendar, Plant

from .checks import assert_shares_sum_to_one

DAY = 1440.0


def _windows_min(windows: np.ndarray, until: float) -> float:
    clipped = np.clip(windows, 0.0, until)
    return float((clipped[:, 1] - clipped[:, 0]).sum())


def test_a_centre_on_its_own_calendar_works_only_in_its_windows() -> None:
    """A 24/7 feeder and a day-shift assembly, 1 min per unit each: assembly makes one
    unit per working minute of its own calendar; the feeder never goes off shift."""
    horizon = 10 * DAY + 6 * 60 + 30.5
    own = Calendar.model_validate({"shifts_per_day": 1, "shift_length": "8 h",
                                   "day_start": "6 h"})  # fmt: skip
    windows = own.working_windows_min(dt.date(2026, 1, 5), horizon)
    b = ProblemBuilder(horizon_min=horizon, period_min=DAY)
    b.add_calendar("days", windows)
    b.add_work_centre("feeder")
    b.add_work_centre("assembly", calendar="days")
    b.add_product("unit")
    b.add_operation("unit", "feed", "feeder", Dist.constant(1.0))
    b.add_operation("unit", "assemble", "assembly", Dist.constant(1.0))
    result = simulate(b.build(), seed=0)
    assert_shares_sum_to_one(result)
    working = _windows_min(windows, horizon)
    assert result.kpis["units"] == math.floor(working)
    assert result.kpis["wc.assembly.off_shift"] == pytest.approx(1 - working / horizon)
    assert result.kpis["wc.feeder.off_shift"] == 0.0


def _line_plant(calendar: dict[str, object], workers: dict[str, object],
                changes: tuple[dict[str, object], ...] = ()) -> Plant:  # fmt: skip
    return Plant.model_validate({
        "plant": {"name": "cal", "horizon": HORIZON, "period": "1 d"},
        "calendar": calendar,
        "capacity_changes": changes,
        "products": {"unit": {"drone_type": "small-multirotor", "operations": [
            {"work_centre": "bench", "time": "1 min", "worker": "crew"}]}},
        "work_centres": {"bench": {"stations": 2}},
        "workers": {"crew": workers},
        "demand": {"release": "unlimited"},
    })  # fmt: skip


HORIZON = "20550.5 min"  # two weeks from a Monday, then 30.5 min of Monday's early shift
MONDAY_MIN = 30
CALENDAR = {"shifts_per_day": 2, "shift_length": "8 h", "day_start": "6 h",
            "working_days": ["mon", "tue", "wed", "thu", "fri"]}  # fmt: skip


def test_breaks_overtime_and_extra_days_in_the_engine() -> None:
    """Two stations, two workers, 1 min a unit: units = 2 × every working minute."""
    calendar = {**CALENDAR, "breaks": [{"at": "2 h", "length": "15 min"}],
                "extra_days": [dt.date(2026, 1, 10)],
                "overtime": [{"from": dt.date(2026, 1, 6), "to": dt.date(2026, 1, 8),
                              "extra": "45 min"}]}  # fmt: skip
    plant = _line_plant(calendar, {"count": 2})
    working = plant.calendar.working_minutes(plant.plant.start_date, plant.horizon_min)
    plain = _line_plant(CALENDAR, {"count": 2}).calendar
    assert working == plain.working_minutes(plant.plant.start_date, plant.horizon_min) \
        - 10 * 2 * 15 + 2 * 8 * 60 - 2 * 15 + 3 * 45  # fmt: skip
    result = simulate(compile_plant(plant), seed=0)
    assert result.kpis["units"] == 2 * math.floor(working)


def test_staffing_per_shift() -> None:
    """Two stations, 2 workers on the early shift and 1 on the late one: every working
    day makes 2 × 480 + 1 × 480 units."""
    plant = _line_plant(CALENDAR, {"shift_counts": [2, 1]})
    result = simulate(compile_plant(plant), seed=0)
    working_days = 10
    assert result.kpis["units"] == working_days * (2 * 480 + 1 * 480) + 2 * MONDAY_MIN
    staffed = simulate(compile_plant(_line_plant(CALENDAR, {"count": 2})), seed=0)
    assert staffed.kpis["units"] == working_days * 2 * 960 + 2 * MONDAY_MIN
    assert result.kpis["worker.crew.utilisation"] == pytest.approx(1.0)


def test_a_capacity_change_replaces_the_shift_headcounts() -> None:
    change = {"at": "1 wk", "pool": "crew", "workers": 2}
    changed = _line_plant(CALENDAR, {"shift_counts": [2, 1]}, (change,))
    result = simulate(compile_plant(changed), seed=0)
    assert result.kpis["units"] == 5 * (2 * 480 + 1 * 480) + 5 * 2 * 960 + 2 * MONDAY_MIN
