"""Loops of finite buffers in a plant's flow, where blocking after service can deadlock.

A unit finishing at work centre A moves to the input buffer of the centre of its next
operation B; if B's buffer is finite, A's station may block until B has room. When such
"may block on" edges form a cycle (a rework loop back to a test, two consecutive
operations on the same centre, a routing visiting a centre twice), every station of the
cycle can end up holding a unit that waits for a full buffer: a deadlock. Units consumed
from stock (assemblies) do not block their makers, so they add no edge.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from droneworks.factory.model.graph import find_cycle

if TYPE_CHECKING:
    from droneworks.factory.model.plant import Plant

__all__ = ["blocking_edges", "find_blocking_cycle"]


def blocking_edges(plant: Plant) -> dict[str, set[str]]:
    """Work centre → the centres with a finite buffer it can block on."""
    edges: dict[str, set[str]] = {key: set() for key in plant.work_centres}

    def link(source: str, target: str) -> None:
        centre = plant.work_centres.get(target)
        if source in edges and centre is not None and centre.buffer is not None:
            edges[source].add(target)

    for item in plant.items.values():
        operations = item.operations
        for index, operation in enumerate(operations):
            if index + 1 < len(operations):
                link(operation.work_centre, operations[index + 1].work_centre)
            test = operation.test
            if test is None or not test.rework:
                continue
            chain = [operation.work_centre, *(step.work_centre for step in test.rework)]
            chain.append(operation.work_centre)  # back for the retest
            for source, target in pairwise(chain):
                link(source, target)
    return edges


def find_blocking_cycle(plant: Plant) -> list[str]:
    """One cycle of finite-buffer blocking (``[a, b, a]``), or [] when there is none."""
    edges = blocking_edges(plant)
    return find_cycle({node: sorted(children) for node, children in edges.items()})
