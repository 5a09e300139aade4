"""Every exported mission file replays to its sortie's planned energy and time, within budget.

The files (QGroundControl ``.plan`` and QGC WPL 110) are written by the same writers the CLI
uses, read back, and walked item by item by :func:`replay_mission` — transits at the
commanded cruise speed, climbs and descents, waypoint holds, spraying and parcel drops — on
several fields (shipped and generated: a long thin strip, a field far from its base, 150 ha
with a pond), in calm air and in wind, and on delivery instances.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from droneworks.catalogue import default_catalogue
from droneworks.missions.delivery import load_deliveries, plan_deliveries
from droneworks.missions.delivery.export import sortie_file_stem, write_delivery_files
from droneworks.missions.energy import EnergyModel
from droneworks.missions.export import MissionPlan, read_qgc_plan, read_wpl
from droneworks.missions.field import Field, load_field
from droneworks.missions.field_plans import spray_missions, survey_missions, write_mission_files
from droneworks.missions.flight import FlightSettings, Load, replay_mission
from droneworks.missions.prescription import Prescription, read_ndvi_geotiff
from droneworks.missions.sorties import Sortie
from droneworks.missions.spray import SprayParams, SprayPlan, plan_spray
from droneworks.missions.survey import SurveyParams, SurveyPlan, plan_survey
from droneworks.missions.wind import CALM, Wind
from tests.missions.conftest import FIELDS
from tests.missions.delivery_checks import sortie_replay
from tests.missions.field_makers import far_field, field_150ha, strip_field

CATALOGUE = default_catalogue()
EXAMPLES = FIELDS.parent
WPL_ROUNDING = 1e-5  # WPL rounds coordinates to 8 decimals and speeds to 6


def _written(
    missions: list[MissionPlan], tmp_path: Path, stem: str
) -> dict[str, list[MissionPlan]]:
    """Both files of every mission, as written to disk and read back, by mission name."""
    write_mission_files(missions, tmp_path, stem, stem)
    read: dict[str, list[MissionPlan]] = {}
    for mission in missions:
        plan_file = tmp_path / f"{stem}-{mission.name}.plan"
        wpl_file = tmp_path / f"{stem}-{mission.name}.waypoints"
        read[mission.name] = [read_qgc_plan(plan_file).plan, read_wpl(wpl_file)]
    return read


def _assert_replays(
    sortie: Sortie,
    files: list[MissionPlan],
    flight: FlightSettings,
    field_: Field,
    load: Load,
) -> None:
    budget = flight.energy.budget_wh
    for mission, rel in zip(files, (1e-9, WPL_ROUNDING), strict=True):
        replay = replay_mission(mission, flight, field_.projection, load)
        assert replay.energy_wh <= budget, (mission.name, replay.energy_wh, budget)
        assert replay.energy_wh == pytest.approx(sortie.energy_wh, rel=rel)
        assert replay.time_min == pytest.approx(sortie.flight_time_min, rel=rel)
        assert replay.sprayed_l == pytest.approx(sortie.sprayed_l, rel=rel, abs=1e-6)


def _spray_load(plan: SprayPlan, sortie: Sortie) -> Load:
    prescription = plan.params.prescription
    top = max(prescription.rates_lpha) if prescription else plan.params.rate_lpha
    return Load(0.0, sortie.loaded_l, plan.params.density_kgpl, plan.swath_width_m,
                plan.params.rate_lpha, top)  # fmt: skip


def _check_spray(plan: SprayPlan, tmp_path: Path) -> None:
    missions = spray_missions(plan)
    files = _written(missions, tmp_path, "spray")
    flight = plan.flight
    assert len(missions) == len(plan.sorties)
    for sortie, mission in zip(plan.sorties, missions, strict=True):
        _assert_replays(sortie, files[mission.name], flight, plan.field, _spray_load(plan, sortie))


def _check_survey(plan: SurveyPlan, tmp_path: Path) -> None:
    missions = survey_missions(plan)
    files = _written(missions, tmp_path, "survey")
    flight = plan.flight
    for sortie, mission in zip(plan.sorties, missions, strict=True):
        _assert_replays(sortie, files[mission.name], flight, plan.field, Load())


FIELD_CASES = {
    "concave_pond": lambda: load_field(FIELDS / "concave_pond.geojson"),
    "v_field": lambda: load_field(FIELDS / "v_field.kml"),
    "strip": strip_field,
    "far": far_field,
    "150ha": field_150ha,
}
WINDS = {"calm": CALM, "wind": Wind(5.0, 250.0)}


@pytest.mark.parametrize("wind", WINDS, ids=list(WINDS))
@pytest.mark.parametrize("name", FIELD_CASES, ids=list(FIELD_CASES))
def test_spray_files_replay_to_the_plan(name: str, wind: str, tmp_path: Path) -> None:
    field_ = FIELD_CASES[name]()
    params = SprayParams(15.0, wind=WINDS[wind], drones=2 if name == "150ha" else 1)
    _check_spray(plan_spray(field_, CATALOGUE["agras-t40-class"], params), tmp_path)


def test_prescription_spray_files_replay_to_the_plan(tmp_path: Path) -> None:
    field_ = load_field(FIELDS / "field_20ha.geojson")
    raster = read_ndvi_geotiff(FIELDS / "field_20ha_multispectral.tif")
    params = SprayParams(15.0, prescription=Prescription.from_ndvi(raster, 15.0, zones=3))
    _check_spray(plan_spray(field_, CATALOGUE["agras-t40-class"], params), tmp_path)


@pytest.mark.parametrize("wind", WINDS, ids=list(WINDS))
@pytest.mark.parametrize("name", FIELD_CASES, ids=list(FIELD_CASES))
def test_survey_files_replay_to_the_plan(name: str, wind: str, tmp_path: Path) -> None:
    params = SurveyParams(gsd_m=0.02, wind=WINDS[wind])
    plan = plan_survey(FIELD_CASES[name](), CATALOGUE["mavic-3m-class"], params)
    _check_survey(plan, tmp_path)


def test_survey_files_fly_transits_at_cruise_and_lines_at_survey_speed(tmp_path: Path) -> None:
    plan = plan_survey(field_150ha(), CATALOGUE["mavic-3m-class"], SurveyParams(gsd_m=0.02))
    assert len(plan.sorties) > 3
    for mission in survey_missions(plan):
        speeds = {round(item.params[1], 6) for item in mission.items if item.command == 178}
        assert round(plan.drone.cruise_speed, 6) in speeds
        assert round(plan.speed_mps, 6) in speeds
        assert mission.items[1].command == 178
        assert mission.items[1].params[1] == plan.drone.cruise_speed  # the transit out


@pytest.mark.parametrize(
    ("instance", "wind"),
    [("minsk_30.toml", None), ("minsk_12.geojson", None), ("minsk_30.toml", "8m/s@200")],
)
def test_delivery_files_replay_to_the_plan(instance: str, wind: str | None, tmp_path: Path) -> None:
    problem = load_deliveries(EXAMPLES / "deliveries" / instance)
    if not problem.fleet:
        problem = problem.with_fleet(CATALOGUE["manna-class-cargo"], 2)
    if wind is not None:
        problem = replace(problem, params=replace(problem.params, wind=Wind.parse(wind)))
    plan = plan_deliveries(problem, iterations=300, seed=0)
    assert plan.sorties
    write_delivery_files(plan, tmp_path)
    for sortie in plan.sorties:
        drone = next(g.drone for g in problem.fleet if g.drone.id == sortie.drone_type)
        budget = EnergyModel.from_drone(drone).budget_wh
        stem = tmp_path / sortie_file_stem(sortie)
        files = [read_qgc_plan(stem.with_suffix(".plan")).plan]
        files.append(read_wpl(stem.with_suffix(".waypoints")))
        for mission, rel in zip(files, (1e-9, WPL_ROUNDING), strict=True):
            assert all(item.command != 20 for item in mission.items)  # no autopilot-default RTL
            replay = sortie_replay(plan, sortie, mission)
            assert replay.energy_wh <= budget, (sortie.drone, sortie.number)
            assert replay.energy_wh == pytest.approx(sortie.energy_wh, rel=rel)
            duration = sortie.landing_min - sortie.takeoff_min
            assert replay.time_min == pytest.approx(duration, rel=rel)
            assert math.isclose(replay.released_kg, sortie.takeoff_payload_kg)
