"""The bounded loader: every limit refused with one ConfigError naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.loader import (
    MAX_DEPTH,
    MAX_INT,
    MAX_TEXT_CHARS,
    check_values,
    parse_json_text,
    parse_toml_text,
    parse_xml_text,
    read_json,
    read_text,
    read_toml,
)


def test_reads_utf8_with_or_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_bytes('\ufeffname = "Minsk ё"\n'.encode())
    assert read_toml(path) == {"name": "Minsk ё"}


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_bytes('name = "Mi\xf1sk"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"a.toml: not UTF-8 text \(byte 10 is 0xf1\)"):
        read_toml(path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text("[" + "0," * 600 + "0]", encoding="utf-8")
    with pytest.raises(ConfigError, match="larger than"):
        read_text(path, max_bytes=1000)
    assert len(read_json(path)) == 601


@pytest.mark.parametrize(
    ("path_name", "message"), [("missing.toml", "no such file"), (".", "is a folder")]
)
def test_unreadable(tmp_path: Path, path_name: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_toml(tmp_path / path_name)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 5000, 100_000])
def test_deep_json_refused(depth: int) -> None:
    with pytest.raises(ConfigError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_json_text("[" * depth + "]" * depth, "deep.json")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 5000])
def test_deep_toml_refused(depth: int) -> None:
    arrays = "x = " + "[" * depth + "]" * depth
    tables = "x = " + "{a = " * depth + "1" + "}" * depth
    dotted = "x" + ".a" * depth + " = 1"
    for text in (arrays, tables, dotted):
        with pytest.raises(ConfigError, match="nested more than"):
            parse_toml_text(text, "deep.toml")


def test_depth_at_the_limit_accepted() -> None:
    depth = MAX_DEPTH - 1
    assert parse_json_text("[" * depth + "]" * depth, "ok.json") is not None


def test_deep_xml_refused() -> None:
    text = "<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1)
    with pytest.raises(ConfigError, match="KML elements nested"):
        parse_xml_text(text, "deep.kml", "KML")
    with pytest.raises(ConfigError, match="not valid KML"):
        parse_xml_text("<a>", "bad.kml", "KML")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("unit_cost = inf", "unit_cost: inf is not a finite number"),
        ("a = {b = [1.0, nan]}", r"a.b\[1\]: nan is not a finite number"),
        (f"buffer = {MAX_INT + 1}", "buffer: an integer outside"),
        (f"buffer = {-MAX_INT - 2}", "buffer: an integer outside"),
        ("x = " + "9" * 5000, "not valid TOML"),
        ('name = "' + "w" * (MAX_TEXT_CHARS + 1) + '"', "name: a text of 10,001 characters"),
    ],
)
def test_toml_values_refused(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_toml_text(text, "plant.toml")


@pytest.mark.parametrize(
    "text", ['{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '{"a": 1e999}']
)
def test_json_non_finite_refused(text: str) -> None:
    with pytest.raises(ConfigError, match=r"plant\.json: "):
        parse_json_text(text, "plant.json")


def test_integer_limit_is_inclusive() -> None:
    assert parse_toml_text(f"a = {MAX_INT}\nb = {-MAX_INT}", "x") == {"a": MAX_INT, "b": -MAX_INT}


def test_check_values_walks_deep_data_without_recursion() -> None:
    data: list[object] = []
    for _ in range(100_000):
        data = [data]
    with pytest.raises(ConfigError, match="nested more than"):
        check_values(data, "built data")
