"""Ramp-up: learning curves, yield learning and dated capacity changes.

::

    [[products.agras-t40.operations]]
    ...
    learning = {rate = 0.85, floor = 0.4, initial_units = 0}

    [[capacity_changes]]
    at = "13 wk"                 # or a date: at = 2026-04-01
    work_centre = "flight-test"
    stations = 8

Learning (Wright): the n-th completion of an operation (n = 0, 1, …) takes its sampled time
× max(floor, (n + initial_units + 1)^log2(rate)). Yield learning: the test yield after n
tested units is mature − (mature − initial)·2^(−n / halving_units).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator

from droneworks.core.errors import ConfigError
from droneworks.core.limits import MAX_COUNT, MAX_STATIONS, MAX_WORKERS
from droneworks.core.units import Dimension, parse_quantity
from droneworks.core.validation import UserModel

__all__ = ["CapacityChange", "Learning", "YieldLearning"]

Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Learning(UserModel):
    """A Wright learning curve on an operation's processing time."""

    rate: Annotated[float, Field(gt=0.0, le=1.0)]
    floor: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    initial_units: Annotated[int, Field(ge=0, le=MAX_COUNT)] = 0

    @property
    def exponent(self) -> float:
        """log2(rate): ≤ 0; the time of unit k is proportional to k ** exponent."""
        return math.log2(self.rate)

    def factor(self, completed: int) -> float:
        """Time multiplier of the next unit after ``completed`` completions of the operation."""
        units = completed + self.initial_units + 1
        return max(self.floor, float(units**self.exponent))


class YieldLearning(UserModel):
    """Test yield that improves with the number of units tested."""

    initial: Share
    mature: Share
    halving_units: Annotated[float, Field(gt=0.0)]

    @model_validator(mode="after")
    def _check(self) -> YieldLearning:
        if self.mature < self.initial:
            raise ValueError("mature yield is below the initial yield")
        return self

    def yield_at(self, tested: int) -> float:
        """Pass probability of the next unit after ``tested`` units were tested."""
        gap = self.mature - self.initial
        return float(self.mature - gap * 2.0 ** (-tested / self.halving_units))


def _parse_at(value: Any) -> dt.date | float:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    try:
        minutes = parse_quantity(value, Dimension.DURATION)
    except ConfigError as error:
        raise ValueError(f"{error} (write a date or a duration)") from None
    if minutes < 0:
        raise ValueError("must not be negative")
    return minutes


class CapacityChange(UserModel):
    """From ``at`` on, a work centre has ``stations``, a pool ``workers``, or the plant
    works ``shifts_per_day`` (exactly one of the three)."""

    at: Annotated[
        dt.date | float,
        PlainValidator(_parse_at),
        WithJsonSchema(
            {
                "description": 'a date (2026-04-01) or a duration from the start ("13 wk")',
                "anyOf": [{"type": "string", "format": "date"}, {"type": "string"}],
            }
        ),
    ]
    work_centre: str | None = None
    stations: Annotated[int, Field(ge=1, le=MAX_STATIONS)] | None = None
    pool: str | None = None
    workers: Annotated[int, Field(ge=0, le=MAX_WORKERS)] | None = None
    shifts_per_day: Annotated[int, Field(ge=1, le=24)] | None = None

    @model_validator(mode="after")
    def _check(self) -> CapacityChange:
        kinds = [
            self.work_centre is not None or self.stations is not None,
            self.pool is not None or self.workers is not None,
            self.shifts_per_day is not None,
        ]
        if sum(kinds) != 1:
            raise ValueError(
                "a capacity change sets exactly one of: work_centre + stations, "
                "pool + workers, shifts_per_day"
            )
        if (self.work_centre is None) != (self.stations is None):
            raise ValueError('"work_centre" and "stations" go together')
        if (self.pool is None) != (self.workers is None):
            raise ValueError('"pool" and "workers" go together')
        return self

    def at_min(self, start_date: dt.date) -> float:
        """Minutes from the start of the run (midnight of ``start_date``) to the change."""
        if isinstance(self.at, dt.date):
            return (self.at - start_date).days * 1440.0
        return float(self.at)
