"""New-study forms carry every option of their CLI command, and submit what was changed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
import typer
from fastapi.testclient import TestClient

from droneworks.cli.main import app as cli
from droneworks.web import Settings, create_app
from droneworks.web.jobs import JobManager
from droneworks.web.studies import MANAGED, STUDIES, Option

FIELD = Path(__file__).parents[2] / "examples" / "fields" / "convex.geojson"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(tmp_path / "web", db=f"sqlite:///{tmp_path / 'runs.db'}", poll_s=0.05)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _cli_option_names(command: tuple[str, ...]) -> set[str]:
    node = typer.main.get_command(cli)
    for name in command:
        node = node.commands[name]  # type: ignore[attr-defined]
    names = set()
    for param in node.params:
        if param.param_type_name != "option":
            continue
        name = max(param.opts, key=len).lstrip("-")
        annotation = str(param.type_descriptor.annotation)  # type: ignore[attr-defined]
        if name not in MANAGED and "Path" not in annotation:
            names.add(name)
    return names


@pytest.mark.parametrize("kind", sorted(STUDIES))
def test_every_form_has_every_option_of_its_command(client: TestClient, kind: str) -> None:
    study = STUDIES[kind]
    page = client.get(f"/new?kind={kind}").text
    names = _cli_option_names(study.command)
    assert names, kind
    for name in names:
        assert f'id="{name}"' in page, f"{kind}: --{name} missing from the form"
    assert {option.name for option in study.options} == names


def test_defaults_are_shown_and_only_changes_are_sent() -> None:
    spray = {option.name: option for option in STUDIES["mission-spray"].options}
    assert spray["rate"].default == "15 L/ha" and spray["drones"].default == "1"
    args = STUDIES["mission-spray"].arguments({"rate": "15 L/ha", "drones": "2", "wind": " "})
    assert args == ["mission", "spray", "{input}", "--drones=2", "--out", "{out}"]
    flag = Option("verify", "verify", "on", flag=True, off="--no-verify")
    assert flag.arguments("on") == [] and flag.arguments("") == ["--no-verify"]
    plain = Option("as-demanded", "x", "", flag=True)
    assert plain.arguments("on") == ["--as-demanded"] and plain.arguments("") == []
    many = Option("altitude", "x", multiple=True)
    assert many.arguments("100m 300m") == ["--altitude=100m", "--altitude=300m"]
    assert Option("rate", "x").arguments("--out=/etc") == ["--rate=--out=/etc"]  # one word


def test_a_required_option_left_empty_is_named_inline(client: TestClient) -> None:
    plant = STUDIES["factory-size"].examples()[0]
    response = client.post("/jobs", data={"kind": "factory-size", "example": plant},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 200 and "--target is required" in response.text


def test_a_changed_option_reaches_the_command_and_the_jobs_page(client: TestClient) -> None:
    form = {"kind": "mission-spray", "example": FIELD.name, "objective": "length"}
    job_id = client.post("/jobs", data=form, follow_redirects=False).headers["location"][6:]
    manager: JobManager = client.app.state.jobs  # type: ignore[attr-defined]
    assert "--objective=length" in manager.get(job_id).args
    deadline = time.monotonic() + 120
    while manager.get(job_id).status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert manager.get(job_id).status == "done", manager.get(job_id).error
    listing = client.get("/jobs").text
    assert f'href="/jobs/{job_id}"' in listing and "done" in listing
    started = time.strftime("%Y-%m-%d", time.gmtime(manager.get(job_id).created))
    assert f"{started} " in listing and " UTC" in client.get("/").text  # a date, not epoch seconds


def test_file_options_are_left_to_the_cli_and_said(client: TestClient) -> None:
    assert "ndvi" in STUDIES["mission-spray"].file_options
    page = client.get("/new?kind=mission-spray").text
    assert 'id="ndvi"' not in page and "--ndvi" in page.split('id="file-options"')[1]
