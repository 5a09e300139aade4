"""Turn the kernel's accumulators into named KPIs (bounded memory: nothing here grows with
the horizon except per-period rows)."""

from __future__ import annotations

import math

import numpy as np

from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.engine import spec
from droneworks.factory.engine.memory import Memory
from droneworks.factory.problem import Problem

__all__ = ["hist_edges_min", "hist_quantile", "kpis_of_state", "period_lengths_min"]


def hist_edges_min() -> np.ndarray:
    """Edges of the log-spaced lead-time histogram, in minutes."""
    exponents = spec.HIST_LO_LOG10 + np.arange(spec.HIST_BINS + 1) / spec.HIST_PER_DECADE
    edges = np.zeros(spec.HIST_BINS + 1)
    np.power(10.0, exponents, out=edges)
    return edges


def hist_quantile(counts: np.ndarray, q: float) -> float:
    """Quantile ``q`` of a log-binned histogram (geometric interpolation in the bin)."""
    total = int(counts.sum())
    if total == 0:
        return math.nan
    edges = hist_edges_min()
    cumulative = np.cumsum(counts)
    target = q * total
    k = int(np.searchsorted(cumulative, target, side="left"))
    below = cumulative[k - 1] if k > 0 else 0
    inside = (target - below) / counts[k] if counts[k] else 0.0
    return float(edges[k] * (edges[k + 1] / edges[k]) ** inside)


def period_lengths_min(horizon_min: float, period_min: float, n_periods: int) -> np.ndarray:
    """Length of each KPI period (the last one may be shorter)."""
    starts = np.arange(n_periods, dtype=np.float64) * period_min
    lengths: np.ndarray = np.minimum(starts + period_min, horizon_min) - starts
    return lengths


def _product_kpis(problem: Problem, memory: Memory, measured_min: float) -> dict[str, float]:
    types = memory.view("job_types")
    n = len(problem.products)
    units = int(types.done[:n].sum())
    scrap_products = int(types.scrap[:n].sum())
    kpis: dict[str, float] = {"units": float(units)}
    for k, name in enumerate(problem.products):
        done = int(types.done[k])
        kpis[f"units.{name}"] = float(done)
        kpis[f"released.{name}"] = float(types.released[k])
        kpis[f"ordered.{name}"] = float(types.ordered[k])
        kpis[f"floor_time_mean_min.{name}"] = types.lead_sum[k] / done if done else math.nan
        if math.isfinite(problem.jt_due_in_min[k]):  # a due date: delivery performance
            kpis[f"on_time.{name}"] = 1.0 - types.late[k] / done if done else math.nan
            kpis[f"tardiness_mean_min.{name}"] = types.tardiness[k] / done if done else math.nan
    for k, name in enumerate(problem.assemblies):
        kpis[f"assemblies.{name}"] = float(types.done[n + k])
    kpis["throughput_per_year"] = units / measured_min * MINUTES_PER_YEAR
    floor_area = float(memory.globals_float[spec.GF_WIP_AREA])
    pool_area = float(types.pool_area[:n].sum())
    kpis["wip_mean"] = (floor_area + pool_area) / measured_min
    kpis["wip_floor_mean"] = floor_area / measured_min
    kpis["order_pool_mean"] = pool_area / measured_min
    # per completed unit: order → release (pool wait) + release → completion (floor time)
    floor_sum, wait_sum = float(types.lead_sum[:n].sum()), float(types.wait_sum[:n].sum())
    kpis["order_wait_mean_min"] = wait_sum / units if units else math.nan
    kpis["floor_time_mean_min"] = floor_sum / units if units else math.nan
    kpis["lead_time_mean_min"] = (floor_sum + wait_sum) / units if units else math.nan
    untimed = float(types.untimed[:n].sum())
    kpis["orders_untimed"] = untimed  # > 0: the pool outgrew its ring, no lead percentiles
    for q in (50, 90, 99):
        kpis[f"floor_time_p{q}_min"] = hist_quantile(memory.view("lead_hist"), q / 100)
        lead = hist_quantile(memory.view("order_hist"), q / 100)
        kpis[f"lead_time_p{q}_min"] = lead if untimed == 0 else math.nan
    kpis["scrap"] = float(types.scrap.sum())
    kpis["reworks"] = float(types.reworks.sum())
    leaving = units + scrap_products
    kpis["yield_first_pass"] = float(types.first_pass[:n].sum()) / leaving if leaving else math.nan
    kpis["departures"] = float(leaving)
    kpis["scrapped_products"] = float(scrap_products)
    kpis["orders"] = float(types.ordered[:n].sum())  # after the warm-up
    kpis["released"] = float(types.released[:n].sum())
    # every order spends its pool wait in the pool area: both sides of Little's law hold it
    kpis["little.wip_area_min"] = floor_area + pool_area
    kpis["little.sojourn_completed_min"] = float(types.sojourn[:n].sum()) + pool_area
    return kpis


