"""The delivery file (TOML, JSON or GeoJSON) read into a :class:`DeliveryProblem`.

Pydantic models name the key path of every error (``drops[3].window``, ``no_fly[0].polygon``);
a GeoJSON FeatureCollection is first turned into the same mapping (bases and drops as
Points, no-fly zones as Polygons with ``role = "no-fly"``); bases and drops inside a no-fly
zone are refused by name. Units and clock times: see :mod:`.model`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from shapely.geometry import Point, Polygon
from shapely.validation import explain_validity

from droneworks.catalogue import Catalogue, default_catalogue
from droneworks.core.errors import ConfigError
from droneworks.core.units import Duration, Length, Mass, Speed
from droneworks.core.validation import UserModel, load_json, read_toml, validate
from droneworks.missions.delivery.model import (
    Base,
    DeliveryParams,
    DeliveryProblem,
    Drop,
    FleetGroup,
    NoFlyZone,
    clock_to_min,
)
from droneworks.missions.wind import CALM, Wind

__all__ = ["load_deliveries", "parse_deliveries"]


class _BaseSpec(UserModel):
    name: str
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    alt_amsl: Length = 0.0


class _FleetSpec(UserModel):
    drone: str
    count: int = Field(gt=0)
    base: str | None = None


class _DropSpec(UserModel):
    id: str
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    payload: Mass
    window: tuple[str, str] | None = None

    @field_validator("payload")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError(f"payload must be positive, not {value:g} kg")
        return value

    @field_validator("window")
    @classmethod
    def _window(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is not None and clock_to_min(value[1]) < clock_to_min(value[0]):
            raise ValueError(f"window closes ({value[1]}) before it opens ({value[0]})")
        return value


def _why_invalid(polygon: Polygon) -> str:
    """Shapely's reason, with the place as a readable [lon, lat]."""
    reason = str(explain_validity(polygon))
    match = re.match(r"^(.*)\[(\S+) (\S+)\]$", reason)
    if match is None:
        return reason
    what = "the ring crosses itself" if match[1] == "Self-intersection" else match[1].lower()
    return f"{what} at [{float(match[2]):.6f}, {float(match[3]):.6f}]"


