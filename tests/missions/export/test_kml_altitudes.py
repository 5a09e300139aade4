"""KML paths carry the heights the mission flies (relativeToGround), as docs/export.md says."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from droneworks.catalogue import default_catalogue
from droneworks.missions.delivery import plan_deliveries
from droneworks.missions.delivery.export import write_delivery_files
from droneworks.missions.export import read_qgc_plan
from droneworks.missions.field import Field
from droneworks.missions.field_plans import spray_missions, write_mission_files
from droneworks.missions.spray import SprayParams, plan_spray
from tests.missions.test_delivery_files import two_hubs_with_colliding_names

KML = "{http://www.opengis.net/kml/2.2}"


def _paths(path: Path) -> list[tuple[str, list[tuple[float, ...]]]]:
    root = ET.parse(path).getroot()
    lines = []
    for line in root.iter(f"{KML}LineString"):
        mode = line.findtext(f"{KML}altitudeMode") or ""
        text = line.findtext(f"{KML}coordinates") or ""
        lines.append((mode, [tuple(float(v) for v in p.split(",")) for p in text.split()]))
    return lines


def test_spray_kml_paths_fly_at_the_spray_height(convex_field: Field, tmp_path: Path) -> None:
    plan = plan_spray(convex_field, default_catalogue()["agras-t40-class"], SprayParams(15.0))
    written = write_mission_files(spray_missions(plan), tmp_path, "spray", "test")
    lines = _paths(next(p for p in written if p.suffix == ".kml"))
    assert len(lines) == len(plan.sorties)
    for mode, coords in lines:
        assert mode == "relativeToGround"
        heights = {round(c[2], 6) for c in coords[1:-1]}
        assert heights == {plan.height_m}
        assert coords[0][2] == 0.0 and coords[-1][2] == 0.0  # take-off and landing at home


def test_delivery_kml_descends_at_each_drop(tmp_path: Path) -> None:
    plan = plan_deliveries(two_hubs_with_colliding_names(), iterations=200)
    written = write_delivery_files(plan, tmp_path)
    lines = _paths(next(p for p in written if p.suffix == ".kml"))
    plans = [read_qgc_plan(p).plan for p in written if p.suffix == ".plan"]
    assert len(lines) == len(plans)
    for (mode, coords), mission in zip(lines, plans, strict=True):
        assert mode == "relativeToGround"
        expected = [0.0] + [item.display_alt_m for item in mission.items if item.has_position]
        assert [c[2] for c in coords] == expected
