"""The compiled kernel lives in a user cache folder, never in the package tree (issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from droneworks.core.progress import RecordingProgress, ticking
from droneworks.factory.engine import cache_guard

PROBE = """
import json, os, sys
{before}
import droneworks.factory
import numba
print(json.dumps([os.environ.get("NUMBA_CACHE_DIR"), numba.config.CACHE_DIR]))
"""


def _cache_dirs(env: dict[str, str], before: str = "") -> list[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "DRONEWORKS_CACHE_DIR")
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(before=before)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: list[str] = json.loads(done.stdout)
    return result


def test_numba_caches_in_the_user_cache_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    dirs = _cache_dirs({"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")})
    assert dirs == [str(home / ".cache" / "droneworks" / "numba")] * 2


def test_droneworks_cache_dir_overrides_the_folder(tmp_path: Path) -> None:
    assert _cache_dirs({"DRONEWORKS_CACHE_DIR": str(tmp_path)}) == [str(tmp_path / "numba")] * 2


def test_a_numba_cache_dir_set_by_the_user_wins(tmp_path: Path) -> None:
    mine = str(tmp_path / "mine")
    assert (
        _cache_dirs({"NUMBA_CACHE_DIR": mine, "DRONEWORKS_CACHE_DIR": str(tmp_path)}) == [mine] * 2
    )


def test_numba_imported_first_still_caches_in_the_user_folder(tmp_path: Path) -> None:
    dirs = _cache_dirs({"DRONEWORKS_CACHE_DIR": str(tmp_path)}, before="import numba")
    assert dirs == [str(tmp_path / "numba")] * 2


@pytest.fixture
def engine_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of engine sources and an empty cache (the guard takes any folder)."""
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DRONEWORKS_CACHE_DIR", str(tmp_path / "droneworks"))
    import numba

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "engine"
    folder.mkdir()
    (folder / "kernel.py").write_text("X = 1\n")
    return folder


def test_the_guard_drops_a_stale_cache_and_knows_when_it_is_warm(engine_copy: Path) -> None:
    assert cache_guard.refresh_stale_cache(engine_copy)  # first sight: a fresh stamp
    cache = Path(os.environ["NUMBA_CACHE_DIR"])
    (machine_code,) = [path for path in cache.iterdir() if path.is_dir()]
    assert not cache_guard.kernel_cached(engine_copy)
    cache_guard.mark_warm(12.5, engine_copy)
    assert cache_guard.kernel_cached(engine_copy)
    assert cache_guard.compile_estimate_s() == 12.5
    assert "about 12 s" in cache_guard.compile_notice()
    (machine_code / "kernel.entry-1.py311.nbi").write_text("index")
    assert not cache_guard.refresh_stale_cache(engine_copy)  # unchanged sources: kept
    assert (machine_code / "kernel.entry-1.py311.nbi").exists()
    (engine_copy / "kernel.py").write_text("X = 2\n")
    assert cache_guard.refresh_stale_cache(engine_copy)
    assert not (machine_code / "kernel.entry-1.py311.nbi").exists()
    assert not cache_guard.kernel_cached(engine_copy)
    assert not (engine_copy / "__pycache__").exists() or not any(
        (engine_copy / "__pycache__").glob("*.nb*")
    )


def test_the_estimate_before_any_compile_is_the_measured_default(engine_copy: Path) -> None:
    assert cache_guard.compile_estimate_s() == cache_guard.DEFAULT_COMPILE_S


def test_the_real_kernel_cache_is_outside_the_package() -> None:
    folder = cache_guard.numba_cache_folder(cache_guard.ENGINE_FOLDER)
    package = cache_guard.ENGINE_FOLDER.parents[1]
    assert package not in folder.parents


def test_ticking_reports_elapsed_time_up_to_the_total() -> None:
    progress = RecordingProgress()
    deadline = time.monotonic() + 60
    with ticking(progress, "compiling", estimate_s=0.2, every_s=0.01):
        # until two ticks came (a fixed 0.1 s sleep saw fewer on a loaded machine)
        while len(progress.updates) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert progress.started == [("compiling", 0.2)]
    assert len(progress.updates) >= 3
    assert progress.updates == sorted(progress.updates)
    assert progress.updates[-1] == 0.2
    assert max(progress.updates[:-1]) < 0.2


def test_a_command_says_so_before_it_compiles(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from droneworks.cli.kernel import ready_kernel

    monkeypatch.setattr(cache_guard, "kernel_cached", lambda: False)
    ready_kernel(show_progress=False)
    notice = capsys.readouterr().err
    assert notice.startswith("compiling the simulation kernel once, about ")
    monkeypatch.setattr(cache_guard, "kernel_cached", lambda: True)
    ready_kernel(show_progress=False)
    assert capsys.readouterr().err == ""


TWICE = """
import sys
sys.path.insert(0, {folder!r})
from tiny_jit import double
from droneworks.factory.engine.cache_guard import compiled_here
double(2.0)
print(compiled_here(double))
"""


def test_compiled_here_tells_a_compile_from_a_cache_load(tmp_path: Path) -> None:
    (tmp_path / "tiny_jit.py").write_text(
        "import numba\n\n@numba.njit(cache=True)\ndef double(x):\n    return 2 * x\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    probe = [sys.executable, "-c", TWICE.format(folder=str(tmp_path))]
    runs = [
        subprocess.run(probe, env=env, capture_output=True, text=True, check=True, timeout=300)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]


LOAD = """
from droneworks.factory.engine import compile_seconds
from droneworks.factory.engine.cache_guard import kernel_cached
seconds = compile_seconds()
print(seconds, kernel_cached())
"""


def test_a_warm_cache_without_its_marker_records_no_compile_time(tmp_path: Path) -> None:
    """The marker missing does not make a load from the cache a compile (issue 12)."""
    import numba

    from droneworks.factory.engine import compile_seconds

    compile_seconds()  # the real cache is warm from here on
    real = cache_guard.numba_cache_folder(cache_guard.ENGINE_FOLDER)
    copy = tmp_path / "numba" / real.relative_to(numba.config.CACHE_DIR)
    copy.mkdir(parents=True)
    for path in real.iterdir():
        if path.is_file() and path.name != cache_guard.WARM:
            (copy / path.name).write_bytes(path.read_bytes())
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "DRONEWORKS_CACHE_DIR": str(tmp_path / "droneworks"),
    }
    done = subprocess.run(
        [sys.executable, "-c", LOAD], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    seconds, warm = done.stdout.split()
    assert warm == "True"  # the marker is back
    assert not (tmp_path / "droneworks" / cache_guard.COMPILE_RECORD).exists(), seconds
