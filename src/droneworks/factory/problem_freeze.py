"""Freeze a :class:`~droneworks.factory.problem_builder.ProblemBuilder` into arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from droneworks.factory import problem as p
from droneworks.factory.problem import Problem

if TYPE_CHECKING:
    from droneworks.factory.problem_builder import Dist, ProblemBuilder

__all__ = ["freeze"]


def _ints(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def _floats(values: Any, width: int = 0) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    return array.reshape(-1, width) if width else array.reshape(-1)


def _csr(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lengths = [len(row) for row in rows]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if rows else np.zeros(0)
    flat = [item for row in rows for item in row]
    return _ints(starts), _ints(lengths), _ints(flat)


def _streams(b: ProblemBuilder) -> tuple[list[str], list[list[int]], list[int]]:
    """Streams of the builder plus one failure stream per station and source."""
    from droneworks.factory.problem_resources import failure_stream_name

    names = [name for name, _ in b._streams]
    cycles = [list(dists) for _, dists in b._streams]
    first: list[int] = []
    for source in b._sources:
        if not source.cycle:
            first.append(-1)
            continue
        first.append(len(names))
        for station in range(b._wcs[source.work_centre]["max"]):
            names.append(failure_stream_name(source.work_centre, station, source.index))
            cycles.append([b._dist(d) for d in source.cycle])
    return names, cycles, first


def _distributions(dists: list[Dist]) -> dict[str, np.ndarray]:
    samples = [list(d.samples) for d in dists]
    lengths = [len(s) for s in samples]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if dists else np.zeros(0)
    return {
        "dist_kind": _ints([d.kind for d in dists]),
        "dist_par": _floats([d.params for d in dists], 3) if dists else np.zeros((0, 3)),
        "emp_start": _ints(starts),
        "emp_len": _ints(lengths),
        "emp_values": _floats([x for s in samples for x in s]),
    }


def _mean(d: Dist) -> float:
    """Mean of a distribution (the normal's mean parameter, not its truncated mean)."""
    if d.kind == p.DIST_EMPIRICAL:
        return float(np.mean(d.samples))
    if d.kind == p.DIST_UNIFORM:
        return (d.params[0] + d.params[1]) / 2
    if d.kind == p.DIST_TRIANGULAR:
        return sum(d.params) / 3
    return d.params[0]  # constant, normal, lognormal, exponential


def _operations(b: ProblemBuilder, materials: list[str]) -> dict[str, np.ndarray]:
    ops = b._ops
    consumes: list[list[int]] = []
    quantities: list[int] = []
    for op in ops:
        row = []
        for name, qty in op.consumes:
            if name not in materials:
                raise ValueError(f"operation {op.name!r} consumes unknown material {name!r}")
            row.append(materials.index(name))
            quantities.append(qty)
        consumes.append(row)
    cons_start, cons_len, cons_material = _csr(consumes)
    rw_start, rw_len, rw_ops = _csr([op.rework for op in ops])
    return {
        "op_wc": _ints([op.wc for op in ops]),
        "op_time_stream": _ints([op.time for op in ops]),
        "op_setup_stream": _ints([op.setup for op in ops]),
        "op_batch": _ints([op.batch for op in ops]),
        "op_batch_wait_min": _floats([op.batch_wait for op in ops]),
        "op_pool": _ints([op.pool for op in ops]),
        "op_workers": _ints([op.workers for op in ops]),
        "op_cons_start": cons_start,
        "op_cons_len": cons_len,
        "cons_material": cons_material,
        "cons_qty": _ints(quantities),
        "op_test_stream": _ints([op.test for op in ops]),
        "op_yield": _floats([op.yield_ for op in ops], 4) if ops else np.zeros((0, 4)),
        "op_rework_start": rw_start,
        "op_rework_len": rw_len,
        "rework_ops": rw_ops,
        "op_max_reworks": _ints([op.max_reworks for op in ops]),
        "op_learning": _floats([op.learning for op in ops], 3) if ops else np.zeros((0, 3)),
        "op_mean_min": _floats([_mean(b._dists[b._streams[op.time][1][0]]) for op in ops]),
        "op_move_stream": _ints([op.move for op in ops]),
        "op_mover": _ints([op.mover for op in ops]),
    }


def _job_types(b: ProblemBuilder, materials: list[str]) -> dict[str, np.ndarray]:
    types = b._products + b._assemblies
    n_parts = len(b._parts)
    subs: list[list[int]] = []
    sub_qty: list[int] = []
    for name in types:
        if not b._routes[name]:
            raise ValueError(f"job type {name!r} has no operations")
        need: dict[int, int] = {}
        for op_index in b._routes[name]:
            for material, qty in b._ops[op_index].consumes:
                index = materials.index(material)
                made_to_stock = b._stock.get(material, (-1, 0))[0] >= 0
                if index >= n_parts and not made_to_stock:
                    need[index - n_parts] = need.get(index - n_parts, 0) + qty
        subs.append([len(b._products) + a for a in need])
        sub_qty.extend(need.values())
    route_start, route_len, route_ops = _csr([b._routes[name] for name in types])
    sub_start, sub_len, sub_type = _csr(subs)
    return {
        "jt_route_start": route_start,
        "jt_route_len": route_len,
        "route_ops": route_ops,
        "jt_sub_start": sub_start,
        "jt_sub_len": sub_len,
        "sub_type": sub_type,
        "sub_qty": _ints(sub_qty),
        "jt_arrival_stream": _ints([b._arrival.get(name, -1) for name in types]),
        "jt_mix": _floats([b._mix.get(name, 0.0) for name in types]),
        "jt_target_stock": _ints([b._stock.get(name, (-1, 0))[0] for name in types]),
        "jt_initial_stock": _ints([b._stock.get(name, (-1, 0))[1] for name in types]),
        "jt_due_in_min": _floats([b._due.get(name, (np.inf, 0))[0] for name in types]),
        "jt_priority": _ints([b._due.get(name, (np.inf, 0))[1] for name in types]),
    }


def _speed(b: ProblemBuilder, work_centre: str, station: int) -> float:
    speeds = b._speeds[work_centre]
    return speeds[station] if station < len(speeds) else 1.0


def _resources(b: ProblemBuilder, first_stream: list[int]) -> dict[str, np.ndarray]:
    wcs = list(b._wcs.values())
    order = sorted(range(len(b._sources)), key=lambda k: b._wcs[b._sources[k].work_centre]["index"])
    sources = [b._sources[k] for k in order]
    counts = [wc["sources"] for wc in wcs]
    maxima = [wc["max"] for wc in wcs]
    parts = list(b._parts.values())
    return {
        "wc_stations": _ints([wc["stations"] for wc in wcs]),
        "wc_max_stations": _ints(maxima),
        "wc_buffer": _ints([wc["buffer"] for wc in wcs]),
        "wc_dispatch": _ints([wc["dispatch"] for wc in wcs]),
        "wc_kitting": _ints([wc["kitting"] for wc in wcs]),
        "station_speed": _floats(
            [_speed(b, name, k) for name, wc in b._wcs.items() for k in range(wc["max"])]
        ),
        "wc_station_start": _ints(np.concatenate([[0], np.cumsum(maxima)[:-1]]) if wcs else []),
        "wc_source_start": _ints(np.concatenate([[0], np.cumsum(counts)[:-1]]) if wcs else []),
        "wc_source_len": _ints(counts),
        "source_basis": _ints([s.basis for s in sources]),
        "source_preempts": _ints([int(s.preempts) for s in sources]),
        "source_stream": _ints([first_stream[k] for k in order]),
        "source_ops_between": _ints([s.ops_between for s in sources]),
        "source_fixed": _floats([s.fixed for s in sources], 3) if sources else np.zeros((0, 3)),
        "source_crew": _ints([s.crew for s in sources]),
        "crew_technicians": _ints([n for n, _ in b._crews.values()]),
        "crew_shift_only": _ints([int(only) for _, only in b._crews.values()]),
        "pool_workers": _ints(list(b._pools.values())),
        "transporter_count": _ints([count for count, _ in b._transporters.values()]),
        "transporter_capacity": _ints([cap for _, cap in b._transporters.values()]),
        "part_initial": _ints([q["initial"] for q in parts]),
        "part_reorder_point": _ints([q["rop"] for q in parts]),
        "part_reorder_qty": _ints([q["roq"] for q in parts]),
        "part_stream": _ints([q["stream"] for q in parts]),
        "part_late_prob": _floats([q["late"] for q in parts]),
        "part_short_prob": _floats([q["short"] for q in parts]),
        "part_short_fraction": _floats([q["short_fraction"] for q in parts]),
        "part_supply": _ints([q["supply"] for q in parts]),
        "supply_rate": _floats(list(b._supply.values())),
    }


def _calendars(b: ProblemBuilder) -> dict[str, np.ndarray]:
    own = list(b._calendars.values())
    lengths = [len(windows) for windows in own]
    return {
        "wc_calendar": _ints([wc["calendar"] for wc in b._wcs.values()]),
        "centre_windows": _floats(np.concatenate(own) if own else np.zeros((0, 2)), 2),
        "centre_window_start": _ints(np.cumsum([0, *lengths])[:-1]),
        "centre_window_len": _ints(lengths),
    }


def freeze(b: ProblemBuilder) -> Problem:
    """The :class:`Problem` of everything added to ``b``."""
    materials = list(b._parts) + b._assemblies
    names, cycles, first_stream = _streams(b)
    stream_start, stream_len, stream_dists = _csr(cycles)
    changes = sorted(b._changes)
    if b.release_mode == p.RELEASE_RATE and not b._arrival:
        raise ValueError("release by rate needs the inter-arrival times of a product")
    n_products = len(b._products)
    plan = np.zeros((0, n_products), dtype=np.int64)
    if b.release_mode == p.RELEASE_PLAN:
        plan = np.asarray(b.plan_qty, dtype=np.int64).reshape(-1, n_products)
    return Problem(
        products=tuple(b._products),
        assemblies=tuple(b._assemblies),
        work_centres=tuple(b._wcs),
        parts=tuple(b._parts),
        pools=tuple(b._pools),
        transporters=tuple(b._transporters),
        crews=tuple(b._crews),
        supply_names=tuple(b._supply),
        calendars=tuple(b._calendars),
        operations=tuple(b._op_names),
        stream_names=tuple(names),
        horizon_min=b.horizon_min,
        warmup_min=b.warmup_min,
        seed=b.seed,
        period_min=b.period_min,
        release_mode=b.release_mode,
        conwip_cap=b.conwip_cap,
        plan_period_min=b.plan_period_min,
        plan_qty=np.asarray(plan, dtype=np.int64),
        **_distributions(b._dists),
        stream_dist_start=stream_start,
        stream_dist_len=stream_len,
        stream_dists=stream_dists,
        **_job_types(b, materials),
        **_operations(b, materials),
        **_resources(b, first_stream),
        calendar_windows=np.asarray(b.calendar, dtype=np.float64).reshape(-1, 2),
        **_calendars(b),
        change_time=_floats([c[0] for c in changes]),
        change_kind=_ints([c[1] for c in changes]),
        change_target=_ints([c[2] for c in changes]),
        change_value=_ints([c[3] for c in changes]),
    )
