"""The kernel's timer tree: after any sequence of updates every node holds the lowest slot
of the earliest time below it, and that time — the same tree whatever the order of the
updates, so the order of events never depends on how the tree was repaired."""

from __future__ import annotations

import numba as nb
import numpy as np

from droneworks.factory import Dist, ProblemBuilder
from droneworks.factory.engine.build import build_memory
from droneworks.factory.engine.core import set_timer
from droneworks.factory.engine.variates import problem_streams


@nb.njit
def _set(I, F, slot, t):  # type: ignore[no-untyped-def]  # noqa: E741
    set_timer(I, F, slot, t)


def _canonical(timer_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The tree rebuilt from scratch: node → (lowest slot of the minimum, its time)."""
    size = len(timer_at)
    slots = np.zeros(2 * size, dtype=np.int64)
    times = np.full(2 * size, np.inf)
    slots[size:], times[size:] = np.arange(size), timer_at
    for node in range(size - 1, 0, -1):
        left, right = 2 * node, 2 * node + 1
        pick = left if times[left] <= times[right] else right
        slots[node], times[node] = slots[pick], times[pick]
    return slots, times


def test_the_tree_is_the_same_function_of_the_timers_after_any_updates() -> None:
    b = ProblemBuilder(horizon_min=1_000.0)
    b.add_product("unit")
    for w in range(3):  # 2 stations with 2 failure modes each: 3 timers per station
        b.add_work_centre(f"w{w}", stations=2)
        for _ in range(2):
            b.add_failures(f"w{w}", up=Dist.exponential(100.0), repair=Dist.constant(5.0))
        b.add_operation("unit", f"o{w}", f"w{w}", Dist.constant(1.0))
    problem = b.build()
    memory = build_memory(problem, np.zeros((0, 3)), 1_000.0, problem_streams(problem, 0))
    timer_at = memory.view("timer_at")
    tree, tree_min = memory.view("timer_tree"), memory.view("timer_min")
    station = memory.view("timer_station")
    per_station = int(memory.view("params").timers_per_station[0])
    size = len(timer_at)
    assert per_station == 3 and size == 32
    assert np.array_equal(station, np.arange(size) // per_station)
    rng = np.random.default_rng(7)
    times = [0.0, 1.0, 1.0, 2.5, 3.0, np.inf]  # few values: many ties
    for _ in range(2_000):
        slot = int(rng.integers(size))
        _set(memory.I, memory.F, slot, float(rng.choice(times)))
        slots, mins = _canonical(timer_at)
        assert np.array_equal(tree[1:], slots[1:]) and np.array_equal(tree_min[1:], mins[1:])
        assert tree[1] == int(np.argmin(timer_at)) and tree_min[1] == timer_at.min()
