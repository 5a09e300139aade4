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
from droneworks.core.progress import NO_PROGRESS, Progress, ticking
from droneworks.factory.engine import layout as lay
from droneworks.factory.engine.result import PurchaseOrderLike, SimResult
from droneworks.factory.engine.serial import is_serial_line
from droneworks.factory.engine.state import allocate_state, flatten, grow_jobs, refill
from droneworks.factory.engine.variates import problem_streams
from droneworks.factory.problem import Problem

__all__ = ["compile_seconds", "simulate"]

_CHUNKS = 50
_compiled = {"done": False, "seconds": 0.0}


def _kernel(serial: bool, problem: Problem) -> tuple[Any, Any, Any]:
    """(init, run, finalize) taking the flat arrays (I, F): the general kernel, or the
    serial-line kernel bound to its own small state."""
    if not serial:
        from droneworks.factory.engine.kernel import entry

        return (
            lambda flat_i, flat_f: entry(flat_i, flat_f, 0, 0.0),
            lambda flat_i, flat_f, stop: int(entry(flat_i, flat_f, 1, stop)),
            lambda flat_i, flat_f, end: entry(flat_i, flat_f, 2, end),
        )
    from droneworks.factory.engine.serial import entry_line, line_state

    li, lf = line_state(problem)
    return (
        lambda flat_i, flat_f: entry_line(flat_i, flat_f, li, lf, 0, 0.0),
        lambda flat_i, flat_f, stop: int(entry_line(flat_i, flat_f, li, lf, 1, stop)),
        lambda flat_i, flat_f, end: entry_line(flat_i, flat_f, li, lf, 2, end),
    )


