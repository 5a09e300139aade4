"""The shipped example plants say what their comments claim (REFERENCE.md §1 and §3)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from droneworks.core.units import MINUTES_PER_WEEK, MINUTES_PER_YEAR
from droneworks.factory.model import (
    DistKind,
    FailureBasis,
    Plant,
    ReleaseKind,
    explode_bom,
    load_plant,
    work_content_min,
)

PLANTS = Path(__file__).resolve().parents[3] / "examples" / "plants"


def annual_volume(plant: Plant) -> dict[str, float]:
    """Units per year of each product from a rate or a repeated plan."""
    demand = plant.demand
    if demand.release is ReleaseKind.RATE:
        return {key: rate * MINUTES_PER_YEAR for key, rate in demand.rate_per_min.items()}
    period = demand.plan_period_min or plant.period_min
    return {key: plan[-1] * MINUTES_PER_YEAR / period for key, plan in demand.plan.items()}


def utilisations(plant: Plant) -> dict[str, float]:
    """Rough-cut utilisation of every work centre for the plant's own demand."""
    working_min = plant.calendar.working_minutes(plant.plant.start_date, plant.horizon_min)
    load: dict[str, float] = {}
    for product, volume in annual_volume(plant).items():
        for centre, minutes in work_content_min(plant, product).items():
            load[centre] = load.get(centre, 0.0) + minutes * volume
    return {
        key: load.get(key, 0.0) / (centre.stations * working_min * centre.availability)
        for key, centre in plant.work_centres.items()
    }


@pytest.mark.parametrize("name", ["reference-line", "reference-line-exponential"])
def test_reference_line_is_reference_md_section_1(name: str) -> None:
    plant = load_plant(PLANTS / f"{name}.toml")
    assert plant.calendar.is_continuous
    assert plant.horizon_min == 525_600
    assert plant.demand.release is ReleaseKind.UNLIMITED
    (product,) = plant.products.values()
    assert [op.work_centre for op in product.operations] == [f"s{i:02d}" for i in range(1, 11)]
    kind = DistKind.LOGNORMAL if name == "reference-line" else DistKind.EXPONENTIAL
    for index, operation in enumerate(product.operations):
        assert operation.time.dist is kind
        assert operation.time.mean_min == (2.0 if index == 5 else 1.5)
        if kind is DistKind.LOGNORMAL:
            assert operation.time.cv == 0.25
        assert operation.consumes == {} and not operation.needs_worker
    for key, centre in plant.work_centres.items():
        assert centre.stations == 1
        assert centre.buffer == (None if key == "s01" else 5)
        (failure,) = centre.failures
        assert failure.basis is FailureBasis.CALENDAR and failure.preempts
        assert failure.up_time is not None and failure.up_time.dist is DistKind.EXPONENTIAL
        assert failure.up_time.mean_min == 480 and failure.repair.mean_min == 20


def test_minsk_100k_is_sized_like_the_reference_sketch() -> None:
    plant = load_plant(PLANTS / "minsk-100k.toml")
    assert sum(annual_volume(plant).values()) == pytest.approx(100_000)
    assert plant.calendar.shifts_per_day == 2
    working_days = plant.calendar.working_minutes(plant.plant.start_date, plant.horizon_min)
    assert working_days / 900 == pytest.approx(250, abs=3)  # §3: ~250 days
    loads = utilisations(plant)
    assert max(loads.values()) <= 0.86, loads  # every centre sized to ≤ ~85 %
    assert min(loads.values()) > 0.2, loads
    stations = sum(centre.stations for centre in plant.work_centres.values())
    assert 90 <= stations <= 110  # §3: ≈ 95 per shift
    assert plant.work_centres["flight-test"].stations in (6, 7)  # §3: 6–7 cells
    operators = 2 * sum(pool.count for pool in plant.workers.values())
    assert operators == pytest.approx(190, abs=10)  # §3: ≈ 190 direct operators
    kinds = {mode.basis for centre in plant.work_centres.values() for mode in centre.failures}
    assert kinds == {FailureBasis.BUSY, FailureBasis.OPERATIONS}
    assert set(plant.assemblies) == {"arm-ag", "arm-cargo", "harness-large"}


def test_minsk_2k_has_slack_on_one_shift() -> None:
    plant = load_plant(PLANTS / "minsk-2k.toml")
    assert sum(annual_volume(plant).values()) == pytest.approx(2_000, rel=0.01)
    assert plant.calendar.shifts_per_day == 1
    loads = utilisations(plant)
    assert max(loads.values()) < 0.8, loads


@pytest.mark.parametrize("name", ["minsk-2k", "minsk-100k"])
def test_reorder_rule_of_the_comments_holds(name: str) -> None:
    """Reorder point ≥ usage over the longest lead time; the initial stock covers it."""
    plant = load_plant(PLANTS / f"{name}.toml")
    weekly: dict[str, float] = {}
    for product, volume in annual_volume(plant).items():
        for part, quantity in explode_bom(plant, product).items():
            weekly[part] = weekly.get(part, 0.0) + quantity * volume * MINUTES_PER_WEEK / (
                MINUTES_PER_YEAR
            )
    for key, part in plant.parts.items():
        terms = plant.supply_terms(key)
        assert terms is not None and terms.lead_time.high is not None
        longest_weeks = terms.lead_time.high / MINUTES_PER_WEEK
        assert part.reorder_point is not None and part.reorder_quantity is not None
        # Comments round weekly usage (52-week year); allow that rounding.
        assert part.reorder_point >= math.floor(0.99 * weekly[key] * longest_weeks), key
        assert part.initial_stock == part.reorder_point + part.reorder_quantity, key
