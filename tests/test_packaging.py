"""A real wheel: built from the repository, installed in a fresh venv, the demo runs from it.

The wheel must carry the examples and data (importlib.resources), not read them from the
clone: the venv's droneworks is checked to be the installed copy, run from another folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from droneworks import demo

REPO = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, timeout_s: float = 1800) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout_s)  # fmt: skip
    assert done.returncode == 0, f"{args}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.mark.slow
def test_wheel_installs_and_runs_the_demo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
          str(REPO)], cwd=tmp_path)  # fmt: skip
    (wheel,) = wheels.glob("droneworks-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp_path)

    where = _run([str(python), "-c", "from droneworks.core.resources import example_path; "
                  "print(example_path('plants', 'minsk-2k.toml'))"], cwd=tmp_path)  # fmt: skip
    example = Path(where.stdout.strip())
    assert example.is_relative_to(env_dir) and example.is_file()  # shipped, not the clone's
    extras = _run([str(python), "-c", "import importlib.util as u; print([m for m in "
                   "('plotly', 'pyarrow', 'rasterio', 'psycopg', 'dask', 'fastapi') "
                   "if u.find_spec(m)])"], cwd=tmp_path)  # fmt: skip
    assert extras.stdout.strip() == "[]"  # the heavy optional parts stay out of a core install

    out = tmp_path / "demo"
    done = _run([str(env_dir / "bin" / "droneworks"), "demo", "--quick", "--out", str(out),
                 "--json"], cwd=tmp_path)  # fmt: skip
    data = json.loads(done.stdout)
    assert {"Drone catalogue", "Fields (skipped)"} < set(data["answers"])  # no [raster]
    assert (out / "report.html").stat().st_size > 0 and (out / "watch-coverage.png").exists()
    assert not list(out.rglob("*.part"))


def test_a_demo_part_without_its_extra_is_skipped_with_a_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(demo, "_installed", lambda extra: False)
    answers = demo.run_demo(tmp_path, demo.demo_parts(quick=True)[:2])
    assert answers[1].title == "Fields (skipped)"
    assert answers[1].answer == ["Fields: skipped, it needs pip install 'droneworks[raster]'."]
