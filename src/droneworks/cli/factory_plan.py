"""`droneworks factory replicate`: answers with confidence, and the options, runs database
and executor the planning commands share (size: factory_size.py, runs: factory_runs.py)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.kernel import ready_kernel
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
from droneworks.core.limits import MAX_PROCESSES, MAX_REPS, MAX_SEED
from droneworks.core.report import check_report_target
from droneworks.core.units import MINUTES_PER_YEAR, Dimension, parse_quantity

if TYPE_CHECKING:
    from droneworks.core.executor import Executor
    from droneworks.core.store import RunStore

app = typer.Typer()

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Runs database: SQLite file or URL (postgresql://user@host/db) "
        "[default: runs.db in the user data folder, or $DRONEWORKS_DB].",
    ),
]
RepsOption = Annotated[int, typer.Option("--reps", min=2, max=MAX_REPS, help="Replications.")]
ConfidenceOption = Annotated[
    float, typer.Option("--confidence", min=0.5, max=0.999, help="Confidence level.")
]
ReportOption = Annotated[
    Path | None, typer.Option("--report", help="Write an offline HTML report (+ CSV tables).")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, max=MAX_PROCESSES, help="Processes [default: all cores]."),
]
YearsOption = Annotated[
    float | None, typer.Option("--years", help="Simulated years [default: the plant's horizon].")
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", min=0, max=MAX_SEED, help="Seed [default: plant's].")
]

MAIN_KPIS = (
    "units",
    "throughput_per_year",
    "wip_mean",
    "lead_time_mean_min",
    "lead_time_p90_min",
    "floor_time_p90_min",
    "yield_first_pass",
    "scrap",
)


def make_executor(spec: str, workers: int | None) -> Executor:
    """The ``--executor`` over ``workers`` (serial for one local worker), the kernel loaded
    first here and once in each worker."""
    from droneworks.core.cluster import open_executor
    from droneworks.factory.plan.experiment_run import warm_engine

    ready_kernel()
    return open_executor(spec, workers, initializer=warm_engine)


def parse_target(text: str) -> float:
    """``"100000/yr"`` → units per year."""
    return parse_quantity(text, Dimension.RATE) * MINUTES_PER_YEAR


def open_store(db: str | None, create: bool = True) -> RunStore:
    """The runs database of ``--db``; says where it is when this call created it."""
    from droneworks.core.store import RunStore  # sqlalchemy: only for commands that store

    store = RunStore(db, create=create)
    if store.created:
        err_console.print(
            f"Runs database created: {store.file} (another one: --db)",
            highlight=False,
            soft_wrap=True,
        )
    return store


def _interrupted(store: RunStore) -> None:
    """After Ctrl-C: the run this process created or resumed (never another one)."""
    if store.owned_run_id is not None:
        run = store.get_run(store.owned_run_id)
        err_console.print(
            f"Interrupted: {run.replications} finished replications kept in run "
            f"{run.id}; continue with --resume {run.id}"
        )
    else:
        err_console.print("Interrupted before a run was stored.")
    raise typer.Exit(130)


@app.command("replicate")
def replicate_command(
    plant: Annotated[Path, typer.Argument(help="Plant file (TOML).")],
    reps: RepsOption = 10,
    confidence: ConfidenceOption = 0.95,
    until_halfwidth: Annotated[
        list[str] | None,
        typer.Option(
            "--until-halfwidth",
            help="KPI=VALUE (or KPI=1%): add replications "
            "until the interval's half-width is at most VALUE.",
        ),
    ] = None,
    max_reps: Annotated[int, typer.Option("--max-reps", min=2, max=MAX_REPS)] = 200,
    seed: SeedOption = None,
    years: YearsOption = None,
    executor_spec: ExecutorOption = "local",
    workers: WorkersOption = None,
    report: ReportOption = None,
    resume: Annotated[int | None, typer.Option("--resume", help="Continue run RUN.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    force: ForceOption = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Replications with a confidence interval on every KPI, bottlenecks and rough cut.

    Common random numbers across scenarios; bottleneck shares by the active-period method;
    every run is stored in the runs database (Ctrl-C keeps finished replications).
    """
    from droneworks.factory.plan.replications import parse_halfwidth
    from droneworks.factory.plan.runs import check_replicate_size, load_for_run, replicate_plant

    targets = tuple(parse_halfwidth(text) for text in until_halfwidth or [])
    if reps > max_reps:
        raise ConfigError(f"--reps {reps} is more than --max-reps {max_reps}; raise --max-reps")
    if report is not None:
        check_report_target(report, force)
    if resume is None:  # refused before a database or a worker exists
        check_replicate_size(
            load_for_run(plant, years)[0], reps, max_reps if targets else None, size_guard
        )
    store = open_store(db)
    executor = make_executor(executor_spec, workers)
    try:
        with closing(executor), progress_bar(not as_json) as progress:
            result = replicate_plant(
                plant,
                reps,
                confidence,
                until_halfwidth=targets,
                max_reps=max_reps,
                seed=seed,
                years=years,
                store=store,
                resume_run_id=resume,
                executor=executor,
                progress=progress,
                size_guard=size_guard,
            )
    except KeyboardInterrupt:
        _interrupted(store)
    if report is not None:
        from droneworks.factory.plan.roughcut import annual_demand, cumulative_demand
        from droneworks.factory.report import replication_sections, write_factory_report

        sections = replication_sections(
            result.study,
            result.names,
            annual_demand(result.plant),
            result.comparison,
            f"{result.plant.name}: replications under the file's demand",
            reference_name="demand",
            verdict=result.verdict,
            demand_curve=lambda ends: cumulative_demand(result.plant, ends),
        )
        with writing(force):
            write_factory_report(
                report, f"{result.plant.name} — replications", sections, [("demand", result.study)]
            )
    emit(_replicate_data(result, report, store), as_json, lambda c: _render_replicate(c, result))


