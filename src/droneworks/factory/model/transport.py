"""Transport between work centres: the move that brings a unit to an operation, and the
transporter pools (AGVs, carts) that make the moves.

::

    [transporters.agv]
    count = 3                    # vehicles
    capacity = 2                 # units carried on one trip

    [[products.sprayer.operations]]
    work_centre = "test"
    time = "10 min"
    move = {time = {dist = "uniform", low = "2 min", high = "4 min"}, transporter = "agv"}
    # or, moved by no transporter (never waits):  move = "3 min"
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from droneworks.core.limits import MAX_COUNT, MAX_STATIONS
from droneworks.core.validation import UserModel
from droneworks.factory.model.distributions import DistributionSpec

__all__ = ["Move", "MoveSpec", "Transporter"]


class Move(UserModel):
    """The move of a unit to an operation's work centre: how long it takes and, optionally,
    the transporter pool that carries it (without one, moves never wait: a conveyor)."""

    time: DistributionSpec
    transporter: str | None = None


def _as_move(value: Any) -> Any:
    """A bare distribution (``"3 min"``, ``{dist = …}``) is a move without a transporter."""
    if isinstance(value, str) or (isinstance(value, dict) and "dist" in value):
        return {"time": value}
    return value


MoveSpec = Annotated[
    Move, BeforeValidator(_as_move, json_schema_input_type=Move | DistributionSpec)
]


class Transporter(UserModel):
    """A pool of identical vehicles; one trip carries up to ``capacity`` units going to the
    same operation."""

    name: str | None = None
    count: Annotated[int, Field(ge=1, le=MAX_STATIONS)] = 1
    capacity: Annotated[int, Field(ge=1, le=MAX_COUNT)] = 1
