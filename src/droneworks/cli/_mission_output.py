"""What ``mission survey|spray`` print: per-part JSON data and tables, warnings, files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from droneworks.cli.output import emit, err_console, table, writing

__all__ = ["PartOutcome", "emit_parts", "figures_table", "spray_sorties", "write_files"]


def print_warnings(warnings: list[str]) -> None:
    for line in warnings:
        err_console.print(f"[yellow]warning[/yellow]: {line}", highlight=False)


@dataclass(frozen=True)
class PartOutcome:
    """What one field part's plan prints: its JSON data and its tables."""

    data: dict[str, Any]
    render: Callable[[Console], None]


def emit_parts(
    outcomes: list[PartOutcome], warnings: list[str], totals: tuple[str, ...], as_json: bool
) -> None:
    """One part: its data as before. Several: ``parts`` and the sums of ``totals``."""
    print_warnings(warnings)
    if len(outcomes) == 1:
        emit({**outcomes[0].data, "warnings": warnings}, as_json, outcomes[0].render)
        return
    data: dict[str, Any] = {key: sum(o.data[key] for o in outcomes) for key in totals}
    data.update(
        parts=[o.data for o in outcomes],
        files=[f for o in outcomes for f in o.data["files"]],
        warnings=warnings,
    )

    def render(console: Console) -> None:
        console.print(f"The field has {len(outcomes)} parts, planned one by one.")
        for outcome in outcomes:
            outcome.render(console)

    emit(data, as_json, render)


def figures_table(title: str, summary: dict[str, Any]) -> Any:
    rows = [(key, value) for key, value in summary.items() if not isinstance(value, list)]
    return table(title, ["figure", "value"], rows)


def write_files(
    missions: list[Any], out: Path | None, stem: str, title: str, force: bool
) -> list[str]:
    if out is None:
        return []
    from droneworks.missions.field_plans import write_mission_files

    with writing(force):
        return [str(path) for path in write_mission_files(missions, out, stem, title)]


def spray_sorties(plan: Any) -> list[dict[str, Any]]:
    budget = plan.energy.budget_wh
    return [
        {
            "drone": s.drone + 1,
            "sortie": s.index + 1,
            "sprayed_l": s.sprayed_l,
            "energy_wh": s.energy_wh,
            "battery_used": s.energy_wh / budget,
            "flight_time_min": s.flight_time_min,
        }
        for s in plan.sorties
    ]
