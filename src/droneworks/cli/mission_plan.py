"""`droneworks mission survey|spray FIELD …`: plan a survey or a spray mission of a field."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from droneworks.cli import _mission_field as inputs
from droneworks.cli._mission_options import (
    check_count,
    parse_heading,
    parse_rally_altitude,
    parse_rate,
    survey_height,
)
from droneworks.cli._mission_output import (
    PartOutcome,
    emit_parts,
    figures_table,
    spray_sorties,
    write_files,
)
from droneworks.cli.output import ForceOption, table, writing
from droneworks.core.outputs import check_out_folder
from droneworks.missions.limits import SPRAY_WIND_LIMIT_MPS, SURVEY_WIND_LIMIT_MPS

app = typer.Typer(help="Plan missions for the drones the plant builds.", no_args_is_help=True)


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
    typer.Option("--heading", help="Fix the swath heading (compass degrees)."),
]
BaseOption = Annotated[
    str | None,
    typer.Option("--base", help="Base (take-off, refill, swap) as LON,LAT; default: the file's."),
]
AboveLegalOption = Annotated[
    bool,
    typer.Option(
        "--above-legal-height",
        help="Allow a flight height above 120 m AGL (the EU open-category limit).",
    ),
]
WindLimitOption = Annotated[
    float | None,
    typer.Option("--wind-limit", help="Warn above this wind, m/s (default: see docs)."),
]
ElevationOption = Annotated[
    str | None,
    typer.Option("--elevation", help="Ground elevation at the base (AMSL), e.g. 210m."),
]
DemOption = Annotated[
    Path | None, typer.Option("--dem", help="DEM GeoTIFF: the base's elevation is read from it.")
]
FenceMarginOption = Annotated[
    float,
    typer.Option("--fence-margin", help="Geofence margin around everything flown, metres."),
]
RallyAltitudeOption = Annotated[
    str | None,
    typer.Option(
        "--rally-altitude",
        help="Return altitude at the rally points above home, e.g. 40m (default: see docs).",
    ),
]
CatalogueOption = Annotated[
    list[Path] | None, typer.Option("--catalogue", help="Extra catalogue TOML file(s).")
]


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
    wind_limit: WindLimitOption = None,
    base: BaseOption = None,
    above_legal_height: AboveLegalOption = False,
    elevation: ElevationOption = None,
    dem: DemOption = None,
    fence_margin: FenceMarginOption = 20.0,
    rally_altitude: RallyAltitudeOption = None,
    out: OutOption = None,
    catalogue: CatalogueOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Flight lines, triggers, photos, time and batteries for a camera survey."""
    from droneworks.missions.survey import SurveyParams, plan_survey

    if out is not None:
        check_out_folder(out)
    drone_type = inputs.drone_type(drone, catalogue)
    camera = drone_type.camera
    gsd_m, altitude_m = survey_height(
        gsd, altitude, camera.altitude_for_gsd_m if camera else None, above_legal_height
    )
    front, side = inputs.overlaps(overlap)
    rally_m = parse_rally_altitude(rally_altitude, above_legal_height)
    wind_value, warnings = inputs.wind(wind, wind_limit, SURVEY_WIND_LIMIT_MPS, "survey flight")
    params = SurveyParams(
        gsd_m=gsd_m,
        altitude_m=altitude_m,
        front_overlap=front,
        side_overlap=side,
        objective=inputs.objective(objective),
        heading_deg=parse_heading(heading),
        wind=wind_value,
    )
    outcomes = []
    for stem, field in inputs.field_parts(field_file, base, "survey"):
        site = inputs.site(field, elevation, dem, fence_margin, out is not None, warnings, rally_m)
        outcomes.append(
            _survey_part(plan_survey(field, drone_type, params), site, out, stem, force)
        )
    emit_parts(outcomes, warnings, ("area_ha", "photos", "batteries", "flight_time_min"), as_json)


def _survey_part(plan: Any, site: Any, out: Path | None, stem: str, force: bool) -> PartOutcome:
    from droneworks.missions.field_plans import survey_missions

    field = plan.field
    summary = {**plan.summary(), "home_alt_amsl_m": site.home_alt_amsl_m}
    missions = survey_missions(plan, site) if out else []
    files = write_files(missions, out, stem, f"Survey of {field.name}", force)
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
        console.print(figures_table(f"Survey of {field.name}", summary))
        rows = [(s["sortie"], s["line_m"], s["energy_wh"], s["flight_time_min"]) for s in sorties]
        console.print(
            table("Battery sorties", ["sortie", "line m", "energy Wh", "flight min"], rows)
        )
        for path in files:
            console.print(f"wrote {path}")

    return PartOutcome({**summary, "sortie_list": sorties, "files": files}, render)


