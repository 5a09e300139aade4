"""Demo part: a day of parcel deliveries from two Minsk bases, with its map and files.

Uses the built-in synthetic instance (:func:`droneworks.missions.delivery.synthetic.minsk_30`:
synthetic but realistic, 30 drops plus three that cannot be served) and answers: how many
sorties per drone, is every sortie within its battery budget, which drops cannot be
served and why — and how many of plain PyVRP's multi-trip trips would have exceeded the
battery range.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from droneworks.core.progress import Progress
from droneworks.core.report import Section, Table, write_atomic
from droneworks.demo import DemoAnswer
from droneworks.missions.delivery import min_to_clock, parse_deliveries, plan_deliveries
from droneworks.missions.delivery.export import plan_summary, write_delivery_files
from droneworks.missions.delivery.synthetic import minsk_30

__all__ = ["demo_part"]


def demo_part(out_dir: Path, progress: Progress) -> DemoAnswer:
    """Plan the Minsk example and write its mission files and map into ``out_dir``."""
    progress.start("Delivery plan (PyVRP + per-sortie range)", 2)
    problem = parse_deliveries(tomllib.loads(minsk_30()), "built-in minsk-30 example")
    plan = plan_deliveries(problem, runtime_s=1.0, seed=0)
    progress.update(1)
    folder = out_dir / "deliveries"
    files = write_delivery_files(plan, folder)
    summary = plan_summary(plan)
    progress.update(2)
    per_drone = Table(
        ["drone", "sorties", "drops", "km", "Wh"],
        [
            [
                name,
                e["sorties"],
                e["drops"],
                round(e["distance_m"] / 1000, 1),
                round(e["energy_wh"]),
            ]
            for name, e in summary["drones"].items()
        ],
        caption="Sorties per drone (synthetic Minsk example)",
    )
    rejected = Table(
        ["drop", "reason", "why"],
        [[i.drop_id, i.reason, i.detail] for i in plan.infeasible],
        caption="Drops that cannot be served",
    )
    write_atomic(folder / "sorties.csv", per_drone.to_csv())
    flying = sum(entry["sorties"] > 0 for entry in summary["drones"].values())
    worst = summary["max_energy_share_of_budget"]
    within = "every sortie within" if worst <= 1.0 else "NOT every sortie within"
    answer = [
        f"Deliveries: {plan.served} of {len(problem.drops)} drops in {len(plan.sorties)} "
        f"sorties by {flying} of {len(summary['drones'])} drones, last landing "
        f"{min_to_clock(plan.makespan_min)}; {within} its battery budget (worst {worst:.0%}).",
        f"Plain PyVRP multi-trip on the same drops: {plan.pyvrp_trips_over_budget} of "
        f"{plan.pyvrp_trips} trips over the battery range.",
    ]
    if plan.infeasible:
        answer.append(
            "Not served: " + "; ".join(f"{i.drop_id} ({i.reason})" for i in plan.infeasible) + "."
        )
    map_file = folder / "deliveries_map.png"
    return DemoAnswer(
        title="Deliveries",
        answer=answer,
        sections=[
            Section(
                "Delivery plan",
                paragraphs=answer,
                tables=[per_drone, rejected],
                images=["deliveries/deliveries_map.png"] if map_file.exists() else [],
            )
        ],
        data={k: v for k, v in summary.items() if k != "sortie_list"} | {"files": len(files)},
    )
