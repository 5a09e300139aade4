"""Do the exported mission files fly within the battery the plan promised?

Plans survey, spray and delivery missions, writes every ``.plan`` file, and replays each
one item by item (:func:`droneworks.missions.flight.replay.replay_mission`: transits at the
commanded speed, climbs, descents to the release height, holds, spraying, drops) to count
the sorties over the battery budget after the 20 % reserve and the worst replay / budget.

Two steps, so that an older droneworks can write the files and this one replay them:

    .venv/bin/python benchmarks/bench_flyable.py                       # write + replay
    .venv/bin/python benchmarks/bench_flyable.py --before OLD/src      # also an old tree

It also times the 20 ha field with a pond planned end to end (the issue's ≤ 0.1 s target)
in ``--pairs`` fresh processes per tree, before and after alternately.

``--before`` runs the ``write`` step with ``PYTHONPATH=OLD/src`` (e.g. ``git archive`` of an
older commit) and replays its files with this tree's replay. Files that end in
``RETURN_TO_LAUNCH`` (older delivery files) are replayed with the return flown at the
mission's last altitude straight home (the most favourable reading: an RTL climbs to the
autopilot's RTL altitude first). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = ("survey-150ha", "survey-field_100ha", "spray-strip-5Lha", "spray-far", "deliveries-100")


def _fields() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.missions.field_makers import far_field, field_150ha, strip_field

    from droneworks.missions.field import load_field

    return {
        "150ha": field_150ha(),
        "field_100ha": load_field(ROOT / "examples" / "fields" / "field_100ha.geojson"),
        "strip": strip_field(),
        "far": far_field(),
    }


def write(out: Path) -> None:
    """Plan every case with the droneworks on the path; write .plan files and a manifest."""
    from droneworks.catalogue import default_catalogue
    from droneworks.missions.delivery import load_deliveries, plan_deliveries
    from droneworks.missions.delivery.export import sortie_mission
    from droneworks.missions.export import write_qgc_plan
    from droneworks.missions.field_plans import spray_missions, survey_missions
    from droneworks.missions.spray import SprayParams, plan_spray
    from droneworks.missions.survey import SurveyParams, plan_survey

    catalogue, fields, manifest = default_catalogue(), _fields(), []

    def add(case: str, mission: Any, planned_wh: float, crs: str, load: dict[str, Any]) -> None:
        path = write_qgc_plan(mission, out / f"{case}-{len(manifest):03d}.plan")
        manifest.append({"case": case, "file": path.name, "planned_wh": planned_wh,
                         "crs": crs, "load": load})  # fmt: skip

    for name in ("150ha", "field_100ha"):
        try:
            plan = plan_survey(fields[name], catalogue["mavic-3m-class"], SurveyParams(gsd_m=0.02))
        except Exception as error:
            manifest.append({"case": f"survey-{name}", "refused": str(error)})
            continue
        for sortie, mission in zip(plan.sorties, survey_missions(plan), strict=True):
            add(f"survey-{name}", mission, sortie.energy_wh, plan.field.projection.crs, {})
    for case, name, rate in (("spray-strip-5Lha", "strip", 5.0), ("spray-far", "far", 15.0)):
        try:
            plan = plan_spray(fields[name], catalogue["agras-t40-class"], SprayParams(rate))
        except Exception as error:
            manifest.append({"case": case, "refused": str(error)})
            continue
        area_ha = plan.sprayable_m2 / 1e4
        manifest.append({"case": case, "volume_l": plan.summary()["volume_l"],
                         "ideal_l": rate * area_ha})  # fmt: skip
        for sortie, mission in zip(plan.sorties, spray_missions(plan), strict=True):
            load = {"liquid_l": sortie.loaded_l, "width": plan.swath_width_m, "rate": rate}
            add(case, mission, sortie.energy_wh, plan.field.projection.crs, load)
    problem = load_deliveries(ROOT / "examples" / "deliveries" / "minsk_100.toml")
    plan = plan_deliveries(problem, iterations=2000, seed=0)
    crs = f"EPSG:{32600 + int((problem.bases[0].lon + 180) // 6) + 1}"
    for sortie in plan.sorties:
        parcels = [stop.payload_kg for stop in sortie.stops]
        add("deliveries-100", sortie_mission(plan, sortie), sortie.energy_wh, crs,
            {"parcels": parcels, "drone": sortie.drone_type})  # fmt: skip
    (out / "manifest.json").write_text(json.dumps(manifest))


def _settings(case: str, load: dict[str, Any]) -> tuple[Any, Any]:
    from droneworks.catalogue import default_catalogue
    from droneworks.missions.delivery import DeliveryParams
    from droneworks.missions.delivery.sortie import DroneOps
    from droneworks.missions.flight import FlightSettings, Load
    from droneworks.missions.spray import SprayParams, spray_flight
    from droneworks.missions.survey import SurveyParams, survey_flight

    catalogue, fields = default_catalogue(), _FIELDS
    if case.startswith("survey"):
        field = fields[case.removeprefix("survey-")]
        drone = catalogue["mavic-3m-class"]
        return survey_flight(field, drone, SurveyParams(gsd_m=0.02), 1.0), Load()
    if case.startswith("spray"):
        field = fields["strip" if "strip" in case else "far"]
        drone = catalogue["agras-t40-class"]
        flight: FlightSettings = spray_flight(field, drone, SprayParams(load["rate"]), 7.0)
        return flight, Load(0.0, load["liquid_l"], 1.0, load["width"], load["rate"], load["rate"])
    ops = DroneOps.of(catalogue[load["drone"]], DeliveryParams())
    return ops.flight, Load(parcels_kg=tuple(load["parcels"]))


def _without_rtl(mission: Any) -> Any:
    from droneworks.missions.export import MavCmd, land, waypoint

    items, alt = [], 0.0
    for item in mission.items:
        if item.command == MavCmd.NAV_RETURN_TO_LAUNCH:
            items += [waypoint(mission.home_lon, mission.home_lat, alt),
                      land(mission.home_lon, mission.home_lat)]  # fmt: skip
            continue
        alt = item.alt if item.has_position else alt
        items.append(item)
    return replace(mission, items=tuple(items))


def replay(out: Path) -> dict[str, Any]:
    """Replay every manifest file with this tree's model; figures per case."""
    from droneworks.core.geo import LocalProjection
    from droneworks.missions.export import read_qgc_plan
    from droneworks.missions.flight import replay_mission

    figures: dict[str, Any] = {case: {"sorties": 0, "over_budget": 0, "worst_share": 0.0,
                                      "worst_vs_planned": 0.0} for case in CASES}  # fmt: skip
    for entry in json.loads((out / "manifest.json").read_text()):
        case = figures[entry["case"]]
        if "refused" in entry or "volume_l" in entry:
            case.update({k: v for k, v in entry.items() if k != "case"})
            continue
        flight, load = _settings(entry["case"], entry["load"])
        mission = _without_rtl(read_qgc_plan(out / entry["file"]).plan)
        result = replay_mission(mission, flight, LocalProjection.from_crs(entry["crs"]), load)
        share = result.energy_wh / flight.energy.budget_wh
        case["sorties"] += 1
        case["over_budget"] += share > 1.0
        case["worst_share"] = max(case["worst_share"], share)
        case["worst_vs_planned"] = max(
            case["worst_vs_planned"], result.energy_wh / entry["planned_wh"]
        )
    return figures


