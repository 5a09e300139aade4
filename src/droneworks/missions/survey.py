"""Survey missions: camera footprint, GSD or altitude, overlaps → flight lines and triggers.

As in QGroundControl's survey planner, the camera looks straight down with the image's long
side across the track. At altitude ``h`` the ground sampling distance is
``GSD = sensor_width · h / (focal_length · image_width_px)``; one image covers
``GSD · image_width_px`` across the track and ``GSD · image_height_px`` along it. Lines are
``across · (1 − side_overlap)`` apart, and the camera fires every
``along · (1 − front_overlap)`` metres (MAV_CMD_DO_SET_CAM_TRIGG_DIST). Lines overshoot
the field by half an image so the edge is photographed; holes are flown over (the mosaic
needs them) at survey height. Speed is capped so the camera's minimum interval between
photos is respected. Battery sorties use the same splitter as spraying (no tank): lines at
the survey speed, transits to and from the base at the drone's cruise speed (the files
switch speed with DO_CHANGE_SPEED at each change), climbs at ``climb_rate_mps``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from droneworks.catalogue import DroneType
from droneworks.core.errors import ConfigError, InfeasibleError
from droneworks.missions.coverage import (
    BoustrophedonDecomposition,
    BoustrophedonRoutePlanner,
    CoveragePath,
    ParallelSwathGenerator,
    SwathCost,
    SwathObjective,
    Swaths,
    VisibilityTransitPlanner,
    build_path,
)
from droneworks.missions.energy import EnergyModel, EnergyParams
from droneworks.missions.field import Field
from droneworks.missions.flight import FlightSettings
from droneworks.missions.sorties import LegTable, Sortie, SortieLimits, split_sorties
from droneworks.missions.true_north import grid_to_true_deg, grid_wind, true_to_grid_deg
from droneworks.missions.wind import CALM, Wind

__all__ = ["SurveyParams", "SurveyPlan", "plan_survey", "survey_flight"]


@dataclass(frozen=True)
class SurveyParams:
    """Give ``gsd_m`` or ``altitude_m``. Overlaps are fractions (0.75 = 75 %)."""

    gsd_m: float | None = None
    altitude_m: float | None = None
    front_overlap: float = 0.75
    side_overlap: float = 0.65
    speed_mps: float | None = None
    min_photo_interval_s: float = 2.0  # estimate for a Mavic 3M class camera
    objective: SwathObjective = SwathObjective.TURNS
    heading_deg: float | None = None
    wind: Wind = CALM
    turn_time_s: float = 4.0
    climb_rate_mps: float = 4.0
    turnaround_min: float = 2.0
    energy: EnergyParams = field(default_factory=EnergyParams)

    def __post_init__(self) -> None:
        if (self.gsd_m is None) == (self.altitude_m is None):
            raise ValueError("give exactly one of gsd_m and altitude_m")
        for name in ("front_overlap", "side_overlap"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name} must be in [0, 1), not {getattr(self, name)}")


@dataclass(frozen=True)
class SurveyPlan:
    field: Field
    drone: DroneType
    params: SurveyParams
    altitude_m: float
    gsd_m: float
    footprint_across_m: float
    footprint_along_m: float
    line_spacing_m: float
    trigger_distance_m: float
    speed_mps: float
    swaths: Swaths
    path: CoveragePath
    table: LegTable
    sorties: tuple[Sortie, ...]
    photos: int
    energy: EnergyModel

    @property
    def flight(self) -> FlightSettings:
        """How the drone flies (the settings the plan and the replay of its files use)."""
        return survey_flight(self.field, self.drone, self.params, self.speed_mps)

    def summary(self) -> dict[str, Any]:
        flights = sum(s.flight_time_min for s in self.sorties)
        return {
            "field": self.field.name,
            "drone": self.drone.id,
            "area_ha": self.field.area_m2 / 1e4,
            "altitude_m": self.altitude_m,
            "gsd_cm": self.gsd_m * 100,
            "footprint_m": [self.footprint_across_m, self.footprint_along_m],
            "line_spacing_m": self.line_spacing_m,
            "trigger_distance_m": self.trigger_distance_m,
            "speed_mps": self.speed_mps,
            "heading_deg": grid_to_true_deg(self.field, self.swaths.heading_deg) % 180.0,
            "lines": self.swaths.pieces,
            "turns": self.path.turns,
            "path_m": self.path.length_m,
            "photos": self.photos,
            "flight_time_min": float(flights),
            "mission_time_min": float(
                flights + max(len(self.sorties) - 1, 0) * self.params.turnaround_min
            ),
            "batteries": len(self.sorties),
            "sorties": len(self.sorties),
            "energy_wh": float(sum(s.energy_wh for s in self.sorties)),
        }


def _geometry(drone: DroneType, params: SurveyParams) -> tuple[float, float, float, float]:
    camera = drone.camera
    if camera is None:
        raise ConfigError(f"drone type {drone.id!r} has no camera")
    if params.altitude_m is not None:
        altitude = params.altitude_m
        gsd = camera.gsd_m(altitude)
    else:
        assert params.gsd_m is not None
        gsd = params.gsd_m
        altitude = camera.altitude_for_gsd_m(gsd)
    if not (gsd > 0 and altitude > 0):
        raise ValueError("the GSD and the altitude must be positive")
    return altitude, gsd, gsd * camera.image_width_px, gsd * camera.image_height_px


def _leg_table(path: CoveragePath, params: SurveyParams, speed: float, top_air: float) -> LegTable:
    delta = path.end - path.start
    lengths = np.hypot(*delta.T)
    safe = np.where(lengths > 0, lengths, 1.0)
    ux, uy = delta[:, 0] / safe, delta[:, 1] / safe
    wx, wy = params.wind.vector_en
    along = ux * wx + uy * wy
    cross2 = wx * wx + wy * wy - along * along
    if np.any(cross2 >= top_air**2) or np.any(
        along + np.sqrt(np.maximum(top_air**2 - cross2, 0)) <= 0
    ):
        raise InfeasibleError(f"wind {params.wind} is too strong for the drone")
    ground = np.minimum(speed, along + np.sqrt(top_air**2 - cross2))
    air = np.hypot(ground * ux - wx, ground * uy - wy)
    working = path.spraying
    turn_start = np.concatenate([[False], working[:-1] & ~working[1:]])
    hover = np.where(turn_start, params.turn_time_s, 0.0)
    return LegTable(path.start, path.end, working, np.zeros(len(path)), ground, air, hover, 0.0)


def survey_flight(
    field_: Field, drone: DroneType, params: SurveyParams, speed_mps: float
) -> FlightSettings:
    """How a survey drone flies: lines at the survey speed, transits at cruise speed, the
    wind in the field's grid."""
    top = max(drone.cruise_speed, speed_mps)
    rate = params.climb_rate_mps
    energy = EnergyModel.from_drone(drone, params.energy)
    return FlightSettings(energy, top, grid_wind(field_, params.wind), rate, rate)


