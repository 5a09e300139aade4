"""`droneworks factory experiment`: sweeps over uncertain plant inputs (docs/scale.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.factory_plan import (
    DbOption,
    JsonOption,
    ReportOption,
    WorkersOption,
    make_executor,
    open_store,
)
from droneworks.cli.output import (
    ExecutorOption,
    ForceOption,
    SizeGuardOption,
    emit,
    progress_bar,
    resumable,
    table,
)
from droneworks.core.report import check_report_target

app = typer.Typer()


@app.command("experiment")
def experiment_command(
    experiment: Annotated[Path, typer.Argument(help="Experiment file (TOML).")],
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    report: ReportOption = None,
    db: DbOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Sweep factors of a plant file: main effects, sensitivity, points that miss.

    Judges P(output ≥ target) at every point of the design.

    Each point is stored as a run; points already in the database (same content and
    seed) are reused, so running the same experiment again after Ctrl-C continues it.
    """
    from droneworks.factory.plan.experiment import load_experiment
    from droneworks.factory.plan.experiment_report import experiment_data, experiment_sections
    from droneworks.factory.plan.experiment_run import run_experiment
    from droneworks.factory.plan.worksize import check_experiment_size

    if report is not None:
        check_report_target(report, force)
    loaded = load_experiment(experiment)
    check_experiment_size(loaded, size_guard)
    store = open_store(db)
    runner = make_executor(executor, workers)
    with resumable(runner, "replications"), progress_bar(not as_json) as progress:
        result = run_experiment(loaded, store=store, executor=runner, progress=progress)
    data = experiment_data(result)
    if report is not None:
        from droneworks.factory.report import write_factory_report

        write_factory_report(report, f"{loaded.name} — experiment", experiment_sections(result))
        data["report"] = str(report)
    data["db"] = store.url
    emit(data, as_json, lambda console: _render(console, data))


def _render(console: Console, data: dict[str, Any]) -> None:
    console.print(data["answer"], markup=False)
    console.print(
        f"{data['points']} points, {data['simulated_replications']} replications simulated, "
        f"{data['reused_replications']} reused from the runs database.",
        markup=False,
    )
    rows = []
    for effect in data["effects"]:
        worst = min(effect["levels"], key=lambda level: level["output_per_year"])
        rows.append(
            (
                effect["factor"],
                f"{effect['probability_spread']:.2f}",
                effect["output_spread"],
                f"{worst['level']}: {worst['output_per_year']:,.0f}",
            )
        )
    console.print(
        table("Factors by influence", ["factor", "ΔP", "Δoutput/yr", "lowest level"], rows)
    )
    if data["missed"]:
        missed = [
            (p["point"], p["values"], p["output_per_year"], f"{p['probability']:.2f}")
            for p in data["missed"][:15]
        ]
        title = f"Points that miss the target ({len(data['missed'])}; all: --json or --report)"
        console.print(table(title, ["point", "values", "output/yr", "P"], missed))
