"""The kernel's memory for one run of a compiled problem: sizes, initial values, and the
driver's upkeep between kernel calls (ring-buffer refills, job-table growth).

Every table is filled by column name (see :mod:`.spec`); nothing here knows an offset.
"""

from __future__ import annotations

import math

import numpy as np

from droneworks.factory.engine import spec
from droneworks.factory.engine.memory import Memory
from droneworks.factory.engine.variates import VariateStream
from droneworks.factory.problem import BASIS_BUSY, BASIS_OPERATIONS, Problem

__all__ = ["build_memory", "grow_jobs", "refill"]


def _first_wc(problem: Problem) -> list[int]:
    """Per job type: the work centre its routing starts at."""
    pr = problem
    return [int(pr.op_wc[pr.route_ops[pr.jt_route_start[jt]]]) for jt in range(len(pr.job_types))]


def _first_types(problem: Problem) -> list[list[int]]:
    """Per work centre: the job types whose routing starts there."""
    first_wc = _first_wc(problem)
    return [
        [jt for jt, w0 in enumerate(first_wc) if w0 == w] for w in range(len(problem.work_centres))
    ]


def _max_sources(problem: Problem) -> int:
    return int(problem.wc_source_len.max()) if len(problem.work_centres) else 0


def _power_of_two(n: int) -> int:
    """The smallest power of two ≥ ``n`` (ring sizes: the kernel wraps with a mask)."""
    return 1 << max(n - 1, 1).bit_length()


def _shapes(problem: Problem, n_streams: int, job_capacity: int, log: bool, active: bool,
            n_orders: int, horizon_min: float) -> dict[str, int | tuple[int, ...]]:  # fmt: skip
    pr = problem
    n_st, n_wc, n_jt = pr.n_stations, len(pr.work_centres), len(pr.job_types)
    n_periods = max(1, math.ceil(horizon_min / pr.period_min - 1e-9))
    n_sources = _max_sources(pr)
    tree = _power_of_two(max(n_st * (1 + n_sources), 2))
    widest = max(n_st, n_wc, len(pr.materials), len(pr.pools), len(pr.crews), 1)
    plan_rows = pr.plan_qty.size // max(1, len(pr.products))
    return {
        "params": 1, "ops": len(pr.operations), "job_types": n_jt, "centres": n_wc,
        "sources": len(pr.source_basis), "parts": len(pr.parts),
        "supply": len(pr.supply_rate), "route": len(pr.route_ops),
        "subs": len(pr.sub_type), "consumes": len(pr.cons_material),
        "rework_route": len(pr.rework_ops), "first_types": n_jt,
        "calendar": len(pr.calendar_windows) + len(pr.centre_windows),
        "calendars": 1 + len(pr.calendars), "changes": len(pr.change_time),
        "orders": n_orders, "plan": (plan_rows, max(1, len(pr.products))),
        "jobs": job_capacity, "stations": n_st, "outages": n_st * n_sources,
        "pools": len(pr.pools), "transporters": len(pr.transporters),
        "crews": len(pr.crews), "materials": len(pr.materials),
        "timer_at": tree, "timer_tree": 2 * tree, "timer_min": 2 * tree,
        "timer_station": tree, "heap": spec.HEAP_CAP,
        "streams": n_streams, "rings": (n_streams, spec.RING),
        "todo": _power_of_two(spec.N_ACTIONS * widest + 64),  # ≥ one per (action, argument)
        "pending": (spec.N_ACTIONS, widest),
        "state_min": (n_wc, spec.N_STATES), "state_min_by_period": (n_periods, n_wc, spec.N_STATES),
        "output_by_period": (n_periods, n_jt), "wip_area_by_period": n_periods,
        "stock_by_period": (n_periods, len(pr.parts)), "lead_hist": spec.HIST_BINS,
        "order_hist": spec.HIST_BINS, "order_at": (len(pr.products), spec.ORDER_RING),
        "log": spec.LOG_ROWS if log else 0, "active": spec.AP_ROWS if active else 0,
    }  # fmt: skip


