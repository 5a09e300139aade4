"""Binding constraint of each period of a ramp-up, from the simulated station states: the
work centre with the highest occupancy limits the flow; it is reported as material or
labour when it waited for them at least ``STARVED_SHARE`` of its on-shift time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from droneworks.factory.engine.spec import STATES

if TYPE_CHECKING:
    from droneworks.factory.model.plant import Plant

__all__ = ["STARVED_SHARE", "STATES", "binding_constraints"]

STARVED_SHARE = 0.05
_OCCUPIED = [
    STATES.index(name)
    for name in ("working", "setup", "down", "starved_material", "starved_worker")
]


def binding_constraints(
    states_min: np.ndarray,
    work_centres: tuple[str, ...],
    stock: np.ndarray | None,
    parts: tuple[str, ...],
    consumed_at: dict[str, tuple[str, ...]],
    pools_at: dict[str, tuple[str, ...]],
) -> list[tuple[str, str]]:
    """(kind, name) of the binding constraint in each period from mean station-state minutes
    (periods × work centres × states, in :data:`STATES` order)."""
    out = []
    for period in range(states_min.shape[0]):
        minutes = states_min[period, :, : len(STATES)]
        on_shift = minutes.sum(axis=1) - minutes[:, STATES.index("off_shift")]
        busy = minutes[:, _OCCUPIED]
        with np.errstate(divide="ignore", invalid="ignore"):
            occupancy = np.where(on_shift > 0, busy.sum(axis=1) / on_shift, 0.0)
        if not np.any(occupancy > 0):
            out.append(("", ""))
            continue
        centre = int(np.argmax(occupancy))
        name = work_centres[centre]
        material = minutes[centre, STATES.index("starved_material")] / on_shift[centre]
        labour = minutes[centre, STATES.index("starved_worker")] / on_shift[centre]
        if material >= STARVED_SHARE and material >= labour:
            out.append(("material", _scarcest(stock, period, parts, consumed_at.get(name, ()))))
        elif labour >= STARVED_SHARE:
            out.append(("labour", ", ".join(pools_at.get(name, ())) or name))
        else:
            out.append(("work_centre", name))
    return out


def _scarcest(
    stock: np.ndarray | None, period: int, parts: tuple[str, ...], candidates: tuple[str, ...]
) -> str:
    """The candidate part whose stock at the end of this or the previous period was lowest
    relative to its own mean stock over the run (the one that ran out)."""
    names = [p for p in candidates if p in parts]
    if not names:
        return "?"
    if stock is None or stock.size == 0:
        return ", ".join(names)
    first = max(0, period - 1)
    scores = []
    for name in names:
        column = stock[:, parts.index(name)]
        scores.append(float(column[first : period + 1].min()) / (float(column.mean()) + 1.0))
    return names[int(np.argmin(scores))]


def _resource_maps(plant: Plant) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    consumed: dict[str, set[str]] = {}
    pools: dict[str, set[str]] = {}
    for item in plant.items.values():
        for operation in item.operations:
            parts = {p for p in operation.consumes if p in plant.parts}
            consumed.setdefault(operation.work_centre, set()).update(parts)
            found = plant.pools_for(operation.worker, operation.skill)
            pools.setdefault(operation.work_centre, set()).update(found)
    return (
        {k: tuple(sorted(v)) for k, v in consumed.items()},
        {k: tuple(sorted(v)) for k, v in pools.items()},
    )
