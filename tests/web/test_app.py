"""The dashboard through FastAPI's TestClient: pages, fragments, the SSE stream, jobs,
uploads (errors, limits, names never used as paths), tokens, restart recovery."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from droneworks.core.store import RunStore
from droneworks.factory.plan.replications import RunRecording, replicate
from droneworks.web import Settings, create_app
from droneworks.web.jobs import Job, JobManager
from tests.factory.plan.fakes import FakeProblem, fake_simulate

FIELD = Path(__file__).parents[2] / "examples" / "fields" / "convex.geojson"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "web", db=f"sqlite:///{tmp_path / 'runs.db'}", poll_s=0.05)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def stored_runs(settings: Settings) -> tuple[int, int]:
    store = RunStore(settings.db)
    recording = RunRecording(store, "fake plant", '[plant]\nname = "fake"\n')
    a = replicate(FakeProblem(), 4, seed=3, simulate_fn=fake_simulate, recording=recording)
    b = replicate(FakeProblem(mean_units=1100.0), 4, seed=3, simulate_fn=fake_simulate,
                  recording=recording)  # fmt: skip
    assert a.run_id and b.run_id
    return a.run_id, b.run_id


def wait(client: TestClient, job_id: str, timeout_s: float = 120) -> Job:
    manager: JobManager = client.app.state.jobs  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = manager.get(job_id)
        if job.status not in ("queued", "running"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {manager.get(job_id).status}")


def test_runs_page_filter_fragment_and_run_page(client: TestClient, settings: Settings) -> None:
    a, b = stored_runs(settings)
    page = client.get("/")
    assert page.status_code == 200
    assert "htmx.min.js" in page.text and "fake plant" in page.text
    fragment = client.get("/runs/table", params={"q": "no such plant"})
    assert "<html" not in fragment.text and "No runs yet" in fragment.text
    only_b = client.get("/runs/table", params={"q": str(b), "status": "complete"})
    assert f'href="/runs/{b}"' in only_b.text and f'href="/runs/{a}"' not in only_b.text
    run = client.get(f"/runs/{a}")
    assert "Run" in run.text and "units" in run.text
    assert client.get("/runs/999").status_code == 404


def test_compare_puts_the_verdict_first(client: TestClient, settings: Settings) -> None:
    a, b = stored_runs(settings)
    page = client.get("/compare", params={"a": a, "b": b})
    assert page.status_code == 200
    verdict = page.text.index('id="verdict"')
    assert verdict < page.text.index("<table")
    assert "paired over the 4 replications both runs share" in page.text
    main = page.text.split('id="main-kpis"')[1].split("</table>")[0]
    assert "units" in main and "constant" not in main  # main KPIs first, the rest folded


def test_assets_are_served_locally(client: TestClient) -> None:
    assert "htmx" in client.get("/static/htmx.min.js").text[:2000]
    assert client.get("/static/htmx-ext-sse.min.js").status_code == 200
    assert "plotly" in client.get("/plotly.js").text[:5000].lower()
    for name in ("/", "/new"):
        assert "http://" not in client.get(name).text.replace("http://www.w3.org", "")


def test_a_study_runs_streams_progress_and_links_its_files(client: TestClient) -> None:
    form = {"kind": "mission-spray", "example": FIELD.name, "rate": "10 L/ha"}
    started = client.post("/jobs", data=form, follow_redirects=False)
    assert started.status_code == 303
    job_id = started.headers["location"].rsplit("/", 1)[1]
    with client.stream("GET", f"/jobs/{job_id}/events") as stream:
        events = stream.read().decode()
    assert "event: progress" in events and "event: done" in events
    job = wait(client, job_id)
    assert job.status == "done", job.error
    page = client.get(f"/jobs/{job_id}")
    links = [line for line in page.text.splitlines() if f"/jobs/{job_id}/files/" in line]
    assert any(".plan" in line for line in links) and any(".kml" in line for line in links)
    plan = next(line for line in links if ".plan" in line).split('href="')[1].split('"')[0]
    assert json.loads(client.get(plan).text)["fileType"] == "Plan"


def test_htmx_submit_redirects_with_a_header(client: TestClient) -> None:
    form = {"kind": "mission-spray", "example": FIELD.name}
    response = client.post("/jobs", data=form, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/jobs/")
    wait(client, response.headers["HX-Redirect"].rsplit("/", 1)[1])


def test_a_broken_upload_shows_the_loaders_message_inline(client: TestClient) -> None:
    broken = b'[plant]\nname = "x"\nhorizon = "1 parsec"\n'
    response = client.post(
        "/jobs",
        data={"kind": "factory-replicate"},
        files={"upload": ("../../etc/passwd.toml", broken, "text/plain")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert 'class="error"' in response.text and "horizon" in response.text
    assert "<html" not in response.text  # a fragment for htmx


def test_upload_names_are_never_paths_and_sizes_are_limited(
    client: TestClient, settings: Settings
) -> None:
    client.post(
        "/jobs",
        data={"kind": "mission-spray"},
        files={"upload": ("../../evil.geojson", FIELD.read_bytes(), "application/json")},
    )
    uploads = list((settings.data / "uploads").iterdir())
    assert len(uploads) == 1 and uploads[0].suffix == ".geojson"
    assert "evil" not in uploads[0].name and not (settings.data.parent / "evil.geojson").exists()
    small = Settings(settings.data, settings.db, max_upload_bytes=100)
    with TestClient(create_app(small)) as limited:
        response = limited.post(
            "/jobs", data={"kind": "mission-spray"},
            files={"upload": ("f.geojson", FIELD.read_bytes(), "application/json")},
        )  # fmt: skip
    assert response.status_code == 422 and "over the 0.0001 MB limit" in response.text
    wrong = client.post("/jobs", data={"kind": "mission-spray"},
                        files={"upload": ("f.exe", b"MZ", "application/octet-stream")})  # fmt: skip
    assert wrong.status_code == 422 and "upload a .geojson or .kml file" in wrong.text
    outside = client.get("/jobs/0123456789ab/files/../../../runs.db")
    assert outside.status_code == 404


def test_a_token_guards_every_request(settings: Settings) -> None:
    guarded = Settings(settings.data, settings.db, token="s3cret")
    with TestClient(create_app(guarded)) as client:
        assert client.get("/").status_code == 401
        assert client.get("/?token=wrong").status_code == 401
        assert client.get("/?token=s3cret").status_code == 200
        assert client.get("/new").status_code == 200  # the cookie set by the first visit
    with TestClient(create_app(guarded)) as client:
        headers = {"Authorization": "Bearer s3cret"}
        assert client.get("/new", headers=headers).status_code == 200


def test_a_restart_marks_unfinished_jobs_interrupted(settings: Settings) -> None:
    manager = JobManager(settings.data / "jobs", settings.db)
    job = Job("abcdef012345", "factory", "killed", ["factory", "replicate", "x.toml"],
              status="running", pid=2**22 + 12345)  # fmt: skip
    manager.folder(job.id).mkdir(parents=True)
    (manager.folder(job.id) / "job.json").write_text(json.dumps(job.__dict__))
    store = RunStore(settings.db)
    run_id = store.create_run("replicate", "x", "[plant]", 1, {"reps": 3})
    store.add_replication(run_id, 0, 1, {"units": 5.0})
    restarted = JobManager(settings.data / "jobs", settings.db)
    recovered = restarted.get(job.id)
    assert recovered.status == "interrupted" and recovered.run_id == run_id
    assert recovered.resumable
    assert store.get_run(run_id).status == "interrupted" and store.get_run(run_id).replications == 1


def test_cancel_sends_ctrl_c_and_keeps_the_job(client: TestClient, tmp_path: Path) -> None:
    plant = Path(__file__).parents[2] / "examples" / "plants" / "minsk-100k.toml"
    form = {"kind": "factory-replicate", "example": plant.name, "reps": "50", "years": "1"}
    job_id = client.post("/jobs", data=form, follow_redirects=False).headers["location"][6:]
    manager: JobManager = client.app.state.jobs  # type: ignore[attr-defined]
    deadline = time.monotonic() + 120
    while manager.get(job_id).status == "queued" and time.monotonic() < deadline:
        time.sleep(0.05)
    fragment = client.post(f"/jobs/{job_id}/cancel")
    assert "cancelled" in fragment.text
    job = wait(client, job_id)
    assert job.status == "cancelled" and job.exit_code != 0


def test_serve_refuses_a_remote_address_without_the_flag() -> None:
    from droneworks.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--host", "0.0.0.0"])
    assert exit_.value.code == 1


def test_serve_prints_the_port_it_serves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--port 0 picks a free port: the printed address is the one uvicorn is given."""
    from unittest import mock

    from droneworks.cli.main import main

    with mock.patch("uvicorn.run") as run, pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "0", "--data", str(tmp_path / "web"), "--json"])
    assert exit_.value.code in (0, None)
    url = json.loads(capsys.readouterr().out)["url"]
    port = run.call_args.kwargs["port"]
    assert port > 0 and url == f"http://127.0.0.1:{port}/"


def test_serve_refuses_a_busy_port_and_a_wrong_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket
    from unittest import mock

    from droneworks.cli.main import main

    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("not a database\n" * 100)
    with socket.socket() as busy, mock.patch("uvicorn.run") as run:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cases = [
            (["--port", str(port)], f"--port {port}: cannot listen there"),
            (["--port", "0", "--db", str(not_a_db)], "notes.db"),
        ]
        for options, message in cases:
            with pytest.raises(SystemExit) as exit_:
                main(["serve", "--data", str(tmp_path / "web"), *options])
            assert exit_.value.code == 1
            err = capsys.readouterr().err
            assert message in err and "Traceback" not in err
    run.assert_not_called()  # nothing started
    assert not_a_db.read_text().startswith("not a database")  # left as it was


def test_progress_lines_for_callers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from droneworks.cli.output import progress_bar

    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv("DRONEWORKS_PROGRESS", str(path))
    with progress_bar(False) as progress:
        progress.start("replications", 4)
        progress.update(3)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[-1] == {"description": "replications", "done": 3.0, "total": 4.0}
    assert os.environ["DRONEWORKS_PROGRESS"] == str(path)
