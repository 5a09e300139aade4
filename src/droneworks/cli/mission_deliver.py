"""`droneworks mission deliver`: cargo sorties per drone, within battery range, on time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from droneworks.cli._mission_options import (
    check_count,
    check_height,
    check_positive,
    parse_rally_altitude,
    parse_wind,
)
from droneworks.cli.output import ForceOption, SizeGuardOption, emit, table, writing
from droneworks.core.errors import ConfigError
from droneworks.core.outputs import check_out_folder

app = typer.Typer()

DEFAULT_ITERATIONS = 2_000  # PyVRP iterations: the same plan on every machine and run
# 1,800 more iterations on the 100 drops of minsk_100.toml took 7.2 s more CPU (issue 13)
SECONDS_PER_DROP_ITERATION = 4e-5
MAX_SEARCH_WORK = 100_000_000  # iterations × drops: about an hour at the rate above
MAX_DRONES = 200
MAX_RUNTIME_S = 3600.0  # a wall-time search longer than an hour is a typo, not a plan


def check_search_size(iterations: int, drops: int) -> None:
    """Refuse ``--iterations`` × drops past :data:`MAX_SEARCH_WORK` (about an hour)."""
    work = iterations * drops
    if work > MAX_SEARCH_WORK:
        raise ConfigError(
            f"--iterations {iterations:,} on {drops:,} drops: a search of about "
            f"{work * SECONDS_PER_DROP_ITERATION / 3600:.2g} h; at most {MAX_SEARCH_WORK:,} "
            "iterations × drops — fewer iterations, --runtime, or --no-size-guard"
        )


@app.command("deliver")
def deliver(
    drops: Annotated[Path, typer.Argument(help="Drops file: .toml, .json or .geojson.")],
    drone: Annotated[
        str | None, typer.Option("--drone", help="Drone type id (replaces the file's fleet).")
    ] = None,
    drones: Annotated[
        int | None, typer.Option("--drones", help="Number of drones (with --drone).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write .plan/.waypoints per sortie, map, …")
    ] = None,
    wind: Annotated[
        str | None, typer.Option("--wind", help='Wind "speed@from-degrees", e.g. "8 m/s@270".')
    ] = None,
    runtime: Annotated[
        float | None,
        typer.Option("--runtime", help="Search for this many seconds instead (not repeatable)."),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=2**32 - 1, help="Random seed of the search.")
    ] = 0,
    iterations: Annotated[
        int,
        typer.Option("--iterations", help="PyVRP search iterations (the same plan every run)."),
    ] = DEFAULT_ITERATIONS,
    above_legal_height: Annotated[
        bool,
        typer.Option(
            "--above-legal-height", help="Allow a cruise altitude above 120 m AGL (EU open)."
        ),
    ] = False,
    strategy: Annotated[
        str,
        typer.Option(
            "--strategy", help="multi-trip (PyVRP multi-trip + repair) or sorties (route = sortie)."
        ),
    ] = "multi-trip",
    rally_altitude: Annotated[
        str | None,
        typer.Option(
            "--rally-altitude",
            help="Return altitude at the base's rally point, e.g. 80m (default: cruise).",
        ),
    ] = None,
    force: ForceOption = False,
    release: Annotated[
        str,
        typer.Option(
            "--release", help="Payload release: gripper, payload-place or winch (see docs)."
        ),
    ] = "gripper",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Plan deliveries: sorties per drone within battery range, infeasible drops with reasons."""
    if out is not None:
        check_out_folder(out)
    from droneworks.catalogue import default_catalogue
    from droneworks.missions.delivery import load_deliveries, min_to_clock, plan_deliveries
    from droneworks.missions.delivery.export import (
        Release,
        plan_summary,
        with_release_time,
        write_delivery_files,
    )

    check_count("--iterations", iterations, 1, 10_000_000)
    if runtime is not None:
        check_positive("--runtime", runtime, " s")
        if runtime > MAX_RUNTIME_S:
            raise ConfigError(f"--runtime must be at most {MAX_RUNTIME_S:g} s, not {runtime:g} s")
    if drones is not None:
        check_count("--drones", drones, 1, MAX_DRONES)
    wind_value = parse_wind(wind)
    rally_m = parse_rally_altitude(rally_altitude, above_legal_height)
    try:
        release_mode = Release(release.strip().lower())
    except ValueError:
        choices = ", ".join(mode.value for mode in Release)
        raise ConfigError(f"--release must be one of {choices}, not {release!r}") from None
    problem = load_deliveries(drops)
    if size_guard and runtime is None:
        check_search_size(iterations, len(problem.drops))
    check_height(f"{drops}: cruise_altitude", problem.params.cruise_alt_m, above_legal_height)
    if drone is not None or drones is not None:
        if drone is None and not problem.fleet:
            raise ConfigError("--drones needs --drone when the file has no fleet")
        drone_type = default_catalogue()[drone] if drone else problem.fleet[0].drone
        problem = problem.with_fleet(drone_type, drones or 1)
    if not problem.fleet:
        raise ConfigError(f"{drops}: no fleet in the file; give --drone and --drones")
    if wind_value is not None:
        problem = replace(problem, params=replace(problem.params, wind=wind_value))
    if strategy not in ("multi-trip", "sorties"):
        raise ConfigError(f'--strategy must be "multi-trip" or "sorties", not {strategy!r}')
    problem = with_release_time(problem, release_mode)
    plan = plan_deliveries(
        problem,
        runtime_s=runtime or 1.0,
        seed=seed,
        strategy=strategy,
        iterations=None if runtime is not None else iterations,
    )
    data = {**plan_summary(plan), "release": release_mode.value}
    if out is not None:
        with writing(force):
            written = write_delivery_files(plan, out, release=release_mode, rally_alt_m=rally_m)
        data["files"] = [str(path) for path in written]

    def render(console: Console) -> None:
        types = {group.drone.id for group in problem.fleet}
        one_type = len(types) == 1  # then the column header names it, the rows need not
        per_drone = [
            (
                name.removeprefix(f"{next(iter(types))} ") if one_type else name,
                entry["sorties"],
                entry["drops"],
                entry["distance_m"] / 1000,
                entry["energy_wh"],
                entry["flight_min"],
            )
            for name, entry in data["drones"].items()
        ]
        console.print(
            table(
                f"{problem.name}: {plan.served} of {len(problem.drops)} drops in "
                f"{len(plan.sorties)} sorties, last landing {min_to_clock(plan.makespan_min)}",
                [
                    f"drone ({next(iter(types))})" if one_type else "drone",
                    "sorties",
                    "drops",
                    "km",
                    "Wh",
                    "flight min",
                ],
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
        if problem.no_fly:
            console.print(
                f"Legs fly around {len(problem.no_fly)} no-fly "
                f"zone{'s' if len(problem.no_fly) != 1 else ''}, "
                f"{problem.params.no_fly_margin_m:g} m away: {', '.join(data['no_fly_zones'])}."
            )
        if plan.infeasible:
            rows = [(i.drop_id, i.reason, i.detail) for i in plan.infeasible]
            console.print(table("Drops that cannot be served", ["drop", "reason", "why"], rows))
        if out is not None:
            console.print(f"Wrote {len(data['files'])} files to {out}")

    emit(data, as_json, render)
