"""Fixtures for plant-file tests: the tiny named plants in tests/factory/data/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import run  # noqa: F401  (the CLI runner fixture)

DATA = Path(__file__).resolve().parents[1] / "data"

Edit = Callable[..., Path]


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def edited(tmp_path: Path) -> Edit:
    """Write ok_small.toml with text replacements (old → new) applied; each must match."""

    def make(*replacements: tuple[str, str], base: str = "ok_small.toml") -> Path:
        text = (DATA / base).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"fixture text not found: {old!r}"
            text = text.replace(old, new, 1)
        path = tmp_path / "plant.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return make
