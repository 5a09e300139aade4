# ruff: noqa: E741  (I is the kernel's flat int memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Intrusive FIFO lists in the kernel's int memory (job queues and station wait lists)."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine.core import JIT


@nb.njit(inline="always", **JIT)
def fifo_append(I, head_at, tail_at, next_of, stride, item):
    """Append ``item`` to the list whose head and tail indices sit at ``I[head_at]`` and
    ``I[tail_at]``; an item's successor sits at ``I[next_of + item * stride]`` (−1 ends it)."""
    I[next_of + item * stride] = -1
    tail = I[tail_at]
    if tail >= 0:
        I[next_of + tail * stride] = item
    else:
        I[head_at] = item
    I[tail_at] = item
