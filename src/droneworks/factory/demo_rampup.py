"""Demo part: the Minsk ramp-up from 2,000 drones in year 1 to 100,000 a year.

Runs :func:`droneworks.factory.plan.rampup.analyse_rampup` on the built-in
``examples/plants/minsk-rampup.toml`` with only 3 replications (the demo must finish in well
under a minute on 2 cores; the intervals are correspondingly wide — run
``droneworks factory rampup examples/plants/minsk-rampup.toml --reps 10`` for tighter ones)
and reports whether and when 100,000/yr is reached, what must be added and ordered when,
and the plots: planned vs simulated output with bands, the learning curve, the MRP order
schedule and the stock of the critical parts.
"""

from __future__ import annotations

from pathlib import Path

from droneworks.core.progress import Progress
from droneworks.core.report import Section, write_atomic
from droneworks.core.resources import example_path
from droneworks.demo import DemoAnswer

__all__ = ["DEMO_REPS", "demo_part", "rampup_example"]

DEMO_REPS = 3


def rampup_example() -> Path:
    """Path of the shipped minsk-rampup plant file."""
    return example_path("plants", "minsk-rampup.toml")


def demo_part(out_dir: Path, progress: Progress) -> DemoAnswer:
    """Ramp-up answer, plots and data files (rampup.json, rampup_*.csv) in ``out_dir``."""
    import json

    from droneworks.cli.output import to_jsonable
    from droneworks.factory.model import load_plant
    from droneworks.factory.plan.mrp_plant import mrp_tables
    from droneworks.factory.plan.rampup import analyse_rampup
    from droneworks.factory.plan.rampup_report import (
        answer_lines,
        rampup_sections,
        rampup_summary,
    )

    plant = load_plant(rampup_example())
    result = analyse_rampup(plant, DEMO_REPS, verify=True, progress=progress)
    summary = rampup_summary(plant, result)
    write_atomic(out_dir / "rampup.json", json.dumps(to_jsonable(summary), indent=2))
    tables = mrp_tables(plant, result.mrp)
    write_atomic(out_dir / "rampup_mrp_orders.csv", tables["orders"].to_csv())
    sections = rampup_sections(plant, result)
    for table in sections[0].tables:
        write_atomic(out_dir / "rampup_periods.csv", table.to_csv())
    note = Section(
        "Ramp-up: how this was computed",
        paragraphs=[
            f"{DEMO_REPS} replications only, so the demo finishes within a minute on 2 cores; "
            "the bands are wide. Capacity-change deadlines come from a rough-cut with "
            "learning (analytic), checked by one more set of replications with every change at "
            "its latest date; first purchase orders from MRP's lead-time offsets (90th "
            "percentile of each supplier's delivery time); see docs/mrp-rampup.md.",
            f"Run took {result.wall_s:.1f} s.",
        ],
    )
    answer = answer_lines(plant, result)
    return DemoAnswer(
        title="Factory ramp-up (minsk-rampup)",
        answer=answer,
        sections=[*sections, note],
        data={
            key: summary[key]
            for key in (
                "target_per_year",
                "reached_period",
                "reached_date",
                "missed_periods",
                "reps",
                "verified_at_latest",
                "missed_at_latest",
            )
        },
    )
