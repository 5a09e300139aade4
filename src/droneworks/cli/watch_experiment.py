"""`droneworks watch experiment`: sweeps over wall parameters (docs/scale.md)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.factory_plan import DbOption, open_store
from droneworks.cli.output import (
    ExecutorOption,
    SizeGuardOption,
    emit,
    progress_bar,
    resumable,
    table,
)
from droneworks.core.limits import MAX_PROCESSES

if TYPE_CHECKING:
    from droneworks.watch.experiment import WallExperimentResult
    from droneworks.watch.metrics import MeanInterval

app = typer.Typer()


@app.command("experiment")
def experiment_command(
    experiment: Annotated[Path, typer.Argument(help="Experiment file (TOML).")],
    executor: ExecutorOption = "local",
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, max=MAX_PROCESSES, help="Processes [default: all cores]."),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Sweep factors of a wall file: main effects, sensitivity, points that miss.

    Judges a run metric of `watch simulate` against a target at every point of the design.

    Each point is stored as a run in the runs database; points already there (same wall
    content and seed) are reused, so running the same experiment again after Ctrl-C
    continues it.
    """
    from droneworks.core.cluster import open_executor
    from droneworks.core.sweep import design_points
    from droneworks.watch.experiment import load_wall_experiment, run_wall_experiment
    from droneworks.watch.limits import (
        MAX_RUNS,
        check_count,
        check_simulation_work,
        simulation_size,
    )
    from droneworks.watch.wall import load_wall

    loaded = load_wall_experiment(experiment)
    points = len(design_points(loaded.spec.design, loaded.spec.factors, loaded.wall_data))
    what = f"{experiment}: {points:,} points × {loaded.settings.runs:,} runs"
    check_count(
        what,
        points * loaded.settings.runs,
        MAX_RUNS,
        " Monte Carlo runs in all, as `watch simulate --runs` (fewer points or runs)",
    )
    if size_guard:
        size = simulation_size(load_wall(loaded.wall_path))
        check_simulation_work(what, points * loaded.settings.runs, *size)
    store = open_store(db)
    runner = open_executor(executor, workers)
    with resumable(runner, "runs"), progress_bar(not as_json) as progress:
        result = run_wall_experiment(loaded, runner, progress, store)
    data = experiment_data(result)
    data["db"] = store.url
    emit(data, as_json, lambda console: _render(console, data))


def _interval(metric: MeanInterval) -> dict[str, float | int | None]:
    def number(value: float) -> float | None:
        return value if math.isfinite(value) else None

    return {
        "mean": number(metric.mean),
        "low": number(metric.low),
        "high": number(metric.high),
        "n": metric.n,
    }


def experiment_data(result: WallExperimentResult) -> dict[str, Any]:
    """The result as JSON-ready data, the answer first."""
    experiment = result.experiment
    settings = experiment.settings
    side = "≥" if experiment.at_least else "≤"
    missed = result.missed()
    goal = f"{settings.metric} {side} {settings.target:g}"
    answer = (
        f"{len(result.points) - len(missed)} of {len(result.points)} points meet "
        f"{goal} ({settings.confidence:.0%} interval of the mean over {settings.runs} runs)."
    )
    return {
        "experiment": experiment.name,
        "wall": str(experiment.wall_path),
        "answer": answer,
        "metric": settings.metric,
        "target": settings.target,
        "side": "at least" if experiment.at_least else "at most",
        "runs_per_point": settings.runs,
        "runs_reused": result.reused,
        "points": [
            {
                "index": p.point.index,
                "run_id": p.run_id,
                "label": p.label,
                "metric": _interval(p.metric),
                "p_run_meets": p.probability,
                "meets": p.meets,
            }
            for p in result.points
        ],
        "effects": [
            {
                "factor": factor.path,
                "levels": [
                    {
                        "level": lv.label,
                        "points": lv.points,
                        "metric": _interval(lv.metric),
                        "p_run_meets": lv.probability,
                    }
                    for lv in levels
                ],
            }
            for factor, levels in result.effects()
        ],
        "missed": [p.point.index for p in missed],
    }


def _fmt(interval: dict[str, Any]) -> str:
    mean, low, high = interval["mean"], interval["low"], interval["high"]
    if mean is None:
        return "—"
    return f"{mean:.3g}" if low is None else f"{mean:.3g} ({low:.3g}–{high:.3g})"


def _render(console: Console, data: dict[str, Any]) -> None:
    console.print(data["answer"], markup=False)
    total = data["runs_per_point"] * len(data["points"])
    if data["runs_reused"]:
        console.print(f"{data['runs_reused']} of {total} runs read from the runs database "
                      f"{data['db']} (same wall content and seed).", markup=False)  # fmt: skip
    rows = [
        [
            effect["factor"],
            level["level"],
            str(level["points"]),
            _fmt(level["metric"]),
            f"{level['p_run_meets']:.2f}",
        ]
        for effect in data["effects"]
        for level in effect["levels"]
    ]
    columns = ["factor", "level", "points", f"{data['metric']} (interval)", "P(run meets)"]
    console.print(table("Main effects, factors ranked by how much they move P", columns, rows))
    missed = [p for p in data["points"] if not p["meets"]]
    if missed:
        rows = [
            [str(p["index"]), p["label"], _fmt(p["metric"]), f"{p['p_run_meets']:.2f}"]
            for p in missed
        ]
        columns = ["point", "values", data["metric"], "P(run meets)"]
        console.print(table(f"Points that miss ({data['side']} {data['target']:g})", columns, rows))
