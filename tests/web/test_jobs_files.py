"""Job files: saved whole even when the job's runner and a request save at once (issue 13)."""

from __future__ import annotations

import threading
from pathlib import Path

from droneworks.web.jobs import Job, JobManager


def test_concurrent_saves_of_one_job_never_collide(tmp_path: Path) -> None:
    manager = JobManager(tmp_path / "jobs")
    job = Job("0123456789ab", "factory", "t", ["factory", "simulate"])
    manager.folder(job.id).mkdir()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def save_many(status: str) -> None:
        start.wait()
        try:
            for _ in range(100):
                manager._save(Job(job.id, job.wing, job.title, job.args, status=status))
        except BaseException as error:  # a shared temporary name: FileNotFoundError
            errors.append(error)

    threads = [threading.Thread(target=save_many, args=(s,)) for s in ("a", "b", "c", "d")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert manager.get(job.id).status in ("a", "b", "c", "d")
    assert sorted(p.name for p in manager.folder(job.id).iterdir()) == ["job.json"]
