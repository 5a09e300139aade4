"""Work centres (parallel stations, buffer, failures, maintenance), repair crews and
worker pools.

::

    [work_centres.frame]
    stations = 6                 # identical parallel stations
    buffer = 10                  # input buffer places; omit for an unlimited buffer
    failures = {basis = "calendar", up_time = {dist = "exponential", mean = "480 min"},
                repair = {dist = "exponential", mean = "20 min"}, crew = "maintenance"}
    maintenance = {every = "1 wk", duration = "2 h"}
    station_cost = 40000         # per station per year, in [costs] currency
    max_stations = 12            # upper bound for capacity sizing
    calendar = "night-cell"      # a [calendars.<id>] of its own (default: [calendar])

    [repair_crews.maintenance]
    technicians = 2              # failures naming this crew wait for a free technician
    on_shift_only = true         # repairs pause while the work centre is off shift

    [workers.assemblers]
    count = 60                   # workers present in each shift …
    # shift_counts = [60, 40]    # … or a headcount per shift of the day
    skills = ["frame", "harness"]
    cost_per_year = 30000        # per worker
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from droneworks.core.limits import MAX_COUNT, MAX_STATIONS, MAX_WORKERS
from droneworks.core.units import Duration
from droneworks.core.validation import UserModel
from droneworks.factory.model.distributions import DistributionSpec

__all__ = [
    "DispatchRule",
    "FailureBasis",
    "FailureMode",
    "Maintenance",
    "RepairCrew",
    "WorkCentre",
    "WorkerPool",
]

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Money = Annotated[float, Field(ge=0.0)]


class DispatchRule(StrEnum):
    """Which queued unit a free station of a work centre takes next."""

    FIFO = "fifo"  # first come, first served
    SPT = "spt"  # shortest mean processing time of the unit's operation
    EDD = "edd"  # earliest due date (order time + the item's due_in)
    PRIORITY = "priority"  # highest priority of the unit's item


class FailureBasis(StrEnum):
    """What the time (or count) between failures of a station is measured in."""

    CALENDAR = "calendar"  # wall-clock time, whatever the station is doing
    BUSY = "busy"  # time the station spends processing
    OPERATIONS = "operations"  # number of operations completed (a batch counts as one)


class FailureMode(UserModel):
    """One way a station fails: time (or operations) to failure, then a repair."""

    basis: FailureBasis = FailureBasis.CALENDAR
    up_time: DistributionSpec | None = None
    operations_between: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    repair: DistributionSpec
    preempts: bool = True
    crew: Identifier | None = None

    @model_validator(mode="after")
    def _check(self) -> FailureMode:
        if self.basis is FailureBasis.OPERATIONS:
            if self.operations_between is None:
                raise ValueError('basis "operations" needs "operations_between"')
            if self.up_time is not None:
                raise ValueError('basis "operations" takes "operations_between", not "up_time"')
        else:
            if self.up_time is None:
                raise ValueError(f'basis "{self.basis.value}" needs "up_time"')
            if self.operations_between is not None:
                raise ValueError(f'basis "{self.basis.value}" takes "up_time"')
            if self.up_time.mean_min <= 0:
                raise ValueError("up_time must have a positive mean")
        return self

    @property
    def availability(self) -> float:
        """Long-run share of up time for a station that is always busy (approximation
        for the operations basis: needs the operation time, so it returns 1.0 there)."""
        if self.up_time is None:
            return 1.0
        up = self.up_time.mean_min
        return up / (up + self.repair.mean_min)


class Maintenance(UserModel):
    """Planned maintenance: every station stops for ``duration`` every ``every``."""

    every_min: Annotated[Duration, Field(alias="every", gt=0)]
    duration_min: Annotated[Duration, Field(alias="duration", ge=0)]
    first_at_min: Annotated[Duration, Field(ge=0)] | None = Field(default=None, alias="first_at")
    basis: FailureBasis = FailureBasis.CALENDAR

    @property
    def first_min(self) -> float:
        """When the first stop starts (``first_at``, else one interval in)."""
        return self.every_min if self.first_at_min is None else self.first_at_min

    @model_validator(mode="after")
    def _check(self) -> Maintenance:
        if self.basis is FailureBasis.OPERATIONS:
            raise ValueError('maintenance basis is "calendar" or "busy"')
        if self.duration_min >= self.every_min:
            raise ValueError("maintenance duration must be shorter than its interval")
        return self


def _as_list(value: Any) -> Any:
    """Accept one failure mode as a table, or several as an array of tables."""
    if isinstance(value, dict):
        return [value]
    return value


class WorkCentre(UserModel):
    """A group of identical parallel stations sharing one input buffer."""

    name: str | None = None
    stations: Annotated[int, Field(ge=1, le=MAX_STATIONS)] = 1
    buffer: Annotated[int, Field(ge=0, le=MAX_COUNT)] | None = None
    failures: Annotated[
        tuple[FailureMode, ...],
        BeforeValidator(_as_list, json_schema_input_type=FailureMode | list[FailureMode]),
    ] = ()
    maintenance: Maintenance | None = None
    station_cost: Money = 0.0
    max_stations: Annotated[int, Field(ge=1, le=MAX_STATIONS)] | None = None
    buffer_slot_cost: Money = 0.0
    dispatch: DispatchRule = DispatchRule.FIFO
    speeds: tuple[Annotated[float, Field(gt=0.0, le=100.0)], ...] | None = None
    kitting: bool = False
    calendar: Identifier | None = None

    @model_validator(mode="after")
    def _check(self) -> WorkCentre:
        if self.speeds is not None and len(self.speeds) != self.stations:
            raise ValueError(
                f"speeds gives {len(self.speeds)} speed(s) for {self.stations} stations"
            )
        if self.max_stations is not None and self.max_stations < self.stations:
            raise ValueError(
                f"max_stations ({self.max_stations}) is below stations ({self.stations})"
            )
        return self

    @property
    def availability(self) -> float:
        """Product of the long-run availabilities of the time-based failure modes and of
        planned maintenance (a rough-cut figure, not a simulation result; failures by
        operation count are left out: see :meth:`availability_for`)."""
        return self.availability_for(None)

    def availability_for(self, operation_min: float | None) -> float:
        """As :attr:`availability`, also counting failures by operation count when the
        mean time of one operation (``operation_min``) is given."""
        share = 1.0
        for mode in self.failures:
            if mode.operations_between is not None:
                if operation_min:
                    busy = mode.operations_between * operation_min
                    share *= busy / (busy + mode.repair.mean_min)
                continue
            share *= mode.availability
        if self.maintenance is not None:
            share *= 1.0 - self.maintenance.duration_min / self.maintenance.every_min
        return share


class RepairCrew(UserModel):
    """Technicians who repair failures: a failure mode naming the crew waits for a free
    technician, who is held until the repair ends."""

    name: str | None = None
    technicians: Annotated[int, Field(ge=1, le=MAX_WORKERS)]
    on_shift_only: bool = False


class WorkerPool(UserModel):
    """Interchangeable workers present in every shift."""

    name: str | None = None
    count: Annotated[int, Field(ge=0, le=MAX_WORKERS)]
    shift_counts: tuple[Annotated[int, Field(ge=0, le=MAX_WORKERS)], ...] | None = None
    skills: tuple[Identifier, ...] = ()
    cost_per_year: Money = 0.0
    max_count: Annotated[int, Field(ge=0, le=MAX_WORKERS)] | None = None
    hiring_period_min: Annotated[Duration, Field(alias="hiring_period", ge=0)] = 0.0

    @model_validator(mode="before")
    @classmethod
    def _count_of_shifts(cls, data: Any) -> Any:
        """``shift_counts`` replaces ``count``, which then reads as the largest shift."""
        if not isinstance(data, dict) or data.get("shift_counts") is None:
            return data
        if "count" in data:
            raise ValueError('give "count" (every shift) or "shift_counts", not both')
        counts = data["shift_counts"]
        if isinstance(counts, list | tuple) and counts and all(type(n) is int for n in counts):
            return {**data, "count": max(counts)}
        return data

    @model_validator(mode="after")
    def _check(self) -> WorkerPool:
        if self.shift_counts is not None and not self.shift_counts:
            raise ValueError("shift_counts needs one headcount per shift of the day")
        if self.max_count is not None and self.max_count < self.count:
            raise ValueError(f"max_count ({self.max_count}) is below count ({self.count})")
        return self
