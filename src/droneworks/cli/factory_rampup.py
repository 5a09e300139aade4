"""`droneworks factory mrp PLANT` and `droneworks factory rampup PLANT`: materials and ramp-up."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from droneworks.cli.kernel import ready_kernel
from droneworks.cli.output import ForceOption, SizeGuardOption, emit, progress_bar, table, writing
from droneworks.core.errors import ConfigError
from droneworks.core.executor import Executor
from droneworks.core.limits import MAX_PROCESSES, MAX_SEED
from droneworks.core.outputs import check_out_folder, write_atomic
from droneworks.core.report import check_report_target
from droneworks.core.units import Dimension, format_duration, parse_quantity

app = typer.Typer()

SHOWN_ORDERS = 40

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
ServiceOption = Annotated[
    float,
    typer.Option(
        "--service-level",
        min=0.5,
        max=0.999,
        help="Planned lead time = this quantile of each part's delivery time.",
    ),
]


# MRP periods of `factory mrp` (13,036 four-week periods of Minsk 2k, 1,000 years, took 27 s
# of CPU and printed 24 MB of JSON; no plan needs more than a few hundred)
MAX_MRP_PERIODS = 10_000
RAMPUP_MAX_REPS = 200  # the replications behind each ramp-up check (its max_reps)


@app.command("mrp")
def mrp(
    plant_file: Annotated[Path, typer.Argument(metavar="PLANT", help="Plant TOML file.")],
    horizon: Annotated[
        str | None, typer.Option(help='Planning horizon, e.g. "26 wk" (default: the plant\'s).')
    ] = None,
    service_level: ServiceOption = 0.9,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write orders, exceptions and the MRP table here.")
    ] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Plan purchased parts by MRP: planned orders per period and exception messages."""
    from droneworks.factory.model import load_plant
    from droneworks.factory.plan.mrp_plant import (
        mrp_summary,
        mrp_tables,
        plan_period_min,
        plan_plant_mrp,
    )

    if csv is not None:
        check_out_folder(csv, "--csv")
    plant = load_plant(plant_file)
    horizon_min = parse_quantity(horizon, Dimension.DURATION) if horizon else None
    if horizon_min is not None and horizon_min <= 0:
        raise ConfigError(f'--horizon must be a positive duration, not "{horizon}"')
    periods = math.ceil((horizon_min or plant.horizon_min) / plan_period_min(plant) - 1e-9)
    if periods > MAX_MRP_PERIODS:
        raise ConfigError(
            f"--horizon {horizon or '(the plant’s)'}: {periods:,} MRP periods of "
            f"{format_duration(plan_period_min(plant))}; at most {MAX_MRP_PERIODS:,} (a shorter "
            "--horizon or a longer demand.plan_period)"
        )
    planned = plan_plant_mrp(plant, horizon_min, service_level)
    tables = mrp_tables(plant, planned)
    if csv is not None:
        with writing(force):
            for name, content in tables.items():
                write_atomic(csv / f"mrp_{name}.csv", content.to_csv())
    data = mrp_summary(plant, planned)
    if csv is not None:
        data["csv"] = str(csv)

    def render(console: Console) -> None:
        purchases = [row for row in tables["orders"].rows if row[1] == "purchase"]
        shown = purchases[:SHOWN_ORDERS]
        title = f"{plant.name}: planned purchase orders ({len(purchases)})"
        if len(shown) < len(purchases):
            title += f", first {len(shown)} (all with --csv or --json)"
        console.print(
            table(
                title,
                ["part", "release", "receipt", "quantity"],
                [[row[0], row[3], row[5], row[6]] for row in shown],
            )
        )
        lead = planned.planned_lead_time_min
        console.print(
            table(
                f"Planned lead times (p{service_level * 100:g} of delivery time)",
                ["part", "days", "periods"],
                [
                    [key, value / 1440, planned.result.records[key].lead_time_periods]
                    for key, value in lead.items()
                ],
            )
        )
        exceptions = tables["exceptions"].rows
        console.print(
            table(
                f"Exception messages ({len(exceptions)})",
                ["item", "kind", "period", "message"],
                [[row[0], row[1], row[2], row[4]] for row in exceptions],
            )
        )
        if csv is not None:
            console.print(f"CSV: {csv}")

    emit(data, as_json, render)


