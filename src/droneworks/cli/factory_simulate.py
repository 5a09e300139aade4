"""`droneworks factory simulate PLANT`: one run of a plant, KPIs, CSV/Parquet outputs."""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.kernel import ready_kernel
from droneworks.cli.output import ForceOption, SizeGuardOption, emit, progress_bar, table, writing
from droneworks.core.limits import MAX_REPS, MAX_SEED, MAX_YEARS
from droneworks.core.outputs import check_out_folder, write_atomic
from droneworks.core.report import Table, check_report_target
from droneworks.core.units import MINUTES_PER_YEAR

if TYPE_CHECKING:
    from droneworks.core.progress import Progress
    from droneworks.factory import SimResult
    from droneworks.factory.model import Plant
    from droneworks.factory.plan.stall import Stall
    from droneworks.factory.plan.verdict import Verdict
    from droneworks.factory.problem import Problem

app = typer.Typer()


def work_centre_rows(result: SimResult) -> list[list[Any]]:
    """One row per work centre: state shares (%) and OEE."""
    rows = []
    for name in result.work_centres:
        shares = result.work_centre_shares(name)
        rows.append(
            [name]
            + [round(100 * shares[state], 1) for state in result.states]
            + [round(100 * result.kpis[f"wc.{name}.oee"], 1)]
        )
    return rows


def summary(result: SimResult, compile_s: float) -> dict[str, Any]:
    """The JSON summary of a run (see the CLI docs)."""
    k = result.kpis
    return {
        "units": int(k["units"]),
        "units_by_product": result.units_by_product(),
        "throughput_per_year": k["throughput_per_year"],
        "wip_mean": k["wip_mean"],
        "wip_floor_mean": k["wip_floor_mean"],
        "order_pool_mean": k["order_pool_mean"],
        "lead_time_mean_min": k["lead_time_mean_min"],
        "lead_time_p50_min": k["lead_time_p50_min"],
        "lead_time_p90_min": k["lead_time_p90_min"],
        "lead_time_p99_min": k["lead_time_p99_min"],
        "order_wait_mean_min": k["order_wait_mean_min"],
        "floor_time_mean_min": k["floor_time_mean_min"],
        "floor_time_p50_min": k["floor_time_p50_min"],
        "floor_time_p90_min": k["floor_time_p90_min"],
        "floor_time_p99_min": k["floor_time_p99_min"],
        "scrap": int(k["scrap"]),
        "reworks": int(k["reworks"]),
        "yield_first_pass": k["yield_first_pass"],
        "work_centres": {
            name: {**result.work_centre_shares(name), "oee": k[f"wc.{name}.oee"]}
            for name in result.work_centres
        },
        "workers": {name: k[f"worker.{name}.utilisation"] for name in result.pools},
        "parts": {
            name: {
                "stockout_min": k[f"part.{name}.stockout_min"],
                "starved_min": k[f"part.{name}.starved_min"],
            }
            for name in result.parts
        },
        "horizon_min": result.horizon_min,
        "warmup_min": result.warmup_min,
        "seed": result.seed,
        "wall_s": result.wall_s,
        "compile_s": compile_s,
    }


def write_outputs(result: SimResult, out: Path) -> list[Path]:
    """KPIs, per-period output and work-centre states as CSV files in ``out``."""
    kpis = Table(["kpi", "value"], [[key, value] for key, value in sorted(result.kpis.items())])
    starts = [k * result.period_min for k in range(len(result.output_by_period))]
    output = Table(
        ["period_start_min", *result.products, "wip_mean"],
        [
            [start, *row.tolist(), float(wip)]
            for start, row, wip in zip(
                starts, result.output_by_period, result.wip_by_period, strict=True
            )
        ],
    )
    states = Table(["work_centre", *result.states, "oee_pct"], work_centre_rows(result))
    paths = {"kpis.csv": kpis, "output_by_period.csv": output, "work_centres.csv": states}
    for name, content in paths.items():
        write_atomic(out / name, content.to_csv())
    return [out / name for name in paths]


def run_verdict(
    plant: Plant, problem: Problem, result: SimResult, stalls: list[Stall], progress: Progress
) -> Verdict:
    """The verdict of one run: a second run of the same seed with orders always waiting
    gives the capacity and, from its active periods, the binding constraint."""
    from droneworks.factory import compile_plant, simulate
    from droneworks.factory.plan.replications import single_run_study
    from droneworks.factory.plan.roughcut import annual_demand
    from droneworks.factory.plan.sizing import capacity_view
    from droneworks.factory.plan.verdict import make_verdict

    delivered = single_run_study(result, problem)
    capacity_problem = compile_plant(capacity_view(plant), horizon_min=problem.horizon_min)
    capacity_run = simulate(
        capacity_problem, seed=result.seed, progress=progress, record_active_periods=True
    )
    capacity = single_run_study(capacity_run, capacity_problem)
    findings = tuple(stall.describe() for stall in stalls)
    return make_verdict(
        capacity, delivered, annual_demand(plant), stalls=findings, warmup_min=plant.warmup_min
    )


