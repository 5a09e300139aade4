"""`droneworks mission survey|spray FIELD …`: plan a survey or a spray mission of a field."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from droneworks.catalogue import load_catalogue
from droneworks.cli.output import ForceOption, emit, table, writing
from droneworks.core.errors import ConfigError
from droneworks.core.outputs import check_out_folder
from droneworks.core.units import Dimension, parse_quantity
from droneworks.missions.coverage import SwathObjective
from droneworks.missions.field import Field, load_field
from droneworks.missions.wind import CALM, Wind

app = typer.Typer(help="Plan missions for the drones the plant builds.", no_args_is_help=True)


def _finite(value: float | None) -> float | None:
    """Typer callback: a float option must be a finite number (click lets nan through)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number, not {value}")
    return value


FieldArg = Annotated[Path, typer.Argument(help="Field file: GeoJSON or KML (WGS84).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Write .plan, .waypoints, .geojson, .kml and a map PNG here."),
]
WindOption = Annotated[
    str | None, typer.Option("--wind", help="Wind speed@from-direction, e.g. 5m/s@270.")
]
ObjectiveOption = Annotated[
    str, typer.Option("--objective", help="Best heading by: turns, length or time.")
]
HeadingOption = Annotated[
    float | None,
    typer.Option("--heading", callback=_finite, help="Fix the swath heading (compass degrees)."),
]
BaseOption = Annotated[
    str | None,
    typer.Option("--base", help="Base (take-off, refill, swap) as LON,LAT; default: the file's."),
]
CatalogueOption = Annotated[
    list[Path] | None, typer.Option("--catalogue", help="Extra catalogue TOML file(s).")
]


def _objective(text: str) -> SwathObjective:
    try:
        return SwathObjective(text.strip().lower())
    except ValueError:
        raise ConfigError(f"unknown objective {text!r}; use turns, length or time") from None


def _overlaps(text: str) -> tuple[float, float]:
    parts = text.replace("%", "").split("/")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise ConfigError(f"{text!r} is not front/side overlap, e.g. 75/65") from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2:
        raise ConfigError(f"{text!r} is not front/side overlap, e.g. 75/65")
    fractions = [v / 100 if v > 1 else v for v in values]
    if not all(0 <= v < 1 for v in fractions):
        raise ConfigError(f"overlaps must be in [0, 100) %, not {text!r}")
    return fractions[0], fractions[1]


def _rates(text: str | None) -> tuple[float, ...] | None:
    if text is None:
        return None
    unit = "L/ha"
    body = text.replace("L/ha", "").replace("l/ha", "")
    return tuple(
        parse_quantity(f"{part.strip()} {unit}", Dimension.APPLICATION_RATE)
        for part in body.split(",")
        if part.strip()
    )


def _prescription(
    ndvi: Path | None, bands: str, base_rate: float, zones: int, zone_rates: str | None
) -> Any:
    """The NDVI prescription of ``--ndvi`` (None without it)."""
    if ndvi is None:
        return None
    from droneworks.missions.prescription import Prescription, read_ndvi_geotiff

    try:
        red_band, nir_band = (int(b) for b in bands.split(","))
    except ValueError:
        raise ConfigError(f"--bands {bands!r} is not red,NIR band numbers, e.g. 1,2") from None
    raster = read_ndvi_geotiff(ndvi, red_band, nir_band)
    try:
        return Prescription.from_ndvi(raster, base_rate, zones, _rates(zone_rates))
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _write(missions: list[Any], out: Path | None, stem: str, title: str, force: bool) -> list[str]:
    if out is None:
        return []
    from droneworks.missions.field_plans import write_mission_files

    with writing(force):
        return [str(path) for path in write_mission_files(missions, out, stem, title)]


def _load(field_file: Path, base: str | None) -> Field:
    loaded = load_field(field_file)
    if base is None:
        return loaded
    try:
        lon, lat = (float(part) for part in base.split(","))
    except ValueError:
        raise ConfigError(f"--base {base!r} is not LON,LAT in degrees, e.g. 27.55,53.90") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ConfigError(f"--base {base!r} is not LON,LAT in degrees")
    x, y = loaded.projection.to_local(lon, lat)
    return replace(loaded, base_xy=(float(x), float(y)))


def _figures_table(title: str, summary: dict[str, Any]) -> Any:
    rows = [(key, value) for key, value in summary.items() if not isinstance(value, list)]
    return table(title, ["figure", "value"], rows)


