"""Good plants load; views of a plant (BOM, calendar, supply terms) and with_changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError, ModelError
from droneworks.factory.model import (
    AfterPlan,
    Demand,
    Plant,
    assembly_order,
    bom_levels,
    explode_bom,
    load_plant,
    low_level_codes,
    with_changes,
    work_content_min,
)
from tests.factory.model.conftest import Edit

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "plants"
DATA = Path(__file__).resolve().parents[1] / "data"
OWN_EXAMPLES = ["reference-line", "reference-line-exponential", "minsk-2k", "minsk-100k"]
GOOD = [EXAMPLES / f"{name}.toml" for name in OWN_EXAMPLES] + sorted(DATA.glob("ok_*.toml"))


@pytest.mark.parametrize("path", GOOD, ids=[path.name for path in GOOD])
def test_good_plants_load_without_warnings(path: Path) -> None:
    plant = load_plant(path)
    assert plant.products
    assert plant.warnings == ()
    for key in plant.products:
        assert sum(work_content_min(plant, key).values()) > 0


@pytest.fixture
def small() -> Plant:
    return load_plant(DATA / "ok_small.toml")


def test_small_plant_values_are_in_internal_units(small: Plant) -> None:
    assert small.horizon_min == 4 * 7 * 1440
    assert small.warmup_min == 7 * 1440
    assert small.period_min == 1440
    operation = small.products["sprayer"].operations[1]
    assert operation.time.mean_min == pytest.approx(20.0)
    assert operation.setup is not None and operation.setup.mean_min == 5.0
    assert small.work_centres["kitting"].buffer == 10
    assert small.work_centres["arm-cell"].buffer is None
    assert small.pools_for(None, "testing") == ("testers",)
    assert small.change_at_min(small.capacity_changes[1]) == 21 * 1440


def test_bom_views(small: Plant) -> None:
    assert bom_levels(small) == (("arm",),)
    assert assembly_order(small) == ("arm",)
    assert low_level_codes(small) == {
        "sprayer": 0, "frame-kit": 1, "arm": 1, "motor": 1, "tube": 2, "motor-mount": 2,
    }  # fmt: skip
    # 4 arms of (1 tube + 1 mount) + 4 motors + 1 frame kit.
    assert explode_bom(small, "sprayer") == {"frame-kit": 1, "motor": 4, "motor-mount": 4,
                                             "tube": 4}  # fmt: skip
    with pytest.raises(ValueError, match="unknown product"):
        explode_bom(small, "nope")


def test_work_content_accounts_for_rework(small: Plant) -> None:
    load = work_content_min(small, "sprayer")
    # Test: yield 0.9, retest 0.8, 2 reworks: pass 0.9 + 0.1·(1 − 0.2²) = 0.996;
    # expected reworks 0.1·(1 + 0.2) = 0.12 per unit tested.
    passed, reworks = 0.996, 0.12
    assert load["test"] == pytest.approx(10.0 * (1 + reworks) / passed)
    assert load["kitting"] == pytest.approx(7.5 / passed)
    assert load["assembly"] == pytest.approx((20.0 + reworks * 30.0) / passed)
    assert load["arm-cell"] == pytest.approx(4 * 4.0 / passed)


def test_supply_terms_merge_part_over_supplier(small: Plant) -> None:
    motor = small.supply_terms("motor")
    assert motor is not None
    assert motor.lead_time.mean_min == pytest.approx(1.5 * 7 * 1440)
    assert motor.late_probability == 0.1
    tube = small.supply_terms("tube")
    assert tube is not None and tube.lead_time.mean_min == 7 * 1440
    assert tube.late_probability == 0.0
    assert small.supply_terms("motor-mount") is None


def test_calendar_windows(small: Plant) -> None:
    calendar = small.calendar
    windows = calendar.working_windows_min(small.plant.start_date, small.horizon_min)
    # Monday 5 Jan 06:00–22:00, Tuesday is a holiday, Wednesday 06:00–22:00 …
    assert windows[0].tolist() == [360.0, 1320.0]
    assert windows[1].tolist() == [2 * 1440 + 360.0, 2 * 1440 + 1320.0]
    # 4 weeks of 5 days minus one holiday, 16 h a day.
    assert calendar.working_minutes(small.plant.start_date, small.horizon_min) == 19 * 960
    assert not calendar.is_continuous
    assert not calendar.is_working_day(dt.date(2026, 1, 10))  # a Saturday


def test_with_changes_returns_a_new_validated_plant(small: Plant) -> None:
    changed = with_changes(
        small,
        stations={"assembly": 6},
        workers={"assemblers": 9},
        shifts_per_day=3,
        buffers={"kitting": None, "test": 8},
        seed=3,
    )
    assert changed is not small
    assert changed.work_centres["assembly"].stations == 6
    assert changed.work_centres["assembly"].max_stations == 6  # raised with the change
    assert changed.workers["assemblers"].count == 9
    assert changed.calendar.shifts_per_day == 3
    assert changed.work_centres["kitting"].buffer is None
    assert changed.work_centres["test"].buffer == 8
    assert changed.seed == 3
    assert small.work_centres["assembly"].stations == 2  # original untouched
    assert small.calendar.shifts_per_day == 2


def test_with_changes_rejects_bad_arguments(small: Plant) -> None:
    with pytest.raises(ValueError, match="stations: unknown 'nope'"):
        with_changes(small, stations={"nope": 2})
    with pytest.raises(ValueError, match="≥ 1"):
        with_changes(small, stations={"test": 0})
    with pytest.raises(ValueError, match="do not fit in a day"):
        with_changes(small, shifts_per_day=4)
    with pytest.raises(ValueError, match="warmup < horizon"):
        with_changes(small, horizon_min=100.0)


def test_with_changes_checks_capacity_changes_against_limits(small: Plant) -> None:
    lowered = small.capacity_changes[0].model_copy(update={"stations": 9})
    with pytest.raises(ModelError, match=r"capacity_changes\[0\].stations: above max_stations"):
        with_changes(small, capacity_changes=[lowered])


def test_the_small_example_of_the_docs_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "plant-file.md").read_text()
    block = doc.split("## A small example\n\n```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "doc.toml"
    path.write_text(block)
    plant = load_plant(path)
    assert plant.warnings == ()
    assert explode_bom(plant, "sprayer") == {"motor-kit": 1, "tube": 4}


def test_demand_helpers(small: Plant) -> None:
    demand = small.demand
    assert demand.plan_periods == 5
    assert [demand.plan_quantity("sprayer", k) for k in (0, 3, 4, 9)] == [10, 14, 14, 14]
    assert demand.plan_quantity("nope", 0) == 0
    stopping = demand.model_copy(update={"after_plan": AfterPlan.STOP})
    assert stopping.plan_quantity("sprayer", 5) == 0
    unlimited = Demand.model_validate({"release": "unlimited"})
    assert unlimited.mix_weights(["a", "b"]) == {"a": 0.5, "b": 0.5}
    weighted = Demand.model_validate({"release": "unlimited", "mix": {"a": 3, "b": 1}})
    assert weighted.mix_weights(["a", "b"]) == {"a": 0.75, "b": 0.25}


def test_availability_estimates(small: Plant) -> None:
    assembly = small.work_centres["assembly"]
    # MTBF 480, MTTR 20 → 480/500; maintenance 1 h a week → × (1 − 60/10080).
    assert assembly.availability == pytest.approx(0.96 * (1 - 60 / 10080))
    assert assembly.maintenance is not None and assembly.maintenance.first_min == 10080
    arm_cell = small.work_centres["arm-cell"]  # 200 operations of 4 min, then 15 min repair
    assert arm_cell.availability == 1.0
    assert arm_cell.availability_for(4.0) == pytest.approx(800 / 815)


def test_with_changes_replaces_the_demand(small: Plant) -> None:
    rate = Demand.model_validate({"release": "rate", "rate": {"sprayer": "5000/yr"}})
    changed = with_changes(small, demand=rate)
    assert changed.demand.rate_per_min["sprayer"] == pytest.approx(5000 / 525600)
    with pytest.raises(ModelError, match=r"demand.rate.other: unknown product"):
        with_changes(
            small, demand=Demand.model_validate({"release": "rate", "rate": {"other": "1/d"}})
        )


def test_plant_catalogue_files_extend_the_drone_types(edited: Edit) -> None:
    path = edited(
        (
            "start_date = 2026-01-05\n",
            'start_date = 2026-01-05\ncatalogue = ["extra-drones.toml"]\n',
        ),
        ('drone_type = "agras-t40-class"', 'drone_type = "my-sprayer"'),
    )
    (path.parent / "extra-drones.toml").write_text((DATA / "extra-drones.toml").read_text())
    plant = load_plant(path)
    assert plant.products["sprayer"].drone_type == "my-sprayer"
    assert plant.drone_catalogue()["my-sprayer"].tank == 30.0


def test_plant_catalogue_file_errors_name_both_files(edited: Edit) -> None:
    path = edited(
        ("start_date = 2026-01-05\n", 'start_date = 2026-01-05\ncatalogue = ["nope.toml"]\n')
    )
    with pytest.raises(ConfigError) as caught:
        load_plant(path)
    assert str(caught.value) == f"{path}: {path.parent / 'nope.toml'}: no such file"