def plan_survey(field_: Field, drone: DroneType, user_params: SurveyParams) -> SurveyPlan:
    """Flight lines, triggers, photos, time and battery sorties for a survey of ``field_``
    (heading and wind direction in compass degrees from true north)."""
    params = replace(user_params, wind=grid_wind(field_, user_params.wind))
    altitude, gsd, across, along = _geometry(drone, params)
    spacing = across * (1 - params.side_overlap)
    trigger = along * (1 - params.front_overlap)
    speed = min(
        params.speed_mps or drone.work_speed or drone.cruise_speed,
        trigger / params.min_photo_interval_s,
    )
    region = Polygon(field_.boundary.exterior)
    clip = region.buffer(along / 2, join_style="mitre")
    flyable = region.buffer(along / 2 + 1.0, join_style="mitre")
    generator = ParallelSwathGenerator()
    if params.heading_deg is None:
        cost = SwathCost(
            params.objective,
            speed,
            params.turn_time_s,
            params.wind.vector_en,
            max_airspeed_mps=drone.cruise_speed,
        )
        heading, _ = generator.best_heading(region, clip, spacing, cost)
    else:
        heading = true_to_grid_deg(field_, params.heading_deg)
    swaths = generator.generate(region, clip, spacing, heading)
    cells = BoustrophedonDecomposition().decompose(swaths)
    route = BoustrophedonRoutePlanner().plan([], swaths, cells, field_.base_xy)
    transit = VisibilityTransitPlanner(flyable)
    path = build_path(route, transit, spacing)
    photos = int(
        sum(
            np.floor((item[:, 1] - item[:, 0]) / trigger).sum() + len(item)
            for item in swaths.intervals
        )
    )
    table = _leg_table(path, params, speed, max(drone.cruise_speed, speed))
    flight = survey_flight(field_, drone, user_params, speed)
    energy = flight.energy
    limits = SortieLimits(None, altitude, drone.cruise_speed, 0.0)
    sorties = split_sorties(table, flight, limits, transit, field_.base_xy)
    if not math.isfinite(sum(s.energy_wh for s in sorties)):
        raise InfeasibleError("survey energy is not finite")
    return SurveyPlan(
        field_,
        drone,
        user_params,
        altitude,
        gsd,
        across,
        along,
        spacing,
        trigger,
        speed,
        swaths,
        path,
        table,
        sorties,
        photos,
        energy,
    )
