"""Build a :class:`~droneworks.factory.problem.Problem` in code (PyVRP's builder habit).

:func:`~droneworks.factory.compile.compile_plant` uses it for plant files; tests and
benchmarks use it directly (the resources — work centres, failures, pools, parts … — are
added by the methods of its base :class:`~droneworks.factory.problem_resources.PlantResources`)::

    b = ProblemBuilder(horizon_min=525_600)
    for k in range(10):
        b.add_work_centre(f"s{k}", buffer=5)
        b.add_failures(f"s{k}", up=Dist.exponential(480), repair=Dist.exponential(20))
    b.add_product("unit")
    for k in range(10):
        b.add_operation("unit", f"op{k}", f"s{k}", Dist.lognormal(1.5, 0.25))
    problem = b.build()
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from droneworks.factory import problem as p
from droneworks.factory.problem import Problem
from droneworks.factory.problem_dist import UNIT_UNIFORM, Dist
from droneworks.factory.problem_resources import PlantResources, _bad, failure_stream_name

__all__ = [
    "Dist",
    "ProblemBuilder",
    "failure_stream_name",
    "process_stream_name",
]

_INFINITE_END_MIN = 1e18


def process_stream_name(job_type: str, operation: str) -> str:
    """The stream of an operation's processing times."""
    return f"{job_type}/{operation}/time"


@dataclass
class _Op:
    name: str
    wc: int
    time: int
    setup: int = -1
    batch: int = 1
    batch_wait: float = 0.0
    pool: int = -1
    workers: int = 1
    consumes: list[tuple[str, int]] = field(default_factory=list)
    test: int = -1
    yield_: tuple[float, float, float, float] = (1.0, 1.0, 0.0, -1.0)
    rework: list[int] = field(default_factory=list)
    max_reworks: int = 0
    learning: tuple[float, float, float] = (0.0, 0.0, 0.0)
    move: int = -1
    mover: int = -1


