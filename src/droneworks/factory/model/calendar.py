"""The shift calendar: when the plant works.

::

    [calendar]
    shifts_per_day = 2            # back-to-back shifts starting at day_start
    shift_length = "7.5 h"        # net working time of one shift
    day_start = "6 h"             # start of the first shift after midnight
    working_days = ["mon", "tue", "wed", "thu", "fri"]
    holidays = [2026-01-01, 2026-05-01]

Without a ``[calendar]`` section the plant works around the clock, every day (24/7). Work
stops at the end of a shift and resumes at the start of the next one. Simulation time 0 is
midnight at the start of ``plant.start_date``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from droneworks.core.units import MINUTES_PER_DAY, Duration
from droneworks.core.validation import UserModel

__all__ = ["Calendar", "Weekday"]


class Weekday(StrEnum):
    """Days of the week as written in ``working_days``."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


_ALL_DAYS = tuple(Weekday)


class Calendar(UserModel):
    """Shifts per day, shift length, working days and holidays."""

    shifts_per_day: Annotated[int, Field(ge=1, le=24)] = 3
    shift_length_min: Annotated[Duration, Field(alias="shift_length", gt=0)] = 480.0
    day_start_min: Annotated[Duration, Field(alias="day_start", ge=0)] = 0.0
    working_days: tuple[Weekday, ...] = _ALL_DAYS
    holidays: tuple[dt.date, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Calendar:
        if self.shifts_per_day * self.shift_length_min > MINUTES_PER_DAY + 1e-9:
            raise ValueError(
                f"{self.shifts_per_day} shifts of {self.shift_length_min:g} min do not fit "
                "in a day (1440 min)"
            )
        if self.day_start_min >= MINUTES_PER_DAY:
            raise ValueError("day_start must be less than 24 h")
        if not self.working_days:
            raise ValueError("working_days must name at least one day")
        if len(set(self.working_days)) != len(self.working_days):
            raise ValueError("working_days lists a day twice")
        return self

    @property
    def is_continuous(self) -> bool:
        """True when the plant never stops (24 h a day, 7 days a week, no holidays)."""
        return (
            self.shifts_per_day * self.shift_length_min >= MINUTES_PER_DAY - 1e-9
            and len(set(self.working_days)) == 7
            and not self.holidays
        )

    @property
    def minutes_per_working_day(self) -> float:
        """Working minutes on one working day."""
        return self.shifts_per_day * self.shift_length_min

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` is a listed weekday and not a holiday."""
        return _ALL_DAYS[day.weekday()] in self.working_days and day not in self.holidays

    def working_windows_min(self, start_date: dt.date, horizon_min: float) -> np.ndarray:
        """Working periods as an (n, 2) array of [start, end) minutes from ``start_date``.

        Windows are merged when they touch (24/7 gives one window) and clipped to
        [0, horizon_min]. A shift that runs past midnight belongs to the day it starts on.
        """
        if self.is_continuous:
            return np.array([[0.0, float(horizon_min)]])
        days = int(horizon_min // MINUTES_PER_DAY) + 2
        windows: list[list[float]] = []
        # Day −1 too: its late shift may run into day 0.
        for index in range(-1, days):
            if not self.is_working_day(start_date + dt.timedelta(days=index)):
                continue
            day_min = index * MINUTES_PER_DAY + self.day_start_min
            for shift in range(self.shifts_per_day):
                start = day_min + shift * self.shift_length_min
                end = start + self.shift_length_min
                if windows and abs(windows[-1][1] - start) < 1e-9:
                    windows[-1][1] = end
                else:
                    windows.append([start, end])
        array = np.clip(np.array(windows, dtype=float).reshape(-1, 2), 0.0, float(horizon_min))
        kept: np.ndarray = array[array[:, 1] > array[:, 0]]
        return kept

    def working_minutes(self, start_date: dt.date, horizon_min: float) -> float:
        """Total working minutes in [0, horizon_min)."""
        windows = self.working_windows_min(start_date, horizon_min)
        return float((windows[:, 1] - windows[:, 0]).sum())


CONTINUOUS = Calendar()