def _fill_plant(memory: Memory, problem: Problem, orders: np.ndarray, horizon: float) -> None:
    pr = problem
    shapes = memory.shapes
    memory.fill("params", horizon=horizon, warmup=pr.warmup_min, period=pr.period_min,
                plan_period=pr.plan_period_min, n_periods=shapes["wip_area_by_period"][0],
                conwip=pr.conwip_cap, release=pr.release_mode,
                timers_per_station=1 + _max_sources(pr),
                n_products=len(pr.products), n_parts=len(pr.parts), hist_lo=spec.HIST_LO_LOG10,
                hist_per_decade=spec.HIST_PER_DECADE,
                kitting=int(pr.wc_kitting.sum()))  # fmt: skip
    op_jt = np.zeros(len(pr.operations), dtype=np.int64)
    for jt in range(len(pr.job_types)):
        start, length = pr.jt_route_start[jt], pr.jt_route_len[jt]
        for op in pr.route_ops[start : start + length]:
            op_jt[op] = jt
            rw0, rwn = pr.op_rework_start[op], pr.op_rework_len[op]
            op_jt[pr.rework_ops[rw0 : rw0 + rwn]] = jt
    yields, learning = np.reshape(pr.op_yield, (-1, 4)), np.reshape(pr.op_learning, (-1, 3))
    memory.fill("ops", wc=pr.op_wc, time_stream=pr.op_time_stream,
                setup_stream=pr.op_setup_stream, batch=pr.op_batch, pool=pr.op_pool,
                cons_start=pr.op_cons_start, cons_len=pr.op_cons_len,
                test_stream=pr.op_test_stream, rework_start=pr.op_rework_start,
                rework_len=pr.op_rework_len, max_reworks=pr.op_max_reworks, job_type=op_jt,
                workers=pr.op_workers, yield0=yields[:, 0], yield1=yields[:, 1],
                yield_half=yields[:, 2], yield_retest=yields[:, 3], learn_exp=learning[:, 0],
                learn_floor=learning[:, 1], learn_init=learning[:, 2],
                move_stream=pr.op_move_stream, mover=pr.op_mover, mean=pr.op_mean_min,
                batch_wait=pr.op_batch_wait_min)  # fmt: skip
    starting = _first_types(pr)
    memory.fill("job_types", route_start=pr.jt_route_start, route_len=pr.jt_route_len,
                sub_start=pr.jt_sub_start, sub_len=pr.jt_sub_len,
                arrival_stream=pr.jt_arrival_stream, first_wc=_first_wc(pr),
                target=pr.jt_target_stock, mix=np.reshape(pr.jt_mix, -1),
                due_in=pr.jt_due_in_min, priority=pr.jt_priority)  # fmt: skip
    _fill_centres(memory, pr, starting)
    memory.fill("sources", basis=pr.source_basis, preempts=pr.source_preempts,
                stream=pr.source_stream, ops_between=pr.source_ops_between,
                crew=pr.source_crew)  # fmt: skip
    fixed = np.reshape(np.asarray(pr.source_fixed, dtype=float), (-1, 3))
    memory.fill("sources", first_up=fixed[:, 0], up=fixed[:, 1], down=fixed[:, 2])
    memory.fill("parts", initial=pr.part_initial, reorder_point=pr.part_reorder_point,
                reorder_qty=pr.part_reorder_qty, stream=pr.part_stream,
                late_prob=pr.part_late_prob, short_prob=pr.part_short_prob,
                short_fraction=pr.part_short_fraction, supply=pr.part_supply)  # fmt: skip
    memory.fill("supply", rate=pr.supply_rate)
    memory.fill("route", op=pr.route_ops)
    memory.fill("subs", job_type=pr.sub_type, qty=pr.sub_qty)
    memory.fill("consumes", material=pr.cons_material, qty=pr.cons_qty)
    memory.fill("rework_route", op=pr.rework_ops)
    memory.fill("first_types", job_type=[jt for row in starting for jt in row])
    windows = np.concatenate([np.reshape(pr.calendar_windows, (-1, 2)),
                              np.reshape(pr.centre_windows, (-1, 2))])  # fmt: skip
    memory.fill("calendar", start=windows[:, 0], end=windows[:, 1])
    own = len(pr.calendar_windows) + np.asarray(pr.centre_window_start, dtype=np.int64)
    memory.fill(
        "calendars",
        first=np.concatenate([[0], own]),
        count=np.concatenate([[len(pr.calendar_windows)], pr.centre_window_len]),
    )
    change = np.reshape(np.asarray(pr.change_kind), -1)
    memory.fill("changes", at=pr.change_time, kind=change, target=pr.change_target,
                value=pr.change_value)  # fmt: skip
    memory.fill("orders", at=orders[:, 0], part=orders[:, 1], qty=orders[:, 2])
    if pr.plan_qty.size:
        memory.view("plan")[...] = np.reshape(pr.plan_qty, memory.shapes["plan"])


