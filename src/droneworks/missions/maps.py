"""Offline map pictures of mission plans (PNG or SVG; matplotlib ``Figure`` without pyplot).

A map shows the field and its holes, zones filled by value, the flight path of each sortie
in its own colour, labelled points (bases, drops), a legend and a scale bar in metres. It is
drawn in the local metric projection of the plan, so distances on the picture are true.
No tiles, no network: the picture is made from the plan's own geometry.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from shapely.geometry import LineString, MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from droneworks.core.geo import LocalProjection
from droneworks.core.report import write_atomic
from droneworks.missions.export.mission import MissionDisplay, MissionPlan

__all__ = ["display_of", "draw_map", "map_bytes"]

_POINT_STYLE = {
    "base": ("s", "black", 60),
    "depot": ("s", "black", 60),
    "drop": ("o", "tab:red", 18),
    "infeasible": ("x", "crimson", 40),
    "obstacle": ("^", "dimgray", 40),
}


def display_of(plan: MissionPlan) -> MissionDisplay:
    """The plan's display geometry, or one made from its flight path and home."""
    from droneworks.missions.export.mission import DisplayPoint

    if plan.display is not None:
        return plan.display
    path = plan.flight_path()
    return MissionDisplay(
        sortie_paths=(path,) if path is not None else (),
        sortie_labels=(plan.name,),
        points=(DisplayPoint("home", plan.home_lon, plan.home_lat, "base"),),
    )


def _all_geometry(display: MissionDisplay) -> list[BaseGeometry]:
    shapes: list[BaseGeometry] = []
    if display.field is not None:
        shapes.append(display.field)
    shapes.extend(display.holes)
    shapes.extend(display.sortie_paths)
    shapes.extend(zone.polygon for zone in display.zones)
    if display.points:
        shapes.append(MultiPoint([(point.lon, point.lat) for point in display.points]))
    return [shape for shape in shapes if not shape.is_empty]


