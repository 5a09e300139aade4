"""Products, sub-assemblies and their routings (ordered operations).

::

    [products.agras-t40]
    drone_type = "agras-t40-class"          # an id of the drone catalogue
    unit_price = 18000                      # optional, in [costs] currency

    [[products.agras-t40.operations]]
    id = "frame"                            # optional; defaults to the work centre id
    work_centre = "frame"
    time = {dist = "triangular", low = "15 min", mode = "20 min", high = "25 min"}
    setup = "10 min"                        # when the station changes item
    consumes = {centre-frame = 1, arm = 6}  # purchased parts or sub-assemblies, per unit
    worker = "assemblers"                   # pool; or skill = "frame" (any pool with it)
    test = {yield = 0.9, rework = [{work_centre = "rework", time = "30 min"}]}

An operation that consumes items joins them (assembly): it starts only when all are in
stock; waiting for them is material starvation.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from droneworks.core.limits import MAX_COUNT
from droneworks.core.units import Duration
from droneworks.core.validation import UserModel
from droneworks.factory.model.distributions import DistributionSpec
from droneworks.factory.model.rampup import Learning, YieldLearning
from droneworks.factory.model.transport import MoveSpec

__all__ = [
    "Assembly",
    "FailAction",
    "Operation",
    "Product",
    "QualityTest",
    "ReworkOperation",
    "Step",
]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Quantity = Annotated[int, Field(ge=1, le=MAX_COUNT)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class FailAction(StrEnum):
    """What happens to a unit that fails a test."""

    REWORK = "rework"
    SCRAP = "scrap"


class Step(UserModel):
    """Keys shared by routing operations and rework operations."""

    id: Identifier | None = None
    work_centre: str
    time: DistributionSpec
    setup: DistributionSpec | None = None
    batch: Quantity = 1
    batch_wait_min: Annotated[Duration, Field(gt=0)] | None = Field(
        default=None, alias="batch_wait"
    )
    consumes: dict[str, Quantity] = Field(default_factory=dict)
    worker: str | None = None
    skill: str | None = None
    workers_needed: Quantity = 1
    learning: Learning | None = None
    move: MoveSpec | None = None

    @model_validator(mode="after")
    def _check_worker(self) -> Step:
        if self.worker is not None and self.skill is not None:
            raise ValueError('name a worker pool ("worker") or a skill ("skill"), not both')
        if self.batch_wait_min is not None and self.batch == 1:
            raise ValueError('"batch_wait" (the longest wait for a full batch) needs batch > 1')
        return self

    @property
    def name(self) -> str:
        """The operation's id, or its work centre's id when none is given."""
        return self.id if self.id is not None else self.work_centre

    @property
    def needs_worker(self) -> bool:
        """True when the operation holds a worker from a pool while it runs."""
        return self.worker is not None or self.skill is not None


_Step = Step  # former private name, kept for early importers


class ReworkOperation(Step):
    """An operation of a rework routing (it cannot itself be a test)."""


class QualityTest(UserModel):
    """A test gate: a unit passes with ``yield``; a failed unit is reworked or scrapped."""

    first_pass_yield: Share | None = Field(default=None, alias="yield")
    yield_learning: YieldLearning | None = None
    retest_yield: Share | None = None
    on_fail: FailAction | None = None
    rework: tuple[ReworkOperation, ...] = ()
    max_reworks: Annotated[int, Field(ge=0, le=100)] = 2

    @model_validator(mode="after")
    def _check(self) -> QualityTest:
        if (self.first_pass_yield is None) == (self.yield_learning is None):
            raise ValueError('a test needs "yield" or "yield_learning" (one of them)')
        if self.on_fail is FailAction.REWORK and not self.rework:
            raise ValueError('on_fail = "rework" needs a "rework" routing')
        return self

    @property
    def fail_action(self) -> FailAction:
        """Rework when a rework routing is given (unless ``on_fail = "scrap"``), else scrap."""
        if self.on_fail is not None:
            return self.on_fail
        return FailAction.REWORK if self.rework else FailAction.SCRAP

    @property
    def initial_yield(self) -> float:
        """First-pass yield of the first unit tested."""
        if self.yield_learning is not None:
            return self.yield_learning.initial
        assert self.first_pass_yield is not None
        return self.first_pass_yield

    def yield_at(self, tested: int) -> float:
        """First-pass yield after ``tested`` units were tested (constant without learning)."""
        if self.yield_learning is not None:
            return self.yield_learning.yield_at(tested)
        assert self.first_pass_yield is not None
        return self.first_pass_yield

    @property
    def retest_pass(self) -> float:
        """Pass probability of a reworked unit (defaults to the first-pass yield)."""
        return self.retest_yield if self.retest_yield is not None else self.initial_yield


class Operation(Step):
    """One step of a routing: a work centre, a time, what it consumes, an optional test."""

    test: QualityTest | None = None


def _check_routing(operations: tuple[Operation, ...]) -> tuple[Operation, ...]:
    """Operation names are unique, and so is every explicit id, rework operations' included."""
    seen: dict[str, int] = {}
    for index, operation in enumerate(operations):
        name = operation.name
        if name in seen:
            raise ValueError(
                f'operations[{index}] and operations[{seen[name]}] are both called "{name}"; '
                'give them distinct "id" keys'
            )
        seen[name] = index
    ids: dict[str, str] = {}
    for index, operation in enumerate(operations):
        steps: list[tuple[str, Step]] = [(f"operations[{index}]", operation)]
        if operation.test is not None:
            where = f"operations[{index}].test.rework"
            steps += [(f"{where}[{sub}]", step) for sub, step in enumerate(operation.test.rework)]
        for path, step in steps:
            if step.id is not None and step.id in ids:
                raise ValueError(f'{path} and {ids[step.id]} both have the id "{step.id}"')
            if step.id is not None:
                ids[step.id] = path
    return operations


class _Routed(UserModel):
    """An item made in the plant by an ordered routing."""

    name: str | None = None
    operations: tuple[Operation, ...]
    due_in_min: Annotated[Duration, Field(gt=0)] | None = Field(default=None, alias="due_in")
    priority: Annotated[int, Field(ge=-1000, le=1000)] = 0

    @field_validator("operations")
    @classmethod
    def _unique_ids(cls, operations: tuple[Operation, ...]) -> tuple[Operation, ...]:
        return _check_routing(operations)

    def all_steps(self) -> list[tuple[str, Step]]:
        """Every operation and rework operation with its key path below the item."""
        steps: list[tuple[str, Step]] = []
        for index, operation in enumerate(self.operations):
            steps.append((f"operations[{index}]", operation))
            if operation.test is not None:
                for sub, rework in enumerate(operation.test.rework):
                    steps.append((f"operations[{index}].test.rework[{sub}]", rework))
        return steps

    def components(self) -> dict[str, int]:
        """Items consumed per unit by the routing (not counting rework replacements)."""
        total: dict[str, int] = {}
        for operation in self.operations:
            for item, quantity in operation.consumes.items():
                total[item] = total.get(item, 0) + quantity
        return total


class Product(_Routed):
    """A finished drone made in the plant."""

    drone_type: str
    unit_price: Annotated[float, Field(ge=0.0)] | None = None


class Assembly(_Routed):
    """A sub-assembly made in the plant and consumed by other operations.

    Released to a base-stock (supermarket) level: whenever stock + units in process fall
    below ``target_stock`` a new unit is started."""

    target_stock: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    initial_stock: Annotated[int, Field(ge=0, le=MAX_COUNT)] = 0