def _work_centre_kpis(problem: Problem, memory: Memory) -> dict[str, float]:
    kpis: dict[str, float] = {}
    totals = memory.view("state_min")
    centres = memory.view("centres")
    for w, name in enumerate(problem.work_centres):
        present = float(totals[w, : len(spec.STATES)].sum())
        for k, state in enumerate(spec.STATES):
            kpis[f"wc.{name}.{state}"] = totals[w, k] / present if present > 0 else math.nan
        planned = present - totals[w, spec.ST_OFF]
        tests, fails = int(centres.tests[w]), int(centres.fails[w])
        quality = 1.0 - fails / tests if tests else 1.0
        availability = 1.0 - totals[w, spec.ST_DOWN] / planned if planned > 0 else math.nan
        busy = planned - totals[w, spec.ST_DOWN]
        performance = totals[w, spec.ST_WORKING] / busy if busy > 0 else math.nan
        kpis[f"wc.{name}.availability"] = availability
        kpis[f"wc.{name}.performance"] = performance
        kpis[f"wc.{name}.quality"] = quality
        kpis[f"wc.{name}.oee"] = availability * performance * quality
    return kpis


def _transport_kpis(problem: Problem, memory: Memory, measured_min: float) -> dict[str, float]:
    """Per transporter pool: share of vehicle time busy, trips and units moved after the
    warm-up, mean number of jobs waiting for a vehicle and their mean wait (Little)."""
    kpis: dict[str, float] = {}
    movers = memory.view("transporters")
    for q, name in enumerate(problem.transporters):
        moved, busy, waiting = int(movers.moved[q]), movers.busy_area[q], movers.wait_area[q]
        kpis[f"transport.{name}.utilisation"] = float(busy / (movers.count[q] * measured_min))
        kpis[f"transport.{name}.trips"] = float(movers.trips[q])
        kpis[f"transport.{name}.units"] = float(moved)
        kpis[f"transport.{name}.waiting_mean"] = float(waiting / measured_min)
        kpis[f"transport.{name}.wait_mean_min"] = float(waiting / moved) if moved else 0.0
    return kpis


def kpis_of_state(
    problem: Problem, memory: Memory, horizon_min: float, residual_min: float
) -> dict[str, float]:
    """Every scalar KPI of a finished run, with stable names."""
    measured_min = horizon_min - problem.warmup_min
    kpis = _product_kpis(problem, memory, measured_min)
    kpis["little.sojourn_min"] = kpis.pop("little.sojourn_completed_min") + residual_min
    kpis["measured_min"] = measured_min
    kpis.update(_work_centre_kpis(problem, memory))
    pools = memory.view("pools")
    for q, name in enumerate(problem.pools):
        capacity = pools.cap_area[q]
        kpis[f"worker.{name}.utilisation"] = pools.busy_area[q] / capacity if capacity else math.nan
    kpis.update(_transport_kpis(problem, memory, measured_min))
    crews = memory.view("crews")
    for c, name in enumerate(problem.crews):
        capacity = crews.cap[c] * measured_min
        kpis[f"crew.{name}.utilisation"] = crews.busy_area[c] / capacity
        repairs = crews.repairs[c]
        kpis[f"crew.{name}.repair_wait_mean_min"] = crews.wait_sum[c] / repairs if repairs else 0.0
    supply = memory.view("supply")
    for k, name in enumerate(problem.supply_names):
        orders = supply.orders[k]
        kpis[f"supplier.{name}.orders"] = float(orders)
        kpis[f"supplier.{name}.wait_mean_min"] = supply.wait_sum[k] / orders if orders else 0.0
    materials = memory.view("materials")
    for m, name in enumerate(problem.parts):
        kpis[f"part.{name}.stockout_min"] = float(materials.stockout_min[m])
        kpis[f"part.{name}.starved_min"] = float(materials.starved_min[m])
    g = memory.globals_int
    kpis["event_log.lost_rows"] = float(g[spec.G_LOG_LOST])
    kpis["active_periods.lost_rows"] = float(g[spec.G_AP_LOST])
    return kpis
