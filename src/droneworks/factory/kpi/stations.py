"""What every station holds at the end of a run: read from the kernel's memory after its
last event (nothing is recorded while running).

Used to name what is stuck in a stall: which station holds which job, what it is doing
with it, and the material it waits for (the stations waiting for a material are linked in that
material's wait list).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from droneworks.factory.engine import spec
from droneworks.factory.engine.memory import Memory
from droneworks.factory.problem import Problem

__all__ = ["ACTIVITIES", "StationHold", "station_holds"]

# by station phase (spec.PH_*)
ACTIVITIES = ("idle", "waiting for material", "waiting for a worker", "setting up",
              "processing", "blocked (no room downstream)",
              "waiting for a full batch")  # fmt: skip


@dataclass(frozen=True)
class StationHold:
    """One present station at the end of a run."""

    work_centre: str
    station: int  # 1-based within its work centre
    activity: str  # one of ACTIVITIES (what it does with what it holds, on shift or not)
    holds: str  # job type of the unit(s) it holds ("" when empty)
    units: int
    waiting_for: str  # the material it waits for ("" when it waits for none)


def _waiting_material(memory: Memory) -> dict[int, int]:
    """Station → material whose wait list it is in."""
    stations, materials = memory.view("stations"), memory.view("materials")
    waiting: dict[int, int] = {}
    for m in range(materials.n):
        s, steps = int(materials.wait_head[m]), 0
        while s >= 0 and steps <= stations.n:  # a wait list never holds a station twice
            waiting[s] = m
            s, steps = int(stations.next[s]), steps + 1
    return waiting


def station_holds(problem: Problem, memory: Memory) -> tuple[StationHold, ...]:
    """Every present station: its state and what it holds and waits for."""
    stations, jobs, centres = memory.view("stations"), memory.view("jobs"), memory.view("centres")
    waiting = _waiting_material(memory)
    holds = []
    for index in np.flatnonzero(stations.present[: stations.n]):
        s = int(index)
        if int(stations.state[s]) == spec.ST_ABSENT:
            continue
        w = int(stations.wc[s])
        job = int(stations.job[s])
        held = problem.job_types[int(jobs.type[job])] if job >= 0 and jobs.type[job] >= 0 else ""
        m = waiting.get(s, -1)
        holds.append(
            StationHold(
                work_centre=problem.work_centres[w],
                station=s - int(centres.station_start[w]) + 1,
                activity=ACTIVITIES[int(stations.phase[s])] if held else "idle",
                holds=held,
                units=int(stations.n_jobs[s]) if held else 0,
                waiting_for=problem.materials[m] if m >= 0 else "",
            )
        )
    return tuple(holds)
