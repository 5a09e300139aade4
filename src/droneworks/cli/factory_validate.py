"""`droneworks factory validate PLANT` and `droneworks factory schema`: the plant file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from droneworks.cli.output import ForceOption, emit, table, writing
from droneworks.core.outputs import check_out_file, write_atomic
from droneworks.core.units import format_duration

if TYPE_CHECKING:  # the plant model (numpy, pydantic) is imported by the commands, not --help
    from droneworks.factory.model import Plant

app = typer.Typer()

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def plant_summary(plant: Plant) -> dict[str, Any]:
    """What a plant contains, as plain JSON-ready data."""
    from droneworks.factory.model import explode_bom, work_content_min

    calendar = plant.calendar
    working_min = calendar.working_minutes(plant.plant.start_date, plant.horizon_min)
    products = {}
    for key, product in plant.products.items():
        load = work_content_min(plant, key)
        products[key] = {
            "drone_type": product.drone_type,
            "operations": len(product.operations),
            "station_min_per_unit": sum(load.values()),
            "parts_per_unit": sum(explode_bom(plant, key).values()),
        }
    return {
        "plant": plant.name,
        "horizon_min": plant.horizon_min,
        "warmup_min": plant.warmup_min,
        "seed": plant.seed,
        "calendar": {
            "continuous": calendar.is_continuous,
            "shifts_per_day": calendar.shifts_per_day,
            "shift_length_min": calendar.shift_length_min,
            "working_days": [day.value for day in calendar.working_days],
            "holidays": len(calendar.holidays),
            "working_min_in_horizon": working_min,
        },
        "products": products,
        "assemblies": {key: len(item.operations) for key, item in plant.assemblies.items()},
        "parts": {key: part.policy.value for key, part in plant.parts.items()},
        "work_centres": {
            key: {
                "stations": centre.stations,
                "buffer": centre.buffer,
                "failure_modes": len(centre.failures),
                "availability": centre.availability_for(_mean_operation_min(plant, key)),
            }
            for key, centre in plant.work_centres.items()
        },
        "workers": {key: pool.count for key, pool in plant.workers.items()},
        "demand": {"release": plant.demand.release.value, "policy": plant.demand.policy.value},
        "capacity_changes": len(plant.capacity_changes),
        "warnings": list(plant.warnings),
    }


def _mean_operation_min(plant: Plant, centre: str) -> float | None:
    """Mean time of one operation (a batch) at ``centre``, unweighted over its operations."""
    times = [
        step.time.mean_min
        for item in plant.items.values()
        for _, step in item.all_steps()
        if step.work_centre == centre
    ]
    return sum(times) / len(times) if times else None


def _render(summary: dict[str, Any], path: Path, console: Console) -> None:
    calendar = summary["calendar"]
    shifts = (
        "24/7"
        if calendar["continuous"]
        else f"{calendar['shifts_per_day']} × {format_duration(calendar['shift_length_min'])}"
        f" on {', '.join(calendar['working_days'])}"
    )
    console.print(
        f"[bold]{summary['plant']}[/bold] ({path}): horizon "
        f"{format_duration(summary['horizon_min'])}, warm-up "
        f"{format_duration(summary['warmup_min'])}, {shifts}; release "
        f"{summary['demand']['release']} / {summary['demand']['policy']}",
        highlight=False,
    )
    rows = [(key, value["drone_type"], value["operations"], value["station_min_per_unit"],
             value["parts_per_unit"]) for key, value in summary["products"].items()]  # fmt: skip
    columns = ["product", "drone type", "operations", "station min/unit", "parts/unit"]
    console.print(table("Products", columns, rows))
    rows = [(key, value["stations"], "∞" if value["buffer"] is None else value["buffer"],
             value["failure_modes"], value["availability"])
            for key, value in summary["work_centres"].items()]  # fmt: skip
    columns = ["work centre", "stations", "buffer", "failure modes", "availability (est.)"]
    console.print(table("Work centres", columns, rows))
    counts = [
        ("assemblies", len(summary["assemblies"])),
        ("purchased parts", len(summary["parts"])),
        ("worker pools", len(summary["workers"])),
        ("workers per shift", sum(summary["workers"].values())),
        ("capacity changes", summary["capacity_changes"]),
    ]
    console.print(table("Also", ["what", "count"], counts))
    for warning in summary["warnings"]:
        console.print(f"[yellow]warning[/yellow]: {escape(warning)}", highlight=False)
    verdict = f"valid, {len(summary['warnings'])} warning(s)"
    console.print(f"[green]{verdict}[/green]")


@app.command("validate")
def validate_plant(
    plant_file: Annotated[Path, typer.Argument(metavar="PLANT", help="Plant TOML file.")],
    as_json: JsonOption = False,
) -> None:
    """Check a plant file and summarise what it contains (exit 1 on any error)."""
    from droneworks.factory.model import load_plant

    plant = load_plant(plant_file)
    summary = {"file": str(plant_file), "valid": True, **plant_summary(plant)}
    emit(summary, as_json, lambda console: _render(summary, plant_file, console))


@app.command("schema")
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the schema to this file.")
    ] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Print (or write) the JSON Schema of plant files, for editors."""
    if out is not None:
        check_out_file(out, "--out", force)
    from droneworks.factory.model import plant_json_schema

    document = plant_json_schema()
    text = json.dumps(document, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    with writing(force):
        write_atomic(out, text)
    data = {"out": str(out), "bytes": len(text.encode())}
    emit(data, as_json, lambda console: console.print(f"Wrote {out}", highlight=False))
