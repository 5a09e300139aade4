"""Issue 13: the core input limits hold for wall files too (key path in every message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.watch.wall import load_wall
from tests.watch.test_wall import MINIMAL, write


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("[sensor_types.radar]\ncost_eur = inf\n", "sensor_types.radar.cost_eur: inf is not"),
        ("[sensor_types.radar]\nreference_snr_db = nan\n", "reference_snr_db: nan is not"),
        ('[sensor_types.acoustic]\nranges = {multirotor = "1e308 m"}\n', "too large a length"),
        ("[sensor_types.radar]\npfa = true\n", "pfa: true/false is not a number"),
        ("rcs_dbsm = -inf\n", r"threats\[0\].rcs_dbsm: -inf is not a finite"),
        ("count = 18446744073709551616\n", r"threats\[0\].count: an integer outside"),
    ],
)
def test_refused_with_the_key_path(tmp_path: Path, extra: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_wall(write(tmp_path, MINIMAL + extra))


@pytest.mark.parametrize(
    ("length", "fragment"),
    [(50_000_000, "larger than the 32 MiB limit"), (20_000, "name: a text of 20,000 characters")],
)
def test_a_huge_name_is_refused_before_any_work(tmp_path: Path, length: int, fragment: str) -> None:
    text = 'name = "' + "w" * length + '"\n' + MINIMAL.replace('name = "tiny"\n', "")
    with pytest.raises(ConfigError, match=fragment):
        load_wall(write(tmp_path, text))
