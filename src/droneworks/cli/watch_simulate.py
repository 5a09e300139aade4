"""`droneworks watch simulate`: Monte Carlo incursions through a wall, tracked and alerted on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from droneworks.cli.output import ForceOption, SizeGuardOption, emit, progress_bar, table, writing
from droneworks.core.errors import ConfigError
from droneworks.core.executor import LocalExecutor, SerialExecutor, default_workers
from droneworks.core.limits import MAX_PROCESSES
from droneworks.core.outputs import check_out_folder
from droneworks.watch.limits import check_runs, check_simulation_work, simulation_size

if TYPE_CHECKING:  # the command imports the wing itself (matplotlib, scipy) when it runs
    from droneworks.watch.simulate import SimulationResult
    from droneworks.watch.wall import Wall

app = typer.Typer(help="Border drone-monitoring networks.", no_args_is_help=True)


def _render(console: Console, result: SimulationResult, data: dict[str, object]) -> None:
    from droneworks.watch.simulate_report import SUMMARY_COLUMNS, summary_rows

    first = result.first_run
    console.print(
        f"[bold]{data['wall']}[/bold]: {result.runs} runs × "
        f"{data['incursions_per_run']} incursions over {data['horizon_s']:g} s; "
        f"alert = {data['alert_rule']}"
    )
    console.print(
        table(
            "Incursions (mean ± 95 % CI over runs; negative = before the line)",
            SUMMARY_COLUMNS,
            summary_rows(result),
        )
    )
    rate = result.overall["false_alerts_per_100km_h"]
    gospa = result.overall["gospa_m"]
    console.print(
        f"False alerts: {rate.mean:.2f} per {data['false_alerts_per']}; "
        f"GOSPA (c = 100 m) {gospa.mean:.1f} m; "
        f"run 0: {len(first.score.alerts.tick)} alerts, {first.score.false_alerts} false"
    )
    shift = result.overall["false_alerts_per_shift"]
    by_shift = ", ".join(str(c) for c in first.score.false_alerts_by_shift)
    console.print(
        f"False alerts per {data['operator_shift_h']:g} h operator shift: {shift.mean:.2f} "
        f"(from clutter only); run 0 by shift: {by_shift}"
    )
    if data["map"] is not None:
        console.print(f"Map: {data['map']}")
        for label, key in (("GIS layers", "layers"), ("Run 0 logs", "logs")):
            console.print(f"{label}: {', '.join(map(str, data[key]))}")  # type: ignore[call-overload]


def _write_logs(out: Path, wall: Wall, result: SimulationResult) -> dict[str, list[str]]:
    """Run 0 as GIS layers (border, sensors, tracks, alerts) and track/alert CSV logs."""
    from droneworks.watch import layers

    run = result.first_run
    tick_s = run.scenario.tick_s
    data = layers.collection(
        wall.name,
        layers.border_layer(wall),
        layers.sensor_layer(wall),
        layers.track_layer(wall, tick_s, run.log, run.score.alerts),
    )
    paths = layers.write_layers(out, "simulate", data)
    tracks = layers.write_rows(
        out, "tracks", layers.track_rows(wall, tick_s, run.log), layers.TRACK_COLUMNS
    )
    alerts = layers.write_rows(
        out, "alerts", layers.alert_rows(wall, tick_s, run.score.alerts), layers.ALERT_COLUMNS
    )
    return {"layers": [str(p) for p in paths], "logs": [str(p) for p in tracks + alerts]}


@app.command("simulate")
def simulate_command(
    wall_file: Annotated[Path, typer.Argument(help="Wall file (TOML).", show_default=False)],
    runs: Annotated[
        int | None, typer.Option("--runs", help="Monte Carlo runs (default: the wall's).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes for the runs (default: all cores).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the map to this folder.")] = None,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Fly the wall's threats across the border, track them with every sensor, score alerts."""
    from droneworks.watch.simulate import simulate
    from droneworks.watch.simulate_report import plot_run, result_data
    from droneworks.watch.wall import load_wall

    if runs is not None:
        check_runs("--runs", runs)
    if workers is not None and not 1 <= workers <= MAX_PROCESSES:
        raise ConfigError(f"--workers must be between 1 and {MAX_PROCESSES}, not {workers}")
    if out is not None:
        check_out_folder(out)
    wall = load_wall(wall_file)
    if size_guard:
        what = f"--runs {runs}" if runs is not None else f"{wall_file}: runs = {wall.runs}"
        check_simulation_work(what, runs or wall.runs, *simulation_size(wall))
    n_workers = min(workers or default_workers(), runs or wall.runs)
    executor = LocalExecutor(n_workers) if n_workers > 1 else SerialExecutor()
    with executor, progress_bar(not as_json) as progress:
        result = simulate(wall, runs, progress, executor)
    data = result_data(result, wall) | {"map": None, "layers": [], "logs": []}
    if out is not None:
        with writing(force):
            data["map"] = str(plot_run(out / "simulate.png", wall, result.first_run))
            data |= _write_logs(out, wall, result)
    emit(data, as_json, lambda console: _render(console, result, data))