def _replicate_data(result: Any, report: Path | None, store: RunStore) -> dict[str, Any]:
    study, comparison = result.study, result.comparison
    return {
        "run_id": study.run_id,
        "db": store.url,
        "plant": result.plant.name,
        "replications": study.n,
        "seed": study.seed,
        "confidence": study.confidence,
        "stop_reason": study.stop_reason,
        "wall_s": study.wall_s,
        "verdict": result.verdict.as_dict() if result.verdict else None,
        "kpis": study.summary(),
        "bottleneck": {
            "roughcut": comparison.roughcut_bottleneck,
            "simulated": comparison.simulated_bottleneck,
            "agree": comparison.agree,
            "table": [
                dict(zip(comparison.COLUMNS, row, strict=True)) for row in comparison.table_rows()
            ],
        },
        "report": str(report) if report else None,
    }


def _render_replicate(console: Console, result: Any) -> None:
    study, comparison = result.study, result.comparison
    if result.verdict is not None:
        for line in result.verdict.lines():
            console.print(line)
    from droneworks.factory.report.tables import main_kpi_rows

    rows = main_kpi_rows({key: i.as_dict() for key, i in study.intervals.items()})
    console.print(
        table(
            f"{result.plant.name}: {study.n} replications, "
            f"{study.confidence:.0%} intervals clipped to range (run {study.run_id})",
            ["KPI", "mean", "±", "low", "high"],
            rows,
        )
    )
    compact = [
        (
            r.work_centre,
            r.stations,
            100 * r.roughcut_utilisation,
            100 * r.busy_share,
            100 * r.bottleneck_share,
            r.flag,
        )
        for r in comparison.rows
    ]
    console.print(
        table(
            "Work centres under the file's demand: rough cut against simulation "
            "(all columns: --json or --report)",
            [
                "work centre",
                "stations",
                "rough-cut load %",
                "busy % on shift",
                "active-period %",
                "flag",
            ],
            compact,
        )
    )
    if comparison.parts_starving:
        waits = ", ".join(f"{p} {m / 1440:.1f} d" for p, m in comparison.parts_starving)
        console.print(f"Operations waited for parts (per replication): {waits}.")
    console.print(f"Stopped: {study.stop_reason}.")
