"""Turn the kernel's accumulators into named KPIs (bounded memory: nothing here grows with
the horizon except per-period rows)."""

from __future__ import annotations

import math

import numpy as np

from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.engine import layout as lay
from droneworks.factory.problem import Problem

__all__ = ["hist_edges_min", "hist_quantile", "kpis_of_state", "period_lengths_min"]


def hist_edges_min() -> np.ndarray:
    """Edges of the log-spaced lead-time histogram, in minutes."""
    exponents = lay.HIST_LO_LOG10 + np.arange(lay.HIST_BINS + 1) / lay.HIST_PER_DECADE
    edges = np.zeros(lay.HIST_BINS + 1)
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


def _product_kpis(problem: Problem, S: list[np.ndarray], measured_min: float) -> dict[str, float]:
    kji, kjf = S[lay.S_KJI], S[lay.S_KJF]
    n = len(problem.products)
    units = int(kji[:n, lay.K_DONE].sum())
    scrap_products = int(kji[:n, lay.K_SCRAP].sum())
    kpis: dict[str, float] = {"units": float(units)}
    for k, name in enumerate(problem.products):
        kpis[f"units.{name}"] = float(kji[k, lay.K_DONE])
        kpis[f"released.{name}"] = float(kji[k, lay.K_RELEASED])
    for k, name in enumerate(problem.assemblies):
        kpis[f"assemblies.{name}"] = float(kji[n + k, lay.K_DONE])
    kpis["throughput_per_year"] = units / measured_min * MINUTES_PER_YEAR
    floor_area = float(S[lay.S_GF][lay.GF_WIP_AREA])
    pool_area = float(kjf[:n, lay.KF_POOL_AREA].sum())
    kpis["wip_mean"] = (floor_area + pool_area) / measured_min
    kpis["wip_floor_mean"] = floor_area / measured_min
    kpis["order_pool_mean"] = pool_area / measured_min
    released = int(kji[:n, lay.K_RELEASED].sum())
    kpis["order_wait_mean_min"] = pool_area / released if released else 0.0
    floor_sum = float(kjf[:n, lay.KF_LEAD_SUM].sum())
    kpis["floor_time_mean_min"] = floor_sum / units if units else math.nan
    kpis["lead_time_mean_min"] = kpis["floor_time_mean_min"] + kpis["order_wait_mean_min"]
    for q in (50, 90, 99):
        kpis[f"floor_time_p{q}_min"] = hist_quantile(S[lay.S_HIST], q / 100)
    kpis["scrap"] = float(kji[:, lay.K_SCRAP].sum())
    kpis["reworks"] = float(kji[:, lay.K_REWORKS].sum())
    leaving = units + scrap_products
    kpis["yield_first_pass"] = (
        float(kji[:n, lay.K_FIRST_PASS].sum()) / leaving if leaving else math.nan
    )
    kpis["departures"] = float(leaving)
    # every order spends its pool wait in the pool area: both sides of Little's law hold it
    kpis["little.wip_area_min"] = floor_area + pool_area
    kpis["little.sojourn_completed_min"] = float(kjf[:n, lay.KF_SOJOURN].sum()) + pool_area
    return kpis


def _work_centre_kpis(problem: Problem, S: list[np.ndarray]) -> dict[str, float]:
    kpis: dict[str, float] = {}
    totals = S[lay.S_WCST]
    wci = S[lay.S_WCI]
    for w, name in enumerate(problem.work_centres):
        present = float(totals[w, : len(lay.STATES)].sum())
        for k, state in enumerate(lay.STATES):
            kpis[f"wc.{name}.{state}"] = totals[w, k] / present if present > 0 else math.nan
        planned = present - totals[w, lay.ST_OFF]
        tests, fails = int(wci[w, lay.W_TESTS]), int(wci[w, lay.W_FAILS])
        quality = 1.0 - fails / tests if tests else 1.0
        availability = 1.0 - totals[w, lay.ST_DOWN] / planned if planned > 0 else math.nan
        busy = planned - totals[w, lay.ST_DOWN]
        performance = totals[w, lay.ST_WORKING] / busy if busy > 0 else math.nan
        kpis[f"wc.{name}.availability"] = availability
        kpis[f"wc.{name}.performance"] = performance
        kpis[f"wc.{name}.quality"] = quality
        kpis[f"wc.{name}.oee"] = availability * performance * quality
    return kpis


def kpis_of_state(
    problem: Problem, S: list[np.ndarray], horizon_min: float, residual_min: float
) -> dict[str, float]:
    """Every scalar KPI of a finished run, with stable names."""
    measured_min = horizon_min - problem.warmup_min
    kpis = _product_kpis(problem, S, measured_min)
    kpis["little.sojourn_min"] = kpis.pop("little.sojourn_completed_min") + residual_min
    kpis["measured_min"] = measured_min
    kpis.update(_work_centre_kpis(problem, S))
    pof = S[lay.S_POF]
    for q, name in enumerate(problem.pools):
        capacity = pof[q, lay.QF_CAP_AREA]
        kpis[f"worker.{name}.utilisation"] = (
            pof[q, lay.QF_BUSY_AREA] / capacity if capacity else math.nan
        )
    mf = S[lay.S_MF]
    for m, name in enumerate(problem.parts):
        kpis[f"part.{name}.stockout_min"] = float(mf[m, lay.MF_STOCKOUT])
        kpis[f"part.{name}.starved_min"] = float(mf[m, lay.MF_STARVED])
    gi = S[lay.S_GI]
    kpis["event_log.lost_rows"] = float(gi[lay.G_LOG_LOST])
    kpis["active_periods.lost_rows"] = float(gi[lay.G_AP_LOST])
    return kpis