def _draw_polygon(axes: Axes, polygon: Polygon, **style: Any) -> None:
    """Fill a polygon or multipolygon with its holes left open."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as DrawPath
    from shapely.geometry.polygon import orient

    for index, part in enumerate(getattr(polygon, "geoms", [polygon])):
        part = orient(part, 1.0)  # exterior anticlockwise, holes clockwise: nonzero rule
        rings = [part.exterior, *part.interiors]
        path = DrawPath.make_compound_path(
            *(DrawPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings)
        )
        axes.add_patch(PathPatch(path, **(style if index == 0 else {**style, "label": None})))


def _draw_areas(axes: Axes, display: MissionDisplay, projection: LocalProjection) -> None:
    if display.field is not None:
        field = projection.geometry_to_local(display.field)
        _draw_polygon(axes, field, facecolor="#e8f5e0", edgecolor="darkgreen", lw=1.5,
                      label="field")  # fmt: skip
    valued = [zone for zone in display.zones if zone.kind != "no-fly"]
    values = [zone.value for zone in valued if math.isfinite(zone.value)]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    cmap = colormaps["YlOrBr"]
    for zone in valued:
        shape = projection.geometry_to_local(zone.polygon)
        share = (
            0.5
            if not math.isfinite(zone.value) or high == low
            else ((zone.value - low) / (high - low))
        )
        unit = f" {zone.unit}" if zone.unit else ""
        label = f"{zone.name}: {zone.value:g}{unit}" if math.isfinite(zone.value) else zone.name
        _draw_polygon(axes, shape, facecolor=cmap(0.2 + 0.6 * share), alpha=0.55,
                      edgecolor="none", label=label)  # fmt: skip
    for index, hole in enumerate(display.holes):
        shape = projection.geometry_to_local(hole)
        _draw_polygon(axes, shape, facecolor="#bbbbbb", edgecolor="black", lw=1, hatch="//",
                      label="hole / obstacle" if index == 0 else None)  # fmt: skip
    _draw_no_fly(axes, [zone for zone in display.zones if zone.kind == "no-fly"], projection)


def _draw_no_fly(axes: Axes, zones: Sequence[Any], projection: LocalProjection) -> None:
    """Keep-out zones: red cross-hatched with a red edge, one legend entry, each named on
    the map (not in the value colours of prescription zones)."""
    for index, zone in enumerate(zones):
        shape = projection.geometry_to_local(zone.polygon)
        _draw_polygon(axes, shape, facecolor=(0.85, 0.1, 0.1, 0.15), edgecolor="#c00000",
                      lw=1.5, hatch="xx", label="no-fly zone" if index == 0 else None)  # fmt: skip
        centre = shape.representative_point()
        name = zone.name.removeprefix("no-fly: ")
        axes.annotate(name, (centre.x, centre.y), fontsize=7, color="#900000", ha="center",
                      va="center", fontweight="bold",
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                            "alpha": 0.8})  # fmt: skip


def _draw_paths(axes: Axes, display: MissionDisplay, projection: LocalProjection) -> None:
    """One colour per distinct label: per sortie, or per drone when sorties share a label."""
    labels = [display.label(i) for i in range(len(display.sortie_paths))]
    distinct = list(dict.fromkeys(labels))
    cmap = colormaps["tab10" if len(distinct) <= 10 else "tab20"]
    shown: set[str] = set()
    for path, label in zip(display.sortie_paths, labels, strict=True):
        local: LineString = projection.geometry_to_local(path)
        x, y = local.xy
        colour = cmap(distinct.index(label) % cmap.N)
        legend = label if len(distinct) <= 20 and label not in shown else None
        shown.add(label)
        axes.plot(x, y, color=colour, lw=1.2, label=legend)


def _draw_points(axes: Axes, display: MissionDisplay, projection: LocalProjection) -> None:
    seen: set[str] = set()
    for point in display.points:
        x, y = projection.to_local(point.lon, point.lat)
        marker, colour, size = _POINT_STYLE.get(point.kind, ("o", "tab:blue", 20))
        label = point.kind if point.kind not in seen else None
        seen.add(point.kind)
        axes.scatter([float(x)], [float(y)], marker=marker, c=colour, s=size, zorder=5,
                     label=label)  # fmt: skip
        if point.kind in ("base", "depot") or len(display.points) <= 15:
            axes.annotate(point.name, (float(x), float(y)), fontsize=7,
                          xytext=(3, 3), textcoords="offset points")  # fmt: skip


def _nice_length_m(span_m: float) -> float:
    target = max(span_m / 5.0, 1.0)
    magnitude = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * magnitude <= target:
            return float(step * magnitude)
    return float(magnitude)


def _draw_scale(axes: Axes) -> None:
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    length = _nice_length_m(x1 - x0)
    left, base = x1 - 0.05 * (x1 - x0) - length, y0 + 0.04 * (y1 - y0)
    axes.plot([left, left + length], [base, base], color="black", lw=3)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    axes.text(left + length / 2, base + 0.015 * (y1 - y0), text, ha="center", fontsize=8)


def _figure(display: MissionDisplay, title: str) -> Figure:
    shapes = _all_geometry(display)
    if not shapes:
        raise ValueError("nothing to draw: the plan has no geometry")
    from shapely.ops import unary_union

    projection = LocalProjection.for_geometry(unary_union(shapes).envelope.buffer(1e-6))
    figure = Figure(figsize=(8, 7), dpi=110)
    axes = figure.add_subplot()
    _draw_areas(axes, display, projection)
    _draw_paths(axes, display, projection)
    _draw_points(axes, display, projection)
    axes.set_aspect("equal")
    axes.margins(0.05)
    axes.set_xticks([])
    axes.set_yticks([])
    _draw_scale(axes)
    axes.set_title(title, fontsize=10)
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        unique = dict(zip(labels, handles, strict=True))  # one entry per zone, not per piece
        axes.legend(unique.values(), unique.keys(), loc="upper left",
                    bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)  # fmt: skip
    figure.tight_layout()
    return figure


def map_bytes(display: MissionDisplay, title: str = "", fmt: str = "png") -> bytes:
    """The map as PNG or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"map format must be png or svg, not {fmt!r}")
    figure = _figure(display, title)
    buffer = io.BytesIO()
    # A bare Figure renders with Agg (no pyplot state); "tight" keeps the outside legend.
    figure.savefig(buffer, format=fmt, bbox_inches="tight")
    return buffer.getvalue()


def draw_map(
    what: MissionPlan | MissionDisplay | Sequence[MissionPlan],
    path: str | Path,
    title: str | None = None,
) -> Path:
    """Draw a plan (or several plans, or bare display geometry) to ``path`` (.png / .svg)."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if isinstance(what, MissionDisplay):
        display, name = what, ""
    elif isinstance(what, MissionPlan):
        display, name = display_of(what), what.name
    else:
        display, name = _merge([display_of(plan) for plan in what]), "plans"
    write_atomic(target, map_bytes(display, title if title is not None else name, fmt))
    return target


def _merge(displays: Sequence[MissionDisplay]) -> MissionDisplay:
    first_field = next((d.field for d in displays if d.field is not None), None)
    labels = [d.label(i) for d in displays for i in range(len(d.sortie_paths))]
    return MissionDisplay(
        field=first_field,
        holes=tuple(hole for d in displays for hole in d.holes),
        sortie_paths=tuple(path for d in displays for path in d.sortie_paths),
        sortie_labels=tuple(labels),
        zones=tuple(zone for d in displays for zone in d.zones),
        points=tuple({(p.name, p.kind): p for d in displays for p in d.points}.values()),
    )
