"""Wall files: TOML → validated :class:`WallSpec` → compiled, frozen :class:`Wall`.

``load_wall(path)`` reads the file, validates it (every error names its key path, e.g.
``wall.toml: sensors[2].every: "9" has no unit``), resolves the border (shipped ids or a
user GeoJSON), sensor types (built-in defaults overridden by the file), sensors (explicit
positions or rules such as "radar every 9 km, 500 m behind the line") and threats (drone
types from the catalogue), and returns a :class:`Wall` in local metres and seconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from shapely.geometry import LineString

from droneworks.catalogue import DroneKind, default_catalogue
from droneworks.core.errors import ConfigError
from droneworks.core.validation import read_toml, validate
from droneworks.watch.border import Border, border_from_file, border_from_ids
from droneworks.watch.limits import MAX_OFFSET_M, check_wall_sizes
from droneworks.watch.sensor_defaults import DEFAULT_SENSOR_TYPES
from droneworks.watch.sensors import (
    Environment,
    PlacedSensor,
    RadarEquation,
    RangeCurve,
    RangeCurves,
    SensorKind,
    SensorType,
    TargetClass,
)
from droneworks.watch.sites import SiteRules, load_site_rules
from droneworks.watch.wall_model import (
    AlertSpec,
    CoverageSpec,
    PlacementSpec,
    SensorSpec,
    SensorTypeSpec,
    ThreatSpec,
    TrackerSpec,
    WallSpec,
)

__all__ = ["Threat", "Wall", "compile_wall", "load_wall"]

_SECONDS_PER_MINUTE = 60.0
_DEFAULT_BY_KIND = {t.kind: t for t in DEFAULT_SENSOR_TYPES.values()}


@dataclass(frozen=True)
class Threat:
    """A threat class flown across the border (satisfies ``TargetSignature``)."""

    id: str
    drone_id: str
    target_class: TargetClass
    rcs_dbsm: float
    emits_rf: bool
    speed_mps: float
    altitude_m: float
    count: int
    crossings_m: tuple[float, ...]  # chosen crossing points along the line; () = random
    approach_m: float  # start this far before the line (neighbour side)
    penetration_m: float  # fly this far past the line
    max_crossing_angle_deg: float  # random deviation from perpendicular, uniform ±
    route: tuple[tuple[float, float, float | None], ...] = ()  # waypoints (along, offset, alt)
    roads: tuple[LineString, ...] = ()  # local metres: routes follow these (watch.roads)


@dataclass(frozen=True)
class Wall:
    """A compiled wall: border, sensors, threats and settings in metres and seconds."""

    name: str
    border: Border
    environment: Environment
    sensor_types: Mapping[str, SensorType]
    sensors: tuple[PlacedSensor, ...]
    threats: tuple[Threat, ...]
    horizon_s: float
    seed: int
    runs: int
    alerts: AlertSpec  # lookahead / false_alert_merge in minutes (Duration)
    tracker: TrackerSpec
    coverage: CoverageSpec
    placement: PlacementSpec
    source: str = "wall"
    sites: SiteRules | None = None  # where placement may put sensors, and site costs

    @property
    def alert_lookahead_s(self) -> float:
        return self.alerts.lookahead * _SECONDS_PER_MINUTE

    @property
    def cost_eur(self) -> float:
        return float(sum(sensor.type.cost_eur for sensor in self.sensors))

    def with_sensors(self, sensors: tuple[PlacedSensor, ...]) -> Wall:
        return dataclasses.replace(self, sensors=sensors)


def load_wall(path: str | Path) -> Wall:
    """Read, validate and compile a wall file; ConfigError names the file and key path."""
    path = Path(path)
    spec = validate(WallSpec, read_toml(path), str(path))
    return compile_wall(spec, base_dir=path.parent, source=str(path))


def compile_wall(spec: WallSpec, base_dir: Path = Path(), source: str = "wall") -> Wall:
    """Resolve a validated :class:`WallSpec` into a :class:`Wall`."""
    border = _border(spec, base_dir, source)
    environment = Environment(spec.environment.canopy_height, spec.environment.clearing_radius)
    if spec.environment.dem is not None:
        from droneworks.watch.terrain import Terrain

        dem = _relative(spec.environment.dem, base_dir)
        terrain = Terrain.from_raster(dem, border.projection, source=f"{source}: environment.dem")
        environment = dataclasses.replace(environment, terrain=terrain)
    types = _sensor_types(spec.sensor_types, source)
    for index, name in enumerate(spec.placement.types):
        if name not in types:
            raise ConfigError(f"{source}: placement.types[{index}]: {_unknown_type(name, types)}")
    periods = [types[item.type].scan_period_s for item in spec.sensors if item.type in types]
    try:
        check_wall_sizes(spec, border.length_m, periods)
    except ConfigError as error:
        raise ConfigError(f"{source}: {error}") from None
    sensors: list[PlacedSensor] = []
    for index, item in enumerate(spec.sensors):
        sensors.extend(_place(item, index, types, border, source, len(sensors)))
    threats = tuple(_threat(item, index, source) for index, item in enumerate(spec.threats))
    threats = tuple(
        _with_roads(threat, item, index, border, spec.border.edges, base_dir, source)
        for index, (threat, item) in enumerate(zip(threats, spec.threats, strict=True))
    )
    for index, threat in enumerate(threats):
        for number, along in enumerate(threat.crossings_m):
            if not 0 <= along <= border.length_m:
                raise ConfigError(
                    f"{source}: threats[{index}].crossings[{number}]: {along / 1000:g} km is off "
                    f"the line (0–{border.length_m / 1000:.1f} km)"
                )
    ids = [t.id for t in threats]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{source}: threats: ids must be unique")
    return Wall(
        name=spec.name,
        border=border,
        environment=environment,
        sensor_types=types,
        sensors=tuple(sensors),
        threats=threats,
        horizon_s=spec.horizon * _SECONDS_PER_MINUTE,
        seed=spec.seed,
        runs=spec.runs,
        alerts=spec.alerts,
        tracker=spec.tracker,
        coverage=spec.coverage,
        placement=spec.placement,
        source=source,
        sites=load_site_rules(
            spec.placement.allowed, spec.placement.excluded, base_dir, border.projection, source
        ),
    )


def _relative(name: str, base_dir: Path) -> Path:
    path = Path(name)
    return path if path.is_absolute() else base_dir / path


def _border(spec: WallSpec, base_dir: Path, source: str) -> Border:
    try:
        line_file = spec.border.geojson or spec.border.kml
        if line_file is not None:
            return border_from_file(
                _relative(line_file, base_dir),
                spec.border.protected_side,
                spec.border.name,
                spec.border.edges,
            )
        return border_from_ids(
            spec.border.segments, spec.border.name, spec.border.protected_side, spec.border.edges
        )
    except (ConfigError, ValueError) as error:
        raise ConfigError(f"{source}: border: {error}") from None


def _unknown_type(name: str, types: Mapping[str, SensorType]) -> str:
    return f'unknown sensor type "{name}"; known: {", ".join(sorted(types))}'


def _sensor_types(specs: Mapping[str, SensorTypeSpec], source: str) -> dict[str, SensorType]:
    types = dict(DEFAULT_SENSOR_TYPES)
    for name, spec in specs.items():
        base = types.get(name)
        if spec.kind is not None and (base is None or base.kind is not spec.kind):
            base = dataclasses.replace(_DEFAULT_BY_KIND[spec.kind], name=name)
        if base is None:
            raise ConfigError(
                f"{source}: sensor_types.{name}.kind: required for a new sensor type (one of "
                f"{', '.join(k.value for k in SensorKind)})"
            )
        try:
            types[name] = _override(dataclasses.replace(base, name=name), spec)
        except ValueError as error:
            raise ConfigError(f"{source}: sensor_types.{name}: {error}") from None
    return types


def _override(base: SensorType, spec: SensorTypeSpec) -> SensorType:
    changes: dict[str, object] = {}
    simple = {"mast_height": "mast_height_m", "cost_eur": "cost_eur",
              "sigma_range": "sigma_range_m", "sigma_bearing": "sigma_bearing_deg",
              "instrumented_range": "instrumented_range_m",
              "line_of_sight": "needs_line_of_sight", "sector": "sector_deg",
              "availability": "availability"}  # fmt: skip
    for key, field in simple.items():
        if getattr(spec, key) is not None:
            changes[field] = getattr(spec, key)
    if spec.scan_period is not None:
        changes["scan_period_s"] = spec.scan_period * _SECONDS_PER_MINUTE
    if spec.false_alarms is not None:
        changes["false_alarms_per_h"] = spec.false_alarms * 60.0
    changes["model"] = _override_model(base, spec)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _override_model(base: SensorType, spec: SensorTypeSpec) -> RadarEquation | RangeCurves:
    model = base.model
    if isinstance(model, RadarEquation):
        for key in ("ranges", "curve_width", "pd_close"):
            if getattr(spec, key) is not None:
                raise ValueError(f'"{key}" does not apply to a radar')
        return RadarEquation(
            spec.reference_range if spec.reference_range is not None else model.reference_range_m,
            _pick(spec.reference_rcs_dbsm, model.reference_rcs_dbsm),
            _pick(spec.reference_snr_db, model.reference_snr_db),
            _pick(spec.pfa, model.pfa),
        )
    for key in ("reference_range", "reference_rcs_dbsm", "reference_snr_db", "pfa"):
        if getattr(spec, key) is not None:
            raise ValueError(f'"{key}" applies only to a radar')
    curves = dict(model.curves)
    for target_class, curve in list(curves.items()):
        half = (spec.ranges or {}).get(target_class, curve.range_half_m)
        curves[target_class] = RangeCurve(
            half,
            _pick(spec.curve_width, curve.width_fraction),
            _pick(spec.pd_close, curve.pd_close),
        )
    return RangeCurves(curves, model.needs_rf_emission)


def _pick(value: float | None, default: float) -> float:
    return default if value is None else value


def _place(
    item: SensorSpec,
    index: int,
    types: Mapping[str, SensorType],
    border: Border,
    source: str,
    count_before: int,
) -> list[PlacedSensor]:
    where = f"{source}: sensors[{index}]"
    if item.type not in types:
        raise ConfigError(f"{where}.type: {_unknown_type(item.type, types)}")
    kind = types[item.type]
    if item.lonlat is not None:
        xy = border.to_local(np.array([item.lonlat]))[0]
        along, offset = (float(v[0]) for v in border.locate(xy))
        distance_m = abs(offset)
        if not np.isfinite(distance_m) or distance_m > MAX_OFFSET_M:
            raise ConfigError(
                f"{where}.lonlat: {list(item.lonlat)} is {distance_m / 1000:,.0f} km from the "
                f"border; sensors must be within {MAX_OFFSET_M / 1000:g} km of it (is it "
                "[longitude, latitude], in that order?)"
            )
        name = item.id or f"{item.type}-{count_before + 1:04d}"
        azimuth = _azimuths(item, border, np.array([along]), xy[None, :])[0]
        return [PlacedSensor(name, kind, float(xy[0]), float(xy[1]), float(along), azimuth)]
    if item.at is not None:
        if not 0 <= item.at <= border.length_m:
            raise ConfigError(
                f"{where}.at: {item.at / 1000:g} km is off the line "
                f"(0–{border.length_m / 1000:.1f} km)"
            )
        along_m = np.array([item.at])
    else:
        assert item.every is not None
        start = item.every / 2 if item.start is None else item.start
        end = border.length_m if item.end is None else min(item.end, border.length_m)
        if start > end:
            raise ConfigError(f"{where}.start: {start:g} m is past the end ({end:g} m)")
        along_m = np.arange(start, end + 1e-9, item.every)
    xy = border.points_at(along_m, item.offset)
    prefix = item.id or item.type
    azimuths = _azimuths(item, border, along_m, xy)
    return [
        PlacedSensor(
            prefix if (item.id and len(along_m) == 1) else f"{prefix}-{count_before + i + 1:04d}",
            kind,
            float(x),
            float(y),
            float(a),
            float(azimuth),
        )
        for i, ((x, y), a, azimuth) in enumerate(zip(xy, along_m, azimuths, strict=True))
    ]


def _azimuths(
    item: SensorSpec,
    border: Border,
    along_m: npt.NDArray[np.float64],
    xy: npt.NDArray[np.float64],
) -> list[float]:
    """Grid azimuths: the given (true) azimuth, or facing out across the line."""
    if item.azimuth is not None:
        grid = (item.azimuth + border.grid_north_deg(xy)) % 360.0
        return [float(v) for v in grid]
    return facing_out_deg(border, along_m)


def facing_out_deg(border: Border, along_m: npt.NDArray[np.float64]) -> list[float]:
    """Azimuth (clockwise from grid north) of the outward normal at ``along_m``."""
    out = -border.normals_at(along_m)
    return [float(v) for v in np.degrees(np.arctan2(out[:, 0], out[:, 1])) % 360.0]


def _with_roads(
    threat: Threat, item: ThreatSpec, index: int, border: Border, edges: str, base_dir: Path,
    source: str,
) -> Threat:  # fmt: skip
    if item.roads is None:
        return threat
    from droneworks.watch.roads import load_roads

    where = f"{source}: threats[{index}].roads"
    roads = load_roads(_relative(item.roads, base_dir), border, edges, where)
    return dataclasses.replace(threat, roads=roads)


def _threat(item: ThreatSpec, index: int, source: str) -> Threat:
    catalogue = default_catalogue()
    if item.drone not in set(catalogue):
        known = ", ".join(sorted(catalogue))
        raise ConfigError(
            f'{source}: threats[{index}].drone: unknown drone "{item.drone}"; known: {known}'
        )
    drone = catalogue[item.drone]
    target_class = (
        TargetClass.MULTIROTOR if drone.kind is DroneKind.MULTIROTOR else TargetClass.FIXED_WING
    )
    speed = item.speed if item.speed is not None else drone.cruise_speed
    return Threat(
        id=item.id,
        drone_id=item.drone,
        target_class=target_class,
        rcs_dbsm=item.rcs_dbsm if item.rcs_dbsm is not None else drone.rcs_dbsm,
        emits_rf=not item.autonomous,
        speed_mps=speed,
        altitude_m=item.altitude,
        count=item.count,
        crossings_m=tuple(item.crossings),
        approach_m=item.approach,
        penetration_m=item.penetration,
        max_crossing_angle_deg=item.max_crossing_angle,
        route=tuple((w.along, w.offset, w.altitude) for w in item.route),
    )
