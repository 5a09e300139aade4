"""Fuzz every loader through its CLI command: 0 tracebacks, 0 hangs (issue 13).

Seeded and deterministic: ``DRONEWORKS_FUZZ_CASES`` cases per loader (200 in ``make test``).
The long profile, ``DRONEWORKS_FUZZ_CASES=2000 DRONEWORKS_FUZZ_SEED=<n>``, draws 2,000
fresh cases per loader from seed ``n`` (see docs/cli.md, "Never a traceback").
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from droneworks.core.loader import read_json
from tests.fuzz.harness import Outcome, explain, judge, run_cli
from tests.fuzz.kml import KML_SEED, to_kml
from tests.fuzz.mutations import damaged_bytes, mutated, to_json, to_toml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CASES = int(os.environ.get("DRONEWORKS_FUZZ_CASES", "200"))
SEED = int(os.environ.get("DRONEWORKS_FUZZ_SEED", "13"))

FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    derandomize="DRONEWORKS_FUZZ_SEED" not in os.environ,
    phases=[Phase.explicit, Phase.generate],  # a failure prints its case; no slow shrinking
    suppress_health_check=list(HealthCheck),
)

pytestmark = pytest.mark.slow


def _toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _wall_seed() -> dict[str, Any]:
    """The Belarus–Poland wall on the shorter Belarus–Latvia line: the same keys, 2.5× faster."""
    wall = _toml(EXAMPLES / "walls" / "belarus-poland.toml")
    wall["border"]["segments"] = ["belarus-latvia"]
    return wall


SEEDS: dict[str, Any] = {
    "plant": _toml(EXAMPLES / "plants" / "minsk-2k.toml"),
    "line": _toml(EXAMPLES / "plants" / "reference-line.toml"),
    "field": read_json(EXAMPLES / "fields" / "concave_pond.geojson"),
    "deliveries": _toml(EXAMPLES / "deliveries" / "minsk_30.toml"),
    "deliveries-geojson": read_json(EXAMPLES / "deliveries" / "minsk_12.geojson"),
    "wall": _wall_seed(),
    "catalogue": _toml(ROOT / "src" / "droneworks" / "catalogue" / "drones.toml"),
}


# loader → (seed document, file name, writer, command); {file} and {tmp} are filled in.
LOADERS: dict[str, tuple[Any, str, Callable[[Any], str], tuple[str, ...]]] = {
    "plant": (SEEDS["plant"], "plant.toml", to_toml, ("factory", "validate", "{file}", "--json")),
    "reference line": (SEEDS["line"], "line.toml", to_toml, ("factory", "validate", "{file}")),
    "field GeoJSON": (
        SEEDS["field"], "field.geojson", to_json,
        ("mission", "survey", "{file}", "--altitude", "60 m", "--json"),
    ),
    "field KML": (KML_SEED, "field.kml", to_kml, ("mission", "spray", "{file}", "--json")),
    "deliveries TOML": (
        SEEDS["deliveries"], "drops.toml", to_toml,
        ("mission", "deliver", "{file}", "--iterations", "50", "--json"),
    ),
    "deliveries GeoJSON": (
        SEEDS["deliveries-geojson"], "drops.geojson", to_json,
        ("mission", "deliver", "{file}", "--drone", "manna-class-cargo", "--drones", "2",
         "--iterations", "50"),
    ),
    "wall": (
        SEEDS["wall"], "wall.toml", to_toml, ("watch", "coverage", "{file}", "--out", "{tmp}")
    ),
    "user catalogue": (
        SEEDS["catalogue"], "mine.toml", to_toml,
        ("catalogue", "list", "--file", "{file}", "--json"),
    ),
}  # fmt: skip


def _run_case(tmp: Path, loader: str, data: bytes) -> tuple[Outcome, list[str]]:
    _, name, _, args = LOADERS[loader]
    path = tmp / name
    path.write_bytes(data)
    full = [arg.replace("{file}", str(path)).replace("{tmp}", str(tmp)) for arg in args]
    return run_cli(*full), full


@pytest.mark.parametrize("loader", list(LOADERS))
def test_seed_is_valid(tmp_path: Path, loader: str) -> None:
    """Unmutated, every seed passes its command: the fuzz cases start from valid files."""
    seed_doc, _, write, _ = LOADERS[loader]
    outcome, args = _run_case(tmp_path, loader, write(seed_doc).encode())
    assert outcome.code == 0, explain(outcome, tuple(args), [], "")


@pytest.mark.parametrize("loader", list(LOADERS))
@FUZZ
@seed(SEED)
@given(data=st.data())
def test_no_traceback_no_hang(
    tmp_path_factory: pytest.TempPathFactory, loader: str, data: st.DataObject
) -> None:
    seed_doc, _, write, _ = LOADERS[loader]
    doc, changes = data.draw(mutated(seed_doc), label="mutations")
    raw = data.draw(damaged_bytes(write(doc)), label="bytes")
    outcome, args = _run_case(tmp_path_factory.mktemp("case"), loader, raw)
    judge(outcome, args, changes, raw.decode("utf-8", errors="replace"), loader)
