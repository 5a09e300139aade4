# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Intrusive FIFO lists in the kernel's tables (job queues and station wait lists)."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine.core import JIT


@nb.njit(inline="always", **JIT)
def fifo_append(heads, tails, row, next_of, item):
    """Append ``item`` to the list of ``row`` (``heads[row]`` … ``tails[row]``); an item's
    successor is ``next_of[item]`` (−1 ends the list)."""
    next_of[item] = -1
    tail = tails[row]
    if tail >= 0:
        next_of[tail] = item
    else:
        heads[row] = item
    tails[row] = item
