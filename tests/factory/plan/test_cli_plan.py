"""`droneworks factory runs list|show|compare` on a store filled by fake runs; `--json`."""

from __future__ import annotations

import json
from pathlib import Path

from droneworks.core.store import RunStore
from droneworks.factory.plan.replications import RunRecording, replicate
from tests.cli.conftest import Run, run  # noqa: F401
from tests.factory.plan.fakes import FakeProblem, fake_simulate

PLANT_TEXT = '[plant]\nname = "fake"\n'


def fill(db: Path) -> tuple[int, int, int]:
    store = RunStore(db)
    recording = RunRecording(store, "fake", PLANT_TEXT)
    a = replicate(FakeProblem(), 6, seed=5, simulate_fn=fake_simulate, recording=recording)
    b = replicate(
        FakeProblem(mean_units=1100.0), 6, seed=5, simulate_fn=fake_simulate, recording=recording
    )
    c = replicate(
        FakeProblem(mean_units=1100.0), 6, seed=9, simulate_fn=fake_simulate, recording=recording
    )
    assert a.run_id and b.run_id and c.run_id
    return a.run_id, b.run_id, c.run_id


def test_runs_list_and_show(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "runs.db"
    first, _, third = fill(db)
    listed = run("factory", "runs", "list", "--db", str(db), "--json")
    assert listed.code == 0, listed.err
    runs = json.loads(listed.out)["runs"]
    assert [r["id"] for r in runs] == [third, third - 1, first]
    assert all(r["status"] == "complete" and r["replications"] == 6 for r in runs)
    shown = json.loads(run("factory", "runs", "show", str(first), "--db", str(db), "--json").out)
    assert shown["summary"]["kpis"]["units"]["n"] == 6
    assert shown["settings"]["reps"] == 6
    human = run("factory", "runs", "show", str(first), "--db", str(db))
    assert human.code == 0 and "complete" in human.out and "plant sha256" in human.out
    table = run("factory", "runs", "list", "--db", str(db))
    assert table.code == 0 and "name" in table.out.splitlines()[2]  # the header row
    assert "No verdict stored with this run" in human.out  # stored by the fakes: none
    missing = run("factory", "runs", "show", "999", "--db", str(db))
    assert missing.code == 1 and "StoreError" in missing.err


def test_runs_compare_is_paired_with_common_random_numbers(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "runs.db"
    first, second, third = fill(db)
    paired = json.loads(
        run("factory", "runs", "compare", str(first), str(second), "--db", str(db), "--json").out
    )
    units = paired["differences"]["units"]
    assert units["paired"] is True
    assert abs(units["difference"] - 100.0) < 1e-6 and units["halfwidth"] < 1e-6
    assert paired["replications_in_difference"] == 6
    assert "over the 6 replications both runs share" in paired["compared"]
    welch = json.loads(
        run("factory", "runs", "compare", str(first), str(third), "--db", str(db), "--json").out
    )
    assert welch["differences"]["units"]["paired"] is False
    assert "independent replications" in welch["compared"]
    assert welch["differences"]["units"]["halfwidth"] > 10.0
    human = run("factory", "runs", "compare", str(first), str(second), "--db", str(db))
    assert human.code == 0 and "paired" in human.out and "Compared: B − A over" in human.out


def test_runs_show_leads_with_the_stored_verdict(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "runs.db"
    plant = Path(__file__).resolve().parents[3] / "examples" / "plants" / "minsk-2k.toml"
    made = run("factory", "replicate", str(plant), "--reps", "2", "--years", "0.2",
               "--workers", "1", "--db", str(db), "--json")  # fmt: skip
    assert made.code == 0, made.err
    replicated = json.loads(made.out)
    shown = json.loads(
        run("factory", "runs", "show", str(replicated["run_id"]), "--db", str(db), "--json").out
    )
    assert shown["summary"]["verdict"]["lines"] == replicated["verdict"]["lines"]
    human = run("factory", "runs", "show", str(replicated["run_id"]), "--db", str(db)).out
    first = replicated["verdict"]["lines"][0]
    assert first.split(":")[0] in human and human.index("Plan as demanded") < human.index("KPIs")
