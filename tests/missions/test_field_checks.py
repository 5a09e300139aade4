"""Lat/lon swapped where both readings are valid coordinates (Europe) is named."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.missions.field import field_from_lonlat, load_field, parse_field_geojson
from droneworks.missions.field_checks import right_corners
from tests.missions.field_makers import far_field, field_150ha, offset, strip_field

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"


def _rotated_rectangle(origin: tuple[float, float], turn_deg: float) -> list[tuple[float, float]]:
    """A 400 m × 250 m field turned ``turn_deg`` at ``origin`` (lon, lat), as lon, lat."""
    turn = math.radians(turn_deg)
    corners = [(0, 0), (400, 0), (400, 250), (0, 250)]
    return [
        offset(e * math.cos(turn) - n * math.sin(turn), e * math.sin(turn) + n * math.cos(turn),
               origin)
        for e, n in corners
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("place", "origin"), [("Germany", (10.0, 51.0)), ("Belarus", (27.6, 53.9))]
)
@pytest.mark.parametrize("turn_deg", [12.0, 37.0])
def test_a_swapped_field_is_named(place: str, origin: tuple[float, float], turn_deg: float) -> None:
    ring = _rotated_rectangle(origin, turn_deg)
    assert field_from_lonlat(place, ring).area_m2 == pytest.approx(1e5, rel=1e-2)
    swapped = [(lat, lon) for lon, lat in ring]
    with pytest.raises(ConfigError, match=r"look like lat, lon \(swapped\).*has 4"):
        field_from_lonlat(place, swapped, source=f"{place}.geojson")


def test_a_swapped_example_file_is_named(tmp_path: Path) -> None:
    data = json.loads((FIELDS / "concave_pond.geojson").read_text())
    field_feature = next(f for f in data["features"] if f["geometry"]["type"] == "Polygon")
    rings = field_feature["geometry"]["coordinates"]
    field_feature["geometry"]["coordinates"] = [[[lat, lon] for lon, lat in r] for r in rings]
    data["features"] = [field_feature]
    with pytest.raises(ConfigError, match="look like lat, lon"):
        parse_field_geojson(data, "pond-swapped.geojson")


def test_no_shipped_or_generated_field_is_taken_for_swapped() -> None:
    for path in [*FIELDS.glob("*.geojson"), *FIELDS.glob("*.kml")]:
        load_field(path)
    for make in (field_150ha, far_field, strip_field):
        make()


def test_right_corners_counts_ground_angles() -> None:
    assert right_corners(_rotated_rectangle((10.0, 51.0), 30.0)) == 4
    skewed = [offset(0, 0), offset(400, 0), offset(450, 250), offset(50, 250)]
    assert right_corners(skewed) == 0
    thin = [offset(0, 0), offset(400, 0), offset(400, 5), offset(0, 5)]
    assert right_corners(thin) == 0  # edges shorter than 20 m do not count
