"""`droneworks mission deliver`: cargo sorties per drone, within battery range, on time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from droneworks.catalogue import default_catalogue
from droneworks.cli.output import ForceOption, emit, table, writing
from droneworks.core.errors import ConfigError
from droneworks.core.outputs import check_out_folder

app = typer.Typer()


@app.command("deliver")
def deliver(
    drops: Annotated[Path, typer.Argument(help="Drops file: .toml, .json or .geojson.")],
    drone: Annotated[
        str | None, typer.Option("--drone", help="Drone type id (replaces the file's fleet).")
    ] = None,
    drones: Annotated[
        int | None,
        typer.Option("--drones", min=1, max=1000, help="Number of drones (with --drone)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write .plan/.waypoints per sortie, map, …")
    ] = None,
    wind: Annotated[
        str | None, typer.Option("--wind", help='Wind "speed@from-degrees", e.g. "8 m/s@270".')
    ] = None,
    runtime: Annotated[float, typer.Option("--runtime", help="PyVRP search seconds.")] = 2.0,
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=2**32 - 1, help="Random seed of the search.")
    ] = 0,
    iterations: Annotated[
        int | None,
        typer.Option("--iterations", min=1, help="PyVRP iterations instead of --runtime."),
    ] = None,
    strategy: Annotated[
        str,
        typer.Option(
            "--strategy", help="multi-trip (PyVRP multi-trip + repair) or sorties (route = sortie)."
        ),
    ] = "multi-trip",
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Plan deliveries: sorties per drone within battery range, infeasible drops with reasons."""
    if out is not None:
        check_out_folder(out)
    from droneworks.missions.delivery import load_deliveries, min_to_clock, plan_deliveries
    from droneworks.missions.delivery.export import plan_summary, write_delivery_files
    from droneworks.missions.wind import Wind

    problem = load_deliveries(drops)
    if drone is not None or drones is not None:
        if drone is None and not problem.fleet:
            raise ConfigError("--drones needs --drone when the file has no fleet")
        drone_type = default_catalogue()[drone] if drone else problem.fleet[0].drone
        problem = problem.with_fleet(drone_type, drones or 1)
    if not problem.fleet:
        raise ConfigError(f"{drops}: no fleet in the file; give --drone and --drones")
    if wind is not None:
        problem = replace(problem, params=replace(problem.params, wind=Wind.parse(wind)))
    if runtime <= 0:
        raise ConfigError(f"--runtime must be positive, not {runtime}")
    if strategy not in ("multi-trip", "sorties"):
        raise ConfigError(f'--strategy must be "multi-trip" or "sorties", not {strategy!r}')
    plan = plan_deliveries(
        problem, runtime_s=runtime, seed=seed, strategy=strategy, iterations=iterations
    )
    data = plan_summary(plan)
    if out is not None:
        with writing(force):
            data["files"] = [str(path) for path in write_delivery_files(plan, out)]

    def render(console: Console) -> None:
        per_drone = [
            (
                name,
                entry["sorties"],
                entry["drops"],
                entry["distance_m"] / 1000,
                entry["energy_wh"],
            )
            for name, entry in data["drones"].items()
        ]
        console.print(
            table(
                f"{problem.name}: {plan.served} of {len(problem.drops)} drops in "
                f"{len(plan.sorties)} sorties, last landing {min_to_clock(plan.makespan_min)}",
                ["drone", "sorties", "drops", "km", "Wh"],
                per_drone,
            )
        )
        worst = data["max_energy_share_of_budget"]
        console.print(
            f"Every sortie within its battery budget: {data['all_sorties_within_range']} "
            f"(worst {worst:.0%} of budget). Plain PyVRP multi-trip had "
            f"{plan.pyvrp_trips_over_budget} of {plan.pyvrp_trips} trips over the battery "
            f"range; {plan.sorties_split} split, {plan.drops_moved} drops moved."
        )
        if plan.infeasible:
            rows = [(i.drop_id, i.reason, i.detail) for i in plan.infeasible]
            console.print(table("Drops that cannot be served", ["drop", "reason", "why"], rows))
        if out is not None:
            console.print(f"Wrote {len(data['files'])} files to {out}")

    emit(data, as_json, render)
