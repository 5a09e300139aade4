"""Issue 13: wall values without end (non-finite, huge ranges, tiny spacings) are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.watch.wall import MAX_COVERAGE_PIECES, MAX_SENSORS, load_wall
from tests.watch.test_wall import MINIMAL, write


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("[sensor_types.radar]\ncost_eur = inf\n", "sensor_types.radar.cost_eur: inf is not"),
        ("[sensor_types.radar]\nreference_snr_db = nan\n", "reference_snr_db: nan is not"),
        ('[sensor_types.acoustic]\nranges = {multirotor = "1e308 m"}\n', "too large a length"),
        ('[sensor_types.acoustic]\nranges = {multirotor = "5000 km"}\n', "at most 1000 km"),
        ('[coverage]\nspacing = "1 m"\n', f"the limit is {MAX_COVERAGE_PIECES:,}"),
        ('[[sensors]]\ntype = "rf"\nevery = "10 m"\n', f"the limit is {MAX_SENSORS:,}"),
        ('name = "' + "w" * 50_000 + '"\n', "a text of 50,000 characters"),
    ],
)
def test_refused_with_the_key_or_the_limit(tmp_path: Path, extra: str, fragment: str) -> None:
    text = (extra + MINIMAL.replace('name = "tiny"\n', "")) if extra.startswith("name") else (
        MINIMAL + extra
    )  # fmt: skip
    with pytest.raises(ConfigError, match=fragment):
        load_wall(write(tmp_path, text))


def test_threat_rcs_minus_inf(tmp_path: Path) -> None:
    text = MINIMAL + "rcs_dbsm = -inf\n"
    with pytest.raises(ConfigError, match=r"threats\[0\].rcs_dbsm: -inf is not a finite"):
        load_wall(write(tmp_path, text))
