"""Built-in sensor types. Every figure is a planning ESTIMATE anchored on REFERENCE §5.

REFERENCE §5 (practitioner figures for small drones): radar 0.5–5 km (small multirotor RCS
−8 to −19 dBsm), RF detection 3–10 km, EO/IR 0.5–2 km, acoustic 0.2–0.5 km per node at
~$400–500 a node. Costs of radar, RF and EO/IR units, noise figures, scan periods and
false-alarm rates have no public source: they are estimates and a wall file should override
them with quotes from vendors.
"""

from __future__ import annotations

from droneworks.watch.sensors import (
    RadarEquation,
    RangeCurve,
    RangeCurves,
    SensorKind,
    SensorType,
    TargetClass,
)

__all__ = ["DEFAULT_SENSOR_TYPES", "SOURCES"]

MR, FW = TargetClass.MULTIROTOR, TargetClass.FIXED_WING

_RADAR = SensorType(
    name="radar",
    kind=SensorKind.RADAR,
    # Pd = 0.52 at 5 km on a −15 dBsm multirotor (Swerling 1, Pfa 1e-6, SNR 13 dB): the top
    # of the practitioner 0.5–5 km range; a −8 dBsm fixed wing reaches Pd 0.5 at ~7.5 km.
    model=RadarEquation(
        reference_range_m=5_000.0, reference_rcs_dbsm=-15.0, reference_snr_db=13.0, pfa=1e-6
    ),
    mast_height_m=20.0,
    scan_period_s=1.0,
    false_alarms_per_h=2.0,
    cost_eur=300_000.0,
    sigma_range_m=10.0,
    sigma_bearing_deg=0.5,
    instrumented_range_m=20_000.0,  # vendors claim 10–20 km
)

_RF = SensorType(
    name="rf",
    kind=SensorKind.RF,
    model=RangeCurves(
        {MR: RangeCurve(5_000.0, 0.2, 0.9), FW: RangeCurve(6_000.0, 0.2, 0.9)},
        needs_rf_emission=True,
    ),
    mast_height_m=10.0,
    scan_period_s=1.0,
    false_alarms_per_h=0.5,
    cost_eur=50_000.0,
    sigma_range_m=1_000.0,  # direction finding: range is poor
    sigma_bearing_deg=3.0,
)

_EOIR = SensorType(
    name="eoir",
    kind=SensorKind.EOIR,
    model=RangeCurves({MR: RangeCurve(1_500.0, 0.15, 0.9), FW: RangeCurve(2_000.0, 0.15, 0.9)}),
    mast_height_m=10.0,
    scan_period_s=2.0,
    false_alarms_per_h=0.5,
    cost_eur=80_000.0,
    sigma_range_m=150.0,  # passive ranging
    sigma_bearing_deg=0.1,
)

_ACOUSTIC = SensorType(
    name="acoustic",
    kind=SensorKind.ACOUSTIC,
    model=RangeCurves({MR: RangeCurve(300.0, 0.2, 0.8), FW: RangeCurve(500.0, 0.2, 0.8)}),
    mast_height_m=3.0,
    scan_period_s=1.0,
    false_alarms_per_h=1.0,
    cost_eur=500.0,  # REFERENCE §5: ~$400–500 a node
    sigma_range_m=100.0,
    sigma_bearing_deg=5.0,
    needs_line_of_sight=False,  # sound diffracts around trees and terrain
)

DEFAULT_SENSOR_TYPES: dict[str, SensorType] = {
    sensor.name: sensor for sensor in (_RADAR, _RF, _EOIR, _ACOUSTIC)
}

SOURCES = {
    "radar": "estimate (Pd 0.5 at 5 km for −15 dBsm: REFERENCE §5 range 0.5–5 km); cost estimate",
    "rf": "estimate (R½ 5–6 km within REFERENCE §5 3–10 km); cost estimate",
    "eoir": "estimate (R½ 1.5–2 km within REFERENCE §5 0.5–2 km); cost estimate",
    "acoustic": "estimate (R½ 0.3–0.5 km, REFERENCE §5 0.2–0.5 km); cost REFERENCE §5",
}
