"""A KML field as a plain tree the mutators can change, and its KML text."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from tests.fuzz.mutations import Deep

_RING = [[27.62, 53.78, 0], [27.6239455, 53.7799795, 0], [27.6239721, 53.7817771, 0],
         [27.6219887, 53.7810683, 0], [27.6200265, 53.7817975, 0], [27.62, 53.78, 0]]  # fmt: skip
_HOLE = [[27.6225, 53.7803], [27.6228, 53.7803], [27.6228, 53.7806], [27.6225, 53.7803]]

KML_SEED: dict[str, Any] = {
    "placemarks": [
        {"name": "V-shaped field", "polygon": [_RING, _HOLE]},
        {"name": "base", "point": [27.6201, 53.7801]},
        {"name": "pylon", "data": {"kind": "obstacle", "radius": "6 m"},
         "point": [27.6230, 53.7800]},
    ]
}  # fmt: skip


def _coordinates(points: Any) -> str:
    if not isinstance(points, list):
        return escape(str(points))
    parts = (",".join(map(str, p)) if isinstance(p, list) else str(p) for p in points)
    return escape(" ".join(parts))


def _placemark(mark: Any) -> str:
    if isinstance(mark, Deep):
        return "<Folder>" * mark.depth + _placemark(mark.inner) + "</Folder>" * mark.depth
    if not isinstance(mark, dict):
        return f"<Placemark>{escape(str(mark))}</Placemark>"
    body = f"<name>{escape(str(mark.get('name', '')))}</name>"
    data = mark.get("data")
    if isinstance(data, dict):
        fields = "".join(
            f'<Data name="{escape(str(k))}"><value>{escape(str(v))}</value></Data>'
            for k, v in data.items()
        )
        body += f"<ExtendedData>{fields}</ExtendedData>"
    rings = mark.get("polygon")
    if isinstance(rings, list) and rings:
        ring = "<{0}><LinearRing><coordinates>{1}</coordinates></LinearRing></{0}>"
        body += "<Polygon>" + ring.format("outerBoundaryIs", _coordinates(rings[0]))
        body += "".join(ring.format("innerBoundaryIs", _coordinates(r)) for r in rings[1:])
        body += "</Polygon>"
    if "point" in mark:
        body += f"<Point><coordinates>{_coordinates([mark['point']])}</coordinates></Point>"
    return f"<Placemark>{body}</Placemark>"


def to_kml(doc: Any) -> str:
    marks = doc.get("placemarks", []) if isinstance(doc, dict) else []
    body = "".join(_placemark(mark) for mark in (marks if isinstance(marks, list) else [marks]))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>\n'
    )
