"""Ramp-up on tiny plants whose answers are known by hand: rough-cut per period with
learning and dated changes, deadlines, and (with the engine) planned vs simulated output."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from droneworks.factory.model import load_plant, parse_plant
from droneworks.factory.plan.rampup_capacity import (
    change_deadlines,
    ramp_capacity,
    working_minutes_by_period,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "mrp"
WEEK = 10080.0


def tiny_ramp_data() -> dict[str, Any]:
    with (DATA / "tiny-ramp.toml").open("rb") as stream:
        return tomllib.load(stream)


def test_tiny_ramp_rough_cut_by_hand() -> None:
    capacity = ramp_capacity(load_plant(DATA / "tiny-ramp.toml"))
    bench = capacity.resource("work_centre", "bench")
    # 60 min per unit × plan; one station 10080 min a week, two from week 3.
    assert bench.load_min == pytest.approx(60.0 * np.array([100, 150, 200, 300, 300, 300]))
    assert bench.capacity_min == pytest.approx(WEEK * np.array([1, 1, 1, 2, 2, 2]))
    assert bench.utilisation[2] == pytest.approx(200 / 168)


def test_tiny_ramp_change_is_one_week_late() -> None:
    (deadline,) = change_deadlines(load_plant(DATA / "tiny-ramp.toml"), max_utilisation=0.9)
    # Without the 2nd station week 2 needs 200 / 168 = 119 % > 90 %: latest = week 2 start.
    assert deadline.latest_min == pytest.approx(2 * WEEK)
    assert deadline.planned_min == pytest.approx(3 * WEEK)
    assert deadline.slack_min == pytest.approx(-WEEK)
    assert deadline.binding == "work_centre bench"
    # At 120 % allowed load, one station is enough until week 3 (300 / 168 = 179 %).
    (loose,) = change_deadlines(load_plant(DATA / "tiny-ramp.toml"), max_utilisation=1.2)
    assert loose.latest_min == pytest.approx(3 * WEEK)


def test_learning_lowers_the_load_by_hand() -> None:
    data = tiny_ramp_data()
    data["products"]["drone"]["operations"][0]["learning"] = {"rate": 0.5}
    data["demand"]["plan"] = {"drone": [1, 1, 2, 0, 0, 0]}
    capacity = ramp_capacity(parse_plant(data))
    # 50 % curve: unit k takes 60/k min: 60; 30; (20 + 15) = 35; nothing after.
    bench = capacity.resource("work_centre", "bench")
    assert bench.load_min[:4] == pytest.approx([60.0, 30.0, 35.0, 0.0])
    assert capacity.learning_factor["drone/bench"][:3] == pytest.approx([1.0, 0.5, 17.5 / 60])


def test_floor_and_initial_units() -> None:
    data = tiny_ramp_data()
    data["products"]["drone"]["operations"][0]["learning"] = {
        "rate": 0.5, "floor": 0.2, "initial_units": 3,
    }  # fmt: skip
    data["demand"]["plan"] = {"drone": [1, 2, 0, 0, 0, 0]}
    bench = ramp_capacity(parse_plant(data)).resource("work_centre", "bench")
    # Units 4, 5, 6 of the curve: 60/4 = 15, then max(0.2·60, 60/5) = 12 and 12 (floor).
    assert bench.load_min[:2] == pytest.approx([15.0, 24.0])


def test_shift_change_and_hiring_period() -> None:
    data = copy.deepcopy(tiny_ramp_data())
    data["calendar"] = {"shifts_per_day": 1, "shift_length": "8 h"}
    data["workers"] = {"crew": {"count": 1, "hiring_period": "1 wk"}}
    data["products"]["drone"]["operations"][0]["worker"] = "crew"
    data["demand"]["plan"] = {"drone": [40, 40, 40, 110, 110, 110]}
    data["capacity_changes"] = [
        {"at": "2 wk", "shifts_per_day": 2},
        {"at": "3 wk", "pool": "crew", "workers": 2},
        {"at": "3 wk", "work_centre": "bench", "stations": 2},
    ]
    plant = parse_plant(data)
    working = working_minutes_by_period(plant, 6)
    # 7 days × 8 h = 3360 min a week on one shift, 6720 on two from week 2.
    assert working == pytest.approx([3360, 3360, 6720, 6720, 6720, 6720])
    crew = ramp_capacity(plant).resource("workers", "crew")
    assert crew.capacity_min == pytest.approx([3360, 3360, 6720, 13440, 13440, 13440])
    deadlines = {d.description: d for d in change_deadlines(plant, max_utilisation=0.9)}
    # From week 3, 110 a week = 6600 min. Without any one of the three changes the load
    # is 6600 / 6720 = 98 % > 90 % of what is left (one worker or one station on two
    # shifts, or two of each on one shift), so each is due at the start of week 3;
    # 40 a week before (2400 min) fits one station and one worker on one shift (71 %).
    for deadline in deadlines.values():
        assert deadline.latest_min == pytest.approx(3 * WEEK)
    assert deadlines["2 shifts per day"].slack_min == pytest.approx(WEEK)
    crew_change = deadlines["workers crew: 2"]
    assert crew_change.lead_min == pytest.approx(WEEK)
    assert crew_change.decide_by_min == pytest.approx(2 * WEEK)
    assert crew_change.binding == "workers crew"


RAMPUP = Path(__file__).resolve().parents[3] / "examples" / "plants" / "minsk-rampup.toml"


def test_minsk_rampup_learning_matches_its_comments() -> None:
    plant = load_plant(RAMPUP)
    frame = next(op for op in plant.products["agras-t40"].operations if op.name == "frame")
    assert frame.learning is not None and frame.learning.rate == 0.85
    today_min = 20.0  # minsk-100k: triangular 15 / 20 / 25 min
    # Unit 2,000 of the operation (1,899 completions after 100 pre-series units): today's time.
    assert frame.time.mean_min * frame.learning.factor(1_899) == pytest.approx(today_min, rel=1e-3)
    # Unit 100,000: × 0.40 (REFERENCE.md §3); the first ramp unit: × 2.0.
    at_100k = frame.time.mean_min * frame.learning.factor(99_899)
    assert at_100k / today_min == pytest.approx(0.40, abs=0.01)
    assert frame.time.mean_min * frame.learning.factor(0) / today_min == pytest.approx(
        2.0, abs=0.02
    )
    bench = next(op for op in plant.products["agras-t40"].operations if op.name == "bench-test")
    assert bench.test is not None and bench.test.yield_learning is not None
    assert bench.test.yield_at(0) == pytest.approx(0.88)
    assert bench.test.yield_at(40_000) == pytest.approx(0.97, abs=1e-3)


def test_minsk_rampup_plan_and_mrp() -> None:
    from droneworks.factory.plan.mrp_plant import plan_plant_mrp

    from .mrp_checks import assert_mrp_balances

    plant = load_plant(RAMPUP)
    assert not plant.warnings  # no deadlock-prone loops of finite buffers
    capacity = ramp_capacity(plant)
    total = sum(capacity.planned_units.values())
    assert isinstance(total, np.ndarray)
    assert total[:13].sum() == pytest.approx(2_000)  # year 1
    assert total[26:].sum() == pytest.approx(99_996)  # year 3: 100,000 a year
    planned = plan_plant_mrp(plant)
    assert_mrp_balances(planned.problem, planned.result)
    assert not planned.result.exceptions  # initial stock covers the lead times
    assert set(planned.planned_lead_time_min) == set(plant.parts)


def _states(**minutes: float) -> np.ndarray:
    """One period, one work centre: station-minutes per state."""
    from droneworks.factory.plan.rampup_binding import STATES

    row = np.zeros((1, 1, len(STATES)))
    for state, value in minutes.items():
        row[0, 0, STATES.index(state)] = value
    return row


def test_binding_constraint_classification() -> None:
    from droneworks.factory.plan.rampup_binding import binding_constraints

    def classify(states: np.ndarray) -> tuple[str, str]:
        stock = np.array([[0.0, 50.0]])
        (found,) = binding_constraints(
            states,
            ("bench",),
            stock,
            ("motor", "board"),
            {"bench": ("board", "motor")},
            {"bench": ("crew",)},
        )
        return found

    assert classify(_states(working=900, starved_work=100, off_shift=500)) == (
        "work_centre",
        "bench",
    )
    # Waiting for parts 20 % of the on-shift time: material, the part with the least stock.
    assert classify(_states(working=700, starved_material=200, starved_work=100)) == (
        "material",
        "motor",
    )
    assert classify(_states(working=700, starved_worker=300)) == ("labour", "crew")
    # 4 % waiting is noise: still the work centre.
    assert classify(_states(working=960, starved_material=40)) == ("work_centre", "bench")


def test_the_busiest_work_centre_binds() -> None:
    from droneworks.factory.plan.rampup_binding import STATES, binding_constraints

    states = np.zeros((1, 2, len(STATES)))
    states[0, 0, STATES.index("working")] = 500
    states[0, 0, STATES.index("starved_work")] = 500
    states[0, 1, STATES.index("working")] = 800
    states[0, 1, STATES.index("blocked")] = 200
    assert binding_constraints(states, ("a", "b"), None, (), {}, {}) == [("work_centre", "b")]


# ---- with the engine: MRP in the loop, planned vs simulated ----------------------------


def test_tiny_ramp_simulated_answer_is_known() -> None:
    from droneworks.factory.plan.rampup import analyse_rampup

    plant = load_plant(DATA / "tiny-ramp.toml")
    result = analyse_rampup(plant, reps=2, verify=True)
    # Deterministic: 168 a week on one station, so week 2 (plan 200) misses; with two
    # stations from week 3 the 32 left over and the 300 of week 3 fit in 336.
    assert result.missed_periods == (2,)
    outputs = [p.simulated_mean for p in result.periods]
    assert outputs[2] == pytest.approx(168, abs=1)
    assert sum(outputs) == pytest.approx(sum(p.planned for p in result.periods), abs=2)
    assert result.periods[2].binding_kind == "work_centre"
    assert result.periods[2].binding == "bench"
    assert result.reached_period == 3  # 300 a week from week 3 on
    # The change due by week 2 (rough-cut) holds the plan in the simulation too: with the
    # second station from week 2 nothing is missed.
    assert result.verified_at_latest is True
    assert result.missed_at_latest == ()
    (order,) = [o for o in result.order_deadlines if o.part == "motor"]
    assert not order.past_due


def _steady_plant(late: bool) -> Any:
    data = tiny_ramp_data()
    data["demand"]["plan"] = {"drone": [100] * 6}
    data["capacity_changes"] = []
    data["parts"]["motor"]["initial_stock"] = 400  # one week of motors
    if late:  # every delivery two weeks late
        data["suppliers"]["motor-maker"]["late_probability"] = 1.0
        data["suppliers"]["motor-maker"]["late_by"] = {"dist": "constant", "value": "2 wk"}
    return parse_plant(data)


def test_late_supplier_moves_the_bottleneck_to_material() -> None:
    from droneworks.factory.plan.mrp_plant import plan_plant_mrp
    from droneworks.factory.plan.rampup import analyse_rampup

    reliable = _steady_plant(late=False)
    orders = plan_plant_mrp(reliable).purchase_orders()  # planned for a reliable supplier
    on_time = analyse_rampup(reliable, reps=2, purchase_orders=orders)
    assert on_time.missed_periods == ()
    assert {p.binding_kind for p in on_time.periods} == {"work_centre"}
    late = analyse_rampup(_steady_plant(late=True), reps=2, purchase_orders=orders)
    kinds = [(p.binding_kind, p.binding) for p in late.periods]
    assert ("material", "motor") in kinds
    assert late.missed_periods  # the plan is missed while motors are two weeks late
    assert late.periods[0].binding_kind == "work_centre"  # week 0 runs on initial stock


def test_rampup_command_json_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from droneworks.cli.main import main

    report = tmp_path / "rampup.html"
    args = ["factory", "rampup", str(DATA / "tiny-ramp.toml"), "--reps", "2", "--json"]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--report", str(report)])
    assert exit_.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["missed_periods"] == [2]
    assert data["capacity_changes"][0]["latest"] == "2026-01-19"  # start of week 2
    assert data["capacity_changes"][0]["slack_days"] == pytest.approx(-7)
    assert data["first_purchase_orders"][0]["part"] == "motor"
    html = report.read_text()
    for title in (
        "Planned vs simulated output",
        "Learning curve",
        "MRP purchase order",
        "Simulated stock",
    ):
        assert title in html


@pytest.mark.slow
def test_demo_part_answers_on_minsk_rampup(tmp_path: Path) -> None:
    import json

    from droneworks.core.progress import RecordingProgress
    from droneworks.factory.demo_rampup import DEMO_REPS, demo_part

    answer = demo_part(tmp_path, RecordingProgress())
    assert answer.data["reps"] == DEMO_REPS
    assert answer.data["verified_at_latest"] in (True, False)  # re-simulated at latest dates
    assert "100,271/yr" in answer.answer[0]  # 7,692 per 4 weeks, annualised
    assert any("First purchase orders due" in line for line in answer.answer)
    summary = json.loads((tmp_path / "rampup.json").read_text())
    assert len(summary["periods"]) == 39
    assert len(summary["capacity_changes"]) == 86  # one per [[capacity_changes]] of the file
    assert (tmp_path / "rampup_mrp_orders.csv").stat().st_size > 0
    figures = [figure for section in answer.sections for figure in section.figures]
    assert len(figures) == 4
    for figure in figures:  # every plot: title, axis titles, named traces
        layout = figure.layout
        assert layout.title.text and layout.xaxis.title.text and layout.yaxis.title.text
        assert layout.showlegend and all(trace.name for trace in figure.data)
