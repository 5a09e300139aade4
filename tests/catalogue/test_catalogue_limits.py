"""Issue 13: a user catalogue with non-finite or over-range figures is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.catalogue import load_catalogue
from droneworks.core.errors import ConfigError

BUILT_IN = Path(__file__).parents[2] / "src/droneworks/catalogue/drones.toml"


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("rcs_dbsm = 0.0", "rcs_dbsm = -inf", "rcs_dbsm: -inf is not a finite number"),
        ('tank = "40 L"', 'tank = "1e308 L"', "too large a volume"),
        ('empty_mass = "50 kg"', "empty_mass = true", "empty_mass"),
    ],
)
def test_user_catalogue_values(tmp_path: Path, old: str, new: str, fragment: str) -> None:
    text = BUILT_IN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_catalogue(path)
