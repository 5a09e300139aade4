"""Bad input to the watch wing: one message naming the input and the limit, exit 1, no crash."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from droneworks.cli.main import main
from droneworks.core.errors import ConfigError
from droneworks.watch.border import border_from_ids
from droneworks.watch.limits import MAX_CANDIDATES, MAX_COVERAGE_PIECES, MAX_SENSORS, MAX_TICKS
from droneworks.watch.wall import load_wall

WALL = """
name = "tiny"
seed = 3
runs = 1
horizon = "10 min"
[border]
geojson = "line.geojson"
[[sensors]]
type = "acoustic"
every = "1 km"
[[threats]]
id = "mr"
drone = "small-multirotor"
altitude = "50 m"
[placement]
types = ["acoustic"]
spacing = "500 m"
offsets = ["0 m"]
"""
LINE = {"type": "LineString", "coordinates": [[23.0, 52.0], [23.0, 52.09]]}  # 10 km north


def wall_file(tmp_path: Path, *changes: tuple[str, str], extra: str = "") -> Path:
    (tmp_path / "line.geojson").write_text(json.dumps(LINE), encoding="utf-8")
    text = WALL
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "wall.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    """Exit code and stderr (stdout if it succeeded) of the CLI run in-process."""
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.err if code else captured.out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ((("seed = 3", "seed = -1"),), "seed: Input should be greater than or equal to 0"),
        ((("runs = 1", "runs = 1000000000"),), "runs: Input should be less than or equal to"),
        ((('horizon = "10 min"', 'horizon = "100000 h"'),), "at most 7 days"),
        ((('every = "1 km"', 'every = "1 mm"'),), "sensors[0].every"),
        (
            (
                ('geojson = "line.geojson"', 'segments = ["belarus-poland"]'),
                ('every = "1 km"', 'every = "10 m"'),
            ),
            f"at most {MAX_SENSORS:,} sensors",
        ),
        ((('altitude = "50 m"', 'altitude = "50 m"\ncount = 100000000'),), "threats[0].count"),
        ((('altitude = "50 m"', 'altitude = "1e12 m"'),), 'altitude: "1e12 m" is too large'),
        ((('altitude = "50 m"', 'altitude = "30 km"'),), "altitude 30000 m is outside (0, 20000]"),
        ((('spacing = "500 m"', 'spacing = "10 cm"'),), f"at most {MAX_CANDIDATES:,} candidate"),
        ((("[placement]", '[coverage]\nspacing = "1 mm"\n[placement]'),), "coverage.spacing"),
        ((('every = "1 km"', 'every = "1 km"\noffset = "-5000 km"'),), "offset -5000 km is"),
        ((('name = "tiny"', 'name = "' + "w" * 5000 + '"'),), "name: String should have at most"),
    ],
)
def test_wall_guards_name_the_key(
    tmp_path: Path, changes: tuple[tuple[str, str], ...], message: str
) -> None:
    path = wall_file(tmp_path, *changes)
    with pytest.raises(ConfigError) as error:
        load_wall(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_size_guards_state_the_limit(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_wall(wall_file(tmp_path, ("[placement]", '[coverage]\nspacing = "1 mm"\n[placement]')))
    text = str(error.value)
    assert f"at most {MAX_COVERAGE_PIECES:,} pieces" in text and "10.0 km line" in text
    radar = '[sensor_types.fast]\nkind = "radar"\nscan_period = "0.1 s"\n'
    many_ticks = wall_file(tmp_path, ('horizon = "10 min"', 'horizon = "6 d"'), extra=radar)
    many_ticks.write_text(many_ticks.read_text() + '[[sensors]]\ntype = "fast"\nat = "1 km"\n')
    with pytest.raises(ConfigError, match=f"at most {MAX_TICKS:,} scans per run"):
        load_wall(many_ticks)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[sensor_types.acoustic]\ninstrumented_range = "-5 km"\n', "instrumented_range -5000 m"),
        (
            "[sensor_types.radar]\nreference_snr_db = nan\n",
            "reference_snr_db: nan is not a finite",
        ),
        ('[sensor_types.acoustic]\nranges = { multirotor = "1e308 m" }\n', "ranges.multirotor"),
        ('[sensor_types.radar]\nreference_range = "-1 km"\n', "reference_range -1000 m"),
        ("[sensor_types.rf]\ncost_eur = inf\n", "cost_eur: inf is not a finite"),
    ],
)
def test_sensor_types_refuse_nonsense(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as error:
        load_wall(wall_file(tmp_path, extra=extra))
    assert message in str(error.value)


def test_sensor_far_from_the_border_or_swapped(tmp_path: Path) -> None:
    far = '[[sensors]]\ntype = "radar"\nlonlat = [40.0, 52.0]\n'  # ~1,200 km east
    with pytest.raises(ConfigError, match=r"sensors\[1\].lonlat: \[40.0, 52.0\] is 1,"):
        load_wall(wall_file(tmp_path, extra=far))
    swapped = '[[sensors]]\ntype = "radar"\nlonlat = [52.0, 23.0]\n'
    with pytest.raises(ConfigError, match=r"\[longitude, latitude\], in that order"):
        load_wall(wall_file(tmp_path, extra=swapped))
    near = '[[sensors]]\ntype = "radar"\nlonlat = [23.05, 52.05]\n'  # ~3.4 km east
    assert len(load_wall(wall_file(tmp_path, extra=near)).sensors) == 11


def test_lat_lon_swapped_border_is_refused(tmp_path: Path) -> None:
    shipped = border_from_ids(["belarus-poland"])
    lonlat = shipped.to_lonlat(np.asarray(shipped.line_m.coords))[::50]
    swapped = {"type": "LineString", "coordinates": lonlat[:, ::-1].round(5).tolist()}
    path = wall_file(tmp_path)
    (tmp_path / "line.geojson").write_text(json.dumps(swapped), encoding="utf-8")
    with pytest.raises(ConfigError, match="longitude first"):
        load_wall(path)
    out_of_range = {"type": "LineString", "coordinates": [[23.0, 52.0], [23.0, 95.0]]}
    (tmp_path / "line.geojson").write_text(json.dumps(out_of_range), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[23, 95\] is not \[longitude, latitude\]"):
        load_wall(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "--runs", "100000000"), "--runs 100,000,000 is more than 10,000 runs"),
        (("place", "--budget", "0"), "--budget 0: must be a number above 0"),
        (("place", "--time-limit", "-5"), "--time-limit -5: must be a number above 0"),
        (("coverage", "--altitude", "1e12 m"), '--altitude 1e12 m: "1e12 m" is too large'),
        (("coverage", "--altitude", "30 km"), "--altitude 30 km: 30000 m is not a drone altitude"),
    ],
)
def test_cli_options_refused_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    path = wall_file(tmp_path)
    code, err = cli(capsys, "watch", args[0], path, *args[1:], "--out", tmp_path / "out")
    assert code == 1 and message in " ".join(err.split()) and "Traceback" not in err


def test_out_under_a_file_is_refused_before_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = wall_file(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me", encoding="utf-8")
    for command in ("coverage", "place", "simulate"):
        code, err = cli(capsys, "watch", command, path, "--out", blocker / "sub")
        assert code == 1 and "is a file, not a folder" in err, command
    assert blocker.read_text(encoding="utf-8") == "keep me"
