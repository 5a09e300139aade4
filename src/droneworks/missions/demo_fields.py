"""`droneworks demo` part: a variable-rate spray mission with its map, and a survey summary.

Uses only what ships inside the package: the synthetic 20 ha field near Minsk (a pond in
the middle; ``missions/data/demo_field_20ha.geojson``, the same as
``examples/fields/field_20ha.geojson``) and a synthetic, seeded NDVI raster over it (the
crop is weaker in two patches), given as an array with its affine transform.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
from affine import Affine

from droneworks.catalogue import default_catalogue
from droneworks.core.progress import Progress
from droneworks.core.report import Section, Table, write_atomic
from droneworks.demo import DemoAnswer
from droneworks.missions.field import Field, parse_field_geojson
from droneworks.missions.field_plans import spray_missions, write_mission_files, zone_polygons
from droneworks.missions.prescription import NdviRaster, Prescription
from droneworks.missions.spray import SprayParams, plan_spray
from droneworks.missions.survey import SurveyParams, plan_survey
from droneworks.missions.wind import Wind

__all__ = ["demo_field", "demo_ndvi", "demo_part"]


def demo_field() -> Field:
    """The built-in synthetic 20 ha field with a pond."""
    import json

    text = resources.files("droneworks.missions").joinpath("data/demo_field_20ha.geojson")
    return parse_field_geojson(json.loads(text.read_text("utf-8")), "built-in demo field")


def demo_ndvi(field: Field, seed: int = 7, pixel_m: float = 5.0) -> NdviRaster:
    """A synthetic NDVI raster over ``field`` in its local projection (seeded)."""
    x0, y0, x1, y1 = field.boundary.bounds
    cols, rows = int((x1 - x0) // pixel_m) + 9, int((y1 - y0) // pixel_m) + 9
    c, r = np.meshgrid(np.arange(cols), np.arange(rows))
    vigour = 0.6 + 0.15 * np.sin(c / 15.0) * np.cos(r / 19.0)
    vigour -= 0.3 * np.exp(-(((c - 0.75 * cols) / 10.0) ** 2 + ((r - 0.3 * rows) / 8.0) ** 2))
    vigour -= 0.25 * np.exp(-(((c - 0.2 * cols) / 9.0) ** 2 + ((r - 0.7 * rows) / 12.0) ** 2))
    vigour += np.random.default_rng(seed).normal(0, 0.02, vigour.shape)
    transform = Affine(pixel_m, 0, x0 - 4 * pixel_m, 0, -pixel_m, y1 + 4 * pixel_m)
    return NdviRaster(np.clip(vigour, 0.05, 0.9), transform, field.projection.crs)


def demo_part(out_dir: Path, progress: Progress) -> DemoAnswer:
    """Spray the demo field (variable rate, wind, two drones); survey it at 2 cm GSD."""
    progress.start("Field missions (spray, survey)", 3)
    field = demo_field()
    catalogue = default_catalogue()
    prescription = Prescription.from_ndvi(demo_ndvi(field), 15.0, zones=3)
    params = SprayParams(15.0, prescription=prescription, wind=Wind(4.0, 270.0), drones=2)
    plan = plan_spray(field, catalogue["agras-t40-class"], params)
    spray = plan.summary()
    progress.update(1)
    folder = out_dir / "fields"
    missions = spray_missions(plan, zone_polygons(plan))
    files = write_mission_files(missions, folder, "spray", "Spraying the 20 ha demo field")
    progress.update(2)
    survey = plan_survey(field, catalogue["mavic-3m-class"], SurveyParams(gsd_m=0.02)).summary()
    progress.update(3)
    sorties = Table(
        ["drone", "sortie", "sprayed L", "energy Wh", "of budget", "flight min"],
        [
            [
                s.drone + 1,
                s.index + 1,
                round(s.sprayed_l, 1),
                round(s.energy_wh),
                f"{s.energy_wh / plan.energy.budget_wh:.0%}",
                round(s.flight_time_min, 1),
            ]
            for s in plan.sorties
        ],
        caption="Spray sorties (refill and battery swap at the base; each resumes where the "
        "last stopped)",
    )
    write_atomic(folder / "spray_sorties.csv", sorties.to_csv())
    figures = Table(
        ["figure", "spray", "survey"],
        [
            ["area ha", round(spray["area_ha"], 2), round(survey["area_ha"], 2)],
            ["heading °", spray["heading_deg"], survey["heading_deg"]],
            ["path m", round(spray["path_m"]), round(survey["path_m"])],
            ["turns", spray["turns"], survey["turns"]],
            ["sorties / batteries", spray["sorties"], survey["batteries"]],
            [
                "flight time min",
                round(spray["flight_time_min"], 1),
                round(survey["flight_time_min"], 1),
            ],
        ],
        caption="Spray (T40 class, 15 L/ha ± zones, wind 4 m/s from W, 2 drones) and survey "
        "(Mavic 3M class, 2 cm)",
    )
    answer = [
        f"Spraying the 20 ha demo field: {spray['covered_ratio']:.1%} of the sprayable area "
        f"covered, {spray['volume_l']:.0f} L in {spray['sorties']} sorties by 2 drones, "
        f"{spray['mission_time_min']:.0f} min on the field; {plan.legs_crossing_keep_out()} "
        "legs cross the pond or leave the field.",
        f"Survey at 2 cm GSD: {survey['photos']} photos on {survey['lines']} lines, "
        f"{survey['flight_time_min']:.0f} min on {survey['batteries']} batteries.",
    ]
    map_file = next(path for path in files if path.suffix == ".png")
    section = Section(
        "Field missions",
        paragraphs=[
            *answer,
            "Synthetic field near Minsk and synthetic NDVI; see docs/missions.md.",
        ],
        tables=[figures, sorties],
        images=[str(map_file.relative_to(out_dir))],
    )
    data = {"spray": spray, "survey": survey, "files": [str(p.relative_to(out_dir)) for p in files]}
    return DemoAnswer(title="Field missions", answer=answer, sections=[section], data=data)
