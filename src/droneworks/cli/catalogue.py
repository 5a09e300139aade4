"""`droneworks catalogue list|show`: the drone types all wings share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from droneworks.cli.output import emit, table

if TYPE_CHECKING:  # the catalogue (pydantic) is loaded by the commands, not by --help
    from droneworks.catalogue import Catalogue

app = typer.Typer(help="Civilian drone types shared by all wings.", no_args_is_help=True)

FileOption = Annotated[
    list[Path] | None,
    typer.Option("--file", "-f", help="Extra catalogue TOML file(s) to add.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _load(files: list[Path] | None) -> Catalogue:
    from droneworks.catalogue import load_catalogue

    return load_catalogue(*(files or []))


@app.command("list")
def list_types(file: FileOption = None, as_json: JsonOption = False) -> None:
    """List every drone type with its key figures."""
    catalogue = _load(file)
    rows = [
        (
            key,
            drone.role.value,
            drone.max_takeoff_mass,
            drone.payload_max,
            drone.tank,
            drone.cruise_speed,
            drone.endurance_loaded,
            drone.endurance_empty,
        )
        for key, drone in catalogue.items()
    ]
    data = {"drones": {key: drone.model_dump(mode="json") for key, drone in catalogue.items()}}

    def render(console: Console) -> None:
        console.print(
            table(
                "Drone catalogue",
                [
                    "id",
                    "role",
                    "MTOW kg",
                    "payload kg",
                    "tank L",
                    "cruise m/s",
                    "endurance loaded min",
                    "endurance empty min",
                ],
                rows,
            )
        )

    emit(data, as_json, render)


@app.command("show")
def show(drone_id: str, file: FileOption = None, as_json: JsonOption = False) -> None:
    """Show every figure of one drone type with its source."""
    drone = _load(file)[drone_id]
    data = drone.model_dump(mode="json")

    def render(console: Console) -> None:
        rows = [
            (name, value, drone.sources.get(name, ""))
            for name, value in data.items()
            if name not in {"sources", "id"} and value is not None
        ]
        console.print(table(f"{drone.name} ({drone_id})", ["figure", "value", "source"], rows))

    emit(data, as_json, render)
