"""Directional sensors, outages (availability) and the fused detection probability."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from droneworks.watch.coverage import at_least_k_up, evaluate_coverage
from droneworks.watch.incursions import generate_incursions
from droneworks.watch.sensors import PlacedSensor, detection_probability, in_sector
from droneworks.watch.wall import load_wall

from .straight_wall import disc_type, make_wall, place_along, straight_border, threat
from .test_bad_input import wall_file

SECTOR = dataclasses.replace(disc_type("cam", 1000.0), sector_deg=90.0)


def test_sector_sees_only_within_half_its_width_of_the_azimuth() -> None:
    east = PlacedSensor("cam", SECTOR, 0.0, 0.0, azimuth_deg=90.0)
    targets = np.array([[500.0, 0.0], [-500.0, 0.0], [0.0, 500.0], [500.0, 480.0], [500, 520]])
    seen = detection_probability(east, targets, 0.0, threat()) > 0.5
    assert seen.tolist() == [True, False, False, True, False]  # 45° either side of east
    wrapped = in_sector(SECTOR, np.zeros((1, 2)), 350.0, np.array([[100.0, 1000.0]]))
    assert wrapped.tolist() == [True]  # bearing 5.7°, azimuth 350°: 15.7° apart across north


def test_rules_face_directional_sensors_out_across_the_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = '[sensor_types.cam]\nkind = "eoir"\nsector = "60 deg"\n[[sensors]]\ntype = "cam"\n'
    wall = load_wall(wall_file(tmp_path, extra=extra + 'every = "2 km"\n'))
    cams = [s for s in wall.sensors if s.type.name == "cam"]
    # the line runs north, the protected side is west (left): cameras look east
    north = wall.border.grid_north_deg(np.array([s.xy for s in cams]))
    true = [(s.azimuth_deg - n) % 360 for s, n in zip(cams, north, strict=True)]
    assert cams and all(abs(a - 90.0) < 1.0 for a in true)
    turned = load_wall(wall_file(tmp_path, extra=extra + 'every = "2 km"\nazimuth = "45 deg"\n'))
    cam = next(s for s in turned.sensors if s.type.name == "cam")
    assert cam.azimuth_deg - turned.border.grid_north_deg(cam.xy[None, :])[0] == pytest.approx(45)
    profile = evaluate_coverage(wall).profiles[0]
    band = {b.offset_m: b.share for b in profile.band}
    assert band[-1000.0] > 0 and band[1000.0] == 0.0  # sees the neighbour's side only


def test_at_least_k_up_is_the_binomial_tail() -> None:
    points = np.array([0, 0, 0, 1])
    availability = np.array([0.5, 0.5, 0.5, 0.9])
    assert at_least_k_up(points, availability, 3, 1) == pytest.approx([0.875, 0.9, 0.0])
    assert at_least_k_up(points, availability, 3, 2) == pytest.approx([0.5, 0.0, 0.0])


def test_outages_scale_the_covered_share_and_fuse_pd() -> None:
    border = straight_border(30_000.0)
    half = dataclasses.replace(disc_type("half", 1000.0, pd_close=0.6), availability=0.9)
    sensors = place_along(border, half, np.arange(1500.0, 30_000.0, 3000.0).tolist())
    wall = make_wall(border, sensors, [threat()], [half])
    profile = evaluate_coverage(wall).profiles[0]
    assert profile.share == pytest.approx(2 / 3, abs=2e-3)  # Pd 0.3 beyond 1 km: discs
    assert profile.available_share == pytest.approx(0.9 * profile.share)  # one per point
    assert profile.fused_pd is not None
    assert profile.fused_pd.max() == pytest.approx(0.9 * 0.6, abs=1e-3)  # A·Pd near a mast
    # each covered point is seen by one sensor: fused per-scan Pd 0.54 ≥ 0.5 there
    assert profile.fused_share == pytest.approx(profile.share, abs=2e-3)


def test_a_sensor_that_is_never_up_detects_nothing() -> None:
    border = straight_border(20_000.0)
    dead = dataclasses.replace(disc_type("dead", 2000.0), availability=0.0, false_alarms_per_h=5)
    sensors = place_along(border, dead, [5000.0, 15_000.0])
    wall = make_wall(border, sensors, [dataclasses.replace(threat(), count=4)], [dead])
    assert len(generate_incursions(wall).det_tick) == 0
    alive = wall.with_sensors(place_along(border, disc_type("ok", 2000.0), [5000.0, 15_000.0]))
    assert len(generate_incursions(alive).det_tick) > 0
