from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.catalogue import DroneRole, default_catalogue, load_catalogue
from droneworks.core.errors import ConfigError

REQUIRED_ROLES = {
    "agras-t40-class": DroneRole.SPRAYER,
    "mavic-3m-class": DroneRole.SURVEY,
    "manna-class-cargo": DroneRole.CARGO,
    "small-multirotor": DroneRole.GENERIC,
    "small-fixed-wing": DroneRole.GENERIC,
}

EXTRA = """
[drones.my-sprayer]
name = "My sprayer"
kind = "multirotor"
role = "sprayer"
empty_mass = "30 kg"
max_takeoff_mass = "60 kg"
battery_energy = "1000 Wh"
payload_max = "{payload}"
tank = "30 L"
cruise_speed = "{speed}"
work_speed = "6 m/s"
swath_width = "8 m"
endurance_loaded = "8 min"
endurance_empty = "16 min"
rcs_dbsm = -3.0
rcs_class = "medium"
{extra}
[drones.my-sprayer.sources]
empty_mass = "estimate"
max_takeoff_mass = "estimate"
battery_energy = "estimate"
payload_max = "estimate"
tank = "estimate"
cruise_speed = "estimate"
work_speed = "estimate"
swath_width = "estimate"
endurance_loaded = "estimate"
endurance_empty = "estimate"
rcs_dbsm = "estimate"
"""


def write_extra(tmp_path: Path, payload: str = "30 kg", speed: str = "10 m/s",
                extra: str = "") -> Path:  # fmt: skip
    path = tmp_path / "mine.toml"
    path.write_text(EXTRA.format(payload=payload, speed=speed, extra=extra))
    return path


def test_builtin_types_and_roles() -> None:
    catalogue = default_catalogue()
    for key, role in REQUIRED_ROLES.items():
        assert catalogue[key].role is role


def test_every_figure_has_a_source() -> None:
    for drone in default_catalogue().values():
        assert drone.sources
        assert all(source.strip() for source in drone.sources.values())


def test_survey_camera_matches_reference_gsd() -> None:
    camera = default_catalogue()["mavic-3m-class"].camera
    assert camera is not None
    # REFERENCE.md §4: GSD ≈ altitude / 21.9 (cm per m); field of view 61.2° × 48.1°.
    assert camera.gsd_m(100.0) * 100 == pytest.approx(100 / 21.9, rel=0.01)
    assert camera.hfov_deg == pytest.approx(61.2, abs=0.2)
    assert camera.vfov_deg == pytest.approx(48.1, abs=0.2)
    assert camera.altitude_for_gsd_m(camera.gsd_m(80.0)) == pytest.approx(80.0)


def test_t50_hover_scaling_reproduces_empty_endurance() -> None:
    # Hover power ∝ mass^1.5 (REFERENCE.md §4): 7.5 min at 92 kg → ≈ 17.6 min empty.
    t50 = default_catalogue()["agras-t50-class"]
    predicted = t50.endurance_loaded * (t50.max_takeoff_mass / t50.empty_mass) ** 1.5
    assert predicted == pytest.approx(t50.endurance_empty, rel=0.05)


def test_user_file_adds_types(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_extra(tmp_path))
    assert catalogue["my-sprayer"].tank == 30.0
    assert "agras-t40-class" in catalogue


def test_membership_does_not_raise() -> None:
    assert "agras-t40-class" in default_catalogue()
    assert "nope" not in default_catalogue()
    assert default_catalogue().get("nope") is None


def test_unknown_type_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown drone type 'nope'.*agras-t40-class"):
        default_catalogue()["nope"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"payload": "40 kg"}, r"payload_max \(40 kg\) is above max take-off mass"),
        ({"speed": "-3 m/s"}, "cruise_speed must be positive"),
        ({"speed": "3 kg"}, r'cruise_speed: "3 kg" is not a speed'),
        ({"extra": 'colour = "red"'}, r"drones\.my-sprayer\.colour: unknown key"),
        ({"extra": 'range_loaded = "5 km"'}, "no source given for range_loaded"),
    ],
)
def test_bad_user_files(tmp_path: Path, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load_catalogue(write_extra(tmp_path, **kwargs))
    assert str(tmp_path / "mine.toml") in str(caught.value)


def test_missing_field(tmp_path: Path) -> None:
    path = write_extra(tmp_path)
    path.write_text(path.read_text().replace('endurance_empty = "16 min"\n', "", 1))
    with pytest.raises(ConfigError, match=r"drones\.my-sprayer\.endurance_empty: required"):
        load_catalogue(path)
