from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from droneworks.core.errors import OutputError
from droneworks.core.outputs import (
    atomic_target,
    check_out_file,
    check_out_folder,
    output_session,
    write_atomic,
)


def _names(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_session_renames_only_when_the_block_succeeds(tmp_path: Path) -> None:
    with output_session() as session:
        write_atomic(tmp_path / "out" / "a.csv", "a\n")
        with atomic_target(tmp_path / "out" / "b.bin") as temporary:
            temporary.write_bytes(b"b")
        assert not (tmp_path / "out" / "a.csv").exists()  # still staged
    assert (tmp_path / "out" / "a.csv").read_text() == "a\n"
    assert (tmp_path / "out" / "b.bin").read_bytes() == b"b"
    assert session.replaced == []
    assert _names(tmp_path) == ["out", "out/a.csv", "out/b.bin"]


def test_failed_session_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), output_session():
        write_atomic(tmp_path / "out" / "deep" / "a.csv", "half")
        raise RuntimeError("the command failed")
    assert _names(tmp_path) == []  # no file, no temporary, no folder made for them


def test_existing_files_are_kept_without_force(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.csv", "old")
    exists = r"1 output file exists already .*a\.csv.*--force"
    with pytest.raises(OutputError, match=exists), output_session():
        write_atomic(tmp_path / "a.csv", "new")
        write_atomic(tmp_path / "b.csv", "new")
    assert (tmp_path / "a.csv").read_text() == "old"
    assert _names(tmp_path) == ["a.csv"]  # b.csv not written either: all or nothing


def test_force_replaces_and_counts(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.csv", "old")
    with output_session(force=True) as session:
        write_atomic(tmp_path / "a.csv", "new")
        write_atomic(tmp_path / "b.csv", "new")
    assert (tmp_path / "a.csv").read_text() == "new"
    assert session.replaced == [tmp_path / "a.csv"]
    assert len(session.written) == 2


def test_two_outputs_with_one_name_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="map to one file name"), output_session():
        write_atomic(tmp_path / "hub-1.plan", "one")
        write_atomic(tmp_path / "hub-1.plan", "two")
    assert _names(tmp_path) == []


def test_without_session_writes_at_once_and_replaces(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "one")
    write_atomic(tmp_path / "a.txt", b"two")
    assert (tmp_path / "a.txt").read_text() == "two"
    assert _names(tmp_path) == ["a.txt"]


def test_failed_writer_keeps_the_old_file(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.png", b"good")
    with pytest.raises(ValueError), atomic_target(tmp_path / "a.png") as temporary:
        temporary.write_bytes(b"half")
        raise ValueError("matplotlib failed")
    assert (tmp_path / "a.png").read_bytes() == b"good"
    assert _names(tmp_path) == ["a.png"]


def test_temporaries_of_a_killed_writer_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f".a.csv.{int(dead.stdout)}-x1y2z3.part"
    stale.write_text("half")
    mine = tmp_path / f".b.csv.{os.getpid()}-abcdef.part"
    mine.write_text("in progress")
    write_atomic(tmp_path / "c.csv", "c")
    assert not stale.exists()
    assert mine.exists()  # a live writer's temporary stays


def test_check_out_folder(tmp_path: Path) -> None:
    assert check_out_folder(tmp_path / "new" / "folder") == tmp_path / "new" / "folder"
    assert not (tmp_path / "new").exists()  # checked, not made
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=r"--out .*file is an existing file"):
        check_out_folder(tmp_path / "file")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_out_folder(tmp_path / "file" / "below")


def test_check_out_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"--report .* is a folder"):
        check_out_file(tmp_path, "--report")
    (tmp_path / "r.html").write_text("x")
    with pytest.raises(OutputError, match="exists already; pass --force"):
        check_out_file(tmp_path / "r.html", "--report")
    assert check_out_file(tmp_path / "r.html", "--report", force=True) == tmp_path / "r.html"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_check_out_file_unwritable(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="not writable"):
        check_out_file(locked / "r.html", "--report")


def test_unwritable_target_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot create the folder"):
        write_atomic(tmp_path / "file" / "below" / "a.csv", "a")
