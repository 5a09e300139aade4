"""Write the synthetic example fields near Minsk (run: python examples/fields/make_fields.py).

These fields are SYNTHETIC: realistic shapes and sizes for Belarusian arable land (a few ha
to 100 ha, ponds, a power pylon, tree islands), drawn in metres around made-up points
15–30 km from Minsk and converted to WGS84. They are not surveyed parcels. The multispectral
GeoTIFF is synthetic too (a smooth vigour pattern plus a weak patch, seeded noise).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from droneworks.core.geo import LocalProjection

HERE = Path(__file__).parent
PROJECTION = LocalProjection.from_crs("EPSG:32635")  # UTM 35N covers Minsk (27.56° E)


def _origin(lon: float, lat: float) -> tuple[float, float]:
    x, y = PROJECTION.to_local(lon, lat)
    return float(x), float(y)


def _ring(points_m: list[tuple[float, float]], origin: tuple[float, float]) -> list[list[float]]:
    xs = np.array([p[0] for p in points_m]) + origin[0]
    ys = np.array([p[1] for p in points_m]) + origin[1]
    lon, lat = PROJECTION.to_wgs84(xs, ys)
    ring = [[round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat, strict=True)]
    return [*ring, ring[0]] if ring[0] != ring[-1] else ring


def _circle(
    cx: float, cy: float, rx: float, ry: float, count: int = 24
) -> list[tuple[float, float]]:
    return [
        (cx + rx * math.cos(2 * math.pi * i / count), cy + ry * math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]


def _feature(kind: str, geometry: dict[str, object], **props: object) -> dict[str, object]:
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geometry}


def _write(name: str, features: list[dict[str, object]]) -> None:
    data = {"type": "FeatureCollection", "features": features}
    (HERE / f"{name}.geojson").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _polygon(outer: list[list[float]], *holes: list[list[float]]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [outer, *holes]}


def _point(origin: tuple[float, float], x: float, y: float) -> dict[str, object]:
    return {"type": "Point", "coordinates": _ring([(x, y)], origin)[0]}


def main() -> None:
    o = _origin(27.40, 53.97)  # convex field, ~7.6 ha
    _write(
        "convex",
        [
            _feature(
                "field",
                _polygon(_ring([(0, 0), (340, 20), (320, 250), (10, 230)], o)),
                name="convex (synthetic)",
            ),
            _feature("base", _point(o, -15, -10)),
        ],
    )
    o = _origin(27.75, 53.83)  # concave (L-shaped) field, pond and a pylon, ~11 ha
    l_shape = [(0, 0), (420, 0), (420, 160), (200, 160), (180, 380), (0, 380)]
    pond = _circle(100, 90, 35, 25)
    _write(
        "concave_pond",
        [
            _feature(
                "field",
                _polygon(_ring(l_shape, o), _ring(pond, o)),
                name="concave with pond (synthetic)",
            ),
            _feature("obstacle", _point(o, 330, 80), name="power pylon", radius="6 m"),
            _feature("base", _point(o, -12, -12)),
        ],
    )
    o = _origin(27.30, 53.95)  # ~20 ha field with a pond
    outer = [(0, 0), (480, -30), (520, 300), (460, 430), (30, 450), (-20, 220)]
    pond = _circle(240, 210, 45, 30, 20)
    _write(
        "field_20ha",
        [
            _feature(
                "field",
                _polygon(_ring(outer, o), _ring(pond, o)),
                name="20 ha with pond (synthetic)",
            ),
            _feature("base", _point(o, -10, -10)),
        ],
    )
    o = _origin(27.85, 54.05)  # ~100 ha field with a tree island and a bay
    outer = [
        (0, 0),
        (1150, 0),
        (1200, 500),
        (1100, 900),
        (600, 880),
        (550, 650),
        (420, 640),
        (380, 900),
        (0, 850),
    ]
    island = _circle(800, 350, 60, 40, 16)
    _write(
        "field_100ha",
        [
            _feature(
                "field", _polygon(_ring(outer, o), _ring(island, o)), name="100 ha (synthetic)"
            ),
            _feature("base", _point(o, -10, -10)),
        ],
    )
    _write_kml()
    _write_multispectral()
    # the demo (droneworks demo) ships the 20 ha field inside the package
    package_data = HERE.parents[1] / "src" / "droneworks" / "missions" / "data"
    package_data.mkdir(exist_ok=True)
    (package_data / "demo_field_20ha.geojson").write_bytes(
        (HERE / "field_20ha.geojson").read_bytes()
    )


def _write_kml() -> None:
    o = _origin(27.62, 53.78)
    outer = _ring([(0, 0), (260, 0), (260, 200), (130, 120), (0, 200)], o)  # V-shaped, ~4 ha
    coords = " ".join(f"{lon},{lat},0" for lon, lat in outer)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<!-- synthetic field near Minsk -->
<Placemark><name>V-shaped field (synthetic)</name>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon>
</Placemark></Document></kml>
"""
    (HERE / "v_field.kml").write_text(text, encoding="utf-8")


def _write_multispectral() -> None:
    """Red + NIR bands (uint16 reflectance × 10000) over the 20 ha field, 5 m pixels."""
    import rasterio
    from rasterio.transform import from_origin

    o = _origin(27.30, 53.95)
    pixel_m, width, height = 5.0, 116, 100
    left, top = o[0] - 40, o[1] + 460
    rng = np.random.default_rng(20260601)
    cols, rows = np.meshgrid(np.arange(width), np.arange(height))
    vigour = 0.55 + 0.2 * np.sin(cols / 18.0) * np.cos(rows / 23.0)
    vigour -= 0.3 * np.exp(-(((cols - 85) / 12.0) ** 2 + ((rows - 30) / 9.0) ** 2))  # weak patch
    vigour += rng.normal(0, 0.02, vigour.shape)
    ndvi = np.clip(vigour, 0.05, 0.9)
    red = np.full(ndvi.shape, 0.08)
    nir = red * (1 + ndvi) / (1 - ndvi)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 2,
        "dtype": "uint16",
        "crs": "EPSG:32635",
        "transform": from_origin(left, top, pixel_m, pixel_m),
        "compress": "deflate",
    }
    with rasterio.open(HERE / "field_20ha_multispectral.tif", "w", **profile) as dst:
        dst.write((red * 10000).astype(np.uint16), 1)
        dst.write((np.clip(nir, 0, 1) * 10000).astype(np.uint16), 2)
        dst.set_band_description(1, "red 650 nm")
        dst.set_band_description(2, "nir 860 nm")


if __name__ == "__main__":
    main()
