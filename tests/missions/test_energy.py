"""Energy model: calibration on the catalogue, momentum-theory scaling, forward flight."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from droneworks.catalogue import default_catalogue
from droneworks.missions.energy import EnergyModel, EnergyParams, induced_ratio


@pytest.fixture(scope="module")
def t50() -> EnergyModel:
    return EnergyModel.from_drone(default_catalogue()["agras-t50-class"])


def test_t50_loaded_endurance_is_the_calibration_point(t50: EnergyModel) -> None:
    assert t50.endurance_min(40.0) == pytest.approx(7.5)


def test_t50_full_load_predicts_empty_endurance_reference_4(t50: EnergyModel) -> None:
    # REFERENCE.md §4: 7.5 min at 92 kg predicts 17.6 min empty (spec 18 min).
    predicted = t50.endurance_min(0.0)
    assert predicted == pytest.approx(7.5 * (92 / 52) ** 1.5)
    assert predicted == pytest.approx(17.6, abs=0.1)
    assert abs(predicted - 18.0) / 18.0 < 0.03


def test_t40_empty_endurance_close_to_vendor() -> None:
    t40 = EnergyModel.from_drone(default_catalogue()["agras-t40-class"])
    # 7 min at 90 kg predicts 16.9 min at 50 kg: 6 % under the vendor's 18 min.
    assert t40.endurance_min(0.0) == pytest.approx(7 * (90 / 50) ** 1.5)
    assert t40.endurance_min(0.0) == pytest.approx(18.0, rel=0.07)


def test_hover_power_scales_with_mass_to_1_5(t50: EnergyModel) -> None:
    ratio = t50.power_w(80.0) / t50.power_w(60.0)
    assert ratio == pytest.approx((80 / 60) ** 1.5)


def test_usable_fraction_scales_watts_not_endurance() -> None:
    drone = default_catalogue()["agras-t50-class"]
    full = EnergyModel.from_drone(drone, EnergyParams(usable_fraction=1.0))
    part = EnergyModel.from_drone(drone, EnergyParams(usable_fraction=0.8))
    assert part.power_w(70.0) == pytest.approx(0.8 * full.power_w(70.0))
    assert part.endurance_min(20.0) == pytest.approx(full.endurance_min(20.0))


def test_induced_ratio_closed_form() -> None:
    assert induced_ratio(0.0) == pytest.approx(1.0)
    # x^4 + s^2 x^2 = 1 at s = 2
    x = induced_ratio(2.0)
    assert x**4 + 4 * x**2 == pytest.approx(1.0)
    assert induced_ratio(10.0) == pytest.approx(1 / 10.0, rel=0.01)  # high speed: 1/s


def test_forward_flight_bucket(t50: EnergyModel) -> None:
    mass = 92.0
    hover = t50.power_w(mass)
    work = t50.power_w(mass, 7.0)
    assert 0.7 * hover < work < hover  # shallow bucket, not a large saving
    assert t50.power_w(mass, 40.0) > hover  # parasitic drag dominates at high speed


def test_range_uses_budget_after_reserve(t50: EnergyModel) -> None:
    speed = 10.0
    expected = t50.budget_wh / t50.payload_power_w(10.0, speed) * 3600 * speed
    assert t50.range_m(10.0, speed) == pytest.approx(expected)
    assert t50.budget_wh == pytest.approx(0.8 * t50.usable_wh)


def test_energy_of_a_leg(t50: EnergyModel) -> None:
    # 700 m in 100 s: 7 m/s
    energy = t50.energy_wh(700.0, 100 / 60, 20.0)
    assert energy == pytest.approx(t50.payload_power_w(20.0, 7.0) * 100 / 3600)
    assert t50.energy_wh(0.0, 1.0, 20.0) == pytest.approx(t50.payload_power_w(20.0) / 60)
    assert t50.energy_wh(0.0, 0.0, 0.0) == 0.0


def test_overload_and_bad_arguments_raise(t50: EnergyModel) -> None:
    with pytest.raises(ValueError, match="useful load"):
        t50.mass_kg(41.0)
    with pytest.raises(ValueError):
        t50.power_w(50.0, -1.0)
    with pytest.raises(ValueError):
        EnergyParams(reserve_fraction=1.0)


def test_fixed_wing_power_constant_in_speed_and_fitted_to_both_endurances() -> None:
    drone = default_catalogue()["small-fixed-wing"]
    model = EnergyModel.from_drone(drone)
    assert model.power_w(15.0, 20.0) == model.power_w(15.0, 30.0)
    assert model.endurance_min(drone.useful_load_kg, 30.0) == pytest.approx(drone.endurance_loaded)
    assert model.endurance_min(0.0, 30.0) == pytest.approx(drone.endurance_empty)


def test_vtol_hover_costs_more_than_cruise() -> None:
    model = EnergyModel.from_drone(default_catalogue()["wing-class-cargo"])
    assert model.power_w(6.0, 0.0) > model.power_w(6.0, 29.0)


@given(
    payload_a=st.floats(0.0, 40.0),
    payload_b=st.floats(0.0, 40.0),
    speed=st.floats(0.0, 15.0),
)
def test_more_payload_never_costs_less(payload_a: float, payload_b: float, speed: float) -> None:
    model = EnergyModel.from_drone(default_catalogue()["agras-t40-class"])
    low, high = sorted((payload_a, payload_b))
    assert model.payload_power_w(low, speed) <= model.payload_power_w(high, speed) + 1e-9
    assert math.isfinite(model.range_m(high, max(speed, 1.0)))