def compile_seconds(progress: Progress = NO_PROGRESS) -> float:
    """Compile (or load from the on-disk cache) the kernel once per process; the seconds
    it took (0 after the first call). A cold compile is reported to ``progress``."""
    if _compiled["done"]:
        return 0.0
    from droneworks.factory.engine.cache_guard import (
        compile_estimate_s,
        compile_notice,
        kernel_cached,
        mark_warm,
    )
    from droneworks.factory.problem_builder import Dist, ProblemBuilder

    cold = not kernel_cached()
    started = time.perf_counter()
    builder = ProblemBuilder(horizon_min=10.0, period_min=5.0)
    builder.add_work_centre("w")
    builder.add_product("p")
    builder.add_operation("p", "o", "w", Dist.constant(1.0))
    tiny = builder.build()
    shown = ticking(progress, compile_notice(), compile_estimate_s()) if cold else nullcontext()
    with shown:
        for serial in (False, True):
            _run(tiny, 0, 0, 10.0, NO_PROGRESS, None, np.zeros((0, 3)), False, serial)
    _compiled["done"] = True
    _compiled["seconds"] = time.perf_counter() - started
    mark_warm(_compiled["seconds"] if cold else None)
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
    fast_path: bool = True,
) -> SimResult:
    """Simulate ``problem`` once; ``seed`` defaults to the plant's seed.

    ``event_log``: a path → every event streamed to that Parquet file.
    ``purchase_orders``: external orders (e.g. MRP releases) added to the reorder policy.
    ``record_active_periods``: keep each work centre's [start, end] active periods
    (working, setting up or down), for the active-period bottleneck method.
    ``fast_path``: run pure serial lines on the exact serial-line kernel
    (:mod:`~droneworks.factory.engine.serial`); False forces the general kernel.
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
        line = fast_path and not record_active_periods and event_log is None and not len(orders)
        result = _run(problem, run_seed, replication, horizon, progress, event_log, orders,
                      record_active_periods, line and is_serial_line(problem))  # fmt: skip
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
    serial: bool = False,
) -> dict[str, Any]:
    from droneworks.factory.engine.layout import pack_problem
    from droneworks.factory.kpi.event_log import EventLogWriter

    init, run, finalize = _kernel(serial, problem)
    packed = pack_problem(problem, orders, horizon)
    streams = problem_streams(problem, seed, replication)
    S = allocate_state(
        problem, packed, streams, event_log=event_log is not None, active_periods=active
    )
    flat_i, flat_f, S = flatten(packed, S)
    writer = EventLogWriter(event_log, problem) if event_log is not None else None
    periods: list[np.ndarray] = []
    init(flat_i, flat_f)
    if S[lay.S_GI][lay.G_GROW]:
        S[lay.S_GI][[lay.G_GROW, lay.G_KICK]] = [0, 1]
        grow_jobs(S)
        flat_i, flat_f, S = flatten(packed, S)
    progress.start("simulating", horizon)
    chunk = horizon / _CHUNKS
    stop = chunk
    try:
        while True:
            status = run(flat_i, flat_f, min(stop, horizon))
            if status == lay.STATUS_STOP:
                progress.update(min(stop, horizon))
                if stop >= horizon:
                    break
                stop += chunk
            elif status == lay.STATUS_REFILL:
                refill(S, streams)
            elif status == lay.STATUS_GROW:
                grow_jobs(S)
                flat_i, flat_f, S = flatten(packed, S)
            elif status == lay.STATUS_ERROR:
                what = {lay.ERROR_HEAP: "event heap", lay.ERROR_TODO: "to-do ring"}
                full = what.get(int(S[lay.S_GI][lay.G_ERROR]), "kernel table")
                raise SimulationError(f"the engine's {full} is full (plant too large)")
            _flush_buffers(S, writer, periods)
        residual = finalize(flat_i, flat_f, horizon)
        _flush_buffers(S, writer, periods)
    finally:
        if writer is not None:
            writer.close()
    return _result_fields(problem, S, horizon, residual, seed, replication, periods, writer)


def _flush_buffers(S: list[np.ndarray], writer: object, periods: list[np.ndarray]) -> None:
    gi = S[lay.S_GI]
    if writer is not None and gi[lay.G_LOG_N] > 0:
        n = int(gi[lay.G_LOG_N])
        writer.write(S[lay.S_LOGF][:n].copy(), S[lay.S_LOGI][:n].copy())  # type: ignore[attr-defined]
        gi[lay.G_LOG_N] = 0
    if gi[lay.G_AP_N] > 0:
        n = int(gi[lay.G_AP_N])
        periods.append(np.column_stack([S[lay.S_API][:n], S[lay.S_APF][:n]]))
        gi[lay.G_AP_N] = 0


def _result_fields(
    problem: Problem,
    S: list[np.ndarray],
    horizon: float,
    residual: float,
    seed: int,
    replication: int,
    periods: list[np.ndarray],
    writer: object,
) -> dict[str, Any]:
    from droneworks.factory.kpi.summary import hist_edges_min, kpis_of_state, period_lengths_min

    n_products, n_wc = len(problem.products), len(problem.work_centres)
    wipp = S[lay.S_WIPP]
    rows = np.concatenate(periods) if periods else np.zeros((0, 3))
    active = {
        name: rows[rows[:, 0] == w][:, 1:].copy() for w, name in enumerate(problem.work_centres)
    } if periods or bool(S[lay.S_GI][lay.G_AP]) else {}  # fmt: skip
    return {
        "kpis": kpis_of_state(problem, S, horizon, residual),
        "products": problem.products,
        "work_centres": problem.work_centres,
        "parts": problem.parts,
        "pools": problem.pools,
        "states": lay.STATES,
        "horizon_min": horizon,
        "warmup_min": problem.warmup_min,
        "seed": seed,
        "replication": replication,
        "period_min": problem.period_min,
        "output_by_period": S[lay.S_OUTP][:, :n_products].copy(),
        "wip_by_period": wipp / period_lengths_min(horizon, problem.period_min, len(wipp)),
        "wc_state_by_period": S[lay.S_WCSP][:, :n_wc, : len(lay.STATES)].copy(),
        "stock_by_period": S[lay.S_STKP].copy(),
        "lead_times_hist": S[lay.S_HIST].copy(),
        "lead_time_edges_min": hist_edges_min(),
        "active_periods": active,
        "event_log_rows": getattr(writer, "rows", 0),
    }