@app.command("simulate")
def simulate_command(
    plant_path: Annotated[Path, typer.Argument(help="Plant file (TOML).", metavar="PLANT")],
    years: Annotated[
        float | None, typer.Option(help="Simulated years (default: the plant's horizon).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(min=0, max=MAX_SEED, help="Random seed (default: the plant's).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for CSV/Parquet outputs.")] = None,
    event_log: Annotated[
        bool, typer.Option("--event-log", help="Stream every event to OUT/events.parquet.")
    ] = False,
    reps: Annotated[
        int | None,
        typer.Option(
            "--reps",
            min=2,
            max=MAX_REPS,
            help="Replications with confidence intervals "
            "(as `factory replicate`; stored in the runs database).",
        ),
    ] = None,
    confidence: Annotated[float, typer.Option("--confidence", min=0.5, max=0.999)] = 0.95,
    until_halfwidth: Annotated[
        list[str] | None, typer.Option("--until-halfwidth", help="KPI=VALUE (with --reps).")
    ] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Offline HTML report.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Runs database (with --reps).")] = None,
    resume: Annotated[int | None, typer.Option("--resume", help="Continue run RUN.")] = None,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Simulate a plant once and show its KPIs (with --reps: replications and intervals)."""
    if reps is not None or resume is not None or until_halfwidth:
        from droneworks.cli.factory_plan import replicate_command

        reps = reps or 10
        replicate_command(
            plant_path, reps, confidence, until_halfwidth=until_halfwidth, max_reps=max(200, reps),
            seed=seed, years=years, report=report, resume=resume, db=db, as_json=as_json,
            force=force, size_guard=size_guard,
        )  # fmt: skip
        return
    if out is not None:
        check_out_folder(out)
    if report is not None:
        check_report_target(report, force)
    if years is not None and not 0 < years <= MAX_YEARS:  # also refuses nan
        raise typer.BadParameter(f"--years must be a positive number of at most {MAX_YEARS:g}")
    if event_log and out is None:
        raise typer.BadParameter("--event-log needs --out DIR")
    from droneworks.factory import compile_plant, load_plant, simulate
    from droneworks.factory.model import with_changes
    from droneworks.factory.model.holding import find_holding_cycles
    from droneworks.factory.plan.stall import find_stalls, with_stations
    from droneworks.factory.plan.worksize import check_work_size

    started = time.perf_counter()
    plant = load_plant(plant_path)
    horizon = years * MINUTES_PER_YEAR if years is not None else None
    if horizon is not None and horizon <= plant.warmup_min:
        raise typer.BadParameter("--years must exceed the plant's warm-up")
    if horizon is not None:
        plant = with_changes(plant, horizon_min=horizon)
    check_work_size(plant, 1, "--years", guard=size_guard)
    problem = compile_plant(plant, horizon_min=horizon)
    compile_s = time.perf_counter() - started + ready_kernel(not as_json)
    log_path = out / "events.parquet" if (event_log and out is not None) else None
    with writing(force):
        with progress_bar(not as_json) as progress:
            result = simulate(problem, seed=seed, progress=progress, event_log=log_path)
        compile_s += result.compile_s
        data = summary(result, compile_s)
        stalls = with_stations(
            find_stalls(result, find_holding_cycles(plant)),
            result,
            lambda end_min: simulate(problem, seed=result.seed, horizon_min=end_min),
        )
        data["stalls"] = [{**asdict(stall), "finding": stall.describe()} for stall in stalls]
        with progress_bar(not as_json) as progress:
            verdict = run_verdict(plant, problem, result, stalls, progress)
        data["verdict"] = verdict.as_dict()
        if out is not None:
            files = write_outputs(result, out)
            data["files"] = [str(path) for path in files + ([log_path] if log_path else [])]
        if report is not None:
            from droneworks.factory.plan.roughcut import cumulative_demand
            from droneworks.factory.report import write_simulation_report

            write_simulation_report(report, plant.name, result, problem, verdict,
                                    lambda ends: cumulative_demand(plant, ends))  # fmt: skip
            data["report"] = str(report)

    def render(console: Console) -> None:
        for line in verdict.lines():
            console.print(line)
        console.print(
            f"[bold]{plant.name}[/bold]: {data['units']:,} units in "
            f"{result.horizon_min / MINUTES_PER_YEAR:.2g} years "
            f"({data['throughput_per_year']:,.0f}/yr), seed {result.seed}"
        )
        by_product = [[name, units] for name, units in data["units_by_product"].items()]
        console.print(table("Units by product", ["product", "units"], by_product))
        headline = [
            ["work in process, order to delivery (mean)", data["wip_mean"]],
            ["  of which in the order pool", data["order_pool_mean"]],
            ["lead time, order to delivery: mean / p50 / p90 / p99 min",
             " / ".join(f"{data[key]:.4g}" for key in
                        ("lead_time_mean_min", "lead_time_p50_min", "lead_time_p90_min",
                         "lead_time_p99_min"))],
            ["floor time, release to completion: mean / p50 / p90 / p99 min",
             " / ".join(f"{data[key]:.4g}" for key in
                        ("floor_time_mean_min", "floor_time_p50_min", "floor_time_p90_min",
                         "floor_time_p99_min"))],
            ["first-pass yield", data["yield_first_pass"]],
            ["reworks / scrap", f"{data['reworks']} / {data['scrap']}"],
            ["simulation s / compile s", f"{result.wall_s:.3g} / {compile_s:.3g}"],
        ]  # fmt: skip
        console.print(table("KPIs", ["kpi", "value"], headline))
        columns = ["work centre", *[f"{state} %" for state in result.states], "OEE %"]
        console.print(table("Work centres (share of time)", columns, work_centre_rows(result)))
        for path in data.get("files", []):
            console.print(f"wrote {path}")

    emit(data, as_json, render)
    if any(not stall.recovered for stall in stalls):
        raise typer.Exit(code=3)  # the plant stopped for good: the KPIs describe a stall
