"""KML field files → the equivalent GeoJSON FeatureCollection (read by :mod:`.field`).

Placemarks with a Polygon (outer and inner boundaries; a MultiGeometry of Polygons is a
field in several parts) or a Point; the kind is read from
``<ExtendedData><Data name="kind">`` or else the Placemark's name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from droneworks.core.errors import ConfigError
from droneworks.core.loader import parse_xml_text

__all__ = ["parse_field_kml"]

_KML = "{http://www.opengis.net/kml/2.2}"


def _kml_ring(element: ET.Element | None, where: str) -> list[tuple[float, float]]:
    text = element.findtext(f".//{_KML}coordinates") if element is not None else None
    if not text:
        raise ConfigError(f"{where}: a boundary without coordinates")
    try:
        return [(float(p.split(",")[0]), float(p.split(",")[1])) for p in text.split()]
    except (ValueError, IndexError):
        raise ConfigError(f"{where}: coordinates are not lon,lat[,alt] triples") from None


def parse_field_kml(text: str, source: str, name: str = "field") -> dict[str, Any]:
    """KML text → the equivalent GeoJSON FeatureCollection (then :func:`parse_field_geojson`)."""
    root = parse_xml_text(text, source, "KML/XML")
    features: list[dict[str, Any]] = []
    for index, placemark in enumerate(root.iter(f"{_KML}Placemark")):
        where = f"{source}: Placemark[{index}]"
        label = (placemark.findtext(f"{_KML}name") or "").strip()
        props: dict[str, Any] = {"name": label or name}
        for data in placemark.iter(f"{_KML}Data"):
            props[data.get("name", "")] = (data.findtext(f"{_KML}value") or "").strip()
        polygons = [
            [
                _kml_ring(polygon.find(f"{_KML}outerBoundaryIs"), where),
                *(_kml_ring(b, where) for b in polygon.findall(f"{_KML}innerBoundaryIs")),
            ]
            for polygon in placemark.findall(f".//{_KML}Polygon")
        ]
        point = placemark.find(f".//{_KML}Point")
        if len(polygons) == 1:
            geometry: dict[str, Any] = {"type": "Polygon", "coordinates": polygons[0]}
        elif polygons:
            geometry = {"type": "MultiPolygon", "coordinates": polygons}
        elif point is not None:
            geometry = {"type": "Point", "coordinates": _kml_ring(point, where)[0]}
        else:
            raise ConfigError(f"{where}: neither a Polygon nor a Point")
        if "kind" not in props:
            lowered = label.lower()
            props["kind"] = next((k for k in ("base", "obstacle") if k in lowered), None)
            if props["kind"] is None:
                del props["kind"]
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    if not features:
        raise ConfigError(f"{source}: no Placemark found")
    return {"type": "FeatureCollection", "features": features}
