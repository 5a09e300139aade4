"""The resources of a plant being built in code: work centres and their outages, worker
pools, transporters, repair crews, supplier capacities and purchased parts, plus the
distributions and random streams everything draws from.

:class:`PlantResources` is the base of
:class:`~droneworks.factory.problem_builder.ProblemBuilder`, which adds what the plant
makes (products, assemblies, routings) and its demand; both only collect entities by name,
:func:`~droneworks.factory.problem_freeze.freeze` turns them into arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from droneworks.factory import problem as p
from droneworks.factory.problem_dist import UNIT_UNIFORM, Dist

__all__ = ["PlantResources", "failure_stream_name"]


def failure_stream_name(work_centre: str, station: int, source: int = 0) -> str:
    """The stream of one station's failure mode ``source``: up time, repair, up time, …"""
    return f"{work_centre}#{station}/failure{source}"


@dataclass
class _Source:
    work_centre: str
    index: int
    basis: int
    preempts: bool
    cycle: list[Dist]  # empty: deterministic (maintenance)
    ops_between: int
    fixed: tuple[float, float, float] = (0.0, 0.0, 0.0)
    crew: int = -1


class PlantResources:
    """Collects a plant's resources by name (see :class:`ProblemBuilder` for the rest)."""

    def __init__(self) -> None:
        self._calendars: dict[str, np.ndarray] = {}
        self._dists: list[Dist] = []
        self._streams: list[tuple[str, list[int]]] = []
        self._wcs: dict[str, dict[str, int]] = {}
        self._sources: list[_Source] = []
        self._pools: dict[str, int] = {}
        self._transporters: dict[str, tuple[int, int]] = {}
        self._speeds: dict[str, list[float]] = {}
        self._crews: dict[str, tuple[int, bool]] = {}
        self._supply: dict[str, float] = {}
        self._parts: dict[str, dict[str, float]] = {}

    # -- distributions and streams -------------------------------------------------------
    def _dist(self, dist: Dist) -> int:
        self._dists.append(dist)
        return len(self._dists) - 1

    def _stream(self, name: str, dists: Sequence[Dist]) -> int:
        if any(name == existing for existing, _ in self._streams):
            raise ValueError(f"stream {name!r} defined twice")
        self._streams.append((name, [self._dist(d) for d in dists]))
        return len(self._streams) - 1

    # -- resources -------------------------------------------------------------------------
    def add_work_centre(
        self, name: str, stations: int = 1, buffer: int | None = None, max_stations: int = 0,
        dispatch: int = p.DISPATCH_FIFO, speeds: Sequence[float] = (), kitting: bool = False,
        calendar: str | None = None,
    ) -> int:  # fmt: skip
        """A work centre of ``stations`` parallel stations and an input buffer (None: ∞);
        ``dispatch``: a ``DISPATCH_*`` rule; ``speeds``: rate factor of stations 0, 1, …;
        ``kitting``: stations take only queued jobs whose materials are in stock;
        ``calendar``: its own calendar (see :meth:`add_calendar`), else the plant's."""
        if name in self._wcs:
            raise ValueError(f"work centre {name!r} defined twice")
        if stations < 0 or (buffer is not None and buffer < 0):
            raise ValueError(f"work centre {name!r}: negative stations or buffer")
        self._wcs[name] = {
            "index": len(self._wcs),
            "stations": stations,
            "max": max(stations, max_stations),
            "buffer": -1 if buffer is None else buffer,
            "sources": 0,
            "dispatch": dispatch,
            "kitting": int(kitting),
            "calendar": 0,
        }
        self._speeds[name] = [float(x) for x in speeds]
        if calendar is not None:
            self._wcs[name]["calendar"] = 1 + _index(self._calendars, "calendar", calendar)
        return len(self._wcs) - 1

    def _wc(self, name: str) -> dict[str, int]:
        if name not in self._wcs:
            raise ValueError(f"unknown work centre {name!r}")
        return self._wcs[name]

    def add_failures(
        self,
        work_centre: str,
        repair: Dist,
        up: Dist | None = None,
        basis: int = p.BASIS_CALENDAR,
        ops_between: int = 0,
        preempts: bool = True,
        crew: str | None = None,
    ) -> None:
        """A failure mode of every station of ``work_centre`` (one stream per station);
        with ``crew`` a repair waits for a free technician of that repair crew."""
        wc = self._wc(work_centre)
        cycle = [repair] if basis == p.BASIS_OPERATIONS else [up or Dist.constant(0.0), repair]
        if basis == p.BASIS_OPERATIONS and ops_between < 1:
            raise ValueError("a failure by operation count needs ops_between ≥ 1")
        crew_index = -1 if crew is None else _index(self._crews, "repair crew", crew)
        source = _Source(work_centre, wc["sources"], basis, preempts, cycle, ops_between)
        source.crew = crew_index
        self._sources.append(source)
        wc["sources"] += 1

    def add_maintenance(
        self,
        work_centre: str,
        every_min: float,
        duration_min: float,
        first_at_min: float | None = None,
        basis: int = p.BASIS_CALENDAR,
    ) -> None:
        """Planned maintenance: every station stops ``duration_min`` every ``every_min``."""
        if not 0 <= duration_min < every_min:
            raise ValueError("maintenance duration must be in [0, every)")
        wc = self._wc(work_centre)
        first = every_min if first_at_min is None else first_at_min
        fixed = (first, every_min - duration_min, duration_min)
        self._sources.append(_Source(work_centre, wc["sources"], basis, True, [], 0, fixed))
        wc["sources"] += 1

    def add_pool(self, name: str, workers: int) -> int:
        """A pool of interchangeable workers."""
        if name in self._pools:
            raise ValueError(f"pool {name!r} defined twice")
        self._pools[name] = workers
        return len(self._pools) - 1

    def add_transporter(self, name: str, count: int, capacity: int = 1) -> int:
        """A pool of ``count`` vehicles carrying up to ``capacity`` units a trip."""
        if name in self._transporters or count < 1 or capacity < 1:
            raise ValueError(f"transporter {name!r}: defined twice, or count/capacity < 1")
        self._transporters[name] = (int(count), int(capacity))
        return len(self._transporters) - 1

    def add_crew(self, name: str, technicians: int, on_shift_only: bool = False) -> int:
        """A repair crew: failures naming it wait for one of its ``technicians``; with
        ``on_shift_only`` repairs progress only while the work centre is on shift."""
        if name in self._crews:
            raise ValueError(f"repair crew {name!r} defined twice")
        if technicians < 1:
            raise ValueError(f"repair crew {name!r} needs at least one technician")
        self._crews[name] = (int(technicians), bool(on_shift_only))
        return len(self._crews) - 1

    def add_supplier_capacity(self, name: str, units_per_min: float) -> int:
        """A supplier that makes ``units_per_min``, shared by the parts naming it."""
        if name in self._supply:
            raise ValueError(f"supplier capacity {name!r} defined twice")
        if not units_per_min > 0:
            raise ValueError(f"supplier capacity {name!r} must be positive")
        self._supply[name] = float(units_per_min)
        return len(self._supply) - 1

    @property
    def supplier_capacities(self) -> tuple[str, ...]:
        """Names of the supplier capacities added so far."""
        return tuple(self._supply)

    def add_part(
        self,
        name: str,
        initial: int,
        reorder_point: int = -1,
        reorder_qty: int = 0,
        lead_time: Dist | None = None,
        late_prob: float = 0.0,
        late_by: Dist | None = None,
        short_prob: float = 0.0,
        short_fraction: float = 0.0,
        capacity: str | None = None,
    ) -> int:
        """A purchased part with its stock, reorder policy and supplier behaviour; with
        ``capacity`` (see :meth:`add_supplier_capacity`) its orders wait for that
        supplier to make them before the lead time starts."""
        if name in self._parts:
            raise ValueError(f"part {name!r} defined twice")
        cycle = [lead_time or Dist.constant(0.0), UNIT_UNIFORM]
        cycle += [late_by or Dist.constant(0.0), UNIT_UNIFORM]
        stream = self._stream(f"part/{name}/supply", cycle)
        self._parts[name] = {
            "initial": initial, "rop": reorder_point, "roq": reorder_qty, "stream": stream,
            "late": late_prob, "short": short_prob, "short_fraction": short_fraction,
            "supply": -1 if capacity is None else _index(self._supply, "capacity", capacity),
        }  # fmt: skip
        return len(self._parts) - 1

    def add_calendar(self, name: str, windows: np.ndarray | Sequence[Sequence[float]]) -> int:
        """A calendar of its own for work centres: working windows [start, end) in minutes."""
        if name in self._calendars:
            raise ValueError(f"calendar {name!r} defined twice")
        self._calendars[name] = np.asarray(windows, dtype=float).reshape(-1, 2)
        return len(self._calendars)


def _bad(kind: str, name: str) -> int:
    raise ValueError(f"unknown {kind} {name!r}")


def _index(named: Mapping[str, object], kind: str, name: str) -> int:
    """Position of ``name`` among ``named`` (insertion order); unknown names are errors."""
    return list(named).index(name) if name in named else _bad(kind, name)