@app.command("survey")
def survey(
    field_file: FieldArg,
    drone: Annotated[str, typer.Option("--drone", help="Drone type id.")] = "mavic-3m-class",
    gsd: Annotated[
        str | None, typer.Option("--gsd", help="Ground sampling distance, e.g. 2cm.")
    ] = None,
    altitude: Annotated[
        str | None, typer.Option("--altitude", help="Height above ground, e.g. 60m.")
    ] = None,
    overlap: Annotated[str, typer.Option("--overlap", help="Front/side overlap in %.")] = "75/65",
    objective: ObjectiveOption = "turns",
    heading: HeadingOption = None,
    wind: WindOption = None,
    base: BaseOption = None,
    out: OutOption = None,
    catalogue: CatalogueOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Flight lines, triggers, photos, time and batteries for a camera survey."""
    from droneworks.missions.field_plans import survey_missions
    from droneworks.missions.survey import SurveyParams, plan_survey

    if (gsd is None) == (altitude is None):
        raise ConfigError("give exactly one of --gsd and --altitude")
    if out is not None:
        check_out_folder(out)
    front, side = _overlaps(overlap)
    params = SurveyParams(
        gsd_m=parse_quantity(gsd, Dimension.LENGTH) if gsd else None,
        altitude_m=parse_quantity(altitude, Dimension.LENGTH) if altitude else None,
        front_overlap=front,
        side_overlap=side,
        objective=_objective(objective),
        heading_deg=heading,
        wind=Wind.parse(wind) if wind else CALM,
    )
    field = _load(field_file, base)
    plan = plan_survey(field, load_catalogue(*(catalogue or []))[drone], params)
    summary = plan.summary()
    files = _write(
        survey_missions(plan) if out else [], out, "survey", f"Survey of {field.name}", force
    )
    sorties = [
        {
            "sortie": s.index + 1,
            "energy_wh": s.energy_wh,
            "flight_time_min": s.flight_time_min,
            "line_m": s.work_m,
        }
        for s in plan.sorties
    ]

    def render(console: Console) -> None:
        console.print(_figures_table(f"Survey of {field.name}", summary))
        rows = [(s["sortie"], s["line_m"], s["energy_wh"], s["flight_time_min"]) for s in sorties]
        console.print(
            table("Battery sorties", ["sortie", "line m", "energy Wh", "flight min"], rows)
        )
        for path in files:
            console.print(f"wrote {path}")

    emit({**summary, "sortie_list": sorties, "files": files}, as_json, render)


@app.command("spray")
def spray(
    field_file: FieldArg,
    drone: Annotated[str, typer.Option("--drone", help="Drone type id.")] = "agras-t40-class",
    rate: Annotated[str, typer.Option("--rate", help="Application rate, e.g. 15L/ha.")] = "15 L/ha",
    ndvi: Annotated[
        Path | None, typer.Option("--ndvi", help="Multispectral GeoTIFF (red, NIR).")
    ] = None,
    bands: Annotated[str, typer.Option("--bands", help="Red,NIR band numbers of --ndvi.")] = "1,2",
    zones: Annotated[int, typer.Option("--zones", min=1, max=20, help="Number of NDVI zones.")] = 3,
    zone_rates: Annotated[
        str | None, typer.Option("--zone-rates", help="Rate per zone, low NDVI first.")
    ] = None,
    wind: WindOption = None,
    drones: Annotated[
        int, typer.Option("--drones", min=1, max=1000, help="Drones sharing the base.")
    ] = 1,
    objective: ObjectiveOption = "turns",
    heading: HeadingOption = None,
    headlands: Annotated[
        int, typer.Option("--headlands", min=0, max=20, help="Headland passes.")
    ] = 1,
    base: BaseOption = None,
    out: OutOption = None,
    catalogue: CatalogueOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Spray mission: coverage path, sorties by tank and battery, variable rate, wind."""
    from droneworks.missions.field_plans import spray_missions, zone_polygons
    from droneworks.missions.spray import SprayParams, plan_spray

    if out is not None:
        check_out_folder(out)
    base_rate = parse_quantity(rate, Dimension.APPLICATION_RATE)
    prescription = _prescription(ndvi, bands, base_rate, zones, zone_rates)
    params = SprayParams(
        base_rate,
        headland_passes=headlands,
        objective=_objective(objective),
        heading_deg=heading,
        wind=Wind.parse(wind) if wind else CALM,
        drones=drones,
        prescription=prescription,
    )
    field = _load(field_file, base)
    plan = plan_spray(field, load_catalogue(*(catalogue or []))[drone], params)
    summary = plan.summary()
    missions = spray_missions(plan, zone_polygons(plan)) if out else []
    files = _write(missions, out, "spray", f"Spraying {field.name}", force)
    budget = plan.energy.budget_wh
    sorties = [
        {
            "drone": s.drone + 1,
            "sortie": s.index + 1,
            "sprayed_l": s.sprayed_l,
            "energy_wh": s.energy_wh,
            "battery_used": s.energy_wh / budget,
            "flight_time_min": s.flight_time_min,
        }
        for s in plan.sorties
    ]

    def render(console: Console) -> None:
        console.print(_figures_table(f"Spraying {field.name}", summary))
        rows = [
            (
                s["drone"],
                s["sortie"],
                s["sprayed_l"],
                s["energy_wh"],
                f"{100 * s['battery_used']:.0f} %",
                s["flight_time_min"],
            )
            for s in sorties
        ]
        columns = ["drone", "sortie", "sprayed L", "energy Wh", "of budget", "flight min"]
        console.print(table("Sorties (refill and battery swap at the base)", columns, rows))
        for path in files:
            console.print(f"wrote {path}")

    emit({**summary, "sortie_list": sorties, "files": files}, as_json, render)
