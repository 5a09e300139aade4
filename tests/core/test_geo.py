from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, Polygon

from droneworks.core.geo import LocalProjection


def test_utm_zone_chosen_for_a_field_near_minsk() -> None:
    projection = LocalProjection.for_lonlat(27.56, 53.9)
    assert projection.crs == "EPSG:32635"


def test_wide_area_uses_centred_transverse_mercator() -> None:
    border = LineString([(14.0, 50.0), (32.0, 56.0)])
    assert "+proj=tmerc" in LocalProjection.for_geometry(border).crs


def test_polygon_area_in_square_metres() -> None:
    # A 0.01° × 0.01° cell at 54° N is about 1,113 m × 654 m.
    cell = Polygon([(27.0, 54.0), (27.01, 54.0), (27.01, 54.01), (27.0, 54.01)])
    projection = LocalProjection.for_geometry(cell)
    area = projection.geometry_to_local(cell).area
    assert area == pytest.approx(1113.2 * 655.0, rel=0.01)


@given(
    st.floats(min_value=23.0, max_value=29.0),
    st.floats(min_value=50.0, max_value=57.0),
)
def test_round_trip(lon: float, lat: float) -> None:
    projection = LocalProjection.for_lonlat(26.0, 54.0)
    x, y = projection.to_local(lon, lat)
    back_lon, back_lat = projection.to_wgs84(x, y)
    assert np.allclose([back_lon, back_lat], [lon, lat], atol=1e-9)


def test_rejects_non_wgs84() -> None:
    with pytest.raises(ValueError, match="longitude"):
        LocalProjection.for_lonlat(500.0, 54.0)
