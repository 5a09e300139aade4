"""Ramp-up results as plain data, answer lines, tables and plotly figures (report sections)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from droneworks.core.report import Section, Table

if TYPE_CHECKING:
    from droneworks.factory.model.plant import Plant
    from droneworks.factory.plan.rampup import RampupResult

__all__ = ["answer_lines", "critical_parts", "rampup_sections", "rampup_summary"]


def _date(plant: Plant, minutes: float | None) -> str | None:
    if minutes is None:
        return None
    return (plant.plant.start_date + dt.timedelta(minutes=float(minutes))).isoformat()


def critical_parts(result: RampupResult, count: int = 6) -> list[str]:
    """The MRP parts with the longest planned lead times (the ones to order first)."""
    lead = result.mrp.planned_lead_time_min
    return sorted(lead, key=lambda part: (-lead[part], part))[:count]


BAND_TEXT = (
    "Bands: percentile-bootstrap interval of the mean output per period over the "
    "replications (2,000 resamples); it stays within the range the replications reached, so "
    "it is never below zero, and with few replications it is only as wide as they are apart."
)


def answer_lines(plant: Plant, result: RampupResult) -> list[str]:
    """A few lines: is the target rate reached and when, what is late, what to do when."""
    target = result.target_per_year
    lines = []
    if result.reached_period is None:
        lines.append(
            f"{plant.name}: the plan's peak rate of {target:,.0f}/yr is NOT reached and held "
            f"within the horizon ({result.reps} replications)."
        )
    else:
        start = _date(plant, result.reached_period * result.period_min)
        lines.append(
            f"{plant.name}: {target:,.0f}/yr is reached in period {result.reached_period} "
            f"({start}): from then on the mean simulated output averages at least 95 % of it "
            f"({result.reps} replications)."
        )
    missed = result.missed_periods
    lines.append(
        f"{len(missed)} of {len(result.periods)} periods miss the plan"
        + (f" (first: period {missed[0]})." if missed else ".")
    )
    lines.extend(_change_lines(plant, result))
    found = [(p.binding_kind, p.binding) for p in result.periods if p.binding_kind]
    if found:
        kind, name = max(set(found), key=found.count)
        material = sum(1 for k, _ in found if k == "material")
        lines.append(
            f"Binding constraint most often: {kind.replace('_', ' ')} {name} "
            f"({found.count((kind, name))} of {len(result.periods)} periods); material binds "
            f"in {material}."
        )
    firsts = result.order_deadlines[:3]
    if firsts:
        lines.append(
            "First purchase orders due: "
            + "; ".join(
                f"{o.part} {_date(plant, o.release_min)}" + (" (past due)" if o.past_due else "")
                for o in firsts
            )
            + "."
        )
    return lines


def _change_lines(plant: Plant, result: RampupResult) -> list[str]:
    """Late changes, the first decisions due, and changes the rough-cut does not need."""
    deadlines = result.change_deadlines
    if not deadlines:
        return []
    late = [d for d in deadlines if d.slack_min is not None and d.slack_min < 0]
    needed = sorted(
        (d for d in deadlines if d.decide_by_min is not None),
        key=lambda d: (d.decide_by_min or 0.0, d.index),
    )
    lines = []
    if late:
        lines.append(
            "Capacity changes planned too late: "
            + "; ".join(
                f"{d.description} in effect by {_date(plant, d.latest_min)}" for d in late[:4]
            )
            + "."
        )
    verified = {d.index: d for d in result.verified_deadlines}
    needed = [verified.get(d.index, d) for d in needed]
    if needed:
        source = "verified by simulation"
        if not verified:
            source = "rough cut, NOT verified by simulation"
        elif result.still_missed:
            source = f"NOT enough: the simulation still misses {_periods_text(plant, result)}"
        lines.append(
            f"First capacity decisions due (latest, {source}, with hiring periods): "
            + "; ".join(
                f"{d.description} — decide by {_date(plant, d.decide_by_min)}" for d in needed[:3]
            )
            + "."
        )
    lines += _verification_lines(plant, result)
    spare = len(deadlines) - len(needed)
    lines.append(
        f"{len(late)} of {len(deadlines)} planned capacity changes are late; {spare} "
        "are not needed within the horizon at the rough-cut load limit."
    )
    return lines


def _verification_lines(plant: Plant, result: RampupResult) -> list[str]:
    if result.verified_at_latest is None:
        return []
    if result.verified_at_latest:
        return ["Re-simulated with every change at its latest date: the plan holds as with the "
                "planned dates."]  # fmt: skip
    extra = result.still_missed
    moved = "; ".join(
        f"{d.description} in effect by {_date(plant, d.latest_min)}" for d in result.dates_moved[:4]
    )
    if not extra:
        return [f"The rough-cut latest dates missed periods in the simulation; moved earlier "
                f"until it agreed: {moved}."]  # fmt: skip
    return [f"Even with changes moved earlier ({moved or 'none could move'}), the simulation "
            f"still misses {_periods_text(plant, result)}, which the planned dates meet: the "
            "plan needs more than these dated changes."]  # fmt: skip


def _periods_text(plant: Plant, result: RampupResult) -> str:
    """The periods still missed with the verified dates, each with its start date."""
    named = [f"{k} (from {_date(plant, k * result.period_min)})" for k in result.still_missed]
    more = f" and {len(named) - 6} more" if len(named) > 6 else ""
    return ("period " if len(named) == 1 else "periods ") + ", ".join(named[:6]) + more


def rampup_summary(plant: Plant, result: RampupResult) -> dict[str, Any]:
    """Everything as JSON-ready data."""
    return {
        "plant": plant.name,
        "start_date": plant.plant.start_date.isoformat(),
        "period_min": result.period_min,
        "reps": result.reps,
        "confidence": result.confidence,
        "target_per_year": result.target_per_year,
        "reached_period": result.reached_period,
        "reached_date": _date(
            plant,
            None if result.reached_period is None else result.reached_period * result.period_min,
        ),
        "missed_periods": list(result.missed_periods),
        "periods": [
            {
                "period": p.period,
                "start": _date(plant, p.start_min),
                "planned": p.planned,
                "simulated_mean": p.simulated_mean,
                "simulated_low": p.simulated_low,
                "simulated_high": p.simulated_high,
                "missed": p.missed,
                "binding_kind": p.binding_kind,
                "binding": p.binding,
                "binding_share": p.binding_share,
            }
            for p in result.periods
        ],
        "capacity_changes": [
            {
                "change": d.description,
                "planned": _date(plant, d.planned_min),
                "latest": _date(plant, d.latest_min),
                "decide_by": _date(plant, d.decide_by_min),
                "slack_days": None if d.slack_min is None else d.slack_min / 1440,
                "binding_without": d.binding,
                "peak_utilisation_without": d.peak_utilisation_without,
            }
            for d in result.change_deadlines
        ],
        "first_purchase_orders": [
            {
                "part": o.part,
                "release": _date(plant, o.release_min),
                "receipt": _date(plant, o.receipt_min),
                "quantity": o.quantity,
                "planned_lead_time_days": o.planned_lead_time_min / 1440,
                "past_due": o.past_due,
            }
            for o in result.order_deadlines
        ],
        "verified_at_latest": result.verified_at_latest,
        "verified_latest": [
            {
                "change": d.description,
                "latest": _date(plant, d.latest_min),
                "decide_by": _date(plant, d.decide_by_min),
            }
            for d in result.verified_deadlines
        ],
        "band": BAND_TEXT,
        "missed_at_latest": list(result.missed_at_latest),
        "still_missed_at_latest": list(result.still_missed),
        "mrp_exceptions": len(result.mrp.result.exceptions),
        "wall_s": result.wall_s,
    }


def _dates(plant: Plant, result: RampupResult) -> list[str]:
    return [str(_date(plant, p.start_min)) for p in result.periods]


def _output_figure(plant: Plant, result: RampupResult) -> Any:
    import plotly.graph_objects as go

    x = _dates(plant, result)
    periods = result.periods
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=x + x[::-1],
            y=[p.simulated_high for p in periods] + [p.simulated_low for p in periods][::-1],
            fill="toself",
            line={"width": 0},
            fillcolor="rgba(31,119,180,0.25)",
            name=f"{result.confidence:.0%} bootstrap band of the mean",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=[p.simulated_mean for p in periods],
            name="simulated mean",
            line={"color": "#1f77b4"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=[p.planned for p in periods],
            name="planned",
            line={"color": "black", "dash": "dash"},
        )
    )
    days = result.period_min / 1440
    figure.update_layout(
        showlegend=True,
        title=f"Planned vs simulated output per period ({result.reps} replications)",
        xaxis_title="period start (date)",
        yaxis_title=f"drones per period ({days:g} days)",
    )
    return figure


def _learning_figure(plant: Plant, result: RampupResult) -> Any:
    import plotly.graph_objects as go

    capacity = result.capacity
    units = sum(capacity.planned_units.values())
    assert isinstance(units, np.ndarray)
    load = sum(row.load_min for row in capacity.resources if row.kind == "work_centre")
    built = np.cumsum(units)
    keep = units > 0
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=built[keep],
            y=(load / np.where(keep, units, 1))[keep],
            mode="lines+markers",
            name="station minutes per drone",
        )
    )
    figure.update_layout(
        showlegend=True,
        title="Learning curve: touch time per drone vs cumulative output",
        xaxis_title="cumulative drones built (log scale)",
        yaxis_title="station minutes per drone (mix, with rework)",
        xaxis_type="log",
    )
    return figure


def _orders_figure(plant: Plant, result: RampupResult, parts: list[str]) -> Any:
    import plotly.graph_objects as go

    figure = go.Figure()
    for part in parts:
        orders = [o for o in result.mrp.result.purchase_orders() if o.item == part]
        figure.add_trace(
            go.Scatter(
                x=[_date(plant, o.release_min) for o in orders],
                y=[o.quantity for o in orders],
                mode="markers",
                name=part,
            )
        )
    figure.update_layout(
        showlegend=True,
        title="MRP purchase order releases (parts with the longest lead times)",
        xaxis_title="release date",
        yaxis_title="order quantity (units)",
    )
    return figure


def _stock_figure(plant: Plant, result: RampupResult, parts: list[str]) -> Any:
    import plotly.graph_objects as go

    figure = go.Figure()
    x = _dates(plant, result)
    for part in parts:
        if part in result.stock_mean:
            figure.add_trace(go.Scatter(x=x, y=result.stock_mean[part][: len(x)], name=part))
    figure.update_layout(
        showlegend=True,
        title="Simulated stock per critical part (mean over replications)",
        xaxis_title="period start (date)",
        yaxis_title="stock (units)",
    )
    return figure


def rampup_sections(plant: Plant, result: RampupResult) -> list[Section]:
    """Report sections: answer, plots, per-period table, deadlines, MRP exceptions."""
    parts = critical_parts(result)
    periods = Table(
        ["period", "start", "planned", "simulated mean", "low", "high", "missed", "binding"],
        [
            [
                p.period,
                _date(plant, p.start_min),
                p.planned,
                round(p.simulated_mean, 1),
                round(p.simulated_low, 1),
                round(p.simulated_high, 1),
                "yes" if p.missed else "",
                f"{p.binding_kind}: {p.binding} ({p.binding_share:.0%} of runs)"
                if p.binding_kind
                else "",
            ]
            for p in result.periods
        ],
        caption="Planned vs simulated output per period, binding constraint",
    )
    changes = Table(
        ["change", "planned", "latest", "decide by", "slack days", "binding without it"],
        [
            [
                d.description,
                _date(plant, d.planned_min),
                _date(plant, d.latest_min) or "not needed",
                _date(plant, d.decide_by_min) or "",
                "" if d.slack_min is None else round(d.slack_min / 1440, 1),
                d.binding,
            ]
            for d in result.change_deadlines
        ],
        caption="Latest date of each capacity change (rough-cut with learning)",
    )
    orders = Table(
        ["part", "release", "receipt", "quantity", "planned lead time days", "past due"],
        [
            [
                o.part,
                _date(plant, o.release_min),
                _date(plant, o.receipt_min),
                o.quantity,
                round(o.planned_lead_time_min / 1440, 1),
                "yes" if o.past_due else "",
            ]
            for o in result.order_deadlines
        ],
        caption="First MRP purchase order per part = latest release date",
    )
    return [
        Section(
            "Ramp-up: " + plant.name,
            paragraphs=[*answer_lines(plant, result), BAND_TEXT],
            figures=[_output_figure(plant, result), _learning_figure(plant, result)],
            tables=[periods],
        ),
        Section(
            "Ramp-up: what to add and order when",
            tables=[changes, orders],
            figures=[_orders_figure(plant, result, parts), _stock_figure(plant, result, parts)],
        ),
    ]
