"""Sane upper bounds on counts in user files, shared by every wing (docs/plant-file.md).

An integer past its bound is refused at validation with the key path and the bound, so
``validate`` and ``simulate`` agree and no engine allocates per station, worker or unit
without end. Quantities with units have their own ranges in :mod:`droneworks.core.units`;
every number in a file is also finite and within ±(2⁶³ − 1) (:mod:`droneworks.core.loader`).
"""

from __future__ import annotations

import os

__all__ = [
    "BYTES_PER_FINISHED_UNIT",
    "MAX_COUNT",
    "MAX_PLAN_PERIODS",
    "MAX_PROCESSES",
    "MAX_RELEASED_UNITS",
    "MAX_REPS",
    "MAX_SEED",
    "MAX_SIMULATED_STEPS",
    "MAX_STATIONS",
    "MAX_UNITS_PER_RUN",
    "MAX_WORKERS",
    "MAX_YEARS",
    "STEPS_PER_CPU_SECOND",
]

MAX_COUNT = 1_000_000_000
"""Quantities, stocks, buffers, lot sizes and planned units."""

MAX_STATIONS = 1_000
"""Parallel stations of one work centre."""

MAX_WORKERS = 100_000
"""Workers of one pool per shift."""

MAX_SEED = 2**63 - 1
"""Random seeds (``--seed`` and ``seed`` keys): what a signed 64-bit integer holds."""

MAX_YEARS = 1000.0
"""The longest duration anywhere: horizons, ``--years``, every duration with a unit."""

MAX_RELEASED_UNITS = 10_000_000
"""Units a plant's demand releases over its horizon (plan or rate): the engine keeps every
released unit until it is finished (~100 bytes each while it waits), so a demand far
beyond this is refused before it fills memory (5.6 million units released over four
weeks held 0.8 GB)."""

MAX_PLAN_PERIODS = 1_000_000
"""Plan periods in the horizon (``horizon / plan_period``): one row of quantities each."""

MAX_REPS = 10_000
"""Replications of one run (``--reps``, ``--max-reps``, ``--verify-reps``) and sizing
evaluations (``--max-evaluations``)."""

MAX_PROCESSES = 4 * (os.cpu_count() or 1)
"""Worker processes (``--workers``): four per core; more only wait for a core and each
holds its own copy of the engine (~235 MB)."""

BYTES_PER_FINISHED_UNIT = 700
"""Memory the factory engine keeps per finished unit, measured (issue 13): 20 years of the
reference line, 4.5 million units, held 3.1 GB; 5 years 0.94 GB."""

STEPS_PER_CPU_SECOND = 1.5e6
"""Operation steps the factory engine simulates a CPU second, measured (issue 13): 1.2
million (Minsk 100k), 1.8 million (reference line), 2.1 million (assembly benchmark)."""

MAX_UNITS_PER_RUN = 10_000_000
"""Units one factory replication makes (estimated from the rough cut: the demand, capped at
the bottleneck's capacity, over the horizon): ~7 GB at :data:`BYTES_PER_FINISHED_UNIT`.
``--no-size-guard`` lifts it."""

MAX_SIMULATED_STEPS = 5_000_000_000
"""Operation steps (units × routing steps, rework and sub-assemblies included) one command
simulates over all its replications: about an hour of CPU at
:data:`STEPS_PER_CPU_SECOND`. ``--no-size-guard`` lifts it."""
