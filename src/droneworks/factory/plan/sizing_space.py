"""The space capacity sizing searches: configurations, their annual cost, limits and moves.

A :class:`Configuration` sets stations per work centre, workers per pool (per shift), shifts
per day and input-buffer sizes. Its annual cost, in the plant's ``[costs]`` currency, is

    Σ stations × station_cost  +  Σ buffer slots × buffer_slot_cost
    + Σ workers per shift × shifts × cost_per_year  +  shifts × shift_cost_per_year

(``station_cost`` is per station per year, as in the plant file; a worker pool's ``count`` is
per shift, so a third shift needs a third crew). Sizing only *adds* to the plant as it is
(never below the file's counts) up to ``max_stations`` / ``max_count`` and the shifts that
fit in a day; the cost of a configuration is reported as the extra cost per year over the
plant as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from droneworks.factory.model import Plant, with_changes
from droneworks.factory.plan.roughcut import rough_cut

__all__ = ["LEVERS", "Configuration", "Limits", "Move", "annual_cost", "rough_cut_start"]

LEVERS = ("stations", "workers", "shifts", "buffers")
UNBOUNDED_STEPS = 50  # how far an unbounded lever (no max in the file) may grow


@dataclass(frozen=True)
class Configuration:
    """Capacities of a plant scenario (hashable: tuples sorted by id)."""

    stations: tuple[tuple[str, int], ...]
    workers: tuple[tuple[str, int], ...]
    shifts_per_day: int
    buffers: tuple[tuple[str, int], ...]  # finite buffers only

    @classmethod
    def of(cls, plant: Plant) -> Configuration:
        return cls(
            tuple(sorted((k, c.stations) for k, c in plant.work_centres.items())),
            tuple(sorted((k, p.count) for k, p in plant.workers.items())),
            plant.calendar.shifts_per_day,
            tuple(
                sorted((k, c.buffer) for k, c in plant.work_centres.items() if c.buffer is not None)
            ),
        )

    def apply(self, plant: Plant) -> Plant:
        """The plant with these capacities."""
        return with_changes(
            plant,
            stations=dict(self.stations),
            workers=dict(self.workers),
            shifts_per_day=self.shifts_per_day,
            buffers=dict(self.buffers),
        )

    def with_value(self, lever: str, key: str, value: int) -> Configuration:
        if lever == "shifts":
            return replace(self, shifts_per_day=value)
        pairs = tuple((k, value if k == key else v) for k, v in getattr(self, lever))
        if lever == "stations":
            return replace(self, stations=pairs)
        if lever == "workers":
            return replace(self, workers=pairs)
        return replace(self, buffers=pairs)

    def value(self, lever: str, key: str) -> int:
        if lever == "shifts":
            return self.shifts_per_day
        return int(dict(getattr(self, lever))[key])

    def changes_from(self, base: Configuration) -> dict[str, dict[str, int] | int]:
        """What differs from ``base``: {"stations": {wc: new}, …, "shifts_per_day": n}."""
        changes: dict[str, dict[str, int] | int] = {}
        for lever in ("stations", "workers", "buffers"):
            old = dict(getattr(base, lever))
            diff = {k: v for k, v in getattr(self, lever) if old.get(k) != v}
            if diff:
                changes[lever] = diff
        if self.shifts_per_day != base.shifts_per_day:
            changes["shifts_per_day"] = self.shifts_per_day
        return changes

    def describe(self, base: Configuration) -> str:
        """``"frame 2→3 stations, 2→3 shifts"`` (``"as is"`` when nothing changed)."""
        parts = []
        for lever, unit in (
            ("stations", "stations"),
            ("workers", "workers/shift"),
            ("buffers", "buffer slots"),
        ):
            old = dict(getattr(base, lever))
            parts += [f"{k} {old[k]}→{v} {unit}" for k, v in getattr(self, lever) if old[k] != v]
        if self.shifts_per_day != base.shifts_per_day:
            parts.append(f"{base.shifts_per_day}→{self.shifts_per_day} shifts/day")
        return ", ".join(parts) or "as is"


def annual_cost(plant: Plant, config: Configuration) -> float:
    """Yearly cost of the capacities of ``config`` (see the module docstring)."""
    cost = config.shifts_per_day * plant.costs.shift_cost_per_year
    for key, count in config.stations:
        cost += count * plant.work_centres[key].station_cost
    for key, slots in config.buffers:
        cost += slots * plant.work_centres[key].buffer_slot_cost
    for key, count in config.workers:
        cost += count * config.shifts_per_day * plant.workers[key].cost_per_year
    return cost


@dataclass(frozen=True)
class Limits:
    """Which levers may move and how far (from the plant file)."""

    levers: tuple[str, ...]
    max_stations: dict[str, int]
    max_workers: dict[str, int]
    max_shifts: int
    max_buffers: dict[str, int]

    @classmethod
    def of(cls, plant: Plant, levers: tuple[str, ...] = LEVERS) -> Limits:
        unknown = set(levers) - set(LEVERS)
        if unknown:
            raise ValueError(f"unknown levers {sorted(unknown)}; known: {', '.join(LEVERS)}")
        centres, pools = plant.work_centres, plant.workers
        return cls(
            tuple(levers),
            {k: c.max_stations or c.stations + UNBOUNDED_STEPS for k, c in centres.items()},
            {
                k: p.max_count if p.max_count is not None else p.count + UNBOUNDED_STEPS
                for k, p in pools.items()
            },
            max(plant.calendar.shifts_per_day, int(1440 // plant.calendar.shift_length_min)),
            {k: 4 * c.buffer + UNBOUNDED_STEPS for k, c in centres.items() if c.buffer is not None},
        )

    def upper(self, lever: str, key: str) -> int:
        if lever == "shifts":
            return self.max_shifts
        table = {
            "stations": self.max_stations,
            "workers": self.max_workers,
            "buffers": self.max_buffers,
        }[lever]
        return table[key]


@dataclass(frozen=True)
class Move:
    """One step of the search: change ``lever``/``key`` by ``delta``."""

    lever: str
    key: str
    delta: int

    def label(self) -> str:
        sign = "+" if self.delta > 0 else "−"
        what = {
            "stations": f"station at {self.key}",
            "workers": f"worker/shift in {self.key}",
            "shifts": "shift/day",
            "buffers": f"buffer slots at {self.key}",
        }[self.lever]
        return f"{sign}{abs(self.delta)} {what}"


def moves(config: Configuration, base: Configuration, limits: Limits, up: bool) -> Iterator[Move]:
    """Single-lever steps up (within limits) or down (not below the plant as it is)."""
    for lever in limits.levers:
        keys = ["shifts"] if lever == "shifts" else [k for k, _ in getattr(config, lever)]
        step = 2 if lever == "buffers" else 1
        for key in keys:
            value = config.value(lever, key)
            if up and value + step <= limits.upper(lever, key):
                yield Move(lever, key, step)
            if not up and value - step >= base.value(lever, key):
                yield Move(lever, key, -step)


def apply_move(config: Configuration, move: Move) -> Configuration:
    return config.with_value(move.lever, move.key, config.value(move.lever, move.key) + move.delta)


def rough_cut_starts(
    plant: Plant, target_per_year: float, limits: Limits
) -> list[tuple[float, Configuration]]:
    """For every allowed number of shifts, the fewest stations and workers whose rough-cut
    utilisations at the target are all ≤ 100 % (skipped when a limit forbids it), as
    (annual cost, configuration), cheapest first."""
    base = Configuration.of(plant)
    top = limits.max_shifts if "shifts" in limits.levers else base.shifts_per_day
    starts: list[tuple[float, Configuration]] = []
    for shifts in range(base.shifts_per_day, top + 1):
        config: Configuration | None = replace(base, shifts_per_day=shifts)
        assert config is not None
        cut = rough_cut(config.apply(plant), target_per_year)
        for resource in cut.resources:
            lever = "stations" if resource.kind == "work_centre" else "workers"
            needed = max(resource.count, resource.count_needed(target_per_year))
            if needed > resource.count and (
                lever not in limits.levers or needed > limits.upper(lever, resource.name)
            ):
                config = None
                break
            config = config.with_value(lever, resource.name, needed)
        if config is not None:
            starts.append((annual_cost(plant, config), config))
    return sorted(starts, key=lambda item: item[0])


def rough_cut_start(plant: Plant, target_per_year: float, limits: Limits) -> Configuration | None:
    """The cheapest of :func:`rough_cut_starts` (None when no allowed configuration gets
    the rough-cut load under capacity)."""
    starts = rough_cut_starts(plant, target_per_year, limits)
    return starts[0][1] if starts else None
