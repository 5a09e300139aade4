"""Size guards of the watch wing: inputs that would exhaust memory or run for hours.

A wall or an option past one of these limits is refused before any work starts, with one
message naming the input, what it would make and the limit (e.g. ``coverage.spacing: "1 mm"
makes 340,128,000 pieces of the 340.1 km line; at most 50,000 (spacing ≥ 6.8 m)``). The
limits sit far above any real border plan: 2,000 km of line at 100 m is 20,000 pieces; the
longest shipped wall has ~4,000 sensors.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from droneworks.core.errors import ConfigError

if TYPE_CHECKING:
    from droneworks.watch.wall import Wall
    from droneworks.watch.wall_model import WallSpec

__all__ = [
    "MAX_ALTITUDE_M",
    "MAX_CANDIDATES",
    "MAX_COVERAGE_PIECES",
    "MAX_HORIZON_MIN",
    "MAX_INCURSIONS",
    "MAX_NAME_CHARS",
    "MAX_OFFSET_M",
    "MAX_RANGE_M",
    "MAX_RUNS",
    "MAX_SENSORS",
    "MAX_TICKS",
    "check_altitude",
    "check_count",
    "check_runs",
    "check_simulation_work",
    "check_wall_sizes",
    "simulation_size",
]

MAX_RUNS = 10_000  # Monte Carlo runs
MAX_HORIZON_MIN = 7 * 24 * 60.0  # one week of simulated time
MAX_TICKS = 1_000_000  # simulated scans per run (horizon / shortest scan period)
MAX_INCURSIONS = 10_000  # drones per run, all threats together
MAX_SENSORS = 10_000  # sensors of one wall
MAX_COVERAGE_PIECES = 50_000  # pieces the line is judged on
MAX_CANDIDATES = 30_000  # candidate sites × types of a placement
MAX_RANGE_M = 500_000.0  # no border sensor detects a drone farther
MAX_ALTITUDE_M = 20_000.0  # no drone of the catalogue flies higher
MAX_OFFSET_M = 100_000.0  # sensors and crossings this far from the line at most
MAX_NAME_CHARS = 200  # names and ids

# CPU seconds of a simulated run, measured on examples/walls/belarus-poland.toml (~935
# sensors, 2 h): 300 drones instead of 6 added 80 s a run, a 20 h horizon instead of 2 h
# added 3.9 s (issue 13). Over all runs of a command, at most MAX_SIMULATION_CPU_S.
CPU_S_PER_DRONE = 0.27
CPU_S_PER_SENSOR_HOUR = 2.4e-4
MAX_SIMULATION_CPU_S = 3600.0


def check_count(what: str, count: float, limit: int, hint: str = "") -> None:
    """Refuse ``count`` above ``limit``: ConfigError naming ``what`` (a key path or option)."""
    if not math.isfinite(count) or count > limit:
        shown = f"{count:,.0f}" if math.isfinite(count) else "an unbounded number of"
        raise ConfigError(f"{what} makes {shown}; at most {limit:,}{hint}")


def check_runs(what: str, runs: int) -> None:
    if runs < 1:
        raise ConfigError(f"{what} must be at least 1, not {runs}")
    if runs > MAX_RUNS:
        raise ConfigError(f"{what} {runs:,} is more than {MAX_RUNS:,} runs")


def check_altitude(what: str, altitude_m: float) -> None:
    if not math.isfinite(altitude_m) or not 0 < altitude_m <= MAX_ALTITUDE_M:
        raise ConfigError(
            f"{what}: {altitude_m:g} m is not a drone altitude (above 0, at most "
            f"{MAX_ALTITUDE_M / 1000:g} km)"
        )


def check_wall_sizes(spec: WallSpec, length_m: float, scan_periods_s: list[float]) -> None:
    """Refuse a wall whose rules would make too many sensors, pieces, candidates or ticks.

    ``scan_periods_s``: the scan periods of the types the wall's sensors use.
    Messages name the key path; the caller prefixes the file name.
    """
    km = length_m / 1000
    sensors = 0.0
    for index, item in enumerate(spec.sensors):
        if item.every is None:
            sensors += 1
            continue
        start = item.every / 2 if item.start is None else item.start
        end = length_m if item.end is None else min(item.end, length_m)
        made = max(0.0, (end - start) / item.every + 1)
        sensors += made
        check_count(
            f'sensors[{index}].every: "{item.every:g} m" along the {km:.1f} km line',
            sensors,
            MAX_SENSORS,
            f" sensors in the wall (every ≥ {length_m / MAX_SENSORS:.0f} m for this rule alone)",
        )
    pieces = length_m / spec.coverage.spacing
    check_count(
        f'coverage.spacing: "{spec.coverage.spacing:g} m" on the {km:.1f} km line',
        math.ceil(pieces),
        MAX_COVERAGE_PIECES,
        f" pieces (spacing ≥ {length_m / MAX_COVERAGE_PIECES:.1f} m)",
    )
    placement = spec.placement
    candidates = length_m / placement.spacing * len(placement.offsets) * len(placement.types)
    check_count(
        f'placement.spacing: "{placement.spacing:g} m" × {len(placement.offsets)} offsets × '
        f"{len(placement.types)} types on the {km:.1f} km line",
        math.floor(candidates),
        MAX_CANDIDATES,
        " candidate sites",
    )
    total = sum(threat.count for threat in spec.threats)
    check_count("threats[].count (all threats together)", total, MAX_INCURSIONS, " drones per run")
    tick_s = min(scan_periods_s, default=60.0)
    check_count(
        f"horizon {spec.horizon / 60:g} h at a {tick_s:g} s scan period",
        math.floor(spec.horizon * 60.0 / tick_s) + 1,
        MAX_TICKS,
        " scans per run",
    )


def simulation_size(wall: Wall) -> tuple[int, int, float]:
    """Drones per run, sensors and simulated hours of ``wall``, for
    :func:`check_simulation_work`."""
    drones = sum(threat.count for threat in wall.threats)
    return drones, len(wall.sensors), wall.horizon_s / 3600


def check_simulation_work(what: str, runs: int, drones: int, sensors: int, hours: float) -> None:
    """Refuse ``runs`` runs of ``drones`` drones and ``sensors`` sensors over ``hours``
    estimated at over an hour of CPU (:data:`MAX_SIMULATION_CPU_S`); ``what`` names the
    input (e.g. ``"--runs 5000"``)."""
    per_run = CPU_S_PER_DRONE * drones + CPU_S_PER_SENSOR_HOUR * sensors * hours
    if runs * per_run > MAX_SIMULATION_CPU_S:
        raise ConfigError(
            f"{what}: {runs:,} runs of {drones:,} drones and {sensors:,} sensors over "
            f"{hours:g} h are about {runs * per_run / 3600:.2g} h of CPU; at most "
            f"{MAX_SIMULATION_CPU_S / 3600:g} h — fewer runs or drones, or --no-size-guard "
            "to run it anyway"
        )
