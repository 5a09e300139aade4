"""The shift calendar: when the plant works.

::

    [calendar]
    shifts_per_day = 2            # back-to-back shifts starting at day_start
    shift_length = "7.5 h"        # net working time of one shift
    day_start = "6 h"             # start of the first shift after midnight
    working_days = ["mon", "tue", "wed", "thu", "fri"]
    holidays = [2026-01-01, 2026-05-01]
    extra_days = [2026-03-07]     # worked although not a working day (a Saturday)
    breaks = [{at = "2 h", length = "15 min"}, {at = "4 h", length = "30 min"}]

    [[calendar.overtime]]         # the last shift of each working day in [from, to] …
    from = 2026-03-02
    to = 2026-03-27
    extra = "1 h"                 # … runs this much longer

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

__all__ = ["Break", "Calendar", "Overtime", "Weekday"]


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


class Break(UserModel):
    """A break in every shift: ``length`` minutes starting ``at`` after the shift start."""

    at_min: Annotated[Duration, Field(alias="at", ge=0)]
    length_min: Annotated[Duration, Field(alias="length", gt=0)]


class Overtime(UserModel):
    """The last shift of every working day from ``from`` to ``to`` runs ``extra`` longer."""

    first_day: dt.date = Field(alias="from")
    last_day: dt.date | None = Field(default=None, alias="to")
    extra_min: Annotated[Duration, Field(alias="extra", gt=0)]

    @model_validator(mode="after")
    def _check(self) -> Overtime:
        if self.last_day is not None and self.last_day < self.first_day:
            raise ValueError(f'"to" ({self.last_day}) is before "from" ({self.first_day})')
        return self

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day <= (self.last_day or self.first_day)


class Calendar(UserModel):
    """Shifts per day, shift length, working days, holidays, extra working days, breaks
    inside every shift and overtime."""

    shifts_per_day: Annotated[int, Field(ge=1, le=24)] = 3
    shift_length_min: Annotated[Duration, Field(alias="shift_length", gt=0)] = 480.0
    day_start_min: Annotated[Duration, Field(alias="day_start", ge=0)] = 0.0
    working_days: tuple[Weekday, ...] = _ALL_DAYS
    holidays: tuple[dt.date, ...] = ()
    extra_days: tuple[dt.date, ...] = ()
    breaks: tuple[Break, ...] = ()
    overtime: tuple[Overtime, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Calendar:
        longest = max((o.extra_min for o in self.overtime), default=0.0)
        if self.shifts_per_day * self.shift_length_min + longest > MINUTES_PER_DAY + 1e-9:
            with_overtime = f" plus {longest:g} min of overtime" if longest else ""
            raise ValueError(
                f"{self.shifts_per_day} shifts of {self.shift_length_min:g} min"
                f"{with_overtime} do not fit in a day (1440 min)"
            )
        if self.day_start_min >= MINUTES_PER_DAY:
            raise ValueError("day_start must be less than 24 h")
        if not self.working_days:
            raise ValueError("working_days must name at least one day")
        if len(set(self.working_days)) != len(self.working_days):
            raise ValueError("working_days lists a day twice")
        both = sorted(set(self.extra_days) & set(self.holidays))
        if both:
            raise ValueError(f"{both[0]} is both a holiday and an extra working day")
        self._check_breaks()
        return self

    def _check_breaks(self) -> None:
        end = 0.0
        for k, item in enumerate(sorted(self.breaks, key=lambda b: b.at_min)):
            if item.at_min < end or item.at_min <= 0:
                raise ValueError(
                    f"breaks overlap or start with the shift (break {k + 1} in time order)"
                )
            end = item.at_min + item.length_min
        if end >= self.shift_length_min:
            raise ValueError(
                f"breaks must end before the end of the shift ({self.shift_length_min:g} min)"
            )

    @property
    def is_continuous(self) -> bool:
        """True when the plant never stops (24 h a day, 7 days a week, no holidays or
        breaks)."""
        return (
            self.shifts_per_day * self.shift_length_min >= MINUTES_PER_DAY - 1e-9
            and len(set(self.working_days)) == 7
            and not self.holidays
            and not self.breaks
        )

    @property
    def break_min(self) -> float:
        """Minutes of breaks in one shift."""
        return sum(item.length_min for item in self.breaks)

    @property
    def minutes_per_working_day(self) -> float:
        """Working minutes on one working day (without overtime)."""
        return self.shifts_per_day * (self.shift_length_min - self.break_min)

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` is a listed weekday and not a holiday, or an extra day."""
        if day in self.extra_days:
            return True
        return _ALL_DAYS[day.weekday()] in self.working_days and day not in self.holidays

    def overtime_min(self, day: dt.date) -> float:
        """Overtime added to the last shift of ``day`` (the longest that covers it)."""
        return max((item.extra_min for item in self.overtime if item.covers(day)), default=0.0)

    def shifts_of_day(self, index: int, start_date: dt.date) -> list[tuple[int, float, float]]:
        """(shift number, start, end) of the shifts of day ``index`` after ``start_date``,
        in minutes from ``start_date``, overtime included, breaks not taken out."""
        day = start_date + dt.timedelta(days=index)
        if not self.is_working_day(day):
            return []
        first = index * MINUTES_PER_DAY + self.day_start_min
        shifts = []
        for shift in range(self.shifts_per_day):
            start = first + shift * self.shift_length_min
            shifts.append((shift, start, start + self.shift_length_min))
        extra = self.overtime_min(day)
        if extra:
            shift, start, end = shifts[-1]
            shifts[-1] = (shift, start, end + extra)
        return shifts

    def _pieces(self, start: float, end: float) -> list[tuple[float, float]]:
        """The working parts of the shift [start, end): its breaks taken out."""
        pieces = []
        begin = start
        for item in sorted(self.breaks, key=lambda b: b.at_min):
            pieces.append((begin, start + item.at_min))
            begin = start + item.at_min + item.length_min
        pieces.append((begin, end))
        return pieces

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
            for _, shift_start, shift_end in self.shifts_of_day(index, start_date):
                for start, end in self._pieces(shift_start, shift_end):
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
