"""The dashboard's routes: runs (list, filter, open, compare), new studies, jobs with live
progress (server-sent events), results with the report and every exported file.

Everything the browser loads comes from this package (htmx and its SSE extension in
static/, plotly.js from the plotly package); uploads are size-limited and stored under a
name the dashboard chooses, never the uploaded file name.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from droneworks.core.errors import DroneworksError
from droneworks.web.jobs import Job, JobManager
from droneworks.web.studies import STUDIES

__all__ = ["Settings", "create_app"]

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Settings:
    data: Path  # jobs and uploads live here
    db: str | None = None  # the run store (None: the CLI's default)
    max_upload_bytes: int = 10 * 1024 * 1024
    token: str | None = None  # required on every request when set (remote binding)
    poll_s: float = 0.5


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="droneworks", docs_url=None, redoc_url=None)
    jobs = JobManager(settings.data / "jobs", settings.db)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["utc"] = _utc
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.jobs = jobs

    if settings.token:
        _require_token(app, settings.token)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/plotly.js")
    def plotly_js() -> Response:
        from plotly.offline import get_plotlyjs

        headers = {"Cache-Control": "max-age=86400"}
        return Response(get_plotlyjs(), media_type="text/javascript", headers=headers)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return page(request, "runs.html", runs=_runs(settings, "", ""), jobs=jobs.all()[:10])

    @app.get("/runs/table", response_class=HTMLResponse)
    def runs_table(request: Request, q: str = "", status: str = "") -> HTMLResponse:
        return page(request, "runs_table.html", runs=_runs(settings, q, status))

    @app.get("/runs/{run_id}", response_class=HTMLResponse)
    def run_page(request: Request, run_id: int) -> HTMLResponse:
        store = _store(settings)
        try:
            run = store.get_run(run_id)
        except DroneworksError as error:
            raise HTTPException(404, str(error)) from None
        return page(request, "run.html", run=run, kpis=run.summary.get("kpis", {}))

    @app.get("/compare", response_class=HTMLResponse)
    def compare(request: Request, a: int, b: int) -> HTMLResponse:
        from droneworks.cli.factory_plan import MAIN_KPIS
        from droneworks.factory.plan.runs import compare_runs

        store = _store(settings)
        try:
            rows = compare_runs(store, a, b)
            run_a, run_b = store.get_run(a), store.get_run(b)
        except DroneworksError as error:
            raise HTTPException(400, str(error)) from None
        shared = len({r.index for r in store.replications(a, False)}
                     & {r.index for r in store.replications(b, False)})  # fmt: skip
        by_kpi = {row.kpi: row for row in rows}
        verdict = by_kpi.get("throughput_per_year", by_kpi.get("units"))
        main = [by_kpi[kpi] for kpi in MAIN_KPIS if kpi in by_kpi]
        rest = [row for row in rows if row.kpi not in MAIN_KPIS]
        if not main:  # runs of another kind (a watch experiment point): all figures are main
            main, rest = rest, []
        return page(request, "compare.html", a=run_a, b=run_b, main=main, rest=rest,
                    verdict=verdict, shared=shared)  # fmt: skip

    @app.get("/new", response_class=HTMLResponse)
    def new(request: Request, kind: str = "factory-replicate") -> HTMLResponse:
        study = STUDIES.get(kind)
        if study is None:
            raise HTTPException(404, f"no study kind {kind!r}")
        return page(request, "new.html", studies=STUDIES, study=study, error=None, values={})

    @app.post("/jobs", response_model=None)
    async def submit(request: Request) -> Response:
        form = await request.form()
        study = STUDIES.get(str(form.get("kind", "")))
        if study is None:
            raise HTTPException(400, "unknown study kind")
        values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        try:
            upload = form.get("upload")
            if isinstance(upload, UploadFile) and upload.filename:
                path = await _save_upload(upload, study.suffixes, settings)
            else:
                path = study.example_path(values.get("example", ""))
            study.check(path)
            args = study.arguments(values)
        except (DroneworksError, ValueError) as error:
            message = str(error)
            if isinstance(upload, UploadFile) and upload.filename and "path" in locals():
                message = message.replace(str(path), f"upload {Path(upload.filename).name!r}")
            context = {"studies": STUDIES, "study": study, "error": message, "values": values}
            fragment = request.headers.get("HX-Request") == "true"
            name = "new_form.html" if fragment else "new.html"
            # htmx swaps only 2xx answers: the fragment with its message comes back as 200
            status = 200 if fragment else 422
            return templates.TemplateResponse(request, name, context, status_code=status)
        job = jobs.start(study.wing, f"{study.title}: {path.name}", args, path)
        target = f"/jobs/{job.id}"
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.get("/jobs", response_class=HTMLResponse)
    def jobs_page(request: Request) -> HTMLResponse:
        listed = [(job, jobs.progress(job.id)) for job in jobs.all()]
        return page(request, "jobs.html", jobs=listed)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str) -> HTMLResponse:
        job = _job(jobs, job_id)
        files = _files(jobs, job)
        maps = [name for name in files if name.endswith(".png")]
        return page(request, "job.html", job=job, progress=jobs.progress(job_id),
                    files=files, maps=maps, report=_report(jobs, job))  # fmt: skip

    @app.get("/jobs/{job_id}/events")
    async def job_events(request: Request, job_id: str) -> StreamingResponse:
        _job(jobs, job_id)
        stream = _events(request, jobs, job_id, templates, settings.poll_s)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream, media_type="text/event-stream", headers=headers)

    @app.post("/jobs/{job_id}/cancel", response_class=HTMLResponse)
    def cancel(request: Request, job_id: str) -> HTMLResponse:
        _job(jobs, job_id)
        job = jobs.cancel(job_id)
        return page(request, "job_status.html", job=job, progress=jobs.progress(job_id))

    @app.post("/jobs/{job_id}/resume", response_model=None)
    def resume(job_id: str) -> Response:
        job = _job(jobs, job_id)
        if not job.resumable:
            raise HTTPException(409, "this job cannot be resumed")
        args = [a for a in job.args if a not in ("--json",)]
        resumed = [*args, "--resume", str(job.run_id)]
        started = jobs.start(job.wing, f"{job.title} (resumed)", resumed)
        return RedirectResponse(f"/jobs/{started.id}", status_code=303)

    @app.get("/jobs/{job_id}/files/{name:path}")
    def job_file(job_id: str, name: str) -> FileResponse:
        job = _job(jobs, job_id)
        out = (jobs.folder(job.id) / "out").resolve()
        path = (out / name).resolve()
        if not path.is_relative_to(out) or not path.is_file():
            raise HTTPException(404, "no such file")
        return FileResponse(path)

    return app


def _utc(epoch_s: float) -> str:
    """A job's time stamp as shown: ``2026-12-04 21:18 UTC``."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch_s))


