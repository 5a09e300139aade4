"""Report sections of replicated runs and sizing searches, and writing them (HTML + CSV).

:func:`replication_sections` turns a :class:`ReplicationStudy` into sections: KPIs with
confidence intervals, output against target over time with a band, work in process,
work-centre states (stacked), bottleneck shares, the rough-cut comparison, lead times and
stock per part. :func:`sizing_sections` shows every configuration the sizing search tried.
:func:`write_factory_report` writes one offline HTML file and every table as CSV beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.core.report import Section, Table, write_atomic, write_report
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.plan.compare import BottleneckComparison
from droneworks.factory.plan.replications import ReplicationStudy, SeriesNames
from droneworks.factory.plan.sizing import SizingResult
from droneworks.factory.plan.verdict import Verdict
from droneworks.factory.report import figures
from droneworks.factory.report.tables import full_kpi_table, main_kpi_table, verdict_section

__all__ = [
    "SeriesNames",
    "replication_sections",
    "sizing_sections",
    "slug",
    "write_factory_report",
    "write_simulation_report",
]

STATES = (
    "working",
    "setup",
    "blocked",
    "starved_work",
    "starved_material",
    "starved_worker",
    "down",
    "off_shift",
)


def _stack(study: ReplicationStudy, name: str) -> np.ndarray | None:
    found = [o.series.get(name) for o in study.outcomes]
    arrays = [a for a in found if a is not None]
    if not arrays or len(arrays) < len(found):
        return None
    shapes = {np.shape(a) for a in arrays}
    return np.stack([np.asarray(a, dtype=float) for a in arrays]) if len(shapes) == 1 else None


def _period_min(study: ReplicationStudy) -> float:
    value = study.outcomes[0].series.get("period_min") if study.outcomes else None
    return float(value) if value is not None else 7 * 1440.0


def _over(study: ReplicationStudy) -> str:
    """What a chart of means shows: one run, or the mean over N replications."""
    return "one run" if study.n < 2 else f"mean over {study.n} replications"


def _output_section(
    study: ReplicationStudy,
    target_per_year: float | None,
    reference_name: str,
    demand_curve: Callable[[np.ndarray], np.ndarray | None] | None = None,
) -> list[object]:
    output = _stack(study, "output_by_period")
    if output is None:
        return []
    period = _period_min(study)
    totals = output.reshape(output.shape[0], output.shape[1], -1).sum(axis=2)
    cumulative = np.cumsum(totals, axis=1)
    ends = np.arange(1, cumulative.shape[1] + 1) * period
    ordered = demand_curve(ends) if demand_curve is not None else None
    reference = None
    if ordered is not None:
        rate = f", {target_per_year:,.0f}/yr" if target_per_year is not None else ""
        reference = (f"{reference_name}: units ordered{rate}", ordered)
    elif target_per_year is not None:
        label = f"{reference_name} {target_per_year:,.0f}/yr"
        reference = (label, target_per_year * ends / MINUTES_PER_YEAR)
    return [
        figures.band_figure(
            cumulative,
            period,
            study.confidence,
            f"Cumulative output against {reference_name}" if reference else "Cumulative output",
            "cumulative output (units)",
            "cumulative output",
            reference,
        )
    ]


def _state_shares(study: ReplicationStudy, centres: Sequence[str]) -> dict[str, dict[str, float]]:
    return {
        wc: {
            s: study.intervals[f"wc.{wc}.{s}"].mean
            for s in STATES
            if f"wc.{wc}.{s}" in study.intervals
        }
        for wc in centres
    }


def _bottleneck_figure(study: ReplicationStudy, centres: Sequence[str]) -> list[object]:
    known = [wc for wc in centres if f"bottleneck.{wc}.total" in study.intervals]
    if not known:
        return []
    i = study.intervals
    return [
        figures.bottleneck_figure(
            known,
            [i[f"bottleneck.{wc}.sole"].mean for wc in known],
            [i[f"bottleneck.{wc}.shifting"].mean for wc in known],
            [
                i[f"bottleneck.{wc}.total"].halfwidth
                if math.isfinite(i[f"bottleneck.{wc}.total"].halfwidth)
                else 0.0
                for wc in known
            ],
            f"Bottleneck shares (active-period method), {study.confidence:.0%} CI of the sum",
        )
    ]


def _utilisation_figure(study: ReplicationStudy, centres: Sequence[str]) -> list[object]:
    """Busy share (working + setup + down) of on-shift station time per period, for the
    busiest work centres (from the per-period states every run records)."""
    states = _stack(study, "wc_state_by_period")  # (reps, periods, centres, states)
    if states is None or states.ndim != 4 or states.shape[2] != len(centres):
        return []
    total = states.mean(axis=0)
    on_shift = total[:, :, : len(STATES)].sum(axis=2) - total[:, :, STATES.index("off_shift")]
    busy = total[:, :, [STATES.index(s) for s in ("working", "setup", "down")]].sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(on_shift > 0, busy / on_shift, np.nan)
    overall = busy.sum(axis=0) / np.maximum(on_shift.sum(axis=0), 1e-12)
    top = np.argsort(-overall)[: figures.TOP_SERIES]
    series = {centres[k]: 100 * share[:, k] for k in top}
    return [
        figures.lines_figure(
            series,
            _period_min(study),
            f"Utilisation over time: the {len(top)} busiest work centres",
            "busy share of on-shift station time (%)",
        )
    ]


def _lead_time_figure(study: ReplicationStudy) -> list[object]:
    """Lead time (order → delivery) and floor time (release → completion) of every
    completed unit, on one log axis."""
    edges = study.outcomes[0].series.get("lead_time_edges_min") if study.outcomes else None
    runs = "one run" if study.n < 2 else f"all {study.n} replications"
    series = {}
    for name, label in (("order_to_delivery_hist", "lead time, order → delivery"),
                        ("lead_times_hist", "floor time, release → completion")):  # fmt: skip
        hist = _stack(study, name)
        if hist is not None and hist.ndim == 2 and hist.sum() > 0:
            series[f"{label} ({runs})"] = hist.sum(axis=0)
    if edges is None or not series:
        return []
    return [
        figures.log_histogram_figure(
            series,
            np.asarray(edges) / 60.0,
            "Lead time (order → delivery) and floor time of completed units, log scale",
            "time (h, log scale)",
        )
    ]


def _material_figures(study: ReplicationStudy, names: SeriesNames) -> list[object]:
    result: list[object] = _lead_time_figure(study)
    stock = _stack(study, "stock_by_period")
    if stock is not None and stock.ndim == 3 and stock.shape[2] == len(names.parts):
        mean = stock.mean(axis=0)
        starved = [study.intervals.get(f"part.{p}.starved_min") for p in names.parts]
        waits = np.array([i.mean if i is not None else 0.0 for i in starved])
        lowest = mean.min(axis=0) / np.maximum(mean.max(axis=0), 1e-12)
        order = np.lexsort((lowest, -waits))[: figures.TOP_SERIES]  # starved first, then lowest
        series = {names.parts[k]: mean[:, k] for k in order}
        result.append(
            figures.small_multiples_figure(
                series,
                _period_min(study),
                f"Stock of the {len(order)} tightest parts ({_over(study)})",
                "stock on hand (units)",
            )
        )
    return result


def replication_sections(
    study: ReplicationStudy,
    names: SeriesNames,
    target_per_year: float | None = None,
    comparison: BottleneckComparison | None = None,
    title: str = "Replications",
    reference_name: str = "target",
    verdict: Verdict | None = None,
    demand_curve: Callable[[np.ndarray], np.ndarray | None] | None = None,
) -> list[Section]:
    """Sections for a replicated run (see the module docstring), the verdict first.
    ``demand_curve``: units ordered up to given times (minutes), drawn against the
    cumulative output instead of a straight ``target_per_year`` line."""
    centres = names.work_centres or tuple(
        sorted({k.split(".")[1] for k in study.intervals if k.startswith("wc.")})
    )
    figs: list[object] = _output_section(study, target_per_year, reference_name, demand_curve)
    wip = _stack(study, "wip_by_period")
    if wip is not None and wip.ndim == 2:
        figs.append(
            figures.band_figure(
                wip,
                _period_min(study),
                study.confidence,
                "Work in process, order to delivery",
                "work in process (units)",
                "WIP",
            )
        )
    shares = _state_shares(study, centres)
    if any(shares.values()):
        figs.append(figures.states_figure(shares, f"Work-centre states ({_over(study)})"))
    figs += _utilisation_figure(study, centres)
    figs += _bottleneck_figure(study, centres)
    figs += _material_figures(study, names)
    tables = [main_kpi_table(study)]
    if comparison is not None:
        tables.append(
            Table(
                list(comparison.COLUMNS),
                comparison.table_rows(),
                "Work centres: rough-cut load beside measured busy and bottleneck shares",
            )
        )
    runs = "one run" if study.n < 2 else f"{study.n} replications"
    stop = "" if study.stop_reason == runs else f"; {study.stop_reason}"  # said once
    text = [f"{runs} (seed {study.seed}, common random numbers by replication index){stop}."]
    if comparison is not None:
        text.append(_comparison_text(comparison))
    main = Section(title, paragraphs=text, tables=tables, figures=figs)
    return ([verdict_section(verdict)] if verdict is not None else []) + [main]


def _comparison_text(comparison: BottleneckComparison) -> str:
    parts = ""
    if comparison.parts_starving:
        waits = ", ".join(f"{p} {m / 1440:.1f} d" for p, m in comparison.parts_starving)
        parts = f" Operations waited for parts (per replication): {waits}."
    return (
        f"Measured under this demand, {comparison.simulated_bottleneck} is the busiest work "
        f"centre (busy share of on-shift station time); the rough cut, which ignores blocking, "
        f"starvation and variability, ranks {comparison.roughcut_bottleneck} first. A work "
        "centre is active (active-period method) only while every present station is." + parts
    )


def sizing_sections(result: SizingResult, currency: str = "EUR") -> list[Section]:
    """Every configuration tried, the winner and its verification."""
    rows = [
        [
            e.step,
            e.label,
            e.changes,
            e.extra_cost_per_year,
            e.n,
            e.output_mean,
            e.probability,
            f"{e.successes}/{e.n}",
            f"{e.wilson[0]:.2f}–{e.wilson[1]:.2f}",
            "yes" if e.feasible else "no",
        ]
        for e in result.tried
    ]
    columns = [
        "#",
        "step",
        "changes",
        f"extra cost {currency}/yr",
        "replications",
        "mean output/yr",
        "P(output ≥ target)",
        "reps ≥ target",
        "Wilson 95%",
        "meets",
    ]
    tables = [
        Table(
            columns,
            rows,
            f"Configurations tried (target {result.target_per_year:,.0f}"
            f"/yr, confidence {result.confidence:.0%})",
        )
    ]
    best_index = result.tried.index(result.best) if result.best in result.tried else None
    figure = figures.sizing_figure(
        [e.extra_cost_per_year for e in result.tried],
        [e.probability for e in result.tried],
        [f"{e.step}: {e.changes}" for e in result.tried],
        result.confidence,
        best_index,
        "Sizing search: cost against probability of meeting the target",
        currency,
    )
    text = [f"Probability estimate: {result.method}.", f"Outcome: {result.reason}."]
    if result.best is None and result.tried:
        near = result.closest
        text.append(
            f"Nearest configuration: {near.changes} (+{near.extra_cost_per_year:,.0f} "
            f"{currency}/yr): P = {near.probability:.3f}, mean {near.output_mean:,.0f}/yr, "
            f"{max(result.target_per_year - near.output_mean, 0):,.0f}/yr short on average."
        )
    if result.best is not None and result.verification is not None:
        v = result.verification
        text.append(
            f"Cheapest found: {result.best.changes} (+{result.best.extra_cost_per_year:,.0f} "
            f"{currency}/yr). Verification with {v.n} independent replications (seed "
            f"{v.seed}): P = {v.probability:.3f}, mean {v.output_mean:,.0f}/yr — "
            f"{'confirmed' if v.feasible else 'NOT confirmed'}."
        )
    return [Section("Capacity sizing", paragraphs=text, tables=tables, figures=[figure])]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


def write_factory_report(
    path: str | Path,
    title: str,
    sections: Sequence[Section],
    studies: Sequence[tuple[str, ReplicationStudy]] = (),
) -> list[Path]:
    """Write the HTML report, each table as ``<report stem>_csv/<section>-<n>.csv`` and the
    full KPI set of each named study as ``<report stem>_csv/<name>-all-kpis.csv`` (linked
    from the report's last section)."""
    report = Path(path)
    folder = report.parent / f"{report.stem}_csv"
    links = [(f"All KPIs with intervals: {name} (CSV)",
              f"{folder.name}/{slug(name)}-all-kpis.csv") for name, _ in studies]  # fmt: skip
    every = [*sections, Section("All KPIs", links=links)] if links else list(sections)
    written = [write_report(report, title, every)]
    for section in sections:
        for index, table in enumerate(section.tables):
            written.append(
                write_atomic(folder / f"{slug(section.title)}-{index + 1}.csv", table.to_csv())
            )
    for (_, study), (_, href) in zip(studies, links, strict=True):
        written.append(write_atomic(report.parent / href, full_kpi_table(study).to_csv()))
    return written


def write_simulation_report(
    path: str | Path,
    plant_name: str,
    result: Any,
    problem: Any,
    verdict: Verdict | None = None,
    demand_curve: Callable[[np.ndarray], np.ndarray | None] | None = None,
) -> list[Path]:
    """The report of one simulation run (no confidence bands: one replication), with the
    units ordered (``demand_curve``) against the cumulative output."""
    from droneworks.factory.plan.replications import single_run_study

    study = single_run_study(result, problem)
    names = SeriesNames(tuple(result.products), tuple(result.work_centres), tuple(result.parts))
    demanded = verdict.demanded_per_year if verdict is not None else None
    sections = replication_sections(
        study,
        names,
        demanded,
        title=f"{plant_name}: one run",
        reference_name="demand",
        verdict=verdict,
        demand_curve=demand_curve,
    )
    return write_factory_report(path, f"{plant_name} — simulation", sections, [("run", study)])
