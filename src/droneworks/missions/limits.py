"""Operating limits every mission is checked against before it is planned.

The figures and where they come from (docs/missions.md, "Limits"):

* ``LEGAL_MAX_HEIGHT_M`` — 120 m above ground: the EU open category (Regulation (EU)
  2019/947, UAS.OPEN.010 (2)); the US Part 107 limit is 400 ft ≈ 122 m. Flying higher needs
  an authorisation (specific category), so the CLI refuses it unless ``--above-legal-height``.
* ``MIN_SURVEY_HEIGHT_M`` — 10 m: below it a survey flies into trees, hedges and power
  lines; a GSD that needs a lower height (e.g. 0.1 mm) is refused. The same floor holds for
  a ``--rally-altitude`` (the height a drone returns to a rally point at).
* ``SPRAY_WIND_LIMIT_MPS`` — 4.5 m/s (10 mph), the highest wind most pesticide labels allow
  (drift); above it the spray plan warns (``--wind-limit`` changes it).
* ``SURVEY_WIND_LIMIT_MPS`` — 12 m/s, the wind resistance of Mavic 3 class drones.
* ``MAX_BASE_DISTANCE_M`` — 20 km from the field: farther, the base is a typo (or swapped
  coordinates), not a take-off site for a field drone.
* ``MAX_FIELD_EXTENT_M`` — 50 km: a field larger than that is a coordinate error.
"""

from __future__ import annotations

__all__ = [
    "LEGAL_MAX_HEIGHT_M",
    "MAX_BASE_DISTANCE_M",
    "MAX_FIELD_EXTENT_M",
    "MAX_RATE_LPHA",
    "MIN_RALLY_ALT_M",
    "MIN_SURVEY_HEIGHT_M",
    "SPRAY_WIND_LIMIT_MPS",
    "SURVEY_WIND_LIMIT_MPS",
    "wind_warning",
]

LEGAL_MAX_HEIGHT_M = 120.0
MIN_SURVEY_HEIGHT_M = 10.0
MIN_RALLY_ALT_M = MIN_SURVEY_HEIGHT_M
SPRAY_WIND_LIMIT_MPS = 4.5
SURVEY_WIND_LIMIT_MPS = 12.0
MAX_BASE_DISTANCE_M = 20_000.0
MAX_FIELD_EXTENT_M = 50_000.0
MAX_RATE_LPHA = 500.0  # above any drone label rate (drones spray 5–50 L/ha)


def wind_warning(wind_mps: float, limit_mps: float, what: str) -> str | None:
    """A one-line warning when the wind is above ``limit_mps`` (None when it is not)."""
    if wind_mps <= limit_mps:
        return None
    return (
        f"wind {wind_mps:g} m/s is above the {what} limit of {limit_mps:g} m/s; "
        "the plan is computed, but do not fly it in this wind"
    )
