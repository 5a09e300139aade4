"""Demo part: how quickly would the Belarus–Poland example wall raise an alert on real
incursions, how often does it cry wolf, and does the track hold from sensor to sensor?

It must run in well under a minute, so it uses FEW Monte Carlo runs (``DEMO_RUNS`` instead
of the wall's own ``runs``) and says so; ``droneworks watch simulate
examples/walls/belarus-poland.toml`` is the full-strength run.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from droneworks.core.executor import LocalExecutor, default_workers
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.report import Section, Table, write_atomic
from droneworks.core.resources import example_path
from droneworks.demo import DemoAnswer
from droneworks.watch.simulate import SimulationResult, simulate
from droneworks.watch.simulate_report import SUMMARY_COLUMNS, plot_run, result_data, summary_rows
from droneworks.watch.wall import Wall, load_wall

__all__ = ["DEMO_RUNS", "WALL_FILE", "demo_part", "incursion_answer"]

WALL_FILE = example_path("walls", "belarus-poland.toml")
DEMO_RUNS = 4


def incursion_answer(result: SimulationResult, wall: Wall) -> list[str]:
    """A few lines that answer the question with the simulated figures."""
    overall = result.overall
    share = overall["detected_share"]
    lead = overall["alert_after_cross_s"]
    depth = overall["depth_at_alert_m"]
    rate = overall["false_alerts_per_100km_h"]
    fragments = overall["fragments"]
    to_cross = overall["fragments_to_cross"]
    n_incursions = len(result.first_run.scenario.incursions)

    def signed(seconds: float) -> str:
        return f"{-seconds:.0f} s before" if seconds < 0 else f"{seconds:.0f} s after"

    lines = [
        f"{wall.name} wall, {result.runs} simulated runs × {n_incursions} incursions: "
        f"{share.mean:.0%} alerted on; first alert {signed(lead.mean)} the drone crossed "
        f"(depth {depth.mean:+.0f} m, − = still outside)."
        if not math.isnan(lead.mean)
        else f"{wall.name} wall: no incursion raised an alert in {result.runs} runs."
    ]
    lines.append(
        f"False alerts {rate.mean:.2f} per 100 km·h; up to the line a drone is held by "
        f"{to_cross.mean:.1f} track(s) on average (1 = unbroken across sensor hand-overs), "
        f"{fragments.mean:.1f} over its whole route (coverage thins behind the line)."
    )
    lines.append(
        f"Few runs for speed ({result.runs}; the wall file asks for {wall.runs}): "
        f"`droneworks watch simulate examples/walls/{WALL_FILE.name}` gives tighter intervals."
    )
    return lines


def demo_part(out_dir: Path, progress: Progress = NO_PROGRESS) -> DemoAnswer:
    """Simulated incursions through the example wall: alerts, timing, continuity."""
    wall = load_wall(WALL_FILE)
    with LocalExecutor(min(DEMO_RUNS, default_workers())) as executor:
        result = simulate(wall, runs=DEMO_RUNS, progress=progress, executor=executor)
    map_path = plot_run(out_dir / "watch-incursions.png", wall, result.first_run)
    data = result_data(result, wall)
    write_atomic(out_dir / "watch-incursions.json", json.dumps(data, indent=2))
    lines = incursion_answer(result, wall)
    table = Table(
        SUMMARY_COLUMNS,
        summary_rows(result),
        caption=f"Incursions over {wall.horizon_s / 3600:g} h, mean ± 95 % CI over "
        f"{result.runs} runs (negative = before the line)",
    )
    section = Section(
        "Watch: simulated incursions",
        paragraphs=[*lines, f"Alert rule: {data['alert_rule']}."],
        tables=[table],
        images=[map_path.name],
    )
    return DemoAnswer(
        title="Watch incursions",
        answer=lines,
        sections=[section],
        data={k: data[k] for k in ("wall", "runs", "overall", "by_threat")},
    )
