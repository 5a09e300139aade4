"""MissionPlan values and builders: MAV_CMD ids, frames, params as MAVLink defines them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from shapely.geometry import LineString, Polygon

from droneworks.missions.export import (
    AltitudeMode,
    DisplayPoint,
    DisplayZone,
    MavCmd,
    MavFrame,
    MissionDisplay,
    MissionPlan,
    camera_trigger_distance,
    change_speed,
    gripper,
    land,
    return_to_launch,
    set_servo,
    sprayer,
    takeoff,
    waypoint,
)
from droneworks.missions.maps import draw_map

MAV_CMD_TABLE = Path(__file__).resolve().parents[3].parent / "shared/formats/mav_cmd_table.txt"


def test_builders_use_the_mav_cmd_ids_of_the_shared_table() -> None:
    if not MAV_CMD_TABLE.exists():
        pytest.skip(f"{MAV_CMD_TABLE} is absent (the shared formats folder is not checked out)")
    table = {}
    for line in MAV_CMD_TABLE.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].startswith("MAV_CMD_"):
            table[parts[1].rstrip(":")] = int(parts[0])
    for command in MavCmd:
        assert table[f"MAV_CMD_{command.name}"] == command.value


def test_positional_items_carry_position_in_params_5_to_7() -> None:
    item = waypoint(27.5, 53.9, 40.0, hold_s=2.0)
    assert item.command == 16 and item.frame == MavFrame.GLOBAL_RELATIVE_ALT
    p = item.params7
    assert p[:3] == (2.0, 0.0, 0.0) and math.isnan(p[3])
    assert p[4:] == (53.9, 27.5, 40.0)
    assert takeoff(27.5, 53.9, 30).command == 22
    assert land(27.5, 53.9).command == 21
    assert waypoint(27.5, 53.9, 80, mode=AltitudeMode.AMSL).frame == 0
    assert waypoint(27.5, 53.9, 50, mode=AltitudeMode.TERRAIN).frame == 10


def test_command_items_have_no_position_and_mission_frame() -> None:
    cases = {
        return_to_launch(): (20, (0, 0, 0, 0)),
        change_speed(10.0): (178, (1, 10, -1, 0)),
        camera_trigger_distance(25.0): (206, (25, 0, 0, 0)),
        sprayer(True): (216, (1, 0, 0, 0)),
        sprayer(False): (216, (0, 0, 0, 0)),
        set_servo(9, 1900): (183, (9, 1900, 0, 0)),
        gripper(release=True): (211, (1, 0, 0, 0)),
        gripper(release=False): (211, (1, 1, 0, 0)),
    }
    for item, (command, params) in cases.items():
        assert (item.command, item.params) == (command, tuple(float(v) for v in params))
        assert item.frame == MavFrame.MISSION and not item.has_position


def test_bad_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        waypoint(27.5, 95.0, 10)
    with pytest.raises(ValueError):
        change_speed(0.0)
    with pytest.raises(ValueError):
        MissionPlan("x", home_lon=200.0, home_lat=0.0)


def test_flight_path_returns_home_after_rtl() -> None:
    plan = MissionPlan(
        "p", 27.5, 53.9, 200.0,
        items=(takeoff(27.5, 53.9, 30), waypoint(27.51, 53.91, 30), return_to_launch()),
    )  # fmt: skip
    path = plan.flight_path()
    assert path is not None
    assert list(path.coords) == [(27.5, 53.9), (27.5, 53.9), (27.51, 53.91), (27.5, 53.9)]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_map_is_drawn_offline(tmp_path: Path, suffix: str) -> None:
    field = Polygon([(27.5, 53.9), (27.51, 53.9), (27.51, 53.906), (27.5, 53.906)])
    display = MissionDisplay(
        field=field,
        holes=(Polygon([(27.503, 53.902), (27.505, 53.902), (27.505, 53.903)]),),
        sortie_paths=(LineString([(27.5, 53.9), (27.51, 53.905)]),),
        zones=(DisplayZone("z", Polygon([(27.5, 53.9), (27.502, 53.9), (27.502, 53.902)]), 20),),
        points=(DisplayPoint("base", 27.5, 53.9, "base"),),
    )
    out = draw_map(display, tmp_path / f"map{suffix}", "test map")
    head = out.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in out.read_bytes()
    plan = MissionPlan("bare", 27.5, 53.9, items=(waypoint(27.51, 53.91, 30),))
    assert draw_map(plan, tmp_path / f"plan{suffix}").stat().st_size > 1000


def test_no_fly_zones_are_drawn_as_keep_out_not_in_the_value_colours() -> None:
    from droneworks.missions.maps import _figure

    def square(lon: float) -> Polygon:
        return Polygon([(lon, 53.9), (lon + 0.002, 53.9), (lon + 0.002, 53.902), (lon, 53.902)])

    display = MissionDisplay(
        sortie_paths=(LineString([(27.5, 53.9), (27.51, 53.905)]),),
        zones=(DisplayZone("zone 1", square(27.5), 20, "L/ha"),
               DisplayZone("no-fly: airport", square(27.504), kind="no-fly"),
               DisplayZone("no-fly: prison", square(27.508), kind="no-fly")),
    )  # fmt: skip
    axes = _figure(display, "t").axes[0]
    hatched = [patch for patch in axes.patches if patch.get_hatch()]
    plain = [patch for patch in axes.patches if not patch.get_hatch()]
    assert len(hatched) == 2 and len(plain) == 1
    for patch in hatched:  # red edge and hatch; the value zone has neither
        red, green, blue, _ = patch.get_edgecolor()
        assert red > 0.7 and green < 0.1 and blue < 0.1
    assert plain[0].get_facecolor()[:3] != hatched[0].get_facecolor()[:3]
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend.count("no-fly zone") == 1 and "zone 1: 20 L/ha" in legend
    assert not any(label.startswith("no-fly:") for label in legend)
    assert {"airport", "prison"} <= {text.get_text() for text in axes.texts}
