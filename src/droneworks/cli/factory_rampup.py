"""`droneworks factory mrp PLANT` and `droneworks factory rampup PLANT`: materials and ramp-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from droneworks.cli.output import emit, table
from droneworks.core.report import write_atomic
from droneworks.core.units import Dimension, parse_quantity

app = typer.Typer()

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
ServiceOption = Annotated[
    float,
    typer.Option(
        "--service-level",
        min=0.5,
        max=0.999,
        help="Planned lead time = this quantile of each part's delivery time.",
    ),
]


@app.command("mrp")
def mrp(
    plant_file: Annotated[Path, typer.Argument(metavar="PLANT", help="Plant TOML file.")],
    horizon: Annotated[
        str | None, typer.Option(help='Planning horizon, e.g. "26 wk" (default: the plant\'s).')
    ] = None,
    service_level: ServiceOption = 0.9,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write orders, exceptions and the MRP table here.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Plan purchased parts by MRP: planned orders per period and exception messages."""
    from droneworks.factory.model import load_plant
    from droneworks.factory.plan.mrp_plant import mrp_summary, mrp_tables, plan_plant_mrp

    plant = load_plant(plant_file)
    horizon_min = parse_quantity(horizon, Dimension.DURATION) if horizon else None
    planned = plan_plant_mrp(plant, horizon_min, service_level)
    tables = mrp_tables(plant, planned)
    if csv is not None:
        for name, content in tables.items():
            write_atomic(csv / f"mrp_{name}.csv", content.to_csv())
    data = mrp_summary(plant, planned)
    if csv is not None:
        data["csv"] = str(csv)

    def render(console: Console) -> None:
        purchases = [row for row in tables["orders"].rows if row[1] == "purchase"]
        console.print(
            table(
                f"{plant.name}: planned purchase orders ({len(purchases)})",
                ["part", "release", "receipt", "quantity"],
                [[row[0], row[3], row[5], row[6]] for row in purchases],
            )
        )
        lead = planned.planned_lead_time_min
        console.print(
            table(
                f"Planned lead times (p{service_level * 100:g} of delivery time)",
                ["part", "days", "periods"],
                [
                    [key, value / 1440, planned.result.records[key].lead_time_periods]
                    for key, value in lead.items()
                ],
            )
        )
        exceptions = tables["exceptions"].rows
        console.print(
            table(
                f"Exception messages ({len(exceptions)})",
                ["item", "kind", "period", "message"],
                [[row[0], row[1], row[2], row[4]] for row in exceptions],
            )
        )
        if csv is not None:
            console.print(f"CSV: {csv}")

    emit(data, as_json, render)
