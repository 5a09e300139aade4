"""Small generated fields for the missions tests (no big files in the repository)."""

from __future__ import annotations

import math

from droneworks.missions.field import Field, field_from_lonlat

METRES_PER_DEG_LAT = 111_320.0
MINSK = (27.60, 53.90)


def offset(
    east_m: float, north_m: float, origin: tuple[float, float] = MINSK
) -> tuple[float, float]:
    """(lon, lat) ``east_m`` / ``north_m`` metres from ``origin`` (equirectangular; fine for
    a few km)."""
    lon, lat = origin
    return (
        lon + east_m / (METRES_PER_DEG_LAT * math.cos(math.radians(lat))),
        lat + north_m / METRES_PER_DEG_LAT,
    )


def rectangle_field(
    name: str,
    width_m: float,
    height_m: float,
    base_m: tuple[float, float] = (0.0, 0.0),
    rotation_deg: float = 0.0,
    holes_m: tuple[tuple[float, float, float], ...] = (),
) -> Field:
    """A ``width_m`` × ``height_m`` rectangle (long side east before ``rotation_deg``
    anticlockwise), its corner at MINSK, the base at ``base_m`` (east, north) metres from
    it, square holes given as (east, north, side) metres."""
    turn = math.radians(rotation_deg)

    def point(east: float, north: float) -> tuple[float, float]:
        return offset(
            east * math.cos(turn) - north * math.sin(turn),
            east * math.sin(turn) + north * math.cos(turn),
        )

    ring = [point(0, 0), point(width_m, 0), point(width_m, height_m), point(0, height_m)]
    holes = [
        [point(e, n), point(e + s, n), point(e + s, n + s), point(e, n + s)] for e, n, s in holes_m
    ]
    return field_from_lonlat(name, ring, holes, base=point(*base_m))


def strip_field() -> Field:
    """A 2.4 km × 40 m strip at a slant (not on a 1° heading step), base at one end."""
    return rectangle_field("strip", 2400.0, 40.0, (-20.0, 20.0), rotation_deg=17.3)


def far_field() -> Field:
    """A 300 m × 200 m field whose base is 2.8 km away."""
    return rectangle_field("far", 300.0, 200.0, (-2800.0, 100.0))


def field_150ha() -> Field:
    """1.5 km × 1 km with a pond, base at a corner."""
    return rectangle_field("150ha", 1500.0, 1000.0, (-10.0, -10.0), 8.0, ((600.0, 400.0, 120.0),))
