"""Offline map pictures of a wall (PNG via matplotlib, no tiles, no network).

:func:`plot_wall` draws the border (protected side marked), sensors by type, and, when given,
the coverage of one profile (covered pieces green, gaps red), tracks and alerts. Coordinates
are the wall's local metric frame, shown in km. Other modules draw on top by passing their
own ``tracks`` (each an (n, 2) array of local metres) and ``alerts`` ((x_m, y_m) pairs).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from droneworks.core.outputs import atomic_target
from droneworks.watch.coverage import CoverageProfile, CoverageResult
from droneworks.watch.sensors import PlacedSensor
from droneworks.watch.wall import Wall

__all__ = ["plot_wall", "worst_profile"]

FloatArray = npt.NDArray[np.float64]
_STYLE = {  # kind → (marker, colour, size)
    "radar": ("^", "#1f4e9c", 36),
    "rf": ("s", "#7b3fa0", 22),
    "eoir": ("D", "#d9822b", 22),
    "acoustic": ("o", "#555555", 5),
}


def worst_profile(coverage: CoverageResult) -> CoverageProfile:
    """The profile with the lowest share (ties: the longest gap)."""
    return min(coverage.profiles, key=lambda p: (p.share, -p.gap_length_m))


def plot_wall(
    ax_or_path: Axes | str | Path,
    wall: Wall,
    coverage: CoverageResult | CoverageProfile | None = None,
    tracks: Sequence[FloatArray] = (),
    alerts: Sequence[tuple[float, float]] = (),
    sensors: Sequence[PlacedSensor] | None = None,
    title: str | None = None,
    extent_m: tuple[float, float, float, float] | None = None,
) -> Axes | Path:
    """Draw ``wall`` on an Axes, or into a PNG file at a path (returned).

    ``extent_m`` = (x_min, x_max, y_min, y_max) in local metres zooms in (e.g. on tracks).
    """
    if isinstance(ax_or_path, str | Path):
        min_x, min_y, max_x, max_y = wall.border.line_m.bounds
        ratio = (max_y - min_y + 1.0) / (max_x - min_x + 1.0)
        figure = Figure(figsize=(10.0, float(np.clip(6.5 * ratio, 4.5, 11.0))), dpi=120)
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        _draw(ax, wall, coverage, tracks, alerts, sensors, title)
        _zoom(ax, extent_m)
        figure.tight_layout()
        path = Path(ax_or_path)
        with atomic_target(path) as temporary:
            figure.savefig(temporary, format="png")
        return path
    _draw(ax_or_path, wall, coverage, tracks, alerts, sensors, title)
    _zoom(ax_or_path, extent_m)
    return ax_or_path


def _zoom(ax: Axes, extent_m: tuple[float, float, float, float] | None) -> None:
    if extent_m is not None:
        x_min, x_max, y_min, y_max = (value / 1000.0 for value in extent_m)
        ax.set_xlim(x_min, x_max)
        ax.set_ylim(y_min, y_max)


def _draw(
    ax: Axes,
    wall: Wall,
    coverage: CoverageResult | CoverageProfile | None,
    tracks: Sequence[FloatArray],
    alerts: Sequence[tuple[float, float]],
    sensors: Sequence[PlacedSensor] | None,
    title: str | None,
) -> None:
    border = wall.border
    line = np.asarray(border.line_m.coords) / 1000.0
    ax.plot(line[:, 0], line[:, 1], color="black", linewidth=1.0, zorder=2, label="border")
    _protected_marks(ax, wall)
    profile = worst_profile(coverage) if isinstance(coverage, CoverageResult) else coverage
    if profile is not None:
        _coverage(ax, wall, profile)
    _sensors(ax, wall.sensors if sensors is None else sensors)
    for index, track in enumerate(tracks):
        xy = np.asarray(track, dtype=float) / 1000.0
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            color="#0a7d3b",
            linewidth=0.9,
            zorder=5,
            label="tracks" if index == 0 else None,
        )
    if len(alerts):
        points = np.asarray(alerts, dtype=float) / 1000.0
        ax.scatter(
            points[:, 0],
            points[:, 1],
            marker="*",
            s=90,
            color="#e0001b",
            edgecolor="black",
            linewidth=0.4,
            zorder=6,
            label="alerts",
        )
    ax.set_aspect("equal")
    ax.set_xlabel(f"km east ({border.projection.crs.split(' +units')[0]})")
    ax.set_ylabel("km north")
    ax.set_title(title or f"{wall.name}: {border.length_m / 1000:.0f} km on the map")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, framealpha=0.9)
    ax.grid(True, linewidth=0.3, alpha=0.5)


def _protected_marks(ax: Axes, wall: Wall) -> None:
    border = wall.border
    along = np.linspace(0.0, border.length_m, 9)[1:-1]
    base = border.points_at(along) / 1000.0
    tip = border.points_at(along, border.length_m * 0.03) / 1000.0
    for (x0, y0), (x1, y1) in zip(base, tip, strict=True):
        ax.annotate(
            "",
            (x1, y1),
            (x0, y0),
            arrowprops={"arrowstyle": "->", "color": "#666666", "linewidth": 0.8},
        )
    ax.plot([], [], color="#666666", linewidth=0.8, label="→ protected side")


def _coverage(ax: Axes, wall: Wall, profile: CoverageProfile) -> None:
    border = wall.border
    along = profile.along_m
    half = (along[1] - along[0]) / 2 if len(along) > 1 else border.length_m / 2
    starts = border.points_at(along - half) / 1000.0
    ends = border.points_at(along + half) / 1000.0
    segments = np.stack([starts, ends], axis=1)
    ok = profile.counts >= 1 if not profile.gaps else _covered_mask(profile)
    colours = np.where(ok[:, None], [[0.1, 0.6, 0.2, 0.9]], [[0.85, 0.1, 0.1, 1.0]])
    ax.add_collection(LineCollection(list(segments), colors=colours, linewidths=3.0, zorder=3))
    ax.plot(
        [],
        [],
        color=(0.1, 0.6, 0.2),
        linewidth=3,
        label=f"covered {profile.share:.1%} ({profile.threat_id} @ {profile.altitude_m:g} m)",
    )
    if profile.gaps:
        ax.plot(
            [],
            [],
            color=(0.85, 0.1, 0.1),
            linewidth=3,
            label=f"{len(profile.gaps)} gaps, {profile.gap_length_m / 1000:.1f} km",
        )


def _covered_mask(profile: CoverageProfile) -> Any:
    mask = np.ones(len(profile.along_m), dtype=bool)
    for gap in profile.gaps:
        mask &= ~((profile.along_m > gap.start_m) & (profile.along_m < gap.end_m))
    return mask


def _sensors(ax: Axes, sensors: Sequence[PlacedSensor]) -> None:
    by_kind: dict[str, list[PlacedSensor]] = {}
    for sensor in sensors:
        by_kind.setdefault(sensor.type.kind.value, []).append(sensor)
    for kind, group in by_kind.items():
        marker, colour, size = _STYLE.get(kind, ("o", "#333333", 16))
        xy = np.array([[s.x_m, s.y_m] for s in group]) / 1000.0
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            marker=marker,
            s=size,
            color=colour,
            zorder=4,
            label=f"{kind} ×{len(group)}",
            linewidths=0,
        )
