"""Coverage on a straight border with sensors at known spacing: exact shares and gaps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from droneworks.core.progress import RecordingProgress
from droneworks.watch.coverage import CROSSING_BAND_M, CROSSING_STEP_M, evaluate_coverage
from droneworks.watch.wall import Wall, load_wall

from .straight_wall import disc_type, make_wall, place_along, straight_border, threat

DISC = disc_type("disc", 1000.0)


def disc_wall(length_m: float, spacing_m: float, first_m: float, **coverage: object) -> Wall:
    border = straight_border(length_m)
    along = np.arange(first_m, length_m, spacing_m)
    settings = {"spacing": "10 m", **coverage}
    return make_wall(
        border, place_along(border, DISC, along.tolist()), [threat()], [DISC], settings
    )


def test_discs_every_3km_cover_exactly_two_thirds_with_the_gaps_between() -> None:
    result = evaluate_coverage(disc_wall(99_000.0, 3000.0, 1500.0))
    profile = result.profiles[0]
    assert profile.share == pytest.approx(2 / 3, abs=1e-12)
    lengths = [gap.length_m for gap in profile.gaps]
    assert lengths == pytest.approx([500.0] + [1000.0] * 32 + [500.0])
    assert profile.gaps[1].start_m == pytest.approx(2500.0)
    assert profile.gap_length_m == pytest.approx(33_000.0)
    assert profile.gaps[0].start_lonlat[1] < profile.gaps[1].start_lonlat[1]  # going north


def test_k2_share_counts_overlaps_only() -> None:
    result = evaluate_coverage(disc_wall(15_000.0, 1500.0, 750.0), k=2)
    assert result.profiles[0].share == pytest.approx(9 * 500 / 15_000, abs=1e-12)
    assert result.k == 2


def test_band_share_is_the_chord_of_each_disc() -> None:
    wall = disc_wall(99_000.0, 3000.0, 1500.0, band_offsets=["-600 m", "0 m", "600 m", "2 km"])
    band = {b.offset_m: b.share for b in evaluate_coverage(wall).profiles[0].band}
    chord = 2 * math.sqrt(1000.0**2 - 600.0**2)
    assert band[-600.0] == pytest.approx(chord / 3000) and band[600.0] == pytest.approx(
        chord / 3000
    )
    assert band[0.0] == pytest.approx(2 / 3) and band[2000.0] == 0.0


def test_crossing_probability_closed_form_for_constant_pd() -> None:
    faint = disc_type("faint", 1e7, pd_close=0.1)  # Pd = 0.1 everywhere near the line
    border = straight_border(10_000.0)
    wall = make_wall(
        border, place_along(border, faint, [5000.0]), [threat(speed_mps=1000.0)], [faint]
    )
    profile = evaluate_coverage(wall).profiles[0]
    steps = 2 * CROSSING_BAND_M / CROSSING_STEP_M + 1
    scans = steps * CROSSING_STEP_M / 1000.0
    assert profile.crossing_pd == pytest.approx(1 - 0.9**scans, rel=1e-6)
    assert profile.share == 0.0  # Pd 0.1 per scan is below the 0.5 threshold


def test_no_sensor_means_one_gap_the_whole_line() -> None:
    border = straight_border(5000.0)
    profile = evaluate_coverage(make_wall(border, [], [threat()])).profiles[0]
    assert profile.share == 0.0 and len(profile.gaps) == 1
    assert profile.gaps[0].length_m == pytest.approx(5000.0)


def test_example_wall_covers_its_line_and_reports_every_profile() -> None:
    progress = RecordingProgress()
    wall = load_wall("examples/walls/belarus-poland.toml")
    result = evaluate_coverage(wall, altitudes_m=[100.0], progress=progress)
    assert len(result.profiles) == len(wall.threats)
    assert all(0.95 <= p.share <= 1.0 for p in result.profiles)
    assert result.sensors_by_type["radar"] == 38 and result.official_length_km == 418.0
    assert progress.updates[-1] == len(wall.threats)
