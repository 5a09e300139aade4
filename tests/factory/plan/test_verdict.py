"""One verdict: the same numbers whichever command asks, on the shipped plants."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from droneworks.core.executor import SerialExecutor
from droneworks.factory.plan.roughcut import annual_demand
from droneworks.factory.plan.runs import load_for_run, replicate_plant, size_plant, sizing_verdict
from tests.factory.test_cli_simulate import _run

PLANTS = Path(__file__).resolve().parents[3] / "examples" / "plants"


def test_minsk_2k_flags_its_plan_miss_with_size_and_reasons(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "factory", "simulate", str(PLANTS / "minsk-2k.toml"), "--json")
    assert code == 0
    verdict = json.loads(out)["verdict"]
    plant, _ = load_for_run(PLANTS / "minsk-2k.toml")
    demanded = annual_demand(plant)
    assert demanded == pytest.approx(154 * 365 / 28)  # 154 units per 4-week plan period
    delivered = verdict["delivered"]["mean"]
    assert verdict["demanded_per_year"] == pytest.approx(demanded)
    assert verdict["plan_miss_per_year"] == pytest.approx(demanded - delivered)
    assert verdict["plan_miss_per_year"] > 0.01 * demanded
    assert "PLAN MISSED by" in verdict["text"]
    assert verdict["capacity"]["mean"] > delivered
    assert verdict["reasons"] and verdict["binding"]
    _assert_miss_adds_up(verdict)
    scrapped = {p["what"]: p["per_year"] for p in verdict["shortfall"]}
    assert scrapped["scrapped (a scrapped product is not rebuilt)"] > 0  # 44 units, ~45/yr


def _assert_miss_adds_up(verdict: dict[str, Any]) -> None:
    """Every ordered unit is delivered, still open at the end or scrapped: the parts of
    the shortfall add up to the plan miss exactly, and the answer says each."""
    parts = [p["per_year"] for p in verdict["shortfall"]]
    assert sum(parts) == pytest.approx(verdict["plan_miss_per_year"], abs=2.0)  # < 0.5 dropped
    assert "The miss adds up:" in verdict["text"]


def test_minsk_100k_delivers_less_than_capacity_and_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "factory", "simulate", str(PLANTS / "minsk-100k.toml"), "--json")
    assert code == 0
    data = json.loads(out)
    verdict = data["verdict"]
    assert verdict["delivered"]["mean"] == pytest.approx(data["throughput_per_year"])
    assert verdict["demanded_per_year"] == pytest.approx(100_000)
    assert verdict["capacity"]["mean"] > 100_000 > verdict["delivered"]["mean"]
    assert verdict["answer"] == "yes" and math.isnan(verdict["probability"] or math.nan)
    assert any("orders only 100,000/yr" in reason for reason in verdict["reasons"])
    assert verdict["plan_miss_per_year"] > 0
    _assert_miss_adds_up(verdict)
    waiting = verdict["shortfall"][0]
    assert waiting["what"].startswith("more orders waiting for release at the end")
    assert waiting["per_year"] > 1_000  # orders that arrived over the year-end shutdown


def test_replicate_and_size_give_the_same_verdict() -> None:
    path = PLANTS / "minsk-2k.toml"
    common = {"years": 0.3, "executor": SerialExecutor()}
    replicated = replicate_plant(path, 2, **common)
    plant, sizing, _ = size_plant(path, 500.0, reps=2, max_evaluations=1, **common)
    sized = sizing_verdict(plant, sizing, SerialExecutor())
    by_replicate = replicated.verdict
    assert by_replicate is not None and sized is not None
    assert sized.capacity.mean == pytest.approx(by_replicate.capacity.mean)
    assert sized.delivered.mean == pytest.approx(by_replicate.delivered.mean)
    assert sized.binding == by_replicate.binding
    assert sized.reasons == by_replicate.reasons
    assert sized.target_per_year == 500.0 and sized.answer == "yes"
