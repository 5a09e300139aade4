"""The levels of a factor in an experiment's points, for main effects (any wing).

A level is a factor's value (explicit levels, scale, a distribution's bounds in a factorial
or one-at-a-time design) or, for a sampled factor in a Latin hypercube, the low / middle /
high third of its sampled values. In a one-at-a-time design each level is a single point,
compared with the base point (the file as it is); elsewhere a level pools every point that
has it, so the other factors vary inside it as they do in the design.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from droneworks.core.sweep import DesignKind, Factor, Point, split_number

__all__ = ["factor_levels"]

T = TypeVar("T")
BASE = "file's value"


def factor_levels(
    items: Sequence[T],
    point_of: Callable[[T], Point],
    kind: DesignKind,
    factor: Factor,
    position: int,
) -> list[tuple[str, list[T]]]:
    """``(level label, items at that level)`` for the factor at ``position``, in order."""
    values = [point_of(item).values[position] for item in items]
    if kind is DesignKind.OAT:
        everything_base = [all(v is None for v in point_of(item).values) for item in items]
        groups = [(BASE, [i for i, base in zip(items, everything_base, strict=True) if base])]
        groups = [group for group in groups if group[1]]
        return groups + [(str(v), [i]) for i, v in zip(items, values, strict=True) if v is not None]
    if factor.continuous and kind is DesignKind.LHS:
        return _thirds(items, values)
    pooled: dict[str, list[T]] = {}
    for item, value in zip(items, values, strict=True):
        pooled.setdefault(BASE if value is None else str(value), []).append(item)
    return list(pooled.items())


def _thirds(items: Sequence[T], values: Sequence[object]) -> list[tuple[str, list[T]]]:
    split = [split_number(value) for value in values]
    numbers = np.array([number for number, _ in split])
    unit = split[0][1] if split else ""
    order = np.argsort(numbers, kind="stable")
    groups = []
    for name, chunk in zip(("low", "middle", "high"), np.array_split(order, 3), strict=True):
        if len(chunk) == 0:
            continue
        low, high = numbers[chunk].min(), numbers[chunk].max()
        label = f"{name} third ({low:.4g}–{high:.4g} {unit})".replace(" )", ")")
        groups.append((label, [items[i] for i in chunk]))
    return groups
