"""KML export of mission plans (Google Earth, QGroundControl's KML import, GIS tools).

One ``Document`` with a ``Folder`` per plan: the flown path as a 3-D ``LineString``
(``relativeToGround``: home at 0 m, every position at its mission height above home — the
height above the ground on a flat field), or, for a display of several sortie paths, each
path flat (``clampToGround``); the field and holes as ``Polygon``s,
zones, and ``Placemark`` points for home, bases and drops. Coordinates are lon,lat[,alt]
with 8 decimals.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from shapely.geometry import LineString, Polygon

from droneworks.core.report import write_atomic
from droneworks.missions.export.mission import MissionPlan

__all__ = ["KML_NS", "plans_to_kml", "write_kml"]

KML_NS = "http://www.opengis.net/kml/2.2"
_COLOURS = ["ff0000ff", "ff00a5ff", "ff00ff00", "ffff0000", "ffff00ff", "ff00ffff",
            "ff800080", "ff008080", "ff808000", "ff000080"]  # fmt: skip


def _coords(points: Iterable[tuple[float, ...]]) -> str:
    parts = []
    for point in points:
        lon, lat = point[0], point[1]
        alt = point[2] if len(point) > 2 and math.isfinite(point[2]) else None
        text = f"{lon:.8f},{lat:.8f}"
        parts.append(text if alt is None else f"{text},{alt:.2f}")
    return " ".join(parts)


def _placemark(parent: ET.Element, name: str, style: str | None = None) -> ET.Element:
    mark = ET.SubElement(parent, "Placemark")
    ET.SubElement(mark, "name").text = name
    if style:
        ET.SubElement(mark, "styleUrl").text = f"#{style}"
    return mark


def _line(parent: ET.Element, name: str, coords: Sequence[tuple[float, ...]], style: str) -> None:
    geometry = ET.SubElement(_placemark(parent, name, style), "LineString")
    ET.SubElement(geometry, "altitudeMode").text = (
        "relativeToGround" if coords and len(coords[0]) > 2 else "clampToGround"
    )
    ET.SubElement(geometry, "coordinates").text = _coords(coords)


def _polygon(parent: ET.Element, name: str, polygon: Polygon, style: str) -> None:
    geometry = ET.SubElement(_placemark(parent, name, style), "Polygon")
    outer = ET.SubElement(ET.SubElement(geometry, "outerBoundaryIs"), "LinearRing")
    ET.SubElement(outer, "coordinates").text = _coords(polygon.exterior.coords)
    for ring in polygon.interiors:
        inner = ET.SubElement(ET.SubElement(geometry, "innerBoundaryIs"), "LinearRing")
        ET.SubElement(inner, "coordinates").text = _coords(ring.coords)


def _point(parent: ET.Element, name: str, lon: float, lat: float) -> None:
    geometry = ET.SubElement(_placemark(parent, name), "Point")
    ET.SubElement(geometry, "coordinates").text = _coords([(lon, lat)])


def _styles(document: ET.Element) -> None:
    for index, colour in enumerate(_COLOURS):
        style = ET.SubElement(document, "Style", id=f"path{index}")
        line = ET.SubElement(style, "LineStyle")
        ET.SubElement(line, "color").text = colour
        ET.SubElement(line, "width").text = "3"
    polygons = (("field", "4000ff00"), ("hole", "80808080"), ("zone", "6000a5ff"),
                ("nofly", "600000ff"))  # fmt: skip
    for name, fill in polygons:
        style = ET.SubElement(document, "Style", id=name)
        ET.SubElement(ET.SubElement(style, "PolyStyle"), "color").text = fill


def _plan_folder(document: ET.Element, plan: MissionPlan) -> None:
    folder = ET.SubElement(document, "Folder")
    ET.SubElement(folder, "name").text = plan.name
    _point(folder, f"{plan.name} home", plan.home_lon, plan.home_lat)
    display = plan.display
    coords = [(plan.home_lon, plan.home_lat, 0.0)] + [
        (item.lon, item.lat, item.display_alt_m)
        for item in plan.items
        if item.has_position and math.isfinite(item.lat)
    ]
    own_path = len(coords) >= 2 and (display is None or len(display.sortie_paths) <= 1)
    if own_path:  # the flown path in 3-D, heights relative to the ground at home
        label = display.label(0) if display and display.sortie_paths else f"{plan.name} path"
        _line(folder, label, coords, "path0")
    if display is None:
        return
    for index, path in enumerate(display.sortie_paths if not own_path else ()):
        line: LineString = path
        _line(folder, display.label(index), list(line.coords), f"path{index % len(_COLOURS)}")
    if display.field is not None:
        _polygon(folder, "field", display.field, "field")
    for index, hole in enumerate(display.holes):
        _polygon(folder, f"hole {index + 1}", hole, "hole")
    for zone in display.zones:
        label = (
            f"{zone.name} {zone.value:g} {zone.unit}" if math.isfinite(zone.value) else zone.name
        )
        _polygon(folder, label.strip(), zone.polygon, "nofly" if zone.kind == "no-fly" else "zone")
    for point in display.points:
        _point(folder, f"{point.kind}: {point.name}", point.lon, point.lat)


def plans_to_kml(plans: Sequence[MissionPlan], title: str = "droneworks missions") -> str:
    """KML text with one folder per plan."""
    root = ET.Element("kml", xmlns=KML_NS)
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = title
    _styles(document)
    for plan in plans:
        _plan_folder(document, plan)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def write_kml(
    plans: MissionPlan | Sequence[MissionPlan], path: str | Path, title: str | None = None
) -> Path:
    """Write one or several plans as a KML file."""
    many = [plans] if isinstance(plans, MissionPlan) else list(plans)
    target = Path(path)
    write_atomic(target, plans_to_kml(many, title or target.stem) + "\n")
    return target
