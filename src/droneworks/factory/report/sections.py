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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.core.report import Section, Table, write_atomic, write_report
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.plan.compare import BottleneckComparison
from droneworks.factory.plan.replications import ReplicationStudy, SeriesNames
from droneworks.factory.plan.sizing import SizingResult
from droneworks.factory.report import figures

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


def kpi_table(study: ReplicationStudy, prefixes: Sequence[str] = ()) -> Table:
    """Every KPI (or those starting with one of ``prefixes``) with its interval."""
    rows = [
        [name, i.mean, i.halfwidth if math.isfinite(i.halfwidth) else "n/a", i.low, i.high, i.n]
        for name, i in sorted(study.intervals.items())
        if not prefixes or name.startswith(tuple(prefixes))
    ]
    caption = (
        f"KPIs over {study.n} replications, Student-t {study.confidence:.0%} intervals "
        f"(seed {study.seed}; {study.stop_reason})"
    )
    return Table(["KPI", "mean", "± half-width", "low", "high", "replications"], rows, caption)


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


def _output_section(
    study: ReplicationStudy, target_per_year: float | None, reference_name: str
) -> list[object]:
    output = _stack(study, "output_by_period")
    if output is None:
        return []
    period = _period_min(study)
    totals = output.reshape(output.shape[0], output.shape[1], -1).sum(axis=2)
    cumulative = np.cumsum(totals, axis=1)
    reference = None
    if target_per_year is not None:
        ends = np.arange(1, cumulative.shape[1] + 1) * period
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


def _material_figures(study: ReplicationStudy, names: SeriesNames) -> list[object]:
    result: list[object] = []
    hist = _stack(study, "lead_times_hist")
    edges = study.outcomes[0].series.get("lead_time_edges_min") if study.outcomes else None
    if hist is not None and edges is not None and hist.ndim == 2:
        result.append(
            figures.histogram_figure(
                hist.sum(axis=0),
                np.asarray(edges) / 60.0,
                "Lead time of completed units",
                "lead time (h)",
                f"units, all {study.n} replications",
            )
        )
    stock = _stack(study, "stock_by_period")
    if stock is not None and stock.ndim == 3 and stock.shape[2] == len(names.parts):
        mean = stock.mean(axis=0)
        series = {part: mean[:, k] for k, part in enumerate(names.parts)}
        result.append(
            figures.lines_figure(
                series,
                _period_min(study),
                "Stock per part (mean over replications)",
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
) -> list[Section]:
    """Sections for a replicated run (see the module docstring)."""
    centres = names.work_centres or tuple(
        sorted({k.split(".")[1] for k in study.intervals if k.startswith("wc.")})
    )
    figs: list[object] = _output_section(study, target_per_year, reference_name)
    wip = _stack(study, "wip_by_period")
    if wip is not None and wip.ndim == 2:
        figs.append(
            figures.band_figure(
                wip,
                _period_min(study),
                study.confidence,
                "Work in process",
                "work in process (units)",
                "WIP",
            )
        )
    shares = _state_shares(study, centres)
    if any(shares.values()):
        figs.append(figures.states_figure(shares, "Work-centre states (mean over replications)"))
    figs += _bottleneck_figure(study, centres)
    figs += _material_figures(study, names)
    tables = [
        kpi_table(study, ("units", "throughput", "wip", "lead_time", "scrap", "rework", "yield"))
    ]
    if comparison is not None:
        tables.append(
            Table(
                list(comparison.COLUMNS),
                comparison.table_rows(),
                "Rough-cut against simulated bottleneck",
            )
        )
    tables.append(kpi_table(study))
    text = [
        f"{study.n} replications (seed {study.seed}, common random numbers by replication "
        f"index); {study.stop_reason}."
    ]
    if comparison is not None:
        text.append(_comparison_text(comparison))
    return [Section(title, paragraphs=text, tables=tables, figures=figs)]


def _comparison_text(comparison: BottleneckComparison) -> str:
    parts = ""
    if comparison.parts_starving:
        waits = ", ".join(f"{p} {m / 1440:.1f} d" for p, m in comparison.parts_starving)
        parts = f" Operations waited for parts (per replication): {waits}."
    return (
        _bottleneck_text(comparison)
        + parts
        + (
            " The simulated bottleneck is ranked by the busy share of on-shift station time; the "
            "engine counts a work centre active (active-period method) while any of its stations "
            "is, which overstates work centres with many parallel stations."
        )
    )


def _bottleneck_text(comparison: BottleneckComparison) -> str:
    if comparison.agree:
        return f"Rough cut and simulation agree: {comparison.simulated_bottleneck} limits output."
    row = next(r for r in comparison.rows if r.work_centre == comparison.simulated_bottleneck)
    why = "; ".join(row.losses) or "variability and interactions"
    return (
        f"The simulated bottleneck is {comparison.simulated_bottleneck}, not the rough-cut "
        f"one ({comparison.roughcut_bottleneck}): {why}."
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


def write_factory_report(path: str | Path, title: str, sections: Sequence[Section]) -> list[Path]:
    """Write the HTML report and each table as ``<report stem>_csv/<section>-<n>.csv``."""
    report = write_report(path, title, sections)
    folder = report.parent / f"{report.stem}_csv"
    written = [report]
    for section in sections:
        for index, table in enumerate(section.tables):
            written.append(
                write_atomic(folder / f"{slug(section.title)}-{index + 1}.csv", table.to_csv())
            )
    return written


def write_simulation_report(
    path: str | Path, plant_name: str, result: Any, problem: Any
) -> list[Path]:
    """The report of one simulation run (no confidence bands: one replication)."""
    from droneworks.factory.plan.replications import single_run_study

    study = single_run_study(result, problem)
    names = SeriesNames(tuple(result.products), tuple(result.work_centres), tuple(result.parts))
    sections = replication_sections(study, names, title=f"{plant_name}: one run")
    return write_factory_report(path, f"{plant_name} — simulation", sections)
