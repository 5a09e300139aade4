"""``simulate(problem, seed)``: the Python driver around the compiled kernel.

The kernel runs in chunks of simulated time (for progress); between chunks, or whenever
the kernel asks, the driver refills random values, grows the job table and streams the
event log to Parquet. Memory stays flat with the horizon: KPIs are accumulated while
running, per-period rows are the only thing that grows.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.core.errors import SimulationError
from droneworks.core.numba_load import import_arraymath_lightly
from droneworks.core.progress import NO_PROGRESS, Progress, ticking
from droneworks.factory.engine import spec
from droneworks.factory.engine.build import build_memory, grow_jobs, refill
from droneworks.factory.engine.memory import Memory
from droneworks.factory.engine.result import PurchaseOrderLike, SimResult
from droneworks.factory.engine.variates import problem_streams
from droneworks.factory.problem import Problem

__all__ = ["compile_seconds", "simulate"]

_CHUNKS = 50
_compiled = {"done": False, "seconds": 0.0}


def compile_seconds(progress: Progress = NO_PROGRESS) -> float:
    """Compile (or load from the on-disk cache) the kernel once per process; the seconds
    it took (0 after the first call). A cold compile is reported to ``progress``."""
    if _compiled["done"]:
        return 0.0
    from droneworks.factory.engine.cache_guard import (
        compile_estimate_s,
        compile_notice,
        compiled_here,
        kernel_cached,
        mark_warm,
    )
    from droneworks.factory.engine.kernel import entry
    from droneworks.factory.problem_builder import Dist, ProblemBuilder

    import_arraymath_lightly()  # numba would import scipy.linalg for nothing
    cold = not kernel_cached()
    started = time.perf_counter()
    builder = ProblemBuilder(horizon_min=10.0, period_min=5.0)
    builder.add_work_centre("w")
    builder.add_product("p")
    builder.add_operation("p", "o", "w", Dist.constant(1.0))
    tiny = builder.build()
    shown = ticking(progress, compile_notice(), compile_estimate_s()) if cold else nullcontext()
    with shown:
        _run(tiny, 0, 0, 10.0, NO_PROGRESS, None, np.zeros((0, 3)), False)
    _compiled["done"] = True
    _compiled["seconds"] = time.perf_counter() - started
    # only a real compile is an estimate (a missing marker may hide a warm cache)
    mark_warm(_compiled["seconds"] if compiled_here(entry) else None)
    return _compiled["seconds"]


def _orders(problem: Problem, orders: Sequence[PurchaseOrderLike]) -> np.ndarray:
    rows = []
    for order in orders:
        if order.part not in problem.parts:
            raise ValueError(f"purchase order for unknown part {order.part!r}")
        rows.append(
            (float(order.release_min), problem.parts.index(order.part), int(order.quantity))
        )
    rows.sort()
    return np.array(rows, dtype=float).reshape(-1, 3)


def simulate(
    problem: Problem,
    seed: int | None = None,
    replication: int = 0,
    horizon_min: float | None = None,
    progress: Progress = NO_PROGRESS,
    event_log: str | Path | None = None,
    purchase_orders: Sequence[PurchaseOrderLike] = (),
    record_active_periods: bool = False,
) -> SimResult:
    """Simulate ``problem`` once; ``seed`` defaults to the plant's seed.

    ``event_log``: a path → every event streamed to that Parquet file.
    ``purchase_orders``: external orders (e.g. MRP releases) added to the reorder policy.
    ``record_active_periods``: keep each work centre's [start, end] active periods
    (working, setting up or down), for the active-period bottleneck method.
    """
    horizon = float(horizon_min if horizon_min is not None else problem.horizon_min)
    if horizon <= problem.warmup_min:
        raise ValueError(f"horizon_min {horizon} must exceed the warm-up {problem.warmup_min}")
    if not problem.is_continuous and horizon > problem.calendar_end_min + 10_080.0:
        raise ValueError(
            f"horizon_min {horizon} is beyond the compiled calendar "
            f"({problem.calendar_end_min:.0f} min): compile the plant with a longer horizon"
        )
    compile_s = compile_seconds(progress)
    run_seed = problem.seed if seed is None else int(seed)
    orders = _orders(problem, purchase_orders)
    collecting = gc.isenabled()
    gc.disable()  # the loop allocates little; collections would only scan the heap
    try:
        started = time.perf_counter()
        result = _run(problem, run_seed, replication, horizon, progress, event_log, orders,
                      record_active_periods)  # fmt: skip
        wall_s = time.perf_counter() - started
    finally:
        if collecting:
            gc.enable()
    return SimResult(**{**result, "wall_s": wall_s, "compile_s": compile_s})


def _run(
    problem: Problem,
    seed: int,
    replication: int,
    horizon: float,
    progress: Progress,
    event_log: str | Path | None,
    orders: np.ndarray,
    active: bool,
) -> dict[str, Any]:
    from droneworks.factory.engine.kernel import ACTION_FINALIZE, ACTION_INIT, ACTION_RUN, entry
    from droneworks.factory.kpi.event_log import EventLogWriter

    streams = problem_streams(problem, seed, replication)
    memory = build_memory(problem, orders, horizon, streams, event_log=event_log is not None,
                          active_periods=active)  # fmt: skip
    writer = EventLogWriter(event_log, problem) if event_log is not None else None
    periods: list[np.ndarray] = []
    entry(memory.I, memory.F, ACTION_INIT, 0.0)
    g = memory.globals_int
    if g[spec.G_GROW]:
        g[[spec.G_GROW, spec.G_KICK]] = [0, 1]
        memory = grow_jobs(memory)
    progress.start("simulating", horizon)
    chunk = horizon / _CHUNKS
    stop = chunk
    try:
        while True:
            status = int(entry(memory.I, memory.F, ACTION_RUN, min(stop, horizon)))
            if status == spec.STATUS_STOP:
                progress.update(min(stop, horizon))
                if stop >= horizon:
                    break
                stop += chunk
            elif status == spec.STATUS_REFILL:
                refill(memory, streams)
            elif status == spec.STATUS_GROW:
                memory = grow_jobs(memory)
            elif status == spec.STATUS_ERROR:
                what = {spec.ERROR_HEAP: "event heap", spec.ERROR_TODO: "to-do ring"}
                full = what.get(int(memory.globals_int[spec.G_ERROR]), "kernel table")
                raise SimulationError(f"the engine's {full} is full (plant too large)")
            _flush_buffers(memory, writer, periods)
        residual = entry(memory.I, memory.F, ACTION_FINALIZE, horizon)
        _flush_buffers(memory, writer, periods)
    finally:
        if writer is not None:
            writer.close()
    return _result_fields(problem, memory, horizon, residual, seed, replication, periods, writer)


def _flush_buffers(memory: Memory, writer: object, periods: list[np.ndarray]) -> None:
    g = memory.globals_int
    if writer is not None and g[spec.G_LOG_N] > 0:
        n = int(g[spec.G_LOG_N])
        log = memory.view("log")
        rows = np.column_stack([log.code, log.job_type, log.job, log.wc, log.station])[:n]
        writer.write(log.at[:n].copy(), rows)  # type: ignore[attr-defined]
        g[spec.G_LOG_N] = 0
    if g[spec.G_AP_N] > 0:
        n = int(g[spec.G_AP_N])
        active = memory.view("active")
        periods.append(np.column_stack([active.wc[:n], active.start[:n], active.end[:n]]))
        g[spec.G_AP_N] = 0


def _result_fields(
    problem: Problem,
    memory: Memory,
    horizon: float,
    residual: float,
    seed: int,
    replication: int,
    periods: list[np.ndarray],
    writer: object,
) -> dict[str, Any]:
    from droneworks.factory.kpi.stations import station_holds
    from droneworks.factory.kpi.summary import hist_edges_min, kpis_of_state, period_lengths_min

    n_products, n_wc = len(problem.products), len(problem.work_centres)
    wipp = memory.view("wip_area_by_period")
    rows = np.concatenate(periods) if periods else np.zeros((0, 3))
    active = {
        name: rows[rows[:, 0] == w][:, 1:].copy() for w, name in enumerate(problem.work_centres)
    } if periods or bool(memory.globals_int[spec.G_AP]) else {}  # fmt: skip
    return {
        "kpis": kpis_of_state(problem, memory, horizon, residual),
        "products": problem.products,
        "work_centres": problem.work_centres,
        "parts": problem.parts,
        "pools": problem.pools,
        "states": spec.STATES,
        "horizon_min": horizon,
        "warmup_min": problem.warmup_min,
        "seed": seed,
        "replication": replication,
        "period_min": problem.period_min,
        "output_by_period": memory.view("output_by_period")[:, :n_products].copy(),
        "wip_by_period": wipp / period_lengths_min(horizon, problem.period_min, len(wipp)),
        "wc_state_by_period": memory.view("state_min_by_period")[
            :, :n_wc, : len(spec.STATES)
        ].copy(),
        "stock_by_period": memory.view("stock_by_period").copy(),
        "lead_times_hist": memory.view("lead_hist").copy(),
        "order_to_delivery_hist": memory.view("order_hist").copy(),
        "station_holds": station_holds(problem, memory),
        "lead_time_edges_min": hist_edges_min(),
        "active_periods": active,
        "event_log_rows": getattr(writer, "rows", 0),
    }
