"""The wall file schema (TOML), validated with key-path messages. Compiled by ``wall.py``.

Quantities are text with units (``"9 km"``, ``"15 m/s"``, ``"2 h"``, ``"2/h"``); see
docs/watch.md for the reference with every key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from droneworks.core.units import Angle, Duration, Length, Rate, Speed
from droneworks.core.validation import UserModel
from droneworks.watch.limits import (
    MAX_ALTITUDE_M,
    MAX_HORIZON_MIN,
    MAX_INCURSIONS,
    MAX_NAME_CHARS,
    MAX_OFFSET_M,
    MAX_RANGE_M,
    MAX_RUNS,
)
from droneworks.watch.sensors import SensorKind, TargetClass

__all__ = [
    "AlertSpec",
    "BorderSpec",
    "CoverageSpec",
    "EnvironmentSpec",
    "PlacementSpec",
    "SensorSpec",
    "SensorTypeSpec",
    "ThreatSpec",
    "TrackerSpec",
    "WallSpec",
    "WaypointSpec",
]

_RADAR_KEYS = ("reference_range", "reference_rcs_dbsm", "reference_snr_db", "pfa")
_CURVE_KEYS = ("ranges", "curve_width", "pd_close")
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]


class WatchModel(UserModel):
    """A wall-file model: like every user model, and NaN or infinite numbers are errors."""

    model_config = ConfigDict(allow_inf_nan=False)


def _range(name: str, value: float | None, low: float, high: float, unit: str = "m") -> None:
    """Refuse ``value`` outside (low, high] with a message naming the key and the bounds."""
    if value is not None and not low < value <= high:
        raise ValueError(f"{name} {value:g} {unit} is outside ({low:g}, {high:g}] {unit}")


def _offset(name: str, value: float) -> None:
    if abs(value) > MAX_OFFSET_M:
        raise ValueError(
            f"{name} {value / 1000:g} km is farther than {MAX_OFFSET_M / 1000:g} km from the line"
        )


class BorderSpec(WatchModel):
    """Shipped border ids in order, or a user GeoJSON (path relative to the wall file)."""

    segments: list[str] = Field(default_factory=list)
    geojson: str | None = None
    kml: str | None = None
    protected_side: Literal["left", "right"] = "left"
    name: Name | None = None
    # how a segment between two vertices runs: the geodesic, or straight in lon/lat
    edges: Literal["geodesic", "lonlat"] = "geodesic"

    @model_validator(mode="after")
    def _one_source(self) -> BorderSpec:
        given = [bool(self.segments), self.geojson is not None, self.kml is not None]
        if sum(given) != 1:
            raise ValueError(
                'give one of "segments" (shipped border ids), "geojson" or "kml" (a line file)'
            )
        return self


class EnvironmentSpec(WatchModel):
    canopy_height: Length = 0.0
    clearing_radius: Length = 100.0
    dem: str | None = None

    @model_validator(mode="after")
    def _non_negative(self) -> EnvironmentSpec:
        if self.canopy_height < 0 or self.clearing_radius < 0:
            raise ValueError("canopy_height and clearing_radius must not be negative")
        if self.canopy_height > 200.0:
            raise ValueError(f"canopy_height {self.canopy_height:g} m is above 200 m")
        return self


class SensorTypeSpec(WatchModel):
    """A sensor type: overrides of a built-in type, or a new type of a given kind."""

    kind: SensorKind | None = None
    mast_height: Length | None = None
    scan_period: Duration | None = None
    false_alarms: Rate | None = None
    cost_eur: float | None = Field(default=None, ge=0)
    sigma_range: Length | None = None
    sigma_bearing: Angle | None = None
    instrumented_range: Length | None = None
    line_of_sight: bool | None = None
    sector: Angle | None = None  # watched field; fixed, or swept once per scan_period
    availability: float | None = Field(default=None, ge=0, le=1)
    # radar
    reference_range: Length | None = None
    reference_rcs_dbsm: float | None = None
    reference_snr_db: float | None = None
    pfa: float | None = Field(default=None, gt=0, lt=1)
    # range-curve sensors (rf, eoir, acoustic)
    ranges: dict[TargetClass, Length] | None = None
    curve_width: float | None = Field(default=None, gt=0)
    pd_close: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _keys_fit_kind(self) -> SensorTypeSpec:
        if self.kind is None:
            return self
        wrong = _CURVE_KEYS if self.kind is SensorKind.RADAR else _RADAR_KEYS
        for key in wrong:
            if getattr(self, key) is not None:
                raise ValueError(f'"{key}" does not apply to a {self.kind.value} sensor')
        return self

    @model_validator(mode="after")
    def _physical(self) -> SensorTypeSpec:
        for key in ("scan_period", "sigma_range", "sigma_bearing"):
            value = getattr(self, key)
            if value is not None and value <= 0:
                raise ValueError(f"{key} must be positive")
        if self.sector is not None and not 0 < self.sector <= 360:
            raise ValueError(f"sector {self.sector:g} deg is outside (0, 360] deg")
        if self.false_alarms is not None and self.false_alarms < 0:
            raise ValueError("false_alarms must not be negative")
        if self.mast_height is not None and not 0 <= self.mast_height <= 1_000.0:
            raise ValueError(f"mast_height {self.mast_height:g} m is outside [0, 1000] m")
        for key in ("instrumented_range", "reference_range"):
            _range(key, getattr(self, key), 0.0, MAX_RANGE_M)
        for target_class, value in (self.ranges or {}).items():
            _range(f"ranges.{target_class.value}", value, 0.0, MAX_RANGE_M)
        return self


class SensorSpec(WatchModel):
    """Sensors: one at ``lonlat`` or ``at`` a distance along the line, or a rule ``every``."""

    type: str
    id: Name | None = None
    lonlat: tuple[float, float] | None = None
    at: Length | None = None
    every: Length | None = None
    offset: Length = 0.0  # behind the line (protected side) if positive
    azimuth: Angle | None = None  # a sector's centre from north; default: facing out
    start: Length | None = None
    end: Length | None = None

    @model_validator(mode="after")
    def _one_position(self) -> SensorSpec:
        given = [k for k in ("lonlat", "at", "every") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError('give exactly one of "lonlat", "at" or "every"')
        if self.every is not None and self.every <= 0:
            raise ValueError("every must be positive")
        if self.at is not None and self.at < 0:
            raise ValueError("at must not be negative")
        _offset("offset", self.offset)
        if self.every is None and (self.start is not None or self.end is not None):
            raise ValueError('"start" and "end" apply only to a rule with "every"')
        if self.lonlat is not None and "offset" in self.model_fields_set:
            raise ValueError('"offset" does not apply to a sensor placed at "lonlat"')
        if self.lonlat is not None:
            lon, lat = self.lonlat
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError(f"lonlat {list(self.lonlat)} is not [longitude, latitude]")
        return self


class WaypointSpec(WatchModel):
    """A turn of a route: ``along`` the line from the crossing point, ``offset`` across it."""

    along: Length = 0.0
    offset: Length
    altitude: Length | None = None  # from here on; default: the previous one

    @model_validator(mode="after")
    def _near(self) -> WaypointSpec:
        _offset("offset", self.offset)
        _offset("along", self.along)
        _range("altitude", self.altitude, 0.0, MAX_ALTITUDE_M)
        return self


class ThreatSpec(WatchModel):
    """A threat class from the catalogue, flown at a speed and altitude across the border."""

    id: Name
    drone: str
    altitude: Length = 100.0
    speed: Speed | None = None
    autonomous: bool = False
    rcs_dbsm: float | None = Field(default=None, ge=-80, le=40)
    count: int = Field(default=1, ge=0, le=MAX_INCURSIONS)
    crossings: list[Length] = Field(default_factory=list)
    approach: Length = 5_000.0
    penetration: Length = 10_000.0
    max_crossing_angle: Angle = 30.0
    route: list[WaypointSpec] = Field(default_factory=list)
    roads: str | None = None  # GeoJSON/KML lines the drones fly along (path from the wall file)

    @model_validator(mode="after")
    def _positive(self) -> ThreatSpec:
        _range("altitude", self.altitude, 0.0, MAX_ALTITUDE_M)
        _range("speed", self.speed, 0.0, 340.0, "m/s")
        _range("approach", self.approach, 0.0, MAX_OFFSET_M)
        _range("penetration", self.penetration, 0.0, MAX_OFFSET_M)
        if not 0 <= self.max_crossing_angle < 90:
            raise ValueError("max_crossing_angle must be in [0, 90) deg")
        if self.route:
            self._route_crosses()
        if self.roads is not None and (self.route or "max_crossing_angle" in self.model_fields_set):
            raise ValueError('"roads" replaces "route" and "max_crossing_angle"; give one')
        return self

    def _route_crosses(self) -> None:
        straight = {"approach", "penetration", "max_crossing_angle"} & self.model_fields_set
        if straight:
            raise ValueError(
                f'"route" replaces {", ".join(sorted(straight))}; give one or the other'
            )
        if len(self.route) < 2:
            raise ValueError("a route needs at least two waypoints")
        if self.route[0].offset >= 0 or not any(w.offset >= 0 for w in self.route):
            raise ValueError(
                "a route starts on the neighbour's side (offset < 0) and crosses the line "
                "(a waypoint with offset ≥ 0)"
            )


class AlertSpec(WatchModel):
    """Alert rule: a confirmed track past the line, or predicted to cross within lookahead."""

    lookahead: Duration = 1.0
    false_alert_merge: Duration = 0.5
    shift: Duration = 480.0  # an operator shift; false alerts are reported per shift

    @model_validator(mode="after")
    def _positive(self) -> AlertSpec:
        for key in ("lookahead", "false_alert_merge", "shift"):
            if getattr(self, key) <= 0:
                raise ValueError(f"{key} must be positive")
        return self


class TrackerSpec(WatchModel):
    """Multi-sensor tracker settings (REFERENCE §2 defaults)."""

    process_noise: float = Field(default=1.0, gt=0)  # m²/s³
    gate: float = Field(default=3.0, gt=0)  # Mahalanobis missed distance
    confirm_hits: int = Field(default=3, ge=1)
    delete_tentative_misses: int = Field(default=2, ge=1)
    delete_confirmed_misses: int = Field(default=5, ge=1)
    velocity_prior: Speed = 30.0


class CoverageSpec(WatchModel):
    """Coverage: covered = single-scan Pd ≥ pd_threshold, by ≥ k sensors."""

    k: int = Field(default=1, ge=1)
    pd_threshold: float = Field(default=0.5, gt=0, lt=1)
    spacing: Length = 100.0
    altitudes: list[Length] = Field(default_factory=list)
    band_offsets: list[Length] = Field(
        default_factory=lambda: [-4000.0, -2000.0, -1000.0, 0.0, 1000.0, 2000.0, 4000.0]
    )

    @model_validator(mode="after")
    def _spacing(self) -> CoverageSpec:
        if self.spacing <= 0:
            raise ValueError("spacing must be positive")
        for index, altitude in enumerate(self.altitudes):
            _range(f"altitudes[{index}]", altitude, 0.0, MAX_ALTITUDE_M)
        for index, offset in enumerate(self.band_offsets):
            _offset(f"band_offsets[{index}]", offset)
        return self


class PlacementSpec(WatchModel):
    """Candidate sites for ``watch place``: sensor types × offsets, every ``spacing``."""

    types: list[str] = Field(default_factory=lambda: ["radar", "rf", "acoustic"])
    spacing: Length = 1_000.0
    offsets: list[Length] = Field(default_factory=lambda: [0.0, 500.0])
    target: float = Field(default=0.95, gt=0, le=1)
    budget_eur: float | None = Field(default=None, gt=0)
    # what "covered" means: k sensors each with Pd ≥ pd_threshold ("k"), or one scan of all
    # sensors together with fused Pd ≥ pd_threshold ("fused")
    metric: Literal["k", "fused"] = "k"
    allowed: str | None = None  # GeoJSON polygons: candidates only inside (site_cost_eur)
    excluded: str | None = None  # GeoJSON polygons: no candidate inside

    @model_validator(mode="after")
    def _sites(self) -> PlacementSpec:
        if self.spacing <= 0:
            raise ValueError("spacing must be positive")
        if not self.types or not self.offsets:
            raise ValueError("types and offsets must not be empty")
        for index, offset in enumerate(self.offsets):
            _offset(f"offsets[{index}]", offset)
        return self


class WallSpec(WatchModel):
    """A wall file."""

    name: Name = "wall"
    seed: int = Field(default=0, ge=0, lt=2**63)
    runs: int = Field(default=20, ge=1, le=MAX_RUNS)
    horizon: Duration = 60.0
    border: BorderSpec
    environment: EnvironmentSpec = EnvironmentSpec()
    sensor_types: dict[str, SensorTypeSpec] = Field(default_factory=dict)
    sensors: list[SensorSpec] = Field(default_factory=list)
    threats: list[ThreatSpec] = Field(default_factory=list)
    alerts: AlertSpec = AlertSpec()
    tracker: TrackerSpec = TrackerSpec()
    coverage: CoverageSpec = CoverageSpec()
    placement: PlacementSpec = PlacementSpec()

    @model_validator(mode="after")
    def _horizon(self) -> WallSpec:
        if not 0 < self.horizon <= MAX_HORIZON_MIN:
            raise ValueError(
                f"horizon must be positive and at most {MAX_HORIZON_MIN / 1440:g} days"
            )
        return self
