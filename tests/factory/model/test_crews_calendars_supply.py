"""Plant-file keys of the engine-v2 features: repair crews, calendars (breaks, overtime,
extra days, per work centre), staffing per shift — validated with key paths, compiled,
and run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from droneworks.core.errors import ConfigError, ModelError
from droneworks.factory import compile_plant, simulate
from droneworks.factory.model import Calendar, load_plant
from tests.factory.model.conftest import Edit

ASSEMBLY_FAILURES = (
    'repair = {dist = "exponential", mean = "20 min"}}',
    'repair = {dist = "exponential", mean = "20 min"}, crew = "fitters"}',
)
CREW = ("[workers.assemblers]", "[repair_crews.fitters]\ntechnicians = 1\n\n[workers.assemblers]")


def test_a_repair_crew_is_compiled_and_reported(edited: Edit) -> None:
    plant = load_plant(edited(ASSEMBLY_FAILURES, CREW))
    assert plant.repair_crews["fitters"].technicians == 1
    problem = compile_plant(plant)
    assert problem.crews == ("fitters",)
    assert list(problem.source_crew).count(0) == 1  # the assembly failures, not maintenance
    result = simulate(problem, seed=1)
    assert 0.0 < result.kpis["crew.fitters.utilisation"] < 1.0


def test_unknown_crew_names_the_failure_mode(edited: Edit) -> None:
    with pytest.raises(ModelError) as caught:
        load_plant(edited(ASSEMBLY_FAILURES))
    assert str(caught.value).endswith(
        'work_centres.assembly.failures[0].crew: unknown repair crew "fitters"; known: none defined'
    )


def test_a_crew_without_technicians_is_refused(edited: Edit) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plant(edited(ASSEMBLY_FAILURES, (CREW[0], CREW[1].replace("= 1", "= 0"))))
    assert "repair_crews.fitters.technicians:" in str(caught.value)


def test_an_unused_crew_is_a_warning(edited: Edit) -> None:
    plant = load_plant(edited(CREW))
    assert 'repair_crews.fitters: repair crew "fitters" repairs no failure mode' in plant.warnings


# ---- calendars: breaks, overtime, extra days, per work centre; staffing per shift ---------
DAY = dt.date(2026, 1, 5)  # a Monday


def _calendar(**keys: object) -> Calendar:
    return Calendar.model_validate({"shifts_per_day": 1, "shift_length": "8 h",
                                    "day_start": "6 h", **keys})  # fmt: skip


def test_breaks_are_taken_out_of_every_shift() -> None:
    calendar = _calendar(breaks=[{"at": "2 h", "length": "15 min"},
                                 {"at": "5 h", "length": "30 min"}])  # fmt: skip
    start = 360.0
    assert calendar.working_windows_min(DAY, 1440.0).tolist() == [
        [start, start + 120], [start + 135, start + 300], [start + 330, start + 480]
    ]  # fmt: skip
    assert calendar.minutes_per_working_day == 480 - 45
    week = calendar.working_minutes(DAY, 7 * 1440.0)
    assert week == 7 * calendar.minutes_per_working_day


def test_overtime_and_extra_days_add_working_time() -> None:
    base = _calendar(working_days=["mon", "tue", "wed", "thu", "fri"])
    more = _calendar(working_days=["mon", "tue", "wed", "thu", "fri"],
                     extra_days=[DAY + dt.timedelta(days=5)],
                     overtime=[{"from": DAY + dt.timedelta(days=1),
                                "to": DAY + dt.timedelta(days=2), "extra": "90 min"}])  # fmt: skip
    week = 7 * 1440.0
    gained = more.working_minutes(DAY, week) - base.working_minutes(DAY, week)
    assert gained == 480 + 2 * 90
    tuesday = more.working_windows_min(DAY, week)[1]
    assert tuesday.tolist() == [1440 + 360, 1440 + 360 + 480 + 90]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"breaks": [{"at": "479 min", "length": "5 min"}]}, "breaks must end before"),
        ({"breaks": [{"at": "1 h", "length": "1 h"}, {"at": "90 min", "length": "5 min"}]},
         "breaks overlap"),
        ({"shifts_per_day": 3, "overtime": [{"from": DAY, "extra": "1 min"}]},
         "plus 1 min of overtime do not fit"),
        ({"overtime": [{"from": DAY, "to": DAY - dt.timedelta(days=1), "extra": "1 h"}]},
         'is before "from"'),
        ({"extra_days": [DAY], "holidays": [DAY]}, "both a holiday and an extra working day"),
    ],
)  # fmt: skip
def test_bad_calendars_are_refused(keys: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _calendar(**keys)


def test_calendar_errors_name_the_key_path(edited: Edit) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plant(edited(("holidays = [2026-01-06]", 'holidays = [2026-01-06]\n'
                           'breaks = [{at = "9 h", length = "10 min"}]')))  # fmt: skip
    assert "calendar: breaks must end before the end of the shift (480 min)" in str(caught.value)
    with pytest.raises(ModelError) as caught:
        load_plant(edited(("[work_centres.test]\n", '[work_centres.test]\ncalendar = "nights"\n')))
    assert str(caught.value).endswith(
        'work_centres.test.calendar: unknown calendar "nights"; known: none defined'
    )


def test_shift_counts_are_checked_against_the_calendar(edited: Edit) -> None:
    staffed = ("count = 1\nskills", "shift_counts = [1, 2, 1]\nskills")
    with pytest.raises(ModelError) as caught:
        load_plant(edited(staffed))
    assert "workers.testers.shift_counts: 3 headcounts for 2 shifts a day" in str(caught.value)
    with pytest.raises(ConfigError, match=r'give "count" .* or "shift_counts", not both'):
        load_plant(edited(("count = 1\nskills", "count = 1\nshift_counts = [1, 2]\nskills")))
    plant = load_plant(edited(("count = 1\nskills", "shift_counts = [1, 2]\nskills")))
    assert plant.workers["testers"].count == 2  # the largest shift, for planning


def test_the_doc_examples_of_calendars_and_crews_load(edited: Edit) -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "plant-file.md").read_text()
    blocks = [block.split("```", 1)[0] for block in doc.split("```toml\n")[1:]]
    calendar = next(b for b in blocks if "[[calendar.overtime]]" in b)
    own = next(b for b in blocks if "[calendars.three-shift]" in b)
    crew = next(b for b in blocks if "[repair_crews.maintenance]" in b)
    start = (
        '[calendar]\nshifts_per_day = 2\nshift_length = "8 h"\nday_start = "6 h"\n'
        'working_days = ["mon", "tue", "wed", "thu", "fri"]\nholidays = [2026-01-06]\n'
    )
    own = own.replace("flight-test", "spare")
    crew = crew.replace("frame", "frame-cell")
    plant = load_plant(edited(
        (start, calendar),
        ("[work_centres.kitting]", own + "\n[work_centres.kitting]"),
        ("[workers.assemblers]", crew + "\n[workers.assemblers]"),
    ))  # fmt: skip
    assert plant.calendar.extra_days == (dt.date(2026, 3, 7),)
    assert plant.calendar_of("spare").shifts_per_day == 3
    assert plant.work_centres["frame-cell"].failures[0].crew == "maintenance"


# ---- supplier capacity ---------------------------------------------------------------------
def test_supplier_capacity_is_shared_and_may_be_overridden(edited: Edit) -> None:
    plant = load_plant(edited(
        ('late_by = {dist = "exponential", mean = "2 d"}\n',
         'late_by = {dist = "exponential", mean = "2 d"}\ncapacity = "100/wk"\n'),
        ('[parts.tube]\n', '[parts.tube]\nsupplier = "acme"\ncapacity = "1/h"\n'),
    ))  # fmt: skip
    assert plant.suppliers["acme"].capacity_per_min == pytest.approx(100 / 10_080)
    problem = compile_plant(plant)
    assert problem.supply_names == ("acme", "part:tube")
    parts = list(problem.parts)
    assert problem.part_supply[parts.index("frame-kit")] == 0  # the supplier's capacity
    assert problem.part_supply[parts.index("motor")] == 0
    assert problem.part_supply[parts.index("tube")] == 1  # its own line
    assert problem.part_supply[parts.index("motor-mount")] == -1  # unlimited
    result = simulate(problem, seed=1)
    assert result.kpis["supplier.acme.orders"] >= 0.0


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ('capacity = "0/wk"\n', "suppliers.acme.capacity: "),
        ('capacity = "10 min"\n', "suppliers.acme.capacity: "),
    ],
)
def test_bad_capacities_name_the_key_path(edited: Edit, replacement: str, message: str) -> None:
    late = 'late_by = {dist = "exponential", mean = "2 d"}\n'
    with pytest.raises(ConfigError) as caught:
        load_plant(edited((late, late + replacement)))
    assert message in str(caught.value)


def test_an_unlimited_part_takes_no_capacity(edited: Edit) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plant(edited(('policy = "unlimited"', 'policy = "unlimited"\ncapacity = "5/d"')))
    assert "parts.motor-mount: " in str(caught.value)
    assert '"capacity" does not apply' in str(caught.value)
