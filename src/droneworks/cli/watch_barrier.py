"""`droneworks watch barrier`: the cheapest layout detecting every crossing path."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.output import ForceOption, emit, progress_bar, table, writing
from droneworks.cli.watch_coverage import (
    JsonOption,
    OutOption,
    WallArgument,
    check_positive,
    layers_of,
    placed_sensors,
)
from droneworks.core.errors import ConfigError
from droneworks.core.outputs import check_out_folder
from droneworks.watch.per_km import per_km_figures, per_km_text

if TYPE_CHECKING:  # the command imports the wing itself (scipy, shapely) when it runs
    from droneworks.watch.barrier import BarrierResult
    from droneworks.watch.wall import Wall

app = typer.Typer(help="Border drone-monitoring networks.", no_args_is_help=True)


def barrier_data(result: BarrierResult, wall: Wall, kept: int) -> dict[str, Any]:
    return {
        "method": "barrier (MILP, HiGHS)",
        "guarantee": f"every crossing path detected with probability >= {result.target:g}",
        "status": result.status,
        "feasible": result.feasible,
        "cost_eur": result.cost_eur,
        "lower_bound_eur": result.lower_bound_eur,
        "gap": result.gap,
        "worst_path_pd": result.worst_path_pd,
        "paths": result.paths,
        "kept_sensors": kept,
        "runtime_s": result.runtime_s,
        "counts_by_type": dict(Counter(s.type.name for s in result.sensors)),
        "per_km": per_km_figures(
            len(result.sensors),
            result.cost_eur,
            wall.border.length_m / 1000,
            wall.border.official_length_km,
        ),
        "sensors": placed_sensors(result.sensors, wall),
    }


@app.command("barrier")
def barrier(
    wall_file: WallArgument,
    probability: Annotated[
        float, typer.Option("--probability", help="Detection probability for every path.")
    ] = 0.9,
    keep_existing: Annotated[
        bool, typer.Option("--keep-existing", help="Keep the wall's sensors and build around.")
    ] = False,
    time_limit: Annotated[float, typer.Option("--time-limit", help="MILP seconds.")] = 120.0,
    out: OutOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Cheapest layout detecting every crossing path (±max angle) with --probability."""
    if not 0 < probability < 1:
        raise ConfigError(f"--probability {probability:g}: must be above 0 and below 1")
    check_positive("--time-limit", time_limit, 86_400.0)
    if out is not None:
        check_out_folder(out)
    from droneworks.watch.barrier import build_barrier, solve_barrier
    from droneworks.watch.coverage import evaluate_coverage
    from droneworks.watch.wall import load_wall

    wall = load_wall(wall_file)
    kept = wall.sensors if keep_existing else ()
    with progress_bar(not as_json) as progress:
        problem = build_barrier(wall, keep=kept, progress=progress)
        result = solve_barrier(problem, probability, time_limit)
        placed = wall.with_sensors(kept + result.sensors)
        check = evaluate_coverage(placed, progress=progress) if placed.sensors else None
    data = barrier_data(result, wall, len(kept)) | {"layers": []}
    if out is not None:
        with writing(force):
            data["layers"] = layers_of(placed, check, out / "barrier")

    def render(console: Console) -> None:
        bound = (
            f"; lower bound €{result.lower_bound_eur:,.0f} (within {result.gap:.1%} of optimal)"
            if result.lower_bound_eur is not None and result.gap is not None
            else ""
        )
        console.print(
            f"{wall.name}: barrier {result.status} in {result.runtime_s:.1f} s for every one of "
            f"{result.paths:,} crossing paths detected with P ≥ {probability:g}; "
            f"cost €{result.cost_eur:,.0f}{bound}; least-detected path P = "
            f"{result.worst_path_pd:.3f}" + (f"; {len(kept)} sensors kept" if kept else "")
        )
        rows = sorted(data["counts_by_type"].items())
        console.print(table("Sensors added", ["type", "count"], rows))
        console.print("Per km: " + per_km_text(data["per_km"]))
        if data["layers"]:
            console.print(f"GIS layers: {', '.join(data['layers'])}")

    emit(data, as_json, render)