@app.command("spray")
def spray(
    field_file: FieldArg,
    drone: Annotated[str, typer.Option("--drone", help="Drone type id.")] = "agras-t40-class",
    rate: Annotated[str, typer.Option("--rate", help="Application rate, e.g. 15L/ha.")] = "15 L/ha",
    ndvi: Annotated[
        Path | None, typer.Option("--ndvi", help="Multispectral GeoTIFF (red, NIR).")
    ] = None,
    bands: Annotated[str, typer.Option("--bands", help="Red,NIR band numbers of --ndvi.")] = "1,2",
    zones: Annotated[int, typer.Option("--zones", help="Number of NDVI zones.")] = 3,
    zone_rates: Annotated[
        str | None, typer.Option("--zone-rates", help="Rate per zone, low NDVI first.")
    ] = None,
    wind: WindOption = None,
    wind_limit: WindLimitOption = None,
    drones: Annotated[int, typer.Option("--drones", help="Drones sharing the base.")] = 1,
    objective: ObjectiveOption = "turns",
    heading: HeadingOption = None,
    headlands: Annotated[int, typer.Option("--headlands", help="Headland passes.")] = 1,
    base: BaseOption = None,
    water_buffer: Annotated[
        str | None,
        typer.Option("--water-buffer", help="No-spray distance from water, e.g. 5m."),
    ] = None,
    no_spray_buffer: Annotated[
        str | None,
        typer.Option("--no-spray-buffer", help="No-spray distance from no-spray zones."),
    ] = None,
    elevation: ElevationOption = None,
    dem: DemOption = None,
    fence_margin: FenceMarginOption = 20.0,
    rally_altitude: RallyAltitudeOption = None,
    out: OutOption = None,
    catalogue: CatalogueOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Spray mission: coverage path, sorties by tank and battery, variable rate, wind."""
    from droneworks.missions.spray import SprayParams, plan_spray

    if out is not None:
        check_out_folder(out)
    base_rate = parse_rate("--rate", rate)
    check_count("--drones", drones, 1, inputs.MAX_DRONES)
    check_count("--headlands", headlands, 0, inputs.MAX_HEADLANDS)
    drone_type = inputs.drone_type(drone, catalogue)
    wind_value, warnings = inputs.wind(wind, wind_limit, SPRAY_WIND_LIMIT_MPS, "spraying (drift)")
    prescription = inputs.prescription(ndvi, bands, base_rate, zones, zone_rates)
    rally_m = parse_rally_altitude(rally_altitude)
    params = SprayParams(
        base_rate,
        headland_passes=headlands,
        objective=inputs.objective(objective),
        heading_deg=parse_heading(heading),
        wind=wind_value,
        drones=drones,
        prescription=prescription,
    )
    outcomes = []
    for stem, part in inputs.field_parts(field_file, base, "spray"):
        field = inputs.with_buffers(part, water_buffer, no_spray_buffer)
        site = inputs.site(field, elevation, dem, fence_margin, out is not None, warnings, rally_m)
        plan = plan_spray(field, drone_type, params)
        idle = drones - len({sortie.drone for sortie in plan.sorties})
        if idle:
            warnings.append(
                f"{idle} of {drones} drones have no work on {field.name} (too few swaths)"
            )
        outcomes.append(_spray_part(plan, site, out, stem, force))
    totals = ("area_ha", "volume_l", "sorties", "flight_time_min")
    emit_parts(outcomes, warnings, totals, as_json)


def _spray_part(plan: Any, site: Any, out: Path | None, stem: str, force: bool) -> PartOutcome:
    from droneworks.missions.field_plans import spray_missions, zone_polygons
    from droneworks.missions.prescription_maps import write_prescription_maps, zone_table

    field = plan.field
    summary = {**plan.summary(), "home_alt_amsl_m": site.home_alt_amsl_m}
    missions = spray_missions(plan, zone_polygons(plan), site) if out else []
    files = write_files(missions, out, stem, f"Spraying {field.name}", force)
    if out is not None:
        with writing(force):
            files += [str(path) for path in write_prescription_maps(plan, out, stem)]
    zone_rows = [asdict(row) for row in zone_table(plan)]
    sorties = spray_sorties(plan)

    def render(console: Console) -> None:
        console.print(figures_table(f"Spraying {field.name}", summary))
        columns = ["drone", "sortie", "sprayed L", "energy Wh", "of budget", "flight min"]
        rows = [
            (*(s[key] for key in ("drone", "sortie", "sprayed_l", "energy_wh")),
             f"{100 * s['battery_used']:.0f} %", s["flight_time_min"])
            for s in sorties
        ]  # fmt: skip
        console.print(table("Sorties (refill and battery swap at the base)", columns, rows))
        if zone_rows:
            columns = ["zone", "area ha", "rate L/ha", "nominal L", "planned L"]
            rows = [
                ("outside map" if z["zone"] == 0 else z["zone"], z["area_ha"], z["rate_lpha"],
                 z["nominal_l"], z["planned_l"])
                for z in zone_rows
            ]  # fmt: skip
            console.print(table("Prescription zones", columns, rows))
        for path in files:
            console.print(f"wrote {path}")

    data = {**summary, "sortie_list": sorties, "zones": zone_rows, "files": files}
    return PartOutcome(data, render)
