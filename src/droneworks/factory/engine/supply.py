# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Supplier capacity: a supplier makes its orders one after another, first ordered first
made, at its rate (units per minute, shared by all its parts); an order ships when its
last unit is made and arrives its lead time later. A part without a capacity row is made
at once (the order ships when it is placed)."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import JIT
from droneworks.factory.engine.spec import G_WARM


@nb.njit(**JIT)
def shipped_at(I, F, part, qty, now):
    """When an order of ``qty`` units of ``part`` placed ``now`` leaves its supplier."""
    k = tables.parts(I, F).supply[part]
    if k < 0:
        return now
    supply = tables.supply(I, F)
    start = max(now, supply.free_at[k])
    making = qty / supply.rate[k]
    supply.free_at[k] = start + making
    if I[G_WARM] == 1:
        supply.orders[k] += 1
        supply.wait_sum[k] += start - now
    return start + making
