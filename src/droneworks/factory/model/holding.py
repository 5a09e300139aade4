"""Resource-holding cycles: work centres whose stations can all be held by units waiting
for an assembly that only those stations can make.

A station takes its next unit and then waits for the unit's materials while holding it
(starved material). If an operation at work centre W consumes assembly A, and making A —
its own routing, its rework, or any assembly A is made from — needs a station of W, then
every station of W can end up holding a unit waiting for A while A waits for a free
station of W: the plant stalls for good. Stock of A (initial or base-stock target) only
delays the stall until it runs out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from droneworks.factory.model.plant import Plant

__all__ = ["HoldingCycle", "find_holding_cycles"]


@dataclass(frozen=True)
class HoldingCycle:
    """Units of ``holder`` at ``work_centre`` (``where`` below the item) wait for
    ``component``, whose making needs ``work_centre`` too."""

    work_centre: str
    holder: str
    where: str
    component: str


def _centres_needed(plant: Plant, item: str, seen: set[str]) -> set[str]:
    """Every work centre that making one ``item`` needs, through its sub-assemblies."""
    assembly = plant.assemblies.get(item)
    if assembly is None or item in seen:
        return set()
    seen.add(item)
    centres = {step.work_centre for _, step in assembly.all_steps()}
    for component in assembly.components():
        centres |= _centres_needed(plant, component, seen)
    return centres


def find_holding_cycles(plant: Plant) -> list[HoldingCycle]:
    """Every (work centre, holder, component) where a unit can hold a station while
    waiting for a component made only with that centre's stations."""
    cycles: list[HoldingCycle] = []
    for key, item in plant.items.items():
        for where, step in item.all_steps():
            for component in step.consumes:
                if step.work_centre in _centres_needed(plant, component, set()):
                    cycles.append(HoldingCycle(step.work_centre, key, where, component))
    return cycles
