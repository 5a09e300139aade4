"""Background jobs of the dashboard: each is the CLI command a user would type, run as its own
process, so a job behaves exactly as on the command line (same executor, same run store,
same files) and outlives the browser page that started it.

A job lives in its own folder under the dashboard's data folder::

    jobs/<id>/job.json      what was asked, status, the command, timings, the CLI's answer
    jobs/<id>/progress.jsonl progress lines written by the command (DRONEWORKS_PROGRESS)
    jobs/<id>/stdout, stderr the command's output; out/ the files it wrote

Cancel sends SIGINT, the CLI's Ctrl-C: finished replications stay in the run store and the
job can be resumed (``--resume RUN``). When the dashboard starts, jobs that were running
and whose process is gone are marked ``interrupted``, never lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from droneworks.core.executor import pid_alive

__all__ = ["Job", "JobManager"]

ACTIVE = ("queued", "running")
_KEPT = re.compile(r"kept in run (\d+)")


@dataclass
class Job:
    """One study the dashboard started (persisted as job.json)."""

    id: str
    wing: str
    title: str
    args: list[str]
    status: str = "queued"  # queued | running | done | failed | cancelled | interrupted
    created: float = field(default_factory=time.time)
    finished: float | None = None
    pid: int | None = None
    exit_code: int | None = None
    run_id: int | None = None
    error: str | None = None
    answer: dict[str, Any] | None = None

    @property
    def resumable(self) -> bool:
        return self.status in ("cancelled", "interrupted") and self.run_id is not None


class JobManager:
    """Starts, follows, cancels and lists jobs kept under ``root``."""

    def __init__(self, root: Path, db: str | None = None) -> None:
        self.root = root
        self.db = db
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._recover()

    # -- files -----------------------------------------------------------------------------

    def folder(self, job_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{12}", job_id):
            raise KeyError(job_id)
        return self.root / job_id

    def _save(self, job: Job) -> None:
        path = self.folder(job.id) / "job.json"
        # a temporary name per thread: the job's runner and a request may save at once
        temporary = path.with_name(f"job.{os.getpid()}-{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(asdict(job), indent=1), encoding="utf-8")
        os.replace(temporary, path)

    def get(self, job_id: str) -> Job:
        path = self.folder(job_id) / "job.json"
        if not path.is_file():
            raise KeyError(job_id)
        return Job(**json.loads(path.read_text(encoding="utf-8")))

    def all(self) -> list[Job]:
        jobs = []
        for path in self.root.glob("*/job.json"):
            try:
                jobs.append(Job(**json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, TypeError):
                continue
        return sorted(jobs, key=lambda job: job.created, reverse=True)

    def progress(self, job_id: str) -> dict[str, Any]:
        """The last progress line: description, done, total (empty before the first)."""
        path = self.folder(job_id) / "progress.jsonl"
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return {}
        for line in reversed(lines):
            try:
                return dict(json.loads(line))
            except ValueError:
                continue  # a line being written
        return {}

    # -- running ---------------------------------------------------------------------------

    def start(self, wing: str, title: str, args: list[str], input_file: Path | None = None) -> Job:
        """Start ``droneworks ARGS --json`` in the background (``{out}``: the job's folder)."""
        job = Job(uuid.uuid4().hex[:12], wing, title, [])
        folder = self.folder(job.id)
        folder.mkdir(parents=True)
        if input_file is not None:
            args = [str(input_file) if a == "{input}" else a for a in args]
        job.args = [a.replace("{out}", str(folder / "out")) for a in args]
        if self.db and "--db" not in job.args and job.args[:1] == ["factory"]:
            job.args += ["--db", self.db]
        self._save(job)
        threading.Thread(target=self._run, args=(job,), daemon=True).start()
        return job

    def _run(self, job: Job) -> None:
        folder = self.folder(job.id)
        env = {**os.environ, "DRONEWORKS_PROGRESS": str(folder / "progress.jsonl")}
        command = [sys.executable, "-m", "droneworks", *job.args, "--json"]
        with open(folder / "stdout", "wb") as out, open(folder / "stderr", "wb") as err:
            process = subprocess.Popen(
                command, stdout=out, stderr=err, env=env, cwd=folder, start_new_session=True
            )
            with self._lock:
                job.status, job.pid = "running", process.pid
                self._save(job)
            code = process.wait()
        self._finish(job, code)

    def _finish(self, job: Job, code: int) -> None:
        folder = self.folder(job.id)
        stderr = (folder / "stderr").read_text(encoding="utf-8", errors="replace").strip()
        kept = _KEPT.search(stderr)
        with self._lock:
            current = self.get(job.id)
            job.exit_code, job.finished, job.pid = code, time.time(), None
            if code == 0:
                job.status = "done"
                try:
                    job.answer = json.loads((folder / "stdout").read_text(encoding="utf-8"))
                except ValueError:
                    job.answer = None
                run_id = (job.answer or {}).get("run_id")
                job.run_id = int(run_id) if isinstance(run_id, int) else None
            elif current.status == "cancelled" or code == 130:
                job.status = "cancelled"
                job.run_id = int(kept.group(1)) if kept else None
                job.error = stderr.splitlines()[-1] if stderr else None
            else:
                job.status = "failed"
                job.error = stderr.splitlines()[-1] if stderr else f"exit code {code}"
            self._save(job)

    def cancel(self, job_id: str) -> Job:
        """Ctrl-C for the job's command: finished work is kept."""
        with self._lock:
            job = self.get(job_id)
            if job.status in ACTIVE and job.pid:
                job.status = "cancelled"
                self._save(job)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(job.pid, signal.SIGINT)
        return job

    def _recover(self) -> None:
        """Jobs that were running when the dashboard stopped: interrupted, never lost."""
        for job in self.all():
            if job.status in ACTIVE and not (job.pid and pid_alive(job.pid)):
                job.status = "interrupted"
                job.finished = time.time()
                job.run_id = job.run_id or self._open_run(job)
                self._save(job)

    def _open_run(self, job: Job) -> int | None:
        """The run a killed factory job left in the store (created after the job started)."""
        if job.args[:1] != ["factory"]:
            return None
        from droneworks.core.store import RunStore

        store = RunStore(self.db)
        for run in store.list_runs(20):
            if run.status != "complete" and run.created_at.timestamp() >= job.created - 1:
                if run.status == "running":
                    store.mark_interrupted(run.id)
                return run.id
        return None
