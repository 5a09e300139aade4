"""Map pictures: a PNG with every layer, and drawing on a caller's Axes (zoomed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from droneworks.watch.coverage import evaluate_coverage
from droneworks.watch.maps import plot_wall

from .straight_wall import disc_type, make_wall, place_along, straight_border, threat

DISC = disc_type("disc", 1000.0)


def test_png_with_coverage_tracks_and_alerts(tmp_path: Path) -> None:
    border = straight_border(20_000.0)
    wall = make_wall(border, place_along(border, DISC, [2000.0, 9000.0]), [threat()], [DISC])
    result = evaluate_coverage(wall)
    track = border.points_at(np.linspace(0, 5000, 20), np.linspace(-3000, 3000, 20))
    path = plot_wall(tmp_path / "map.png", wall, result, tracks=[track], alerts=[tuple(track[10])])
    assert Path(path).read_bytes()[:4] == b"\x89PNG"


def test_draws_on_given_axes_and_zooms() -> None:
    border = straight_border(20_000.0)
    wall = make_wall(border, place_along(border, DISC, [2000.0]), [threat()], [DISC])
    ax = Figure().add_subplot()
    x0, y0 = border.points_at(0.0)[0]
    extent = (x0 - 5000, x0 + 5000, y0, y0 + 8000)
    assert plot_wall(ax, wall, extent_m=extent) is ax
    assert ax.get_xlim() == (extent[0] / 1000, extent[1] / 1000)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert any(label.startswith("acoustic ×1") for label in labels)
