"""`droneworks factory size`: the cheapest change that meets an output target with confidence."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.factory_plan import (
    ConfidenceOption,
    DbOption,
    JsonOption,
    ReportOption,
    RepsOption,
    SeedOption,
    WorkersOption,
    YearsOption,
    make_executor,
    open_store,
    parse_target,
)
from droneworks.cli.output import (
    ExecutorOption,
    ForceOption,
    SizeGuardOption,
    emit,
    err_console,
    progress_bar,
    table,
    writing,
)
from droneworks.core.errors import ConfigError
from droneworks.core.limits import MAX_REPS
from droneworks.core.report import check_report_target

app = typer.Typer()


@app.command("size")
def size_command(
    plant: Annotated[Path, typer.Argument(help="Plant file (TOML).")],
    target: Annotated[str, typer.Option("--target", help='Annual output, e.g. "100000/yr".')],
    confidence: ConfidenceOption = 0.95,
    reps: RepsOption = 10,
    verify_reps: Annotated[int | None, typer.Option("--verify-reps", min=2, max=MAX_REPS)] = None,
    max_evaluations: Annotated[int, typer.Option("--max-evaluations", min=1, max=MAX_REPS)] = 40,
    levers: Annotated[
        str, typer.Option("--levers", help="Comma list of stations,workers,shifts,buffers.")
    ] = "stations,workers,shifts,buffers",
    seed: SeedOption = None,
    years: YearsOption = None,
    executor_spec: ExecutorOption = "local",
    workers: WorkersOption = None,
    report: ReportOption = None,
    db: DbOption = None,
    as_demanded: Annotated[
        bool,
        typer.Option(
            "--as-demanded",
            help="Size with the file's demand releases instead of orders always waiting "
            "(output can then never exceed the demand).",
        ),
    ] = False,
    force: ForceOption = False,
    as_json: JsonOption = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Cheapest change that makes P(annual output ≥ target) ≥ confidence.

    Levers: stations, workers, shifts, buffers (costs and limits from the plant file);
    the winner is verified with independent replications. Capacity is sized with orders
    always waiting in the demand's product mix, unless --as-demanded.
    """
    from droneworks.factory.plan.runs import (
        check_sizing_size,
        load_for_run,
        size_plant,
        sizing_summary,
        sizing_verdict,
    )

    target_per_year = parse_target(target)
    lever_names = tuple(name.strip() for name in levers.split(",") if name.strip())
    if report is not None:
        check_report_target(report, force)
    check_sizing_size(  # refused before a database or a worker exists
        load_for_run(plant, years)[0], reps, verify_reps, max_evaluations, not as_demanded,
        size_guard,
    )  # fmt: skip
    store = open_store(db)
    executor = make_executor(executor_spec, workers)
    try:
        with closing(executor), progress_bar(not as_json) as progress:
            plant_model, result, run_id = size_plant(
                plant,
                target_per_year,
                confidence,
                reps=reps,
                verify_reps=verify_reps,
                seed=seed,
                years=years,
                levers=lever_names,
                max_evaluations=max_evaluations,
                store=store,
                executor=executor,
                progress=progress,
                capacity=not as_demanded,
                size_guard=size_guard,
            )
            verdict = sizing_verdict(plant_model, result, executor, progress)
        if verdict is not None and run_id is not None:
            store.add_to_summary(run_id, {"verdict": verdict.as_dict()})
    except ValueError as error:
        raise ConfigError(str(error)) from None
    except KeyboardInterrupt:
        err_console.print("Interrupted: a sizing search is not resumable; run it again.")
        raise typer.Exit(130) from None
    if report is not None:
        with writing(force):
            _size_report(report, plant_model, result, verdict)
    data = {
        "run_id": run_id,
        "db": store.url,
        "plant": plant_model.name,
        "verdict": verdict.as_dict() if verdict else None,
        **sizing_summary(result),
        "report": str(report) if report else None,
    }
    emit(data, as_json, lambda console: _render_size(console, result, plant_model, verdict))


def _size_report(path: Path, plant: Any, result: Any, verdict: Any) -> None:
    from droneworks.factory.report import (
        replication_sections,
        sizing_sections,
        write_factory_report,
    )
    from droneworks.factory.report.sections import SeriesNames
    from droneworks.factory.report.tables import verdict_section

    names = SeriesNames(tuple(plant.products), tuple(plant.work_centres), tuple(plant.parts))
    sections = sizing_sections(result, plant.costs.currency)
    if verdict is not None:
        sections = [verdict_section(verdict), *sections]
    if result.verification is not None and result.verification.study is not None:
        sections += replication_sections(
            result.verification.study,
            names,
            result.target_per_year,
            title="Cheapest configuration (verification runs)",
        )
    studies = []
    if result.base.study is not None:
        sections += replication_sections(
            result.base.study,
            names,
            result.target_per_year,
            title="The plant as it is, orders always waiting",
        )
        studies.append(("plant as it is", result.base.study))
    write_factory_report(path, f"{plant.name} — capacity sizing", sections, studies)


def _render_size(console: Console, result: Any, plant: Any, verdict: Any) -> None:
    currency = plant.costs.currency
    if verdict is not None:
        for line in verdict.lines():
            console.print(line)
    rows = [
        (
            e.step,
            e.label,
            e.changes,
            e.extra_cost_per_year,
            e.output_mean,
            e.probability,
            f"{e.successes}/{e.n}",
        )
        for e in result.tried
    ]
    console.print(
        table(
            f"Configurations tried (target {result.target_per_year:,.0f}/yr)",
            [
                "#",
                "step",
                "changes",
                f"+{currency}/yr",
                "mean output/yr",
                "P(≥ target)",
                "reps ≥ target",
            ],
            rows,
        )
    )
    base = result.base
    console.print(
        f"As it is: P(output ≥ target) = {base.probability:.3f} (mean {base.output_mean:,.0f}/yr)."
    )
    if result.best is None:
        console.print(f"No allowed configuration found: {result.reason}.")
        near = result.closest
        console.print(
            f"Nearest: {near.changes} (+{near.extra_cost_per_year:,.0f} {currency}/yr) reached "
            f"P = {near.probability:.3f}, mean {near.output_mean:,.0f}/yr — "
            f"{max(result.target_per_year - near.output_mean, 0):,.0f}/yr short of the target "
            f"on average, P {max(result.confidence - near.probability, 0):.3f} short."
        )
        return
    v = result.verification
    console.print(
        f"Cheapest: {result.best.changes} (+{result.best.extra_cost_per_year:,.0f} "
        f"{currency}/yr), P = {result.best.probability:.3f}; verification "
        f"({v.n} reps, seed {v.seed}): P = {v.probability:.3f} — "
        f"{'confirmed' if v.feasible else 'NOT confirmed'}."
    )
