"""Loading plant files, deriving changed plants, and the JSON Schema for editors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from droneworks.core.errors import ModelError
from droneworks.core.validation import read_toml, validate
from droneworks.factory.model.calendar import Calendar
from droneworks.factory.model.checks import reference_errors
from droneworks.factory.model.demand import Demand
from droneworks.factory.model.plant import Plant
from droneworks.factory.model.rampup import CapacityChange

__all__ = ["load_plant", "parse_plant", "plant_json_schema", "with_changes"]


def parse_plant(
    data: Mapping[str, Any], source: str = "plant", base_dir: str | Path | None = None
) -> Plant:
    """Validate already-parsed plant data (a TOML/JSON mapping).

    Relative paths in ``plant.catalogue`` are taken from ``base_dir`` (default: the
    working directory). Raises ConfigError (a key, type or unit is wrong) or ModelError
    (a dangling reference, a cyclic bill of materials, a product without routing);
    messages start with ``source`` and name the key path.
    """
    if base_dir is not None:
        data = _resolve_catalogue_paths(data, Path(base_dir))
    try:
        return validate(Plant, data, source)
    except ModelError as error:
        raise ModelError(f"{source}: {error}") from None


def load_plant(path: str | Path) -> Plant:
    """Read and validate a plant TOML file (see docs/plant-file.md)."""
    return parse_plant(read_toml(path), str(path), base_dir=Path(path).parent)


def _resolve_catalogue_paths(data: Mapping[str, Any], base_dir: Path) -> Mapping[str, Any]:
    settings = data.get("plant")
    if not isinstance(settings, Mapping):
        return data
    files = settings.get("catalogue")
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        return data  # validation reports the wrong type
    resolved = [str(base_dir / name) for name in files]
    return {**data, "plant": {**settings, "catalogue": resolved}}


def _check_counts(name: str, values: Mapping[str, int | None], known: Mapping[str, Any],
                  minimum: int) -> None:  # fmt: skip
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"{name}: unknown {key!r}; known: {', '.join(sorted(known))}")
        if value is not None and (not isinstance(value, int) or value < minimum):
            raise ValueError(f"{name}[{key!r}] must be an integer ≥ {minimum}, got {value!r}")


def with_changes(
    plant: Plant,
    *,
    stations: Mapping[str, int] | None = None,
    workers: Mapping[str, int] | None = None,
    shifts_per_day: int | None = None,
    buffers: Mapping[str, int | None] | None = None,
    horizon_min: float | None = None,
    warmup_min: float | None = None,
    seed: int | None = None,
    capacity_changes: Sequence[CapacityChange] | None = None,
    demand: Demand | None = None,
) -> Plant:
    """A new validated plant with some capacities changed (the original is untouched).

    ``stations``/``buffers`` map work-centre ids to a new station count / input-buffer
    capacity (None: unlimited), ``workers`` maps pool ids to a new count per shift.
    ``capacity_changes`` and ``demand`` replace those sections (validated models, e.g.
    ``Demand(release="rate", rate={"a": "50000/yr"})``). A ``max_stations`` or
    ``max_count`` below a new value is raised with it. Bad
    arguments raise ValueError; a change that breaks a cross-reference raises ModelError.
    """
    stations, workers, buffers = stations or {}, workers or {}, buffers or {}
    _check_counts("stations", stations, plant.work_centres, 1)
    _check_counts("buffers", buffers, plant.work_centres, 0)
    _check_counts("workers", workers, plant.workers, 0)
    centres = dict(plant.work_centres)
    for key, count in stations.items():
        limit = centres[key].max_stations
        update: dict[str, Any] = {"stations": count}
        if limit is not None and limit < count:
            update["max_stations"] = count
        centres[key] = centres[key].model_copy(update=update)
    for key, capacity in buffers.items():
        centres[key] = centres[key].model_copy(update={"buffer": capacity})
    pools = dict(plant.workers)
    for key, count in workers.items():
        limit = pools[key].max_count
        pool_update: dict[str, Any] = {"count": count, "shift_counts": None}
        if limit is not None and limit < count:
            pool_update["max_count"] = count
        pools[key] = pools[key].model_copy(update=pool_update)
    changes: dict[str, Any] = {"work_centres": centres, "workers": pools}
    changes["calendar"] = _calendar(plant.calendar, shifts_per_day)
    changes["plant"] = _settings(plant, horizon_min, warmup_min, seed)
    if capacity_changes is not None:
        changes["capacity_changes"] = tuple(capacity_changes)
    if demand is not None:
        changes["demand"] = demand
    changed = plant.model_copy(update=changes)
    errors = reference_errors(changed)
    if errors:
        raise ModelError("; ".join(errors))
    return changed


def _calendar(calendar: Calendar, shifts_per_day: int | None) -> Calendar:
    if shifts_per_day is None:
        return calendar
    if not isinstance(shifts_per_day, int) or shifts_per_day < 1:
        raise ValueError(f"shifts_per_day must be an integer ≥ 1, got {shifts_per_day!r}")
    if shifts_per_day * calendar.shift_length_min > 1440 + 1e-9:
        raise ValueError(
            f"{shifts_per_day} shifts of {calendar.shift_length_min:g} min do not fit in a day"
        )
    return calendar.model_copy(update={"shifts_per_day": shifts_per_day})


def _settings(plant: Plant, horizon_min: float | None, warmup_min: float | None,
              seed: int | None) -> Any:  # fmt: skip
    settings = plant.plant
    update: dict[str, Any] = {}
    if horizon_min is not None:
        update["horizon_min"] = float(horizon_min)
    if warmup_min is not None:
        update["warmup_min"] = float(warmup_min)
    if seed is not None:
        if not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed must be an integer ≥ 0, got {seed!r}")
        update["seed"] = seed
    changed = settings.model_copy(update=update)
    if not 0 <= changed.warmup_min < changed.horizon_min:
        raise ValueError(
            f"need 0 ≤ warmup < horizon, got {changed.warmup_min:g} and {changed.horizon_min:g} min"
        )
    return changed


def plant_json_schema() -> dict[str, Any]:
    """The JSON Schema of plant files (keys as users write them), for editors."""
    schema = Plant.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "droneworks plant file"
    return schema
