"""Report tables of replicated runs: the verdict, a curated KPI table with units, and the
full KPI set (written as CSV beside the report, not shown as a page-long table).

Intervals respect the quantity's range: every KPI here is non-negative and shares are at
most 1, so a Student-t interval is clipped to that range (and said so); half-widths below
float noise are shown as 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from droneworks.core.report import Section, Table
from droneworks.factory.plan.replications import ReplicationStudy
from droneworks.factory.plan.statistics import Interval
from droneworks.factory.plan.verdict import Verdict

__all__ = [
    "full_kpi_table",
    "interval_cells",
    "main_kpi_rows",
    "main_kpi_table",
    "verdict_section",
]

# (KPI, label with unit, scale from the KPI's unit to the label's)
MAIN_KPIS: tuple[tuple[str, str, float], ...] = (
    ("throughput_per_year", "output (units/yr)", 1.0),
    ("units", "units completed after warm-up", 1.0),
    ("wip_mean", "work in process, order to delivery (units)", 1.0),
    ("order_pool_mean", "  of which orders waiting for release (units)", 1.0),
    ("lead_time_mean_min", "lead time, order to delivery (h)", 1 / 60),
    ("lead_time_p90_min", "lead time p90, order to delivery (h)", 1 / 60),
    ("floor_time_p90_min", "floor time p90, release to completion (h)", 1 / 60),
    ("yield_first_pass", "first-pass yield (%)", 100.0),
    ("scrap", "scrapped units", 1.0),
    ("reworks", "reworks", 1.0),
)
SHARE_SUFFIXES = (".utilisation", ".oee", ".availability", ".performance", ".quality", ".total",
                  ".sole", ".shifting", "yield_first_pass")  # fmt: skip


def _upper(name: str) -> float:
    if name.startswith("wc.") or name.endswith(SHARE_SUFFIXES):
        return 1.0
    return math.inf


def interval_cells(name: str, interval: Interval, scale: float = 1.0) -> list[object]:
    """Mean, ± half-width, low and high of a KPI, clipped to its range (≥ 0, shares ≤ 1)."""
    if interval.n < 2 or not math.isfinite(interval.halfwidth):
        return [interval.mean * scale, "one run", "", ""]
    noise = 1e-9 * max(abs(interval.mean), 1.0)
    half = 0.0 if interval.halfwidth < noise else interval.halfwidth
    low = max(interval.mean - half, 0.0)
    high = min(interval.mean + half, _upper(name))
    return [interval.mean * scale, half * scale, low * scale, high * scale]


def _rows(
    study: ReplicationStudy, names: list[tuple[str, str, float]], cells: Callable[..., list[object]]
) -> list[list[object]]:
    return [
        [label, *cells(key, study.intervals[key], scale)]
        for key, label, scale in names
        if key in study.intervals
    ]


def main_kpi_rows(summary: Mapping[str, Mapping[str, float]]) -> list[list[object]]:
    """The main KPIs of a stored run summary (``kpi → {mean, halfwidth, std, n,
    confidence}``): label with unit, mean, ± half-width, low, high, clipped to range."""
    rows = []
    for key, label, scale in MAIN_KPIS:
        stored = summary.get(key)
        if stored is None:
            continue
        n = stored.get("n", 1.0)
        interval = Interval(
            stored.get("mean", math.nan),
            stored.get("halfwidth", math.nan),
            stored.get("std", math.nan),
            int(n) if math.isfinite(n) else 1,
            stored.get("confidence", math.nan),
        )
        rows.append([label.strip(), *interval_cells(key, interval, scale)])
    return rows


def main_kpi_table(study: ReplicationStudy) -> Table:
    """The KPIs a plant manager reads, with units."""
    rows = _rows(study, list(MAIN_KPIS), interval_cells)
    return Table(["KPI", "mean", "± half-width", "low", "high"], rows, _caption(study))


def full_kpi_table(study: ReplicationStudy) -> Table:
    """Every KPI with its interval (for the CSV beside the report)."""
    rows = [
        [name, *interval_cells(name, interval), interval.n]
        for name, interval in sorted(study.intervals.items())
    ]
    columns = ["KPI", "mean", "± half-width", "low", "high", "replications"]
    return Table(columns, rows, "All KPIs")


def _caption(study: ReplicationStudy) -> str:
    if study.n < 2:
        return "Main KPIs of one run (no confidence interval: one replication)"
    return (
        f"Main KPIs over {study.n} replications, Student-t {study.confidence:.0%} intervals "
        "clipped to each quantity's range"
    )


def verdict_section(verdict: Verdict) -> Section:
    """The answer first: capacity, delivered output, plan miss, reasons, binding constraint."""
    rows = [
        ["capacity, orders always waiting (units/yr)", *interval_cells("", verdict.capacity)],
        ["delivered under the file's demand (units/yr)", *interval_cells("", verdict.delivered)],
    ]
    table = Table(["", "mean", "± half-width", "low", "high"], rows, "Capacity and delivery")
    return Section("Verdict", paragraphs=verdict.lines(), tables=[table])
