"""End to end in headless Chromium (Debian's package, driven by Playwright with
``executable_path``; no browser download): start a study from an example, watch progress
reach 100 %, open the result, compare two runs, upload a broken file."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
playwright = pytest.importorskip("playwright.sync_api")
import uvicorn  # noqa: E402

from droneworks.web import Settings, create_app  # noqa: E402
from tests.web.test_app import stored_runs  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = Path(__file__).parent / "screenshots"  # not kept in git


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    settings = Settings(tmp_path / "web", db=f"sqlite:///{tmp_path / 'runs.db'}", poll_s=0.1)
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", settings
    instance.should_exit = True
    thread.join(timeout=10)


def test_dashboard_in_chromium(server: tuple[str, Settings], tmp_path: Path) -> None:
    assert CHROMIUM, "Chromium is missing: make test installs Debian's chromium package"
    base, settings = server
    a, b = stored_runs(settings)
    SHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{base}/new?kind=mission-spray")
        page.select_option("#example", "convex.geojson")
        page.click("#start")
        page.wait_for_url("**/jobs/*", timeout=30_000)
        page.wait_for_selector("#result-link", timeout=180_000)  # the SSE stream's last event
        assert page.inner_text("#percent") == "100"
        page.screenshot(path=str(SHOTS / "job.png"), full_page=True)
        page.click("#result-link")
        page.wait_for_selector("#files", timeout=30_000)
        assert ".plan" in page.inner_text("#files")
        page.screenshot(path=str(SHOTS / "result.png"), full_page=True)

        page.goto(base)
        page.fill("#q", "fake")
        page.wait_for_timeout(800)  # the filter's debounce, then the fragment swap
        assert "fake plant" in page.inner_text("#runs-table")
        page.fill("input[name=a]", str(a))
        page.fill("input[name=b]", str(b))
        page.click("#compare")
        page.wait_for_selector("#verdict")
        assert "B − A" in page.inner_text("#verdict")
        page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)

        broken = tmp_path / "broken.toml"
        broken.write_text('[plant]\nname = "x"\nhorizon = "1 parsec"\n')
        page.goto(f"{base}/new?kind=factory-replicate")
        page.set_input_files("#upload", str(broken))
        page.click("#start")
        page.wait_for_selector("#error", timeout=30_000)
        message = page.inner_text("#error")
        assert "horizon" in message and "upload 'broken.toml'" in message
        page.screenshot(path=str(SHOTS / "upload-error.png"), full_page=True)
        browser.close()
