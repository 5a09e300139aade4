"""Demo part: can examples/plants/minsk-100k build 100,000 drones a year with 95 % confidence,
what limits it, and what is the cheapest change that makes it so?

It must run in about a minute on two cores, so it uses FEW replications (``DEMO_REPS`` per
configuration, ``DEMO_VERIFY_REPS`` to verify, at most ``DEMO_EVALUATIONS`` configurations)
and says so in its answer; `droneworks factory size` with the defaults (10 per configuration,
20 to verify, up to 40 configurations) is the full-strength run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from droneworks.core.executor import Executor, LocalExecutor, default_workers
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.report import Section, write_atomic
from droneworks.core.resources import example_path
from droneworks.factory.model import Plant, load_plant
from droneworks.factory.plan.compare import BottleneckComparison, compare_bottlenecks
from droneworks.factory.plan.replications import SeriesNames, SimulateFn
from droneworks.factory.plan.roughcut import rough_cut
from droneworks.factory.plan.runs import sizing_verdict
from droneworks.factory.plan.sizing import OUTPUT_KPI, CompileFn, SizingResult, size
from droneworks.factory.plan.verdict import Verdict
from droneworks.factory.report.sections import replication_sections, sizing_sections, slug
from droneworks.factory.report.tables import verdict_section

__all__ = ["DEMO_EVALUATIONS", "DEMO_REPS", "DEMO_VERIFY_REPS", "capacity_answer", "demo_part"]

PLANT_FILE = example_path("plants", "minsk-100k.toml")
TARGET_PER_YEAR = 100_000.0
CONFIDENCE = 0.95
DEMO_REPS = 4
DEMO_VERIFY_REPS = 8
DEMO_EVALUATIONS = 9


def _compile() -> CompileFn:
    from droneworks.factory import compile_plant

    return compile_plant


def _simulate() -> SimulateFn:
    from droneworks.factory import simulate

    return simulate


def capacity_answer(
    plant: Plant,
    target_per_year: float = TARGET_PER_YEAR,
    *,
    reps: int = DEMO_REPS,
    verify_reps: int = DEMO_VERIFY_REPS,
    max_evaluations: int = DEMO_EVALUATIONS,
    executor: Executor | None = None,
    simulate_fn: SimulateFn | None = None,
    compile_fn: CompileFn | None = None,
    progress: Progress = NO_PROGRESS,
) -> tuple[list[str], SizingResult, BottleneckComparison | None, Verdict | None]:
    """The few-line answer, the sizing search, the bottleneck comparison and the verdict."""
    result = size(
        plant,
        target_per_year,
        CONFIDENCE,
        reps=reps,
        verify_reps=verify_reps,
        max_evaluations=max_evaluations,
        candidates_per_step=2,
        executor=executor,
        simulate_fn=simulate_fn,
        compile_fn=compile_fn,
        progress=progress,
    )
    base = result.base
    comparison = None
    engine = (compile_fn or _compile(), simulate_fn or _simulate())
    verdict = sizing_verdict(plant, result, executor, progress, engine)
    lines = [] if verdict is None else verdict.lines()
    if base.study is not None:
        mean_output = base.study.intervals[OUTPUT_KPI].mean
        comparison = compare_bottlenecks(rough_cut(plant, mean_output), base.study)
        binding = verdict.binding if verdict is not None else None
        limit = _limit_line(result, comparison, binding)
        lines += [limit] if limit else []
        if comparison.parts_starving:
            waits = ", ".join(
                f"{part} {minutes / 1440:.0f} d" for part, minutes in comparison.parts_starving[:3]
            )
            lines.append(
                f"Material, in the capacity runs: operations waited for {waits} a year "
                "(reorder policies and supplier lead times; not a sizing lever)."
            )
    lines.append(_change_line(result, plant.costs.currency))
    lines.append(
        f"Few replications for speed ({reps} per configuration, {verify_reps} to verify, "
        f"≤ {max_evaluations} configurations): indicative; run `droneworks factory size` "
        "for the full search."
    )
    return lines, result, comparison, verdict


def _limit_line(
    result: SizingResult, comparison: BottleneckComparison, binding: str | None
) -> str | None:
    """What the single changes the search measured gave, around the binding work centre
    (the verdict names it; None when the search measured no single change)."""
    steps = result.single_steps()
    if not steps:
        return None
    rows = comparison.rows_by_name()
    busiest = rows.get(binding or "", comparison.rows[0])
    text = "Single changes measured: " + "; ".join(
        f"{e.changes} {gain:+,.0f}/yr" for e, gain in steps[:3]
    )
    base = result.base
    for evaluation, gain in steps:
        changed = evaluation.config.changes_from(base.config).get("stations", {})
        if isinstance(changed, dict) and busiest.work_centre in changed:
            text += (
                f" ({busiest.work_centre}, busy {busiest.busy_share:.0%} of on-shift time, "
                f"gains only {gain:+,.0f}/yr from {evaluation.changes})"
            )
            break
    for evaluation, gain in steps:
        shifts = evaluation.config.shifts_per_day / base.config.shifts_per_day - 1.0
        if shifts > 0 and base.output_mean > 0 and gain / base.output_mean < 0.5 * shifts:
            text += (
                f". {shifts:+.0%} working time gives only {gain / base.output_mean:+.0%} "
                "output: station time is not the main limit, material supply and flow "
                "(blocking) are"
            )
            break
    return text + "."


def _change_line(result: SizingResult, currency: str) -> str:
    if result.best is None:
        near = result.closest
        return (
            f"No allowed change reaches it within {len(result.tried)} configurations "
            f"({result.reason}); nearest: {near.changes}, {near.output_mean:,.0f}/yr, "
            f"P = {near.probability:.2f}, +{near.extra_cost_per_year:,.0f} {currency}/yr."
        )
    if result.best is result.base:
        return (
            f"Capacity change needed for {result.target_per_year:,.0f}/yr: none — the plant "
            f"as it is reaches it (P = {result.base.probability:.2f})."
        )
    v = result.verification
    verdict = (
        ""
        if v is None
        else (
            f"; {v.n} independent replications give P = {v.probability:.2f} "
            f"({'confirmed' if v.feasible else 'NOT confirmed'})"
        )
    )
    return (
        f"Cheapest change found: {result.best.changes} for +{result.best.extra_cost_per_year:,.0f} "
        f"{currency}/yr (P = {result.best.probability:.2f}){verdict}."
    )


def demo_part(out_dir: Path, progress: Progress) -> Any:
    """The capacity answer for minsk-100k, with report sections and CSV tables."""
    from droneworks.demo import DemoAnswer

    plant = load_plant(PLANT_FILE)
    with LocalExecutor(min(2, default_workers())) as executor:
        lines, result, comparison, verdict = capacity_answer(
            plant, executor=executor, progress=progress
        )
    names = SeriesNames(tuple(plant.products), tuple(plant.work_centres), tuple(plant.parts))
    sections: list[Section] = sizing_sections(result, plant.costs.currency)
    if verdict is not None:
        sections = [verdict_section(verdict), *sections]
    if result.base.study is not None:
        sections += replication_sections(
            result.base.study,
            names,
            TARGET_PER_YEAR,
            comparison,
            f"{plant.name} as it is, orders always waiting",
        )
    for section in sections:
        for index, table in enumerate(section.tables):
            write_atomic(
                out_dir / f"capacity-{slug(section.title)}-{index + 1}.csv", table.to_csv()
            )
    data = {
        "target_per_year": TARGET_PER_YEAR,
        "verdict": verdict.as_dict() if verdict is not None else None,
        "confidence": CONFIDENCE,
        "probability_as_is": result.base.probability,
        "mean_output_as_is": result.base.output_mean,
        "bottleneck": comparison.simulated_bottleneck if comparison else None,
        "roughcut_bottleneck": comparison.roughcut_bottleneck if comparison else None,
        "cheapest_change": None if result.best is None else result.best.changes,
        "extra_cost_per_year": None if result.best is None else result.best.extra_cost_per_year,
        "verified": result.verified,
        "configurations_tried": len(result.tried),
        "replications_per_configuration": DEMO_REPS,
        "wall_s": result.wall_s,
    }
    return DemoAnswer("Capacity: 100,000 drones a year?", lines, sections, data)