class ProblemBuilder(PlantResources):
    """Collects a plant's entities by name and freezes them into a :class:`Problem`."""

    def __init__(
        self,
        horizon_min: float,
        warmup_min: float = 0.0,
        seed: int = 0,
        period_min: float = 10_080.0,
    ) -> None:
        super().__init__()
        self.horizon_min = float(horizon_min)
        self.warmup_min = float(warmup_min)
        self.seed = int(seed)
        self.period_min = float(period_min)
        self.release_mode = p.RELEASE_SATURATE
        self.conwip_cap = -1
        self.plan_period_min = 0.0
        self.plan_qty = np.zeros((0, 0), dtype=np.int64)
        self.calendar = np.array([[0.0, _INFINITE_END_MIN]])
        self._products: list[str] = []
        self._assemblies: list[str] = []
        self._routes: dict[str, list[int]] = {}
        self._arrival: dict[str, int] = {}
        self._mix: dict[str, float] = {}
        self._stock: dict[str, tuple[int, int]] = {}
        self._ops: list[_Op] = []
        self._op_names: list[str] = []
        self._due: dict[str, tuple[float, int]] = {}  # job type → (due_in_min, priority)
        self._changes: list[tuple[float, int, int, int]] = []

    # -- products, assemblies, operations ----------------------------------------------------
    def add_product(self, name: str, interarrival: Dist | None = None, mix: float = 1.0) -> None:
        """A finished product; ``interarrival`` is used with :meth:`release_by_rate`,
        ``mix`` (a weight) when raw material is unlimited and products share a station."""
        self._job_type(name)
        self._products.append(name)
        self._mix[name] = float(mix)
        if interarrival is not None:
            self._arrival[name] = self._stream(f"{name}/arrivals", [interarrival])

    def add_assembly(self, name: str, target_stock: int = -1, initial_stock: int = 0) -> None:
        """A sub-assembly made in the plant: with ``target_stock`` ≥ 0 it is made to keep
        stock + work in process at that level (base stock); else one is released with each
        unit that consumes it."""
        self._job_type(name)
        self._assemblies.append(name)
        self._stock[name] = (int(target_stock), int(initial_stock))

    def _job_type(self, name: str) -> None:
        if name in self._routes:
            raise ValueError(f"job type {name!r} defined twice")
        self._routes[name] = []

    def set_due(self, job_type: str, due_in_min: float = math.inf, priority: int = 0) -> None:
        """Due date (order time + ``due_in_min``) and priority of a product or assembly, for
        work centres dispatching by earliest due date or priority."""
        if job_type not in self._routes:
            raise ValueError(f"unknown job type {job_type!r}")
        self._due[job_type] = (float(due_in_min), int(priority))

    def add_operation(
        self,
        job_type: str,
        name: str,
        work_centre: str,
        time: Dist,
        *,
        setup: Dist | None = None,
        batch: int = 1,
        batch_wait: float = 0.0,
        pool: str | None = None,
        workers: int = 1,
        consumes: Mapping[str, int] | None = None,
        test_yield: float | None = None,
        yield_learning: tuple[float, float, float] | None = None,
        retest_yield: float | None = None,
        max_reworks: int = 0,
        learning: tuple[float, float, int] | None = None,
        rework_of: int | None = None,
        move: Dist | None = None,
        transporter: str | None = None,
    ) -> int:
        """Append an operation to ``job_type``'s routing (or to the rework routing of test
        operation ``rework_of``); returns its index.

        ``learning`` = (rate, floor, initial_units); ``yield_learning`` = (initial, mature,
        halving_units); ``retest_yield``: pass probability of reworked units (default: the
        first-pass yield); ``workers``: how many workers of ``pool`` it holds; ``move``: the
        time to bring a unit to ``work_centre``, carried by ``transporter`` (a pool) if given;
        ``batch_wait`` > 0: a station waits up to this long for ``batch`` units.
        """
        if job_type not in self._routes:
            raise ValueError(f"unknown job type {job_type!r}")
        label = f"{job_type}/{name}"
        if label in self._op_names:
            raise ValueError(f"operation {label!r} defined twice")
        op = _Op(name=label, wc=self._wc(work_centre)["index"], batch=batch,
                 batch_wait=batch_wait, max_reworks=max_reworks,
                 time=self._stream(process_stream_name(job_type, name), [time]))  # fmt: skip
        if setup is not None:
            op.setup = self._stream(f"{label}/setup", [setup])
        op.workers = workers
        if pool is not None:
            op.pool = list(self._pools).index(pool) if pool in self._pools else _bad("pool", pool)
        op.consumes = [(str(m), int(q)) for m, q in (consumes or {}).items()]
        if test_yield is not None or yield_learning is not None:
            op.test = self._stream(f"{label}/test", [UNIT_UNIFORM])
            first = float(test_yield if test_yield is not None else 1.0)
            curve = yield_learning or (first, first, 0.0)
            op.yield_ = (*curve, -1.0 if retest_yield is None else float(retest_yield))
        if move is not None:
            op.move = self._stream(f"{label}/move", [move])
            if transporter is not None:
                known = list(self._transporters)
                op.mover = known.index(transporter) if transporter in known else _bad(
                    "transporter", transporter)  # fmt: skip
        if learning is not None:
            rate, floor, initial = learning
            op.learning = (math.log2(rate), floor, float(initial))
        self._ops.append(op)
        self._op_names.append(label)
        index = len(self._ops) - 1
        if rework_of is None:
            self._routes[job_type].append(index)
        else:
            self._ops[rework_of].rework.append(index)
        return index

    # -- demand, calendar, capacity changes --------------------------------------------------
    def release_by_plan(self, period_min: float, quantities: np.ndarray) -> None:
        """Release ``quantities[k, product]`` units evenly over plan period ``k``."""
        self.release_mode = p.RELEASE_PLAN
        self.plan_period_min = float(period_min)
        self.plan_qty = np.asarray(quantities, dtype=np.int64)  # (periods, products)

    def release_by_rate(self) -> None:
        """Release one unit per arrival of each product's inter-arrival stream."""
        self.release_mode = p.RELEASE_RATE

    def set_calendar(self, windows: np.ndarray | Sequence[Sequence[float]]) -> None:
        """Working windows [start, end) in minutes (default: around the clock)."""
        self.calendar = np.asarray(windows, dtype=float).reshape(-1, 2)

    def add_change(self, at_min: float, kind: int, target: str, value: int) -> None:
        """From ``at_min`` on, work centre ``target`` has ``value`` stations
        (``CHANGE_STATIONS``) or pool ``target`` has ``value`` workers (``CHANGE_WORKERS``)."""
        if kind == p.CHANGE_STATIONS:
            wc = self._wc(target)
            wc["max"] = max(wc["max"], value)
            index = wc["index"]
        else:
            index = list(self._pools).index(target) if target in self._pools else -1
            if index < 0:
                _bad("pool", target)
        self._changes.append((float(at_min), kind, index, int(value)))

    def build(self) -> Problem:
        """Freeze everything into a :class:`Problem`."""
        from droneworks.factory.problem_freeze import freeze

        return freeze(self)