def _fill_centres(memory: Memory, problem: Problem, starting: list[list[int]]) -> None:
    pr = problem
    n_wc = len(pr.work_centres)
    busy = np.zeros(n_wc, dtype=np.int64)
    at_end = np.zeros(n_wc, dtype=np.int64)
    for w in range(n_wc):
        start, length = pr.wc_source_start[w], pr.wc_source_len[w]
        basis = pr.source_basis[start : start + length]
        preempts = pr.source_preempts[start : start + length]
        busy[w] = int(np.any(basis == BASIS_BUSY))
        at_end[w] = int(np.any(basis == BASIS_OPERATIONS) or np.any(preempts == 0))
    lengths = np.asarray([len(row) for row in starting], dtype=np.int64)
    memory.fill("centres", stations=pr.wc_stations, max_stations=pr.wc_max_stations,
                buffer=pr.wc_buffer, station_start=pr.wc_station_start,
                source_start=pr.wc_source_start, source_len=pr.wc_source_len,
                first_types_start=np.cumsum(lengths) - lengths, first_types_len=lengths,
                busy_sources=busy, end_sources=at_end, queue_head=-1, queue_tail=-1,
                blocked_head=-1, blocked_tail=-1, rule=pr.wc_dispatch, kitting=pr.wc_kitting,
                fastest=_mixed_speeds(pr), calendar=pr.wc_calendar)  # fmt: skip


def _mixed_speeds(problem: Problem) -> list[int]:
    """Per work centre: 1 when its stations differ in speed."""
    speeds = problem.station_speed
    starts, counts = problem.wc_station_start, problem.wc_max_stations
    return [int(len(set(speeds[a : a + n])) > 1) for a, n in zip(starts, counts, strict=True)]


def _free_list(memory: Memory, first: int) -> None:
    """Rows ``first`` … of the job table become free, linked in order."""
    jobs = memory.view("jobs")
    jobs.type[first:] = -1
    jobs.next[first:] = np.arange(first + 1, jobs.n + 1)
    jobs.next[-1] = -1


def build_memory(problem: Problem, purchase_orders: np.ndarray, horizon_min: float,
                 streams: list[VariateStream], job_capacity: int = 1024,
                 event_log: bool = False, active_periods: bool = False) -> Memory:  # fmt: skip
    """A fresh memory for running ``problem`` up to ``horizon_min``."""
    shapes = _shapes(problem, len(streams), job_capacity, event_log, active_periods,
                     len(purchase_orders), horizon_min)  # fmt: skip
    memory = Memory(shapes)
    _fill_plant(memory, problem, np.reshape(purchase_orders, (-1, 3)), horizon_min)
    g = memory.globals_int
    g[[spec.G_LOG, spec.G_AP, spec.G_FREE_N]] = [int(event_log), int(active_periods), job_capacity]
    _free_list(memory, 0)
    memory.fill("stations", job=-1, next=-1, last_type=-1, pool=-1, state=spec.ST_ABSENT,
                speed=problem.station_speed)  # fmt: skip
    memory.fill("pools", cap=problem.pool_workers, wait_head=-1, wait_tail=-1)
    memory.fill("transporters", count=problem.transporter_count,
                capacity=problem.transporter_capacity, wait_head=-1, wait_tail=-1)  # fmt: skip
    memory.fill("crews", cap=problem.crew_technicians, shift_only=problem.crew_shift_only,
                wait_head=-1, wait_tail=-1)  # fmt: skip
    n_products = len(problem.products)
    stock = np.concatenate([problem.part_initial, problem.jt_initial_stock[n_products:]])
    memory.fill("materials", stock=stock, wait_head=-1, wait_tail=-1)
    timer_at, tree = memory.view("timer_at"), memory.view("timer_tree")
    size = len(timer_at)
    timer_at[:] = np.inf
    memory.view("timer_min")[:] = np.inf
    memory.view("timer_station")[:] = np.arange(size) // (1 + _max_sources(problem))
    tree[size:] = np.arange(size)
    for node in range(size - 1, 0, -1):
        tree[node] = tree[2 * node]
    rings = memory.view("rings")
    for k, stream in enumerate(streams):
        stream.take_into(rings[k])
    memory.fill("streams", fill=spec.RING)
    return memory


def refill(memory: Memory, streams: list[VariateStream]) -> None:
    """Top up every ring buffer that has room for at least a quarter of its size."""
    rings, counts = memory.view("rings"), memory.view("streams")
    pos, fill = counts.pos, counts.fill
    for k in np.flatnonzero(pos + spec.RING - fill >= spec.RING // 4):
        count = int(pos[k] + spec.RING - fill[k])
        start = int(fill[k]) & spec.RING_MASK
        first = min(count, spec.RING - start)  # up to the end of the ring, then wrap
        streams[k].take_into(rings[k, start : start + first])
        if count > first:
            streams[k].take_into(rings[k, : count - first])
        fill[k] += count


def grow_jobs(memory: Memory) -> Memory:
    """The memory with a job table twice as long (every job keeps its row)."""
    old = memory.shapes["jobs"][0]
    bigger = memory.grown("jobs", 2 * old)
    _free_list(bigger, old)
    g = bigger.globals_int
    bigger.view("jobs").next[-1] = g[spec.G_FREE_HEAD]
    g[spec.G_FREE_HEAD] = old
    g[spec.G_FREE_N] += old
    return bigger
