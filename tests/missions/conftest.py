"""Named fixtures of the missions tests: the example fields shipped in examples/fields/."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.missions.field import Field, load_field
from tests.cli.conftest import run  # noqa: F401  (the CLI fixture, shared)

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"


@pytest.fixture(scope="session")
def fields_dir() -> Path:
    return FIELDS


@pytest.fixture(scope="session")
def convex_field() -> Field:
    return load_field(FIELDS / "convex.geojson")


@pytest.fixture(scope="session")
def concave_field() -> Field:
    return load_field(FIELDS / "concave_pond.geojson")


@pytest.fixture(scope="session")
def field_20ha() -> Field:
    return load_field(FIELDS / "field_20ha.geojson")
