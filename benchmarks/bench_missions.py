"""Field missions: a 20 ha field with a hole and a 100 ha field planned end to end, side by
side with planning the whole route at every heading; plus M2's 100 deliveries with 5 drones.

Fields: ``examples/fields/field_20ha.geojson`` (22.3 ha, a pond) and ``field_100ha.geojson``
(98 ha, a tree island and a bay), synthetic but realistic fields near Minsk; DJI Agras T40
class sprayer, 15 L/ha, one headland pass.

* ``droneworks`` — ``plan_spray`` end to end: headlands, the best of 180 headings by the
  cheap objective (fewest swath pieces = turns, from numpy scanlines; no route per
  heading), cells, route, path, tank/battery sorties. Wall time is the median of
  ``--repeats`` runs.
* ``replan_every_heading`` — the peer Fields2Cover's brute-force mode stands for (it cannot
  be installed here): the whole coverage route (cells, route, path with transits) planned
  at each of the 180 headings and the best kept, by the same turn objective, then the same
  sorties. Same code, same machine, one run.

Wind: the same fields in a 4–6 m/s wind, the heading chosen wind-blind (fewest turns)
against the wind-aware ``time`` objective, both flown in that wind (no open planner plans
for wind). Also the survey of each field with a Mavic 3M class camera at 2 cm GSD, and (unless
``--no-deliveries``) ``benchmarks/bench_deliveries.py``'s figure. Prints one JSON object.

    .venv/bin/python benchmarks/bench_missions.py
    .venv/bin/python benchmarks/bench_missions.py --repeats 3 --no-deliveries
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from droneworks.catalogue import default_catalogue
from droneworks.missions.coverage import (
    CoverageParams,
    SwathObjective,
    VisibilityTransitPlanner,
    plan_coverage,
)
from droneworks.missions.field import Field, load_field
from droneworks.missions.spray import SprayParams, plan_spray
from droneworks.missions.survey import SurveyParams, plan_survey
from droneworks.missions.true_north import grid_to_true_deg
from droneworks.missions.wind import Wind

FIELDS = Path(__file__).resolve().parents[1] / "examples" / "fields"


def _timed(function: Any, repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def replan_every_heading(field: Field, headings: int) -> tuple[float, dict[str, Any]]:
    """The whole route at every heading; the best by turns (then length). (seconds, figures)"""
    drone = default_catalogue()["agras-t40-class"]
    width = drone.swath_width or 11.0
    start = time.perf_counter()
    sprayable = field.sprayable(2.0)
    transit = VisibilityTransitPlanner(field.flyable(0.0, 2.0))
    best = None
    for index in range(headings):
        heading = index * 180.0 / headings
        plan = plan_coverage(
            sprayable, transit, CoverageParams(width, 1, heading_deg=heading), field.base_xy
        )
        key = (plan.path.turns, plan.path.length_m)
        if best is None or key < best[0]:
            best = (key, plan)
    assert best is not None
    heading = grid_to_true_deg(field, best[1].heading_deg)  # --heading is compass degrees
    spray = plan_spray(field, drone, SprayParams(15.0, heading_deg=heading))
    seconds = time.perf_counter() - start
    return seconds, _figures(spray.summary())


def _figures(summary: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "heading_deg",
        "turns",
        "path_m",
        "sorties",
        "flight_time_min",
        "volume_l",
        "covered_ratio",
    )
    return {key: summary[key] for key in keys}


def bench_field(name: str, repeats: int, headings: int) -> dict[str, Any]:
    field = load_field(FIELDS / name)
    drone = default_catalogue()["agras-t40-class"]
    params = SprayParams(15.0, objective=SwathObjective.TURNS)
    ours_s, plan = _timed(lambda: plan_spray(field, drone, params), repeats)
    peer_s, peer = replan_every_heading(field, headings)
    survey_s, survey = _timed(
        lambda: plan_survey(field, default_catalogue()["mavic-3m-class"], SurveyParams(gsd_m=0.02)),
        repeats,
    )
    return {
        "field": name,
        "area_ha": round(field.area_m2 / 1e4, 2),
        "droneworks": {"wall_s": ours_s, **_figures(plan.summary())},
        "replan_every_heading": {"wall_s": peer_s, **peer},
        "speedup": peer_s / ours_s,
        "survey_2cm_gsd": {
            "wall_s": survey_s,
            **{k: survey.summary()[k] for k in ("photos", "lines", "batteries", "flight_time_min")},
        },
    }


def bench_wind(
    name: str, winds: tuple[str, ...] = ("4 m/s@270", "6 m/s@270", "6 m/s@0")
) -> list[Any]:
    """Wind-blind heading (fewest turns) against the wind-aware ``time`` objective, each
    flown in the same wind: what planning for the wind is worth."""
    field = load_field(FIELDS / name)
    drone = default_catalogue()["agras-t40-class"]
    rows = []
    for text in winds:
        wind = Wind.parse(text)
        row: dict[str, Any] = {"field": name, "wind": str(wind)}
        for label, objective in (
            ("wind_blind_turns", SwathObjective.TURNS),
            ("wind_aware_time", SwathObjective.TIME),
        ):
            summary = plan_spray(
                field, drone, SprayParams(15.0, objective=objective, wind=wind)
            ).summary()
            row[label] = {
                key: summary[key]
                for key in ("heading_deg", "turns", "sorties", "flight_time_min", "energy_wh")
            }
        row["flight_time_saved"] = 1 - (
            row["wind_aware_time"]["flight_time_min"] / row["wind_blind_turns"]["flight_time_min"]
        )
        rows.append(row)
    return rows


def benchmark(repeats: int = 5, headings: int = 180, deliveries: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {
        "benchmark": "spray 20 ha with a pond and 100 ha, best of 180 headings, end to end",
        "date": datetime.date.today().isoformat(),
        "machine": platform.platform(),
        "repeats": repeats,
        "fields": [
            bench_field(name, repeats, headings)
            for name in ("field_20ha.geojson", "field_100ha.geojson")
        ],
        "wind": [
            row
            for name in ("field_20ha.geojson", "field_100ha.geojson")
            for row in bench_wind(name)
        ],
    }
    if deliveries:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_deliveries import benchmark as bench_deliveries

        result["deliveries"] = bench_deliveries(100, 5, 5.0, [0, 1, 2])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-deliveries", action="store_true")
    args = parser.parse_args()
    print(json.dumps(benchmark(args.repeats, 180, not args.no_deliveries), indent=2, default=float))


if __name__ == "__main__":
    main()
