"""The public API is curated: each package's __all__ is pinned here (httpx's habit)."""

from __future__ import annotations

import importlib

import pytest

PINNED = {
    "droneworks": ["__version__"],
    "droneworks.core": [
        "ConfigError", "Dimension", "DroneworksError", "InfeasibleError", "LocalProjection",
        "ModelError", "RandomStreams", "SimulationError", "StoreError", "parse_quantity",
    ],
    "droneworks.catalogue": [
        "Camera", "Catalogue", "DroneKind", "DroneRole", "DroneType", "RcsClass",
        "default_catalogue", "load_catalogue",
    ],
    "droneworks.factory": [
        "Dist", "Plant", "Problem", "ProblemBuilder", "PurchaseOrderLike", "SimResult",
        "compile_plant", "compile_seconds", "load_plant", "parse_plant", "plant_json_schema",
        "simulate", "with_changes",
    ],
    "droneworks.factory.model": [
        "AfterPlan", "Arrivals", "Assembly", "Break", "Calendar", "CapacityChange", "Costs",
        "Demand", "DispatchRule", "DistKind", "Distribution", "FailAction", "FailureBasis",
        "FailureMode", "Learning", "LotSizing", "Maintenance", "Move", "Operation", "Overtime",
        "Part", "PartPolicy", "Plant", "PlantSettings", "Product", "QualityTest", "ReleaseKind",
        "ReleasePolicy", "RepairCrew", "ReworkOperation", "Step", "Supplier", "SupplyTerms",
        "Transporter", "Weekday", "WorkCentre", "WorkerPool", "YieldLearning",
        "assembly_order", "blocking_edges", "bom_levels", "expected_test_visits", "explode_bom",
        "find_blocking_cycle", "find_bom_cycle", "load_plant", "low_level_codes", "parse_plant",
        "plant_json_schema", "with_changes", "work_content_min",
    ],
    "droneworks.factory.report": [
        "SeriesNames", "replication_sections", "sizing_sections", "write_factory_report",
        "write_simulation_report",
    ],
    "droneworks.missions.coverage": [
        "BoustrophedonDecomposition", "BoustrophedonRoutePlanner", "Cell",
        "ConstantWidthHeadlandGenerator", "CoverageParams", "CoveragePath", "CoveragePlan",
        "HeadlandGenerator", "Headlands", "LegKind", "ParallelSwathGenerator", "Route",
        "RoutePlanner", "SwathCost", "SwathGenerator", "SwathObjective", "Swaths",
        "VisibilityTransitPlanner", "build_path", "ground_speed_mps", "plan_coverage",
    ],
    "droneworks.missions.delivery": [
        "Airspace", "Base", "DeliveryParams", "DeliveryPlan", "DeliveryProblem", "DroneOps",
        "Drop", "FleetGroup", "InfeasibleDrop", "NoFlyZone", "Sortie", "SortieFlight", "Stop",
        "clock_to_min", "fly_sortie", "load_deliveries", "min_to_clock", "parse_deliveries",
        "plan_deliveries",
    ],
    "droneworks.missions.export": [
        "AltitudeMode", "DisplayPoint", "DisplayZone", "FenceCircle", "FencePolygon",
        "Firmware", "MavCmd", "MavFrame", "MissionDisplay", "MissionItem", "MissionPlan",
        "PlanReadResult", "RallyPoint", "VehicleType", "camera_trigger_distance",
        "change_speed", "gripper", "land", "payload_place", "plan_to_qgc", "plan_to_wpl",
        "plans_to_geojson",
        "plans_to_kml", "read_qgc_plan", "read_wpl", "return_to_launch", "set_servo", "sprayer",
        "takeoff", "waypoint", "winch", "write_geojson", "write_kml", "write_qgc_plan",
        "write_wpl",
    ],
    "droneworks.missions.flight": [
        "RATE_SERVO", "FlightSettings", "LevelLeg", "Load", "Replay", "level_leg",
        "replay_mission",
    ],
    "droneworks.watch.tracking": [
        "CartesianPositionMeasurementModel", "ConstantVelocityModel", "GNNWith2DAssignment",
        "GatedPairs", "KalmanPredictor", "KalmanUpdater", "MahalanobisGater",
        "MultiMeasurementInitiator", "MultiTargetTracker", "Scan", "TrackArrays", "TrackerParams",
        "UpdateTimeStepsDeleter",
    ],
    "droneworks.watch.sensors": [
        "DetectionPairs", "EARTH_RADIUS_M", "Environment", "K_FACTOR", "PlacedSensor",
        "RadarEquation", "RangeCurve", "RangeCurves", "SensorKind", "SensorType", "Signature",
        "TargetClass", "TargetSignature", "default_sensor_types", "detection_matrix",
        "detection_probability", "in_sector", "line_of_sight", "max_detection_range_m",
        "measure_positions",
        "measurement_covariance_xy", "radio_horizon_m",
    ],
    "droneworks.watch.wall": ["Threat", "Wall", "compile_wall", "load_wall"],
}  # fmt: skip


@pytest.mark.parametrize("module_name", sorted(PINNED))
def test_all_is_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PINNED[module_name])
    for name in module.__all__:
        assert hasattr(module, name), name
