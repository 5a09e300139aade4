"""Start-up stays light: a command imports only the heavy libraries it uses (issue 12).

Each check runs in a fresh interpreter (this test process has imported everything)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLANT = REPO / "examples" / "plants" / "assembly-benchmark.toml"
HEAVY = ("matplotlib", "scipy", "numba", "sqlalchemy", "pyarrow", "plotly", "rasterio", "pyvrp")
# what --help and --version must not load either: they only print text
LIGHT_ONLY = (*HEAVY, "numpy", "pydantic", "pyproj", "shapely", "droneworks.factory")

PROBE = """
import json, sys
from droneworks.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_after(*args: str) -> set[str]:
    """Top-level names of the modules loaded after running ``droneworks ARGS``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300
    )
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return set(modules) | {name.split(".")[0] for name in modules}


def test_importing_the_cli_loads_no_heavy_library() -> None:
    probe = "import json, sys; import droneworks.cli.main; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    modules = set(json.loads(done.stdout))
    assert not modules & set(LIGHT_ONLY), sorted(modules & set(LIGHT_ONLY))


@pytest.mark.parametrize("args", [["--help"], ["--version"], []], ids=str)
def test_help_and_version_only_print(args: list[str]) -> None:
    assert not loaded_after(*args) & set(LIGHT_ONLY)


def help_paths() -> list[list[str]]:
    """``GROUP --help`` and ``[GROUP] COMMAND --help`` for every command of the CLI."""
    import typer

    from droneworks.cli.main import app

    paths = []
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        paths.append([name, "--help"])
        paths += [[name, sub, "--help"] for sub in getattr(command, "commands", {})]
    return paths


# what any help text must not load: it renders the commands' options, nothing more
# (typer itself imports pydantic to read a command's parameters, so pydantic is allowed)
HELP_FREE = (*HEAVY, "numpy", "pyproj", "shapely", "fastapi", "uvicorn", "dask", "llvmlite")


@pytest.mark.parametrize("args", help_paths(), ids=" ".join)
def test_help_of_every_group_and_command_loads_no_heavy_library(args: list[str]) -> None:
    assert not loaded_after(*args) & set(HELP_FREE)


def test_help_paths_cover_every_wing() -> None:
    groups = {path[0] for path in help_paths() if len(path) == 3}
    assert groups == {"catalogue", "factory", "mission", "watch"}
    assert len(help_paths()) > 20


@pytest.mark.parametrize(
    "args",
    [
        ["catalogue", "list"],
        ["factory", "validate", str(PLANT)],
        ["factory", "validate", str(PLANT), "--json"],
    ],
    ids=" ".join,
)
def test_commands_that_do_not_compute_load_no_heavy_library(args: list[str]) -> None:
    assert not loaded_after(*args) & set(HEAVY)


def test_simulate_loads_the_engine_but_not_the_store_or_plots() -> None:
    loaded = loaded_after("factory", "simulate", str(PLANT), "--years", "0.01", "--json")
    assert "numba" in loaded  # the check above would pass on a broken probe otherwise
    assert not loaded & {"sqlalchemy", "matplotlib", "plotly", "pyarrow", "rasterio", "pyvrp"}
    # numba itself imports the bare scipy package; the plant needs no scipy function, and
    # numba's BLAS probe is answered without scipy.linalg (core/numba_load.py)
    assert not loaded & {"scipy.stats", "scipy.special", "scipy.linalg"}


def test_bench_startup_smoke() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_startup import STARTUP, startup  # type: ignore[import-not-found, unused-ignore]

    figures = startup(runs=1)
    assert set(figures) == set(STARTUP)
    assert all(figure["wall_s"] > 0 and figure["runs"] == 1 for figure in figures.values())


GC_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print(gc.get_threshold()[0], gc.get_freeze_count() > 0))
from droneworks.cli.main import main
sys.argv = ["droneworks", *sys.argv[1:]]
main({argv})
"""


@pytest.mark.parametrize("argv", ["None", "sys.argv[1:]"])
def test_only_the_console_script_tunes_the_collector(argv: str) -> None:
    """The process that ends with its command skips the collector's walks (fast exit);
    ``main(args)`` called inside another program (tests, the dashboard) leaves it alone."""
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE.format(argv=argv), "--version"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    version, tuned = done.stdout.split("\n")[:2]
    assert version.startswith("droneworks ")
    console_script = argv == "None"
    assert tuned.split() == (["5000", "True"] if console_script else ["700", "False"])