def _require_token(app: FastAPI, token: str) -> None:
    @app.middleware("http")
    async def check(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        given = (
            request.query_params.get("token")
            or request.cookies.get("droneworks_token")
            or request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        )
        if not given or not secrets.compare_digest(given, token):
            return Response("a token is required (?token=…)", status_code=401)
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie("droneworks_token", token, httponly=True, samesite="strict")
        return response


def _store(settings: Settings) -> Any:
    from droneworks.core.store import RunStore

    return RunStore(settings.db)


def _runs(settings: Settings, query: str, status: str) -> list[Any]:
    from droneworks.core.store import RunStore

    try:
        runs = RunStore(settings.db, create=False).list_runs(200)
    except DroneworksError:
        return []  # no runs database yet
    needle = query.strip().lower()
    return [
        run for run in runs
        if (not needle or needle in f"{run.id} {run.kind} {run.name}".lower())
        and (not status or run.status == status)
    ]  # fmt: skip


def _job(jobs: JobManager, job_id: str) -> Job:
    try:
        return jobs.get(job_id)
    except KeyError:
        raise HTTPException(404, "no such job") from None


def _files(jobs: JobManager, job: Job) -> list[str]:
    out = jobs.folder(job.id) / "out"
    if not out.is_dir():
        return []
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _report(jobs: JobManager, job: Job) -> str | None:
    return "report.html" if (jobs.folder(job.id) / "out" / "report.html").is_file() else None


async def _save_upload(upload: UploadFile, suffixes: tuple[str, ...], settings: Settings) -> Path:
    """Store an upload under a new name with its checked suffix (size-limited)."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in suffixes:
        raise ValueError(f"upload a {' or '.join(suffixes)} file, not {suffix or 'no suffix'!r}")
    folder = settings.data / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(8)}{suffix}"
    size = 0
    with path.open("wb") as stream:
        while chunk := await upload.read(1 << 16):
            size += len(chunk)
            if size > settings.max_upload_bytes:
                stream.close()
                path.unlink(missing_ok=True)
                limit = settings.max_upload_bytes / 1e6
                raise ValueError(f"the upload is over the {limit:g} MB limit")
            stream.write(chunk)
    return path


async def _events(
    request: Request, jobs: JobManager, job_id: str, templates: Jinja2Templates, poll_s: float
) -> AsyncIterator[str]:
    """``progress`` events with the status fragment, then ``done`` when the job ends."""
    last = ""
    while True:
        job = jobs.get(job_id)
        progress = jobs.progress(job_id)
        fragment = templates.get_template("job_status.html").render(job=job, progress=progress)
        if fragment != last:
            yield _event("progress", fragment)
            last = fragment
        if job.status not in ("queued", "running"):
            yield _event("done", f'<a href="/jobs/{job.id}" id="result-link">open the result</a>')
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(poll_s)


def _event(name: str, html: str) -> str:
    data = "\n".join(f"data: {line}" for line in html.splitlines() or [""])
    return f"event: {name}\n{data}\n\n"