class _NoFlySpec(UserModel):
    name: str
    polygon: list[tuple[float, float]] = Field(min_length=3, max_length=10_000)

    @field_validator("polygon")
    @classmethod
    def _ring(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        for lon, lat in value:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError(f"[{lon:g}, {lat:g}] is not [lon, lat] in degrees")
        polygon = Polygon(value)
        metres_per_deg = 111_320.0  # about; the check is only for a zone without area
        square_m = polygon.area * metres_per_deg**2 * math.cos(math.radians(value[0][1]))
        if not square_m >= 1.0:
            raise ValueError("the polygon has no area (its corners lie on one line)")
        if not polygon.is_valid:
            raise ValueError(f"not a simple polygon: {_why_invalid(polygon)}")
        return value


class _DeliveryFile(UserModel):
    name: str = "deliveries"
    description: str = ""
    start: str = "08:00"
    end: str = "18:00"
    swap_time: Duration = 5.0
    drop_time: Duration = 0.75
    cruise_altitude: Length = 60.0
    vertical_speed: Speed = 3.0
    release_height: Length = 15.0
    no_fly_margin: Length = 20.0
    wind: str | None = None
    bases: list[_BaseSpec] = Field(min_length=1)
    fleet: list[_FleetSpec] = Field(default_factory=list)
    drops: list[_DropSpec] = Field(min_length=1)
    no_fly: list[_NoFlySpec] = Field(default_factory=list)

    @field_validator("wind")
    @classmethod
    def _wind(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Wind.parse(value)
            except ConfigError as error:
                raise ValueError(str(error)) from None
        return value

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        clock_to_min(value)
        return value

    @model_validator(mode="after")
    def _references(self) -> _DeliveryFile:
        names = [base.name for base in self.bases]
        if len(set(names)) != len(names):
            raise ValueError("bases: base names must be unique")
        ids = [drop.id for drop in self.drops]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"drops: duplicate ids {', '.join(duplicates)}")
        for index, group in enumerate(self.fleet):
            if group.base is not None and group.base not in names:
                raise ValueError(f"fleet[{index}].base: unknown base {group.base!r}")
        return self


def _outside_no_fly(
    key: str, places: Sequence[_BaseSpec | _DropSpec], zones: list[_NoFlySpec]
) -> None:
    """A base or drop inside a no-fly zone cannot be flown to: name both."""
    polygons = [Polygon(zone.polygon) for zone in zones]
    for index, place in enumerate(places):
        point = Point(place.lon, place.lat)
        for zone, polygon in zip(zones, polygons, strict=True):
            if polygon.intersects(point):
                name = place.name if isinstance(place, _BaseSpec) else place.id
                raise ConfigError(
                    f"{key}[{index}] ({name!r}) is inside the no-fly zone {zone.name!r}: "
                    "move it out of the zone or correct the zone"
                )


def _geojson_to_file_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of Points (role "base" or "drop") → file data."""
    if data.get("type") != "FeatureCollection":
        raise ConfigError("a GeoJSON delivery file must be a FeatureCollection")
    settings = data.get("droneworks", {})
    features = data.get("features", [])
    if not isinstance(settings, dict):
        raise ConfigError('droneworks: the settings must be an object, e.g. {"name": "…"}')
    if not isinstance(features, list):
        raise ConfigError("features: must be a list of Point features")
    result: dict[str, Any] = dict(settings)
    bases: list[dict[str, Any]] = []
    drops: list[dict[str, Any]] = []
    zones: list[dict[str, Any]] = []
    for index, feature in enumerate(features):
        zone = _no_fly_feature(feature, f"features[{index}]")
        if zone is not None:
            zones.append(zone)
            continue
        lon, lat = _point(feature, f"features[{index}]")
        properties = dict(feature.get("properties") or {})
        role = properties.pop("role", "drop")
        entry = {"lon": lon, "lat": lat, **properties}
        if role == "base":
            bases.append(entry)
        elif role == "drop":
            drops.append(entry)
        else:
            raise ConfigError(f'features[{index}].properties.role: {role!r} is not "base"/"drop"')
    result.setdefault("bases", bases)
    result.setdefault("drops", drops)
    if zones:
        result.setdefault("no_fly", zones)
    return result


def _no_fly_feature(feature: Any, where: str) -> dict[str, Any] | None:
    """A Polygon feature with role "no-fly" as a no-fly entry; ``None`` for other features."""
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        return None
    if feature["geometry"].get("type") != "Polygon":
        return None
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict) or properties.get("role") != "no-fly":
        raise ConfigError(f'{where}: only no-fly zones (properties.role "no-fly") are polygons')
    rings = feature["geometry"].get("coordinates")
    if not isinstance(rings, list) or not rings or not isinstance(rings[0], list):
        raise ConfigError(f"{where}.geometry.coordinates: a Polygon needs [[[lon, lat], …]]")
    return {"name": properties.get("name", f"zone {where}"), "polygon": rings[0][:-1]}


def _point(feature: Any, where: str) -> tuple[Any, Any]:
    """The (lon, lat) of a Point feature; validation checks their type and range later."""
    if not isinstance(feature, dict):
        raise ConfigError(f"{where}: not a GeoJSON Feature object")
    geometry = feature.get("geometry") or {}
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise ConfigError(f"{where}: only Point features are drops or bases")
    if not isinstance(feature.get("properties") or {}, dict):
        raise ConfigError(f"{where}.properties: must be an object")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise ConfigError(f"{where}.geometry.coordinates: a Point needs [lon, lat]")
    return coordinates[0], coordinates[1]


def _build(spec: _DeliveryFile, catalogue: Catalogue, source: str) -> DeliveryProblem:
    bases = tuple(Base(b.name, b.lon, b.lat, b.alt_amsl) for b in spec.bases)
    fleet = tuple(
        FleetGroup(catalogue[g.drone], g.count, g.base or bases[0].name) for g in spec.fleet
    )
    drops = tuple(
        Drop(
            d.id,
            d.lon,
            d.lat,
            d.payload,
            clock_to_min(d.window[0]) if d.window else 0.0,
            clock_to_min(d.window[1]) if d.window else math.inf,
        )
        for d in spec.drops
    )
    try:
        params = DeliveryParams(
            clock_to_min(spec.start), clock_to_min(spec.end), spec.swap_time, spec.drop_time,
            spec.cruise_altitude, spec.vertical_speed,
            Wind.parse(spec.wind) if spec.wind else CALM, spec.release_height,
            spec.no_fly_margin,
        )  # fmt: skip
    except ValueError as error:
        raise ConfigError(f"{source}: {error}") from None
    try:
        _outside_no_fly("bases", spec.bases, spec.no_fly)
        _outside_no_fly("drops", spec.drops, spec.no_fly)
    except ConfigError as error:
        raise ConfigError(f"{source}: {error}") from None
    zones = tuple(NoFlyZone(zone.name, Polygon(zone.polygon)) for zone in spec.no_fly)
    return DeliveryProblem(spec.name, bases, fleet, drops, params, spec.description, zones)


def load_deliveries(path: str | Path, catalogue: Catalogue | None = None) -> DeliveryProblem:
    """Read a delivery file (``.toml``, ``.json`` or ``.geojson``) into a problem."""
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix == ".toml":
        data: Any = read_toml(source)
    elif suffix in (".json", ".geojson"):
        data = load_json(source)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            try:
                data = _geojson_to_file_data(data)
            except ConfigError as error:
                raise ConfigError(f"{source}: {error}") from None
    else:
        raise ConfigError(f"{source}: a delivery file is .toml, .json or .geojson")
    return parse_deliveries(data, str(source), catalogue)


def parse_deliveries(
    data: Any, source: str = "deliveries", catalogue: Catalogue | None = None
) -> DeliveryProblem:
    """A problem from already-read file data (a TOML/JSON mapping); ``source`` names it."""
    spec = validate(_DeliveryFile, data, source)
    return _build(spec, catalogue or default_catalogue(), source)
