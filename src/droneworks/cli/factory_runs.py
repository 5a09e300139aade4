"""`droneworks factory runs list|show|compare`: the stored runs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.factory_plan import (
    MAIN_KPIS,
    ConfidenceOption,
    DbOption,
    JsonOption,
    open_store,
)
from droneworks.cli.output import emit, table
from droneworks.watch.experiment_store import RUN_KIND as WATCH_KIND

if TYPE_CHECKING:
    from droneworks.core.store import RunStore

app = typer.Typer()


def _store(db: str | None) -> RunStore:
    """The runs database to read: never created here (a missing --db file is an error)."""
    return open_store(db, create=False)


runs_app = typer.Typer(help="Stored runs: list, show, compare.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The most recent runs, newest first."""
    runs = _store(db).list_runs(limit)
    rows = [
        (
            r.id,
            r.kind,
            r.name,
            r.status,
            r.replications,
            r.seed,
            r.created_at.isoformat(timespec="seconds"),
            r.wall_s,
        )
        for r in runs
    ]
    data = {"runs": [_run_dict(r) for r in runs]}
    emit(
        data,
        as_json,
        lambda console: console.print(
            table(
                "Runs",
                [
                    "id",
                    "kind",
                    "name",  # a plant's, or a wall's for a watch experiment point
                    "status",
                    "replications",
                    "seed",
                    "created (UTC)",
                    "wall s",
                ],
                rows,
            )
        ),
    )


def _run_dict(run: Any) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "name": run.name,
        "status": run.status,
        "replications": run.replications,
        "seed": run.seed,
        "version": run.version,
        "plant_sha256": run.plant_sha256,
        "settings": run.settings,
        "created_at": run.created_at.isoformat(),
        "wall_s": run.wall_s,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(metavar="RUN")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One run: settings, status and its KPIs with intervals (or its sizing search)."""
    run = _store(db).get_run(run_id)
    data = {**_run_dict(run), "summary": run.summary}

    def render(console: Console) -> None:
        console.print(
            f"Run {run.id} ({run.kind}) of {run.name}: {run.status}, "
            f"{run.replications} replications, seed {run.seed}, "
            f"droneworks {run.version}, {'wall' if run.kind == WATCH_KIND else 'plant'} "
            f"sha256 {run.plant_sha256[:12]}…"
        )
        verdict = run.summary.get("verdict")
        if isinstance(verdict, dict):
            for line in verdict.get("lines") or [verdict.get("text", "")]:
                console.print(line, highlight=False)
        elif run.status == "complete" and run.kind != WATCH_KIND:
            console.print("No verdict stored with this run (run it again to get one).")
        if run.kind == WATCH_KIND:  # a watch experiment point: the wall's run figures
            console.print(table("Run figures (mean over the runs, interval)",
                                ["figure", "mean", "low", "high"],
                                _figure_rows(run.summary.get("kpis", {}))))  # fmt: skip
        from droneworks.factory.report.tables import main_kpi_rows

        rows = main_kpi_rows(run.summary.get("kpis", {}))
        if rows:
            console.print(table("KPIs (intervals clipped to each KPI's range)",
                                ["KPI", "mean", "±", "low", "high"], rows))  # fmt: skip
        if "tried" in run.summary:
            console.print(
                table(
                    "Configurations tried",
                    ["#", "changes", "P", "cost/yr"],
                    [
                        (e["step"], e["changes"], e["probability"], e["extra_cost_per_year"])
                        for e in run.summary["tried"]
                    ],
                )
            )

    emit(data, as_json, render)


def _figure_rows(figures: dict[str, dict[str, float]]) -> list[list[str]]:
    def cell(value: float) -> str:
        return f"{value:.4g}" if math.isfinite(value) else "—"

    return [[key, *(cell(v[part]) for part in ("mean", "low", "high"))]
            for key, v in figures.items()]  # fmt: skip


@runs_app.command("compare")
def runs_compare(
    run_a: Annotated[int, typer.Argument(metavar="RUN_A")],
    run_b: Annotated[int, typer.Argument(metavar="RUN_B")],
    confidence: ConfidenceOption = 0.95,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """KPI differences B − A with intervals (paired when both runs share the seed)."""
    from droneworks.factory.plan.runs import compare_runs

    diffs = compare_runs(_store(db), run_a, run_b, confidence)
    basis = diffs[0].basis() if diffs else "no KPI in common"
    data = {
        "run_a": run_a,
        "run_b": run_b,
        "confidence": confidence,
        "compared": basis,
        "replications_a": diffs[0].n_a if diffs else 0,
        "replications_b": diffs[0].n_b if diffs else 0,
        "replications_in_difference": diffs[0].n_difference if diffs else 0,
        "differences": {
            d.kpi: {
                "a": d.mean_a,
                "b": d.mean_b,
                "difference": d.difference,
                "halfwidth": d.halfwidth,
                "paired": d.paired,
            }
            for d in diffs
        },
    }
    rows = [
        (d.kpi, d.mean_a, d.mean_b, d.difference, d.halfwidth)
        for d in diffs
        if d.kpi in MAIN_KPIS or (d.kpi.startswith("bottleneck.") and d.kpi.endswith("total"))
    ]
    paired = bool(diffs and diffs[0].paired)
    method = "paired, common random numbers" if paired else "Welch"

    def render(console: Console) -> None:
        console.print(f"Compared: {basis}.")
        console.print(
            table(
                f"Run {run_b} − run {run_a} ({method}, {confidence:.0%} interval)",
                ["KPI", f"run {run_a} mean", f"run {run_b} mean", "B − A", "±"],
                rows,
            )
        )

    emit(data, as_json, render)
