"""Vectorised scanlines over many headings at once: the cheap heading objective.

For a block of headings, every swath line of every heading is intersected with every edge
of the clip region in one numpy broadcast (headings × lines × edges). With the polygon
oriented (exterior counter-clockwise, holes clockwise) a line's inside length is the signed
sum of its crossings' abscissas (entries count −u, exits +u), so no sort is needed: the
piece count is half the crossing count and the length a sum. The link estimate (for the
length and time objectives) uses each line's first and last crossing. Pieces shorter than
the generator's ``min_piece_m`` are counted here (the cheap score does not sort them out).
For the ``turns`` objective even the broadcast is avoided: see :func:`_closed_form`.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from droneworks.missions.coverage.geometry import FloatArray, polygon_edges

__all__ = ["HeadingFigures", "scan_headings"]

_BLOCK = 24  # headings per broadcast: bounds memory to ~block × lines × edges floats

HeadingFigures = tuple[FloatArray, FloatArray, FloatArray]  # pieces, length_m, links_m


def _links(
    has: np.ndarray,
    first_u: FloatArray,
    last_u: FloatArray,
    gaps: FloatArray,
    pieces: FloatArray,
    width_m: float,
) -> FloatArray:
    """Per heading: turns between consecutive lines' ends, one width per extra piece and
    twice the widest gap inside a line (a transit around a hole or bay)."""
    both = has[:, 1:] & has[:, :-1]
    right = (np.arange(has.shape[1] - 1) % 2 == 0)[None, :]
    delta = np.where(right, np.abs(np.diff(last_u, axis=1)), np.abs(np.diff(first_u, axis=1)))
    turns = np.where(both, np.hypot(width_m, np.where(both, delta, 0.0)), 0.0).sum(axis=1)
    extra = np.maximum(pieces - has.sum(axis=1), 0)
    widest = np.where(has, gaps, 0.0).max(axis=1, initial=0.0)
    links: FloatArray = turns + extra * width_m + 2.0 * widest
    return links


def _closed_form(
    edges: FloatArray, mainland_xy: FloatArray, width_m: float, headings_deg: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Pieces and length per heading in O(headings × edges): the lines an edge crosses are
    a run of consecutive indices, and the sum of the crossing abscissas along that run is
    an arithmetic series."""
    radians = np.radians(headings_deg)[:, None]
    dx, dy = np.sin(radians), np.cos(radians)
    mv = -mainland_xy[:, 0][None, :] * dy + mainland_xy[:, 1][None, :] * dx
    v_min, v_max = mv.min(axis=1), mv.max(axis=1)
    lines = np.maximum(1, np.ceil((v_max - v_min) / width_m - 1e-9))[:, None]
    first = (v_min + ((v_max - v_min) - (lines[:, 0] - 1) * width_m) / 2)[:, None]
    x0, y0, x1, y1 = (edges[:, i][None, :] for i in range(4))
    u0, v0 = x0 * dx + y0 * dy, -x0 * dy + y0 * dx
    u1, v1 = x1 * dx + y1 * dy, -x1 * dy + y1 * dx
    low, high = np.minimum(v0, v1), np.maximum(v0, v1)
    k_low = np.clip(np.ceil((low - first) / width_m), 0, lines)
    k_high = np.clip(np.ceil((high - first) / width_m) - 1, -1, lines - 1)
    crossed = np.maximum(k_high - k_low + 1, 0)
    sum_v = crossed * first + width_m * (k_low + k_high) * crossed / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(high > low, (u1 - u0) / (v1 - v0), 0.0)
    sum_u = crossed * u0 + slope * (sum_v - crossed * v0)
    sign = np.where(v1 > v0, 1.0, -1.0)
    pieces: FloatArray = crossed.sum(axis=1) // 2
    length: FloatArray = np.abs((sign * sum_u).sum(axis=1))
    return pieces, length


def scan_headings(
    mainland: BaseGeometry,
    clip: BaseGeometry,
    width_m: float,
    headings_deg: FloatArray,
    with_links: bool,
) -> HeadingFigures:
    """(pieces, swath length, link estimate) per heading, lines placed as the generator does.

    Without links (the ``turns`` objective) the closed form of :func:`_closed_form` is used;
    with links every crossing is computed in one broadcast per block of headings."""
    oriented = shapely.orient_polygons(clip, exterior_cw=False)
    edges = polygon_edges(oriented)
    mainland_xy = polygon_edges(mainland)[:, :2]
    count = len(headings_deg)
    pieces, length, links = np.zeros(count), np.zeros(count), np.zeros(count)
    if len(edges) == 0 or len(mainland_xy) == 0:
        return pieces, length, links
    x0, y0, x1, y1 = (edges[:, i][None, :] for i in range(4))
    if not with_links:
        pieces, length = _closed_form(edges, mainland_xy, width_m, headings_deg)
        return pieces, length, links
    for start in range(0, count, _BLOCK):
        block = headings_deg[start : start + _BLOCK]
        radians = np.radians(block)[:, None]
        dx, dy = np.sin(radians), np.cos(radians)
        mv = -mainland_xy[:, 0][None, :] * dy + mainland_xy[:, 1][None, :] * dx
        v_min, v_max = mv.min(axis=1), mv.max(axis=1)
        lines = np.maximum(1, np.ceil((v_max - v_min) / width_m - 1e-9)).astype(int)
        first = v_min + ((v_max - v_min) - (lines - 1) * width_m) / 2
        k = np.arange(int(lines.max()))
        line_v = (first[:, None] + width_m * k[None, :])[:, :, None]
        valid = (k[None, :] < lines[:, None])[:, :, None]
        u0, v0 = (x0 * dx + y0 * dy)[:, None, :], (-x0 * dy + y0 * dx)[:, None, :]
        u1, v1 = (x1 * dx + y1 * dy)[:, None, :], (-x1 * dy + y1 * dx)[:, None, :]
        up = (v0 <= line_v) & (line_v < v1) & valid
        down = (v1 <= line_v) & (line_v < v0) & valid
        crosses = up | down
        with np.errstate(divide="ignore", invalid="ignore"):
            u = u0 + (line_v - v0) / (v1 - v0) * (u1 - u0)
        signed = np.where(up, u, 0.0) - np.where(down, u, 0.0)
        line_length = np.abs(signed.sum(axis=2))
        crossings = crosses.sum(axis=2)
        pieces[start : start + len(block)] = crossings.sum(axis=1) // 2
        length[start : start + len(block)] = line_length.sum(axis=1)
        if with_links:
            has = crossings > 0
            first_u = np.where(crosses, u, math.inf).min(axis=2)
            last_u = np.where(crosses, u, -math.inf).max(axis=2)
            gaps = np.where(has, (last_u - first_u) - line_length, 0.0)
            first_u, last_u = np.where(has, first_u, 0.0), np.where(has, last_u, 0.0)
            block_pieces = pieces[start : start + len(block)][:, None]
            links[start : start + len(block)] = _links(
                has, first_u, last_u, gaps, block_pieces[:, 0], width_m
            )
    return pieces, length, links
