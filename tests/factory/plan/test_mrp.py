"""MRP against a hand-computed three-level example, plus invariants over random BOMs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.core.errors import ModelError
from droneworks.factory.plan.lotsizing import (
    EoqSizer,
    FixedQuantitySizer,
    LotForLotSizer,
    LotSizer,
    PeriodOrderQuantitySizer,
)
from droneworks.factory.plan.mrp import (
    BomLine,
    ExceptionKind,
    MrpItem,
    MrpProblem,
    OrderKind,
    low_level_codes,
    plan_mrp,
)

from .mrp_checks import assert_mrp_balances


@pytest.fixture
def textbook() -> MrpProblem:
    """Three levels: A (end item) ← 2 B + 1 C; B ← 1 C + 3 D; so C has low-level code 2.

    A: lead time 1, on hand 5, lot-for-lot.            Demand for A: 20 in 4, 15 in 6, 10 in 7.
    B: lead time 2, on hand 10, fixed lots of 40, a receipt of 40 scheduled in period 2.
    C: lead time 1, on hand 20, safety stock 5, POQ 2 periods, 10 scheduled in period 4.
    D: lead time 4, on hand 100, EOQ 150 (its first need falls inside the lead time).
    """
    return MrpProblem(
        items=(
            MrpItem("A", 1, on_hand=5, purchased=False),
            MrpItem(
                "B",
                2,
                on_hand=10,
                lot_sizer=FixedQuantitySizer(40),
                scheduled_receipts=((2, 40),),
                purchased=False,
            ),
            MrpItem(
                "C",
                1,
                on_hand=20,
                safety_stock=5,
                lot_sizer=PeriodOrderQuantitySizer(2),
                scheduled_receipts=((4, 10),),
            ),
            MrpItem("D", 4, on_hand=100, lot_sizer=EoqSizer(150)),
        ),
        bom=(
            BomLine("A", "B", 2),
            BomLine("A", "C", 1),
            BomLine("B", "C", 1),
            BomLine("B", "D", 3),
        ),
        demand={"A": (0, 0, 0, 0, 20, 0, 15, 10)},
        n_periods=8,
        period_min=10080,
    )


# The expected tables, worked out by hand (period 0 … 7), row by row as in a textbook:
# A: on hand 5 covers nothing after period 4; LFL receipts 15, 15, 10 released a period early.
# B: gross = 2 × A releases (30 in 3, 30 in 5, 20 in 6); 10 + 40 (receipt in 2) − 30 = 20 in 3;
#    20 − 30 = −10 in 5 → net 10 → one lot of 40 in 5, released in 3.
# C: gross = A releases + B releases = 15 + 40 = 55 in 3, 15 in 5, 10 in 6.
#    20 − 55 = −35 → net 35 + 5 (safety) = 40; POQ adds period 4 (0 − 10 receipt → 0) → 40.
#    period 4: 5 + 10 = 15; period 5: 15 − 15 = 0 → net 5, POQ adds period 6's 10 → 15.
# D: gross = 3 × B releases = 120 in 3; 100 − 120 = −20 in period 3 < lead time 4 → past due,
#    short 20; period 4: net 20 → EOQ 150 received in 4, released in 0 → 130 left.
EXPECTED = {
    "A": {
        "gross_requirements": (0, 0, 0, 0, 20, 0, 15, 10),
        "scheduled_receipts": (0, 0, 0, 0, 0, 0, 0, 0),
        "projected_on_hand": (5, 5, 5, 5, 0, 0, 0, 0),
        "net_requirements": (0, 0, 0, 0, 15, 0, 15, 10),
        "planned_receipts": (0, 0, 0, 0, 15, 0, 15, 10),
        "planned_releases": (0, 0, 0, 15, 0, 15, 10, 0),
    },
    "B": {
        "gross_requirements": (0, 0, 0, 30, 0, 30, 20, 0),
        "scheduled_receipts": (0, 0, 40, 0, 0, 0, 0, 0),
        "projected_on_hand": (10, 10, 50, 20, 20, 30, 10, 10),
        "net_requirements": (0, 0, 0, 0, 0, 10, 0, 0),
        "planned_receipts": (0, 0, 0, 0, 0, 40, 0, 0),
        "planned_releases": (0, 0, 0, 40, 0, 0, 0, 0),
    },
    "C": {
        "gross_requirements": (0, 0, 0, 55, 0, 15, 10, 0),
        "scheduled_receipts": (0, 0, 0, 0, 10, 0, 0, 0),
        "projected_on_hand": (20, 20, 20, 5, 15, 15, 5, 5),
        "net_requirements": (0, 0, 0, 40, 0, 5, 0, 0),
        "planned_receipts": (0, 0, 0, 40, 0, 15, 0, 0),
        "planned_releases": (0, 0, 40, 0, 15, 0, 0, 0),
    },
    "D": {
        "gross_requirements": (0, 0, 0, 120, 0, 0, 0, 0),
        "scheduled_receipts": (0, 0, 0, 0, 0, 0, 0, 0),
        "projected_on_hand": (100, 100, 100, -20, 130, 130, 130, 130),
        "net_requirements": (0, 0, 0, 20, 20, 0, 0, 0),
        "planned_receipts": (0, 0, 0, 0, 150, 0, 0, 0),
        "planned_releases": (150, 0, 0, 0, 0, 0, 0, 0),
    },
}


def test_textbook_tables_match_the_hand_computation(textbook: MrpProblem) -> None:
    result = plan_mrp(textbook)
    for item, rows in EXPECTED.items():
        record = result.records[item]
        for row, expected in rows.items():
            assert getattr(record, row) == pytest.approx(expected), f"{item}.{row}"
    assert {name: r.low_level_code for name, r in result.records.items()} == {
        "A": 0,
        "B": 1,
        "C": 2,
        "D": 2,
    }
    assert_mrp_balances(textbook, result)


def test_textbook_orders_and_exceptions(textbook: MrpProblem) -> None:
    result = plan_mrp(textbook)
    orders = [
        (o.item, o.kind, o.release_period, o.receipt_period, o.quantity) for o in result.orders
    ]
    assert orders == [
        ("D", OrderKind.PURCHASE, 0, 4, 150),
        ("C", OrderKind.PURCHASE, 2, 3, 40),
        ("A", OrderKind.SHOP, 3, 4, 15),
        ("B", OrderKind.SHOP, 3, 5, 40),
        ("C", OrderKind.PURCHASE, 4, 5, 15),
        ("A", OrderKind.SHOP, 5, 6, 15),
        ("A", OrderKind.SHOP, 6, 7, 10),
    ]
    assert result.purchase_orders()[0].release_min == 0
    assert result.purchase_orders()[1].release_min == 2 * 10080
    found = {(e.item, e.kind, e.period, e.quantity) for e in result.exceptions}
    assert found == {
        ("B", ExceptionKind.DE_EXPEDITE, 2, 40),  # not needed before period 3
        ("C", ExceptionKind.EXPEDITE, 4, 10),  # needed in period 3
        ("D", ExceptionKind.PAST_DUE_RELEASE, 3, 20),  # release due in period −1
        ("D", ExceptionKind.SHORTAGE, 3, 20),
    }


def test_cyclic_bom_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="cyclic"):
        low_level_codes(
            ["A", "B", "C"], [BomLine("A", "B", 1), BomLine("B", "C", 1), BomLine("C", "B", 1)]
        )


def test_unknown_bom_item_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="unknown"):
        MrpProblem((MrpItem("A", 0),), (BomLine("A", "X", 1),), {}, 4)


def test_safety_stock_alone_triggers_an_order() -> None:
    problem = MrpProblem((MrpItem("P", 1, on_hand=3, safety_stock=10),), (), {}, 3)
    record = plan_mrp(problem).records["P"]
    # Period 0 is inside the lead time: stock stays 3; the order lands in period 1.
    assert record.projected_on_hand == (3, 10, 10)
    assert record.planned_releases == (7, 0, 0)


SIZERS = st.one_of(
    st.just(LotForLotSizer()),
    st.builds(FixedQuantitySizer, st.integers(1, 60).map(float)),
    st.builds(EoqSizer, st.integers(1, 80).map(float)),
    st.builds(PeriodOrderQuantitySizer, st.integers(1, 4)),
)


@st.composite
def mrp_problems(draw: st.DrawFn) -> MrpProblem:
    """Random acyclic BOMs (edges from lower to higher index), demands and receipts."""
    n_items = draw(st.integers(1, 6))
    n_periods = draw(st.integers(1, 12))
    names = [f"I{k}" for k in range(n_items)]
    bom = tuple(
        BomLine(names[i], names[j], draw(st.integers(1, 4)).__float__())
        for i in range(n_items)
        for j in range(i + 1, n_items)
        if draw(st.booleans())
    )
    items = []
    for name in names:
        sizer: LotSizer = draw(SIZERS)
        receipts = draw(
            st.lists(
                st.tuples(st.integers(0, n_periods - 1), st.integers(0, 50).map(float)), max_size=2
            )
        )
        items.append(
            MrpItem(
                name,
                draw(st.integers(0, 3)),
                on_hand=draw(st.integers(0, 60)),
                safety_stock=draw(st.integers(0, 10)),
                lot_sizer=sizer,
                scheduled_receipts=tuple(receipts),
                purchased=draw(st.booleans()),
            )
        )
    demand = {
        name: tuple(
            draw(st.lists(st.integers(0, 30).map(float), min_size=n_periods, max_size=n_periods))
        )
        for name in names
        if draw(st.booleans())
    }
    return MrpProblem(tuple(items), bom, demand, n_periods, period_min=1440.0)


@settings(max_examples=150, deadline=None)
@given(mrp_problems())
def test_random_plans_balance(problem: MrpProblem) -> None:
    result = plan_mrp(problem)
    assert_mrp_balances(problem, result)
    for found in result.exceptions:
        assert found.quantity > 0
        assert 0 <= found.period < problem.n_periods


TINY = Path(__file__).resolve().parents[1] / "data" / "mrp" / "tiny-mrp.toml"


def test_plant_mrp_on_the_tiny_plant() -> None:
    from droneworks.factory.model import load_plant
    from droneworks.factory.plan.mrp_plant import plan_plant_mrp

    planned = plan_plant_mrp(load_plant(TINY))
    assert_mrp_balances(planned.problem, planned.result)
    records = planned.result.records
    # Motors: exactly 2 weeks → 2 periods; boards: p90 of U(1, 3) wk = 2.8 wk → 3 periods.
    assert records["motor"].lead_time_periods == 2
    assert records["board"].lead_time_periods == 3
    assert planned.planned_lead_time_min["board"] == pytest.approx(2.8 * 10080, rel=0.01)
    plan = (10, 20, 40, 40, 40, 40, 40, 40)
    assert records["motor"].gross_requirements == tuple(4.0 * q for q in plan)
    assert records["board"].gross_requirements == tuple(float(q) for q in plan)
    motor_orders = [o for o in planned.result.purchase_orders() if o.item == "motor"]
    assert all(o.quantity % 200 == 0 for o in motor_orders)
    # 100 motors on hand cover period 0 (40) but not period 1 (80): inside the lead time.
    kinds = {(e.item, e.kind, e.period) for e in planned.result.exceptions}
    assert ("motor", ExceptionKind.SHORTAGE, 1) in kinds
    assert ("board", ExceptionKind.PAST_DUE_RELEASE, 2) in kinds


def test_mrp_command_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from droneworks.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(["factory", "mrp", str(TINY), "--json", "--csv", str(tmp_path), "--horizon", "6 wk"])
    assert exit_.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["n_periods"] == 6
    assert {o["item"] for o in data["orders"] if o["kind"] == "purchase"} == {"motor", "board"}
    assert data["records"]["motor"]["lead_time_periods"] == 2
    assert (tmp_path / "mrp_orders.csv").read_text().startswith("item,kind,release period")
    assert (tmp_path / "mrp_table.csv").exists()


def test_mrp_command_rejects_a_bad_horizon(capsys: pytest.CaptureFixture[str]) -> None:
    from droneworks.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(["factory", "mrp", str(TINY), "--horizon", "6"])
    assert exit_.value.code == 1
    assert "ConfigError" in capsys.readouterr().err