@app.command("rampup")
def rampup(
    plant_file: Annotated[Path, typer.Argument(metavar="PLANT", help="Plant TOML file.")],
    reps: Annotated[
        int, typer.Option(min=2, max=RAMPUP_MAX_REPS, help="Replications (≥ 2 for intervals).")
    ] = 5,
    seed: Annotated[
        int | None, typer.Option(min=0, max=MAX_SEED, help="Base seed (default: the plant's).")
    ] = None,
    confidence: Annotated[float, typer.Option(min=0.5, max=0.999)] = 0.95,
    tolerance: Annotated[
        float,
        typer.Option(min=0.0, max=0.5, help="A period misses when output < (1 − this) × plan."),
    ] = 0.05,
    max_utilisation: Annotated[
        float, typer.Option(min=0.1, max=1.5, help="Rough-cut load that calls for a change.")
    ] = 0.9,
    service_level: ServiceOption = 0.9,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify/--no-verify",
            help="Re-simulate with every change at its latest date and move dates earlier "
            "until the simulation agrees (--no-verify: rough-cut dates only).",
        ),
    ] = True,
    workers: Annotated[int, typer.Option(min=1, max=MAX_PROCESSES, help="Parallel processes.")] = 1,
    report: Annotated[
        Path | None, typer.Option(help="Write an offline HTML report with plots here.")
    ] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
    size_guard: SizeGuardOption = True,
) -> None:
    """Ramp-up: planned vs simulated output per period (MRP orders in the loop), binding
    constraints, and the latest date of every capacity change and first purchase order."""
    from droneworks.core.report import write_report
    from droneworks.factory.model import load_plant
    from droneworks.factory.plan.rampup import MAX_DATE_MOVES, analyse_rampup
    from droneworks.factory.plan.rampup_report import (
        answer_lines,
        rampup_sections,
        rampup_summary,
    )
    from droneworks.factory.plan.worksize import check_work_size

    if report is not None:
        check_report_target(report, force)
    plant = load_plant(plant_file)
    rounds = 2 + (MAX_DATE_MOVES + 1 if verify else 0)  # the plan, the base, each verification
    check_work_size(plant, reps * rounds, f"--reps {reps}", guard=size_guard)
    with progress_bar(not as_json) as progress:
        result = analyse_rampup(
            plant,
            reps,
            seed=seed,
            confidence=confidence,
            tolerance=tolerance,
            max_utilisation=max_utilisation,
            service_level=service_level,
            verify=verify,
            executor=_executor(workers),
            progress=progress,
        )
    if report is not None:
        with writing(force):
            write_report(report, f"Ramp-up: {plant.name}", rampup_sections(plant, result))
    data = rampup_summary(plant, result)
    if report is not None:
        data["report"] = str(report)

    def render(console: Console) -> None:
        for line in answer_lines(plant, result):
            console.print(line)
        console.print(
            table(
                "Planned vs simulated output per period",
                [
                    "period",
                    "start",
                    "planned",
                    "simulated",
                    f"{confidence:.0%} band",
                    "miss",
                    "binding",
                ],
                [
                    [
                        p["period"],
                        p["start"],
                        p["planned"],
                        p["simulated_mean"],
                        f"{p['simulated_low']:.0f}–{p['simulated_high']:.0f}",
                        "MISS" if p["missed"] else "",
                        f"{p['binding_kind']} {p['binding']}",
                    ]
                    for p in data["periods"]
                ],
            )
        )
        console.print(
            table(
                "Capacity changes: latest dates (rough-cut with learning)",
                ["change", "planned", "latest", "decide by", "slack days"],
                [
                    [
                        c["change"],
                        c["planned"],
                        c["latest"] or "not needed",
                        c["decide_by"],
                        c["slack_days"],
                    ]
                    for c in data["capacity_changes"]
                ],
            )
        )
        console.print(
            table(
                "First purchase orders (latest release dates, from MRP)",
                ["part", "release", "receipt", "quantity", "lead days", "past due"],
                [
                    [
                        o["part"],
                        o["release"],
                        o["receipt"],
                        o["quantity"],
                        o["planned_lead_time_days"],
                        "yes" if o["past_due"] else "",
                    ]
                    for o in data["first_purchase_orders"]
                ],
            )
        )
        if report is not None:
            console.print(f"Report: {report}")

    emit(data, as_json, render)


def _executor(workers: int) -> Executor | None:
    """A local process pool for ``workers`` > 1 (None: run serially), the kernel loaded first."""
    ready_kernel()
    if workers <= 1:
        return None
    from droneworks.core.executor import LocalExecutor

    return LocalExecutor(workers)
