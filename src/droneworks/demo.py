"""`droneworks demo`: the main job of every wing on built-in examples, embedded defaults only.

Each wing contributes a :data:`DemoPart`: a function that takes the output folder and a
progress sink and returns a :class:`DemoAnswer` (a few lines of answer, report sections and
JSON data). :func:`run_demo` runs them in order and writes ``report.html`` and
``summary.json`` into the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.report import Section, Table, write_atomic, write_report

__all__ = [
    "DEMO_MODULES",
    "PART_EXTRAS",
    "QUICK_MODULES",
    "DemoAnswer",
    "DemoPart",
    "catalogue_part",
    "demo_parts",
    "run_demo",
]


@dataclass(frozen=True)
class DemoAnswer:
    """What one wing's demo found."""

    title: str
    answer: Sequence[str]
    sections: Sequence[Section] = ()
    data: dict[str, Any] = field(default_factory=dict)


DemoPart = Callable[[Path, Progress], DemoAnswer]


def catalogue_part(out_dir: Path, progress: Progress) -> DemoAnswer:
    """The drone types all wings share, as a table and a CSV file."""
    from droneworks.catalogue import default_catalogue

    catalogue = default_catalogue()
    columns = ["id", "role", "empty kg", "MTOW kg", "battery Wh", "payload kg", "tank L",
               "cruise m/s", "endurance loaded min", "endurance empty min", "RCS dBsm"]  # fmt: skip
    rows = [
        [
            key,
            d.role.value,
            d.empty_mass,
            d.max_takeoff_mass,
            d.battery_energy,
            d.payload_max,
            d.tank,
            d.cruise_speed,
            d.endurance_loaded,
            d.endurance_empty,
            d.rcs_dbsm,
        ]
        for key, d in catalogue.items()
    ]
    drone_table = Table(columns, rows, caption="Civilian drone types (sources in drones.toml)")
    write_atomic(out_dir / "catalogue.csv", drone_table.to_csv())
    estimates = sum(d.is_estimate(name) for d in catalogue.values() for name in d.sources)
    return DemoAnswer(
        title="Drone catalogue",
        answer=[
            f"{len(catalogue)} drone types in the catalogue; {estimates} figures are "
            "estimates and say so."
        ],
        sections=[Section("Drone catalogue", tables=[drone_table])],
        data={"drone_types": sorted(catalogue)},
    )


# Each wing's demo lives in a module with a ``demo_part`` function, listed here in order.
DEMO_MODULES = (
    "droneworks.factory.demo_simulate",
    "droneworks.factory.demo_capacity",
    "droneworks.factory.demo_rampup",
    "droneworks.missions.demo_fields",
    "droneworks.missions.demo_deliveries",
    "droneworks.watch.demo_coverage",
    "droneworks.watch.demo_incursions",
)


# ``demo --quick``: the parts that finish in seconds (no plant simulation, no Monte Carlo),
# still reading shipped data (catalogue, demo field, example wall): a smoke test of an install.
QUICK_MODULES = ("droneworks.missions.demo_fields", "droneworks.watch.demo_coverage")

# Parts that need an optional extra (droneworks.core.extras); without it they are skipped
# with a line naming the extra instead of failing the demo.
PART_EXTRAS = {
    "droneworks.factory.demo_simulate": "report",
    "droneworks.factory.demo_capacity": "report",
    "droneworks.factory.demo_rampup": "report",
    "droneworks.missions.demo_fields": "raster",
}


def demo_parts(quick: bool = False) -> list[DemoPart]:
    """The demo's parts in order: the catalogue, then each wing's parts that exist."""
    import importlib
    import importlib.util

    parts: list[DemoPart] = [catalogue_part]
    for name in QUICK_MODULES if quick else DEMO_MODULES:
        extra = PART_EXTRAS.get(name)
        if extra is not None and not _installed(extra):
            parts.append(_skipped_part(name, extra))
        elif importlib.util.find_spec(name) is not None:
            parts.append(importlib.import_module(name).demo_part)
    return parts


def _installed(extra: str) -> bool:
    import importlib.util

    from droneworks.core.extras import EXTRAS

    return all(importlib.util.find_spec(module) is not None for module in EXTRAS[extra])


def _skipped_part(name: str, extra: str) -> DemoPart:
    """A part that says why it did not run (an optional package is missing)."""
    title = name.rsplit(".", 1)[-1].removeprefix("demo_").replace("_", " ").capitalize()
    line = f"{title}: skipped, it needs pip install 'droneworks[{extra}]'."

    def part(_out_dir: Path, _progress: Progress) -> DemoAnswer:
        return DemoAnswer(title=f"{title} (skipped)", answer=[line])

    return part


def run_demo(
    out_dir: str | Path,
    parts: Sequence[DemoPart] | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[DemoAnswer]:
    """Run every demo part and write ``report.html`` and ``summary.json`` to ``out_dir``."""
    out = Path(out_dir)
    answers = [part(out, progress) for part in (parts if parts is not None else demo_parts())]
    sections = [section for answer in answers for section in answer.sections]
    summary_section = Section(
        "Answers", paragraphs=[line for answer in answers for line in answer.answer]
    )
    write_report(out / "report.html", "droneworks demo", [summary_section, *sections])
    summary = {answer.title: {"answer": list(answer.answer), **answer.data} for answer in answers}
    write_atomic(out / "summary.json", json.dumps(summary, indent=2, default=str))
    return answers
