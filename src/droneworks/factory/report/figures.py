"""Plotly figures of replicated runs and sizing searches.

Every figure has a title, axis titles with units and a visible legend. Bands are Student-t
confidence intervals of the mean over replications, period by period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from droneworks.core.units import MINUTES_PER_WEEK
from droneworks.factory.plan.statistics import t_quantile

__all__ = [
    "STATE_COLOURS",
    "TOP_SERIES",
    "band_figure",
    "bottleneck_figure",
    "lines_figure",
    "log_histogram_figure",
    "sizing_figure",
    "small_multiples_figure",
    "states_figure",
]

TOP_SERIES = 8  # lines or panels in one chart before it stops being readable

STATE_COLOURS = {
    "working": "#2ca02c",
    "setup": "#98df8a",
    "blocked": "#d62728",
    "starved_work": "#c7c7c7",
    "starved_material": "#ff7f0e",
    "starved_worker": "#9467bd",
    "down": "#8c564b",
    "off_shift": "#1f77b4",
}


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
        height=420,
    )
    return figure


def weeks(period_min: float, count: int) -> np.ndarray:
    """End of each period in weeks from the start."""
    return np.arange(1, count + 1) * period_min / MINUTES_PER_WEEK


def band_figure(
    samples: np.ndarray,
    period_min: float,
    confidence: float,
    title: str,
    y_title: str,
    name: str,
    reference: tuple[str, np.ndarray] | None = None,
) -> go.Figure:
    """Mean over replications (rows) per period (columns) with a t confidence band."""
    data = np.asarray(samples, dtype=float)
    x = weeks(period_min, data.shape[1])
    mean = data.mean(axis=0)
    n = data.shape[0]
    half = np.zeros_like(mean)
    if n > 1:
        half = t_quantile(confidence, n) * data.std(axis=0, ddof=1) / np.sqrt(n)
    figure = go.Figure()
    if n > 1:
        figure.add_trace(
            go.Scatter(
                x=np.concatenate([x, x[::-1]]),
                y=np.concatenate([mean + half, np.maximum(mean - half, 0.0)[::-1]]),
                fill="toself",
                fillcolor="rgba(31,119,180,0.2)",
                line={"width": 0},
                name=f"{confidence:.0%} confidence band of the mean",
            )
        )
    label = f"{name} (mean of {n} replications)" if n > 1 else f"{name} (one run)"
    figure.add_trace(go.Scatter(x=x, y=mean, name=label, line={"color": "#1f77b4"}))
    if reference is not None:
        label, values = reference
        figure.add_trace(
            go.Scatter(x=x, y=values, name=label, line={"color": "#d62728", "dash": "dash"})
        )
    return _layout(figure, title, "time since start (weeks)", y_title)


def lines_figure(
    series: Mapping[str, np.ndarray], period_min: float, title: str, y_title: str
) -> go.Figure:
    """One line per named series over periods."""
    figure = go.Figure()
    for name, values in series.items():
        values = np.asarray(values, dtype=float)
        figure.add_trace(go.Scatter(x=weeks(period_min, len(values)), y=values, name=name))
    return _layout(figure, title, "time since start (weeks)", y_title)


def states_figure(shares: Mapping[str, Mapping[str, float]], title: str) -> go.Figure:
    """Stacked horizontal bars: share of time in each state per work centre (%)."""
    centres = list(shares)
    states = [s for s in STATE_COLOURS if any(s in shares[wc] for wc in centres)]
    figure = go.Figure()
    for state in states:
        figure.add_trace(
            go.Bar(
                y=centres,
                x=[100 * shares[wc].get(state, 0.0) for wc in centres],
                name=state.replace("_", " "),
                orientation="h",
                marker_color=STATE_COLOURS[state],
            )
        )
    figure.update_layout(barmode="stack")
    return _layout(figure, title, "share of time (%)", "work centre")


def bottleneck_figure(
    centres: Sequence[str],
    sole: Sequence[float],
    shifting: Sequence[float],
    halfwidth: Sequence[float],
    title: str,
) -> go.Figure:
    """Sole and shifting bottleneck shares per work centre, with the CI of their sum."""
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=list(centres),
            y=[100 * v for v in sole],
            name="sole bottleneck",
            marker_color="#393b79",
        )  # not a state colour
    )
    figure.add_trace(
        go.Bar(
            x=list(centres),
            y=[100 * v for v in shifting],
            name="shifting bottleneck",
            marker_color="#9c9ede",
            error_y={"type": "data", "array": [100 * h for h in halfwidth], "visible": True},
        )
    )
    figure.update_layout(barmode="stack")
    return _layout(figure, title, "work centre", "share of active time as bottleneck (%)")


HISTOGRAM_COLOURS = ("#1f77b4", "#17becf")  # not state colours


def log_histogram_figure(
    series: Mapping[str, np.ndarray], edges: np.ndarray, title: str, x_title: str
) -> go.Figure:
    """Histograms of log-spaced bins (the same ``edges``) on a log axis, overlaid, merged
    to ~20 bins per decade and trimmed to the range that holds data."""
    edges = np.asarray(edges, dtype=float)
    per_decade = max(1, round(1 / np.log10(edges[1] / edges[0]) / 20))
    figure = go.Figure()
    for index, (name, raw) in enumerate(series.items()):
        counts = np.asarray(raw, dtype=float)
        filled = np.flatnonzero(counts)
        if not filled.size:
            continue
        first = filled[0] - filled[0] % per_decade
        groups = range(first, filled[-1] + 1, per_decade)
        merged = np.array([counts[k : k + per_decade].sum() for k in groups])
        low = np.array([edges[k] for k in groups])
        high = np.array([edges[min(k + per_decade, len(edges) - 1)] for k in groups])
        colour = HISTOGRAM_COLOURS[index % len(HISTOGRAM_COLOURS)]
        if index == 0:
            bars = go.Bar(x=np.sqrt(low * high), y=merged, width=high - low, name=name)
            figure.add_trace(bars.update(marker_color=colour))
        else:  # further series as step outlines, so equal histograms still show both
            steps = go.Scatter(x=np.sqrt(low * high), y=merged, name=name, mode="lines")
            figure.add_trace(steps.update(line={"color": colour, "width": 2, "shape": "hvh"}))
    figure = _layout(figure, title, x_title, "units completed (count per bin)")
    figure.update_xaxes(type="log")
    return figure


def small_multiples_figure(
    series: Mapping[str, np.ndarray], period_min: float, title: str, y_title: str
) -> go.Figure:
    """One small panel per series (own y scale), two panels per row."""
    from plotly.subplots import make_subplots

    names = list(series)
    rows = max(1, (len(names) + 1) // 2)
    figure = make_subplots(rows=rows, cols=2, subplot_titles=names, vertical_spacing=0.12)
    for k, name in enumerate(names):
        values = np.asarray(series[name], dtype=float)
        figure.add_trace(
            go.Scatter(
                x=weeks(period_min, len(values)),
                y=values,
                name=name,
                showlegend=False,
                line={"color": "#1f77b4"},
            ),
            row=k // 2 + 1,
            col=k % 2 + 1,
        )
    figure = _layout(figure, title, "", "")
    figure.update_layout(height=max(300, 220 * rows), showlegend=False)
    figure.update_xaxes(title_text="weeks since start", row=rows)
    figure.update_yaxes(rangemode="tozero")
    figure.update_yaxes(title_text=y_title, col=1)
    return figure


def sizing_figure(
    costs: Sequence[float],
    probabilities: Sequence[float],
    labels: Sequence[str],
    confidence: float,
    best_index: int | None,
    title: str,
    currency: str,
) -> go.Figure:
    """Every configuration tried: extra cost per year against estimated probability."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=list(costs),
            y=list(probabilities),
            mode="markers+text",
            name="configuration tried",
            text=[str(i) for i in range(len(costs))],
            textposition="top center",
            hovertext=list(labels),
        )
    )
    if best_index is not None:
        figure.add_trace(
            go.Scatter(
                x=[costs[best_index]],
                y=[probabilities[best_index]],
                mode="markers",
                marker={"size": 16, "symbol": "star", "color": "#d62728"},
                name="cheapest found",
            )
        )
    figure.add_hline(y=confidence, line_dash="dash", line_color="#555")
    figure.add_trace(
        go.Scatter(
            x=[min(costs, default=0)],
            y=[confidence],
            mode="lines",
            line={"dash": "dash", "color": "#555"},
            name=f"required confidence {confidence:.0%}",
        )
    )
    figure = _layout(
        figure,
        title,
        f"extra cost ({currency} per year)",
        "estimated P(annual output ≥ target) (0–1)",
    )
    figure.update_yaxes(range=[0, 1.05])
    figure.update_xaxes(rangemode="tozero", range=None if max(costs, default=0) > 0 else [0, 1])
    return figure