def time_20ha(repeats: int = 7) -> dict[str, Any]:
    """The 20 ha field with a pond planned end to end (best heading, route, sorties)."""
    from droneworks.catalogue import default_catalogue
    from droneworks.missions.field import load_field
    from droneworks.missions.spray import SprayParams, plan_spray

    field = load_field(ROOT / "examples" / "fields" / "field_20ha.geojson")
    drone = default_catalogue()["agras-t40-class"]
    plan = plan_spray(field, drone, SprayParams(15.0))  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        plan = plan_spray(field, drone, SprayParams(15.0))
        times.append(time.perf_counter() - start)
    summary = plan.summary()
    return {"median_s": statistics.median(times), "covered_ratio": summary["covered_ratio"],
            "legs_through_holes": plan.legs_crossing_keep_out(),
            "volume_l": summary["volume_l"]}  # fmt: skip


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(src).resolve()), str(ROOT)])
    return env


def _write_with(src: str | None, out: Path) -> float:
    start = time.perf_counter()
    command = [sys.executable, __file__, "write", str(out)]
    subprocess.run(command, check=True, env=_env(src), cwd=ROOT)
    return time.perf_counter() - start


def _timed_pairs(before: str | None, pairs: int) -> dict[str, Any]:
    """``time_20ha`` in fresh processes, before and after alternately (a busy machine's
    load hits both alike); medians of the per-process medians."""
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for _ in range(pairs):
        for label, src in (("before", before), ("after", None)):
            if label == "before" and src is None:
                continue
            command = [sys.executable, __file__, "time20"]
            done = subprocess.run(command, check=True, env=_env(src), cwd=ROOT,
                                  capture_output=True, text=True)  # fmt: skip
            runs[label].append(json.loads(done.stdout))
    result: dict[str, Any] = {}
    for label, rows in runs.items():
        if rows:
            result[label] = {**rows[-1], "median_s": statistics.median(r["median_s"] for r in rows),
                             "process_medians_s": [r["median_s"] for r in rows]}  # fmt: skip
    if len(result) == 2:
        result["after_over_before"] = result["after"]["median_s"] / result["before"]["median_s"]
    return result


_FIELDS: dict[str, Any] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=("write", "time20", "all"), default="all")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--before", help="src/ of an older droneworks to compare")
    parser.add_argument("--pairs", type=int, default=5, help="timing processes per tree")
    args = parser.parse_args()
    if args.step == "write":
        write(Path(args.out))
        return
    if args.step == "time20":
        print(json.dumps(time_20ha()))
        return
    _FIELDS.update(_fields())
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, src in (("before", args.before), ("after", None)):
            if label == "before" and src is None:
                continue
            out = Path(tmp) / label
            out.mkdir()
            seconds = _write_with(src, out)
            result[label] = {"plan_and_write_s": seconds, **replay(out)}
    result["spray_20ha_end_to_end"] = _timed_pairs(args.before, args.pairs)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
