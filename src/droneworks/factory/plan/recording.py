"""Recording a replicated run in the runs database: create or resume, store each finished
replication, mark interrupted or complete (see :mod:`droneworks.core.store`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from droneworks.core.errors import ConfigError

if TYPE_CHECKING:
    from droneworks.core.store import RunStore
    from droneworks.factory.plan.replications import ReplicationOutcome, ReplicationStudy

__all__ = ["Recorder", "RunRecording"]


@dataclass(frozen=True)
class RunRecording:
    """Where and as what to record a run; ``resume_run_id`` continues a stored run."""

    store: RunStore
    name: str
    plant_text: str
    kind: str = "replicate"
    resume_run_id: int | None = None


@dataclass
class Recorder:
    """Writes the outcomes of a run to the store, if there is one."""

    recording: RunRecording | None
    settings: Mapping[str, Any]
    seed: int
    run_id: int | None = None

    def open(self) -> dict[int, ReplicationOutcome]:
        """Create the run, or load a resumed run's finished replications."""
        from droneworks.factory.plan.replications import ReplicationOutcome

        if self.recording is None:
            return {}
        store, resume = self.recording.store, self.recording.resume_run_id
        if resume is None:
            self.run_id = store.create_run(
                self.recording.kind,
                self.recording.name,
                self.recording.plant_text,
                self.seed,
                self.settings,
            )
            return {}
        run = store.get_run(resume)
        if run.status == "complete":
            raise ConfigError(f"run {resume} is already complete; nothing to resume")
        from droneworks.core.store import text_sha256  # the store loads SQLAlchemy

        if run.plant_sha256 != text_sha256(self.recording.plant_text):
            raise ConfigError(f"the plant file differs from the one run {resume} was made with")
        self.run_id = resume
        store.mark_running(resume)
        return {
            record.index: ReplicationOutcome(
                record.index, record.seed, record.kpis, record.series or {}, record.wall_s
            )
            for record in store.replications(resume)
        }

    def add(self, outcome: ReplicationOutcome) -> None:
        if self.recording is not None and self.run_id is not None:
            self.recording.store.add_replication(
                self.run_id,
                outcome.replication,
                outcome.seed,
                outcome.kpis,
                outcome.series,
                outcome.wall_s,
            )

    def interrupted(self, wall_s: float) -> None:
        if self.recording is not None and self.run_id is not None:
            self.recording.store.mark_interrupted(self.run_id, wall_s)

    def complete(self, study: ReplicationStudy) -> None:
        if self.recording is not None and self.run_id is not None:
            self.recording.store.complete_run(
                self.run_id,
                {"stop_reason": study.stop_reason, "kpis": study.summary()},
                study.n,
                study.wall_s,
            )
