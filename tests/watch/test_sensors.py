"""Sensor models: closed forms (radar horizon, Swerling 1), monotonicity, limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from droneworks.watch.sensors import (
    Environment,
    PlacedSensor,
    RadarEquation,
    Signature,
    TargetClass,
    default_sensor_types,
    detection_matrix,
    detection_probability,
    line_of_sight,
    max_detection_range_m,
    measure_positions,
    measurement_covariance_xy,
    radio_horizon_m,
)
from droneworks.watch.terrain import Terrain

TYPES = default_sensor_types()
MULTIROTOR = Signature(-15.0, TargetClass.MULTIROTOR, emits_rf=True)
AUTONOMOUS = Signature(-15.0, TargetClass.MULTIROTOR, emits_rf=False)


def at_origin(name: str) -> PlacedSensor:
    return PlacedSensor(name, TYPES[name], 0.0, 0.0)


def along_x(*ranges_m: float) -> np.ndarray:
    return np.column_stack([np.asarray(ranges_m, dtype=float), np.zeros(len(ranges_m))])


def test_radar_horizon_20m_mast_30m_target_is_41km() -> None:
    horizon_km = float(radio_horizon_m(20.0) + radio_horizon_m(30.0)) / 1000
    assert horizon_km == pytest.approx(4.12 * (math.sqrt(20) + math.sqrt(30)), rel=2e-3)
    assert horizon_km == pytest.approx(41.0, abs=0.1)


def test_line_of_sight_boundary_matches_horizon_formula() -> None:
    horizon = float(radio_horizon_m(20.0) + radio_horizon_m(30.0))
    visible = line_of_sight(np.array([horizon - 50.0, horizon + 50.0]), 20.0, 30.0)
    assert visible.tolist() == [True, False]


def test_canopy_hides_low_targets_beyond_clearing_and_shortens_horizon() -> None:
    forest = Environment(canopy_height_m=20.0, clearing_radius_m=100.0)
    assert line_of_sight(np.array([50.0, 500.0]), 25.0, 15.0, forest).tolist() == [True, False]
    above = float(radio_horizon_m(5.0) + radio_horizon_m(10.0))  # heights above the canopy
    near = line_of_sight(np.array([above * 0.98, above * 1.02]), 25.0, 30.0, forest)
    assert near.tolist() == [True, False]


def test_swerling1_closed_form_and_reference_point() -> None:
    radar = RadarEquation(5000.0, -15.0, 13.0, 1e-6)
    snr = 10**1.3
    assert radar.pd(np.array([5000.0]), MULTIROTOR)[0] == pytest.approx(1e-6 ** (1 / (1 + snr)))
    # 6 dB more RCS is 16× ... at 2× range (R⁴): same SNR, same Pd
    bigger = Signature(-15.0 + 40 * math.log10(2))
    assert radar.pd(np.array([10000.0]), bigger)[0] == pytest.approx(
        radar.pd(np.array([5000.0]), MULTIROTOR)[0]
    )


def test_radar_pd_tends_to_pfa_far_away_and_inverse_range_roundtrips() -> None:
    radar = RadarEquation(5000.0, -15.0, 13.0, 1e-6)
    assert radar.pd(np.array([1e8]), MULTIROTOR)[0] == pytest.approx(1e-6, rel=1e-3)
    for pd in (0.1, 0.5, 0.9):
        reach = radar.range_for_pd(pd, MULTIROTOR)
        assert radar.pd(np.array([reach]), MULTIROTOR)[0] == pytest.approx(pd)


@given(
    st.floats(100.0, 30_000.0), st.floats(1.0, 5_000.0), st.floats(-30.0, 10.0), st.floats(0.1, 10)
)
def test_pd_monotone_in_range_and_rcs(
    range_m: float, step_m: float, rcs: float, more: float
) -> None:
    sensor = at_origin("radar")
    near, far = detection_probability(
        sensor, along_x(range_m, range_m + step_m), 100.0, Signature(rcs)
    )
    assert near >= far
    small = detection_probability(sensor, along_x(range_m), 100.0, Signature(rcs))[0]
    large = detection_probability(sensor, along_x(range_m), 100.0, Signature(rcs + more))[0]
    assert large >= small


@pytest.mark.parametrize("name", ["rf", "eoir", "acoustic"])
def test_range_curves_are_monotone_and_bounded(name: str) -> None:
    pd = detection_probability(
        at_origin(name), along_x(*np.linspace(0, 20_000, 200)), 50.0, MULTIROTOR
    )
    assert np.all(np.diff(pd) <= 1e-12) and pd.max() <= 1.0 and pd.min() >= 0.0


def test_rf_is_blind_to_autonomous_drones() -> None:
    points = along_x(100.0, 1000.0)
    assert detection_probability(at_origin("rf"), points, 100.0, MULTIROTOR).min() > 0.8
    assert detection_probability(at_origin("rf"), points, 100.0, AUTONOMOUS).max() == 0.0
    assert detection_probability(at_origin("radar"), points, 100.0, AUTONOMOUS).min() > 0.9


def test_acoustic_needs_no_line_of_sight() -> None:
    forest = Environment(canopy_height_m=25.0, clearing_radius_m=0.0)
    low = detection_probability(at_origin("acoustic"), along_x(200.0), 10.0, MULTIROTOR, forest)
    assert low[0] > 0.5


def test_max_range_bounds_every_detection_and_matrix_is_sparse() -> None:
    reach = max_detection_range_m(TYPES["radar"], MULTIROTOR, 100.0)
    assert (
        detection_probability(at_origin("radar"), along_x(reach + 1), 100.0, MULTIROTOR)[0] < 1e-4
    )
    sensors = [at_origin("radar"), PlacedSensor("b", TYPES["acoustic"], 50_000.0, 0.0)]
    points = along_x(*np.arange(0.0, 60_000.0, 100.0))
    pairs = detection_matrix(sensors, points, 100.0, MULTIROTOR)
    dense = detection_probability(sensors[0], points, 100.0, MULTIROTOR)
    first = pairs.sensor_index == 0
    assert np.allclose(dense[pairs.point_index[first]], pairs.pd[first])
    assert np.all(np.delete(dense, pairs.point_index[first]) <= 1e-4)
    assert 0 < np.sum(pairs.sensor_index == 1) < 20


def test_detection_matrix_with_dem_matches_single_sensor_queries() -> None:
    ridge = np.zeros((10, 10))
    ridge[:, 3] = 300.0
    hilly = Environment(terrain=Terrain.from_array(ridge, -1000.0, 20_000.0, 3000.0))
    sensors = [at_origin("radar"), PlacedSensor("b", TYPES["radar"], 20_000.0, 0.0)]
    points = along_x(*np.arange(0.0, 20_000.0, 500.0))
    pairs = detection_matrix(sensors, points, 30.0, MULTIROTOR, hilly)
    for index, sensor in enumerate(sensors):
        dense = detection_probability(sensor, points, 30.0, MULTIROTOR, hilly)
        mine = pairs.sensor_index == index
        assert np.allclose(dense[pairs.point_index[mine]], pairs.pd[mine])
        assert np.all(np.delete(dense, pairs.point_index[mine]) <= 1e-4)


def test_measurement_noise_matches_covariance() -> None:
    sensor = at_origin("rf")
    target = np.array([[3000.0, 4000.0]])
    rng = np.random.default_rng(0)
    samples = measure_positions(sensor, np.repeat(target, 20_000, axis=0), rng)
    cov = measurement_covariance_xy(sensor, target)[0]
    assert np.allclose(np.cov(samples.T), cov, rtol=0.1, atol=2000.0)
    assert np.allclose(samples.mean(axis=0), target[0], atol=40.0)


def test_dem_ridge_blocks_line_of_sight_and_flat_dem_agrees_with_flat_model() -> None:
    flat = Terrain.from_array(np.zeros((10, 10)), -1000.0, 20_000.0, 3000.0)
    points = along_x(5000.0, 15_000.0)
    sensor = at_origin("radar")
    with_dem = detection_probability(sensor, points, 30.0, MULTIROTOR, Environment(terrain=flat))
    without = detection_probability(sensor, points, 30.0, MULTIROTOR)
    assert np.allclose(with_dem, without)
    ridge = np.zeros((10, 10))
    ridge[:, 3] = 300.0  # x from 8 km to 11 km
    hilly = Environment(terrain=Terrain.from_array(ridge, -1000.0, 20_000.0, 3000.0))
    blocked = detection_probability(sensor, points, 30.0, MULTIROTOR, hilly)
    assert blocked[0] == without[0] and blocked[1] == 0.0


@given(
    st.floats(10.0, 60_000.0),
    st.floats(0.0, 0.5),
    st.floats(1.0, 60.0),
    st.floats(1.0, 500.0),
    st.floats(0.0, 30.0),
)
def test_line_of_sight_is_monotone_in_range_and_height(
    range_m: float, closer: float, mast_m: float, height_m: float, canopy_m: float
) -> None:
    forest = Environment(canopy_height_m=canopy_m, clearing_radius_m=100.0)
    far = line_of_sight(np.array([range_m]), mast_m, height_m, forest)[0]
    near = line_of_sight(np.array([range_m * closer]), mast_m, height_m, forest)[0]
    higher = line_of_sight(np.array([range_m]), mast_m, height_m * 1.5, forest)[0]
    assert (not far or near) and (not far or higher)
