"""Wall files: the shipped example loads; bad files give key-path messages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.errors import ConfigError
from droneworks.watch.sensors import SensorKind, TargetClass
from droneworks.watch.wall import load_wall

EXAMPLE = Path(__file__).parents[2] / "examples/walls/belarus-poland.toml"

MINIMAL = """
name = "tiny"
[border]
segments = ["belarus-poland"]
[[sensors]]
type = "radar"
every = "9 km"
offset = "500 m"
[[threats]]
id = "mr"
drone = "small-multirotor"
"""


def write(tmp_path: Path, text: str, name: str = "wall.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_loads_with_rules_resolved() -> None:
    wall = load_wall(EXAMPLE)
    kinds = {s.type.kind for s in wall.sensors}
    assert kinds == {SensorKind.RADAR, SensorKind.RF, SensorKind.ACOUSTIC}
    radars = [s for s in wall.sensors if s.type.name == "radar"]
    assert len(radars) == int((wall.border.length_m - 4500) // 9000) + 1
    _, offset = wall.border.locate(np.array([s.xy for s in radars[1:-1]]))
    # 500 m behind the line on the protected side (less where the line bends back on itself)
    assert np.all((offset > 0) & (offset < 505)) and np.median(offset) == pytest.approx(500, abs=1)
    assert wall.sensor_types["radar"].mast_height_m == 25.0
    assert wall.horizon_s == 7200.0 and wall.seed == 7 and wall.runs == 20
    assert wall.threats[1].emits_rf is False
    assert wall.threats[2].target_class is TargetClass.FIXED_WING
    assert wall.cost_eur == pytest.approx(sum(s.type.cost_eur for s in wall.sensors))


def test_minimal_wall_defaults(tmp_path: Path) -> None:
    wall = load_wall(write(tmp_path, MINIMAL))
    assert wall.threats[0].speed_mps == 15.0 and wall.threats[0].rcs_dbsm == -15.0
    assert wall.environment.canopy_height_m == 0.0 and wall.alert_lookahead_s == 60.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('every = "9 km"', 'every = "9"'), 'sensors[0].every: "9" is not a length'),
        (
            ('every = "9 km"', 'every = "9 km"\nlonlat = [23.5, 52.0]'),
            "sensors[0]: give exactly one",
        ),
        (('type = "radar"', 'type = "laser"'), 'sensors[0].type: unknown sensor type "laser"'),
        (('drone = "small-multirotor"', 'drone = "jet"'), 'threats[0].drone: unknown drone "jet"'),
        (('segments = ["belarus-poland"]', 'segments = ["mars"]'), 'border: unknown border "mars"'),
        (('name = "tiny"', 'name = "tiny"\ncolour = "red"'), "colour: unknown key"),
        (('name = "tiny"', 'name = "tiny"\nhorizon = "2 kg"'), "horizon:"),
        (
            ('id = "mr"', 'id = "mr"\naltitude = "-5 m"'),
            "threats[0]: altitude -5 m is outside (0, 20000] m",
        ),
        (
            ('id = "mr"', 'id = "mr"\ncrossings = ["999 km"]'),
            "threats[0].crossings[0]: 999 km is off",
        ),
        (('every = "9 km"', "lonlat = [23.5, 52.0]"), 'sensors[0]: "offset" does not apply'),
        (
            ('segments = ["belarus-poland"]', 'segments = ["belarus-poland"]\nedges = "great"'),
            "border.edges: Input should be 'geodesic' or 'lonlat'",
        ),
        (
            ("[[threats]]", '[placement]\nmetric = "fussed"\n[[threats]]'),
            "placement.metric: Input should be 'k' or 'fused'",
        ),
    ],
)
def test_bad_files_name_the_key_path(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, MINIMAL.replace(*change, 1))
    with pytest.raises(ConfigError) as error:
        load_wall(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_border_edges_choose_the_geodesic_or_the_lonlat_line(tmp_path: Path) -> None:
    text = MINIMAL.replace('"belarus-poland"', '"kaliningrad-poland"')
    geodesic = load_wall(write(tmp_path, text)).border
    lonlat = load_wall(
        write(tmp_path, text.replace("[[sensors]]", 'edges = "lonlat"\n[[sensors]]'))
    ).border
    middle = geodesic.length_m / 2
    apart = np.hypot(*(geodesic.points_at(middle) - lonlat.points_at(middle))[0])
    assert 1_000 < apart < 1_100  # the two readings of the 196 km segment (docs/watch.md)


def test_sensor_type_overrides_and_new_types(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + """
[sensor_types.radar]
reference_range = "8 km"
[sensor_types.long-rf]
kind = "rf"
ranges = { multirotor = "9 km" }
[sensor_types.radar2]
ranges = { multirotor = "9 km" }
"""
    )
    with pytest.raises(ConfigError, match=r"sensor_types\.radar2\.kind: required"):
        load_wall(write(tmp_path, text))
    wall = load_wall(
        write(
            tmp_path, text.replace('[sensor_types.radar2]\nranges = { multirotor = "9 km" }\n', "")
        )
    )
    assert wall.sensor_types["radar"].model.reference_range_m == 8000.0  # type: ignore[union-attr]
    assert wall.sensor_types["long-rf"].kind is SensorKind.RF
    bad = MINIMAL + '[sensor_types.radar]\nranges = { multirotor = "9 km" }\n'
    with pytest.raises(
        ConfigError, match=r'sensor_types\.radar: "ranges" does not apply to a radar'
    ):
        load_wall(write(tmp_path, bad))


def test_user_geojson_border_and_explicit_positions(tmp_path: Path) -> None:
    line = {
        "type": "Feature",
        "properties": {"name": "test line", "official_length_km": 12.5},
        "geometry": {"type": "LineString", "coordinates": [[23.0, 52.0], [23.0, 52.1]]},
    }
    (tmp_path / "line.geojson").write_text(json.dumps(line), encoding="utf-8")
    text = MINIMAL.replace('segments = ["belarus-poland"]', 'geojson = "line.geojson"')
    text = text.replace('every = "9 km"', 'at = "5 km"')
    text += '[[sensors]]\ntype = "acoustic"\nid = "A1"\nlonlat = [22.99, 52.05]\n'
    wall = load_wall(write(tmp_path, text))
    assert wall.border.length_m == pytest.approx(11_130, rel=0.01)
    assert wall.border.official_length_km == 12.5
    radar, node = wall.sensors
    assert radar.along_m == 5000.0 and node.id == "A1"
    along, offset = wall.border.locate(node.xy)
    assert along[0] == pytest.approx(5565, rel=0.01) and offset[0] > 600  # west = left of north
    bad = text.replace('at = "5 km"', 'at = "50 km"')
    with pytest.raises(ConfigError, match=r"sensors\[0\].at: 50 km is off the line"):
        load_wall(write(tmp_path, bad))


def test_dem_raster_is_read_into_the_environment(tmp_path: Path) -> None:
    import rasterio
    from rasterio.transform import Affine

    heights = np.zeros((20, 20), dtype="float32")
    heights[:, 10:] = 150.0  # east half of the raster is a 150 m plateau
    with rasterio.open(
        tmp_path / "dem.tif",
        "w",
        driver="GTiff",
        height=20,
        width=20,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(0.01, 0.0, 22.9, 0.0, -0.01, 52.2),
    ) as raster:
        raster.write(heights, 1)
    text = MINIMAL.replace('name = "tiny"', 'name = "tiny"\n[environment]\ndem = "dem.tif"')
    wall = load_wall(write(tmp_path, text))
    terrain = wall.environment.terrain
    assert terrain is not None
    west = wall.border.to_local(np.array([[22.95, 52.1]]))
    east = wall.border.to_local(np.array([[23.05, 52.1]]))
    assert terrain.ground_m(west[:, 0], west[:, 1])[0] == 0.0
    assert terrain.ground_m(east[:, 0], east[:, 1])[0] == 150.0
    missing = MINIMAL.replace('name = "tiny"', 'name = "tiny"\n[environment]\ndem = "no.tif"')
    with pytest.raises(ConfigError, match=r"environment\.dem: cannot read raster"):
        load_wall(write(tmp_path, missing))
