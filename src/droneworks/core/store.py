"""The runs database: every run, its settings and the KPIs of each replication.

SQLite by default (``runs.db`` in the user data folder, see
:mod:`~droneworks.core.store_location`); any SQLAlchemy URL works by construction
(``postgresql://user@host/db`` with the ``[postgres]`` extra), since the tables use portable
types. Read-only use (``create=False``) never creates a database: a missing file is an error.

Transactions: a run row is created with status ``running``; each replication is written in
its own transaction when it finishes; a run becomes ``complete`` only in a final transaction
that checks the number of stored replications. A crash or a kill at any point leaves either
the previous state or the next one — never a run marked complete with replications missing.
Ctrl-C marks the run ``interrupted``; its finished replications stay and it can be resumed.

Ownership: the process that creates or resumes a run is its owner (``runs.owner``). A resume
claims the run with one compare-and-set UPDATE, so of two resumes of one run exactly one
proceeds and the other gets a clear :class:`StoreError`; a run left ``running`` by a killed
process (its owner no longer alive on this host) can be resumed.
Every database failure is raised as :class:`~droneworks.core.errors.StoreError`, with any
password in the URL hidden.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, create_engine, event, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from droneworks import __version__
from droneworks.core.errors import MissingExtraError, StoreError
from droneworks.core.loader import MAX_INT
from droneworks.core.store_location import database_url, redact, sqlite_file
from droneworks.core.store_owner import busy_message, owner_alive, process_token
from droneworks.core.store_schema import ReplicationRow, RunRow, upgrade

__all__ = [
    "STATUSES",
    "ReplicationRecord",
    "RunRecord",
    "RunStore",
    "database_url",
    "text_sha256",
]

STATUSES = ("running", "interrupted", "complete")


def text_sha256(text: str) -> str:
    """SHA-256 of a text (the plant file's content), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RunRecord:
    """A run as stored (without its replications)."""

    id: int
    kind: str
    name: str
    plant_sha256: str
    seed: int
    settings: dict[str, Any]
    version: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    wall_s: float
    summary: dict[str, Any]
    replications: int


@dataclass(frozen=True)
class ReplicationRecord:
    """One stored replication: its KPIs and optional per-period series."""

    index: int
    seed: int
    kpis: dict[str, float]
    series: dict[str, np.ndarray] | None
    wall_s: float


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _pack_series(series: Mapping[str, np.ndarray] | None) -> bytes | None:
    if not series:
        return None
    buffer = io.BytesIO()
    arrays = {key: np.asarray(value) for key, value in series.items()}
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def _unpack_series(blob: bytes | None) -> dict[str, np.ndarray] | None:
    if blob is None:
        return None
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


class RunStore:
    """Runs and replications in one database (created on first use)."""

    def __init__(self, db: str | Path | None = None, create: bool = True) -> None:
        url = database_url(db)
        self._password = make_url(url).password if "://" in url else None
        self.url = redact(url)  # what may be shown; the password stays in the engine
        self.owner = process_token()
        self.owned_run_id: int | None = None  # the run this store created or resumed
        self.file = sqlite_file(url)
        self.created = self.file is not None and not self.file.exists()
        if self.created and not create:
            if db is None:
                raise StoreError(f"no runs stored yet (no runs database at {self.file})")
            raise StoreError(f"no runs database at {self.file} (check --db)")
        try:
            if self.created:
                self.file.parent.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
            self._engine = self._create_engine(url)
            holds_runs = upgrade(self._engine, create)
        except (SQLAlchemyError, OSError) as error:
            message = f"cannot open the runs database {self.url}: {self._clean(error)}"
            raise StoreError(message) from None
        except ImportError as error:
            raise MissingExtraError(
                f"--db {self.url} needs the database driver {error.name}; "
                "for PostgreSQL: pip install 'droneworks[postgres]'"
            ) from None
        if not holds_runs:
            raise StoreError(f"{self.url} is not a droneworks runs database (check --db)")

    def _clean(self, error: BaseException) -> str:
        """The first line of the driver's message, any password hidden."""
        text = redact(str(getattr(error, "orig", None) or error).strip().splitlines()[0])
        return text.replace(self._password, "***") if self._password else text

    @staticmethod
    def _create_engine(url: str) -> Engine:
        if not url.startswith("sqlite"):
            return create_engine(url)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine

    @contextmanager
    def _session(self, action: str) -> Iterator[Session]:
        """One transaction: committed if the block succeeds, rolled back otherwise."""
        try:
            with Session(self._engine) as session, session.begin():
                yield session
        except IntegrityError:
            raise StoreError(
                f"cannot {action} in {self.url}: it is stored already — "
                "is another process running this run?"
            ) from None
        except SQLAlchemyError as error:
            raise StoreError(f"cannot {action} in {self.url}: {self._clean(error)}") from None

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    # -- writing -------------------------------------------------------------------------

    def create_run(
        self,
        kind: str,
        name: str,
        plant_text: str,
        seed: int,
        settings: Mapping[str, Any],
    ) -> int:
        """A new run with status ``running``; returns its id."""
        row = RunRow(
            kind=kind,
            name=name,
            plant_text=plant_text,
            plant_sha256=text_sha256(plant_text),
            seed=int(seed),
            settings=dict(settings),
            version=__version__,
            status="running",
            created_at=_now(),
            wall_s=0.0,
            summary={},
            owner=self.owner,
        )
        with self._session("create a run") as session:
            session.add(row)
            session.flush()
            run_id = int(row.id)
        self.owned_run_id = run_id
        return run_id

    def add_replication(
        self,
        run_id: int,
        index: int,
        seed: int,
        kpis: Mapping[str, float],
        series: Mapping[str, np.ndarray] | None = None,
        wall_s: float = 0.0,
    ) -> None:
        """Store one finished replication (its own transaction)."""
        with self._session(f"store replication {index} of run {run_id}") as session:
            run = self._run_row(session, run_id)
            if run.status == "complete":
                raise StoreError(f"run {run_id} is complete; it takes no more replications")
            if run.status == "interrupted":
                run.status = "running"
            session.add(
                ReplicationRow(
                    run_id=run_id,
                    index=int(index),
                    seed=int(seed),
                    kpis={key: float(value) for key, value in kpis.items()},
                    series=_pack_series(series),
                    wall_s=float(wall_s),
                    created_at=_now(),
                )
            )

    def mark_running(self, run_id: int) -> None:
        """Claim a run to resume it: refused while another live process runs it."""
        run = self.get_run(run_id)
        with self._session(f"read run {run_id}") as session:
            owner = self._run_row(session, run_id).owner
        if run.status == "complete":
            raise StoreError(f"run {run_id} is already complete")
        if run.status == "running" and owner != self.owner and owner_alive(owner):
            raise StoreError(busy_message(run_id, owner))
        with self._session(f"resume run {run_id}") as session:
            claimed = session.execute(
                update(RunRow)
                .where(RunRow.id == run_id, RunRow.status == run.status)
                .where(RunRow.owner.is_(None) if owner is None else RunRow.owner == owner)
                .values(status="running", owner=self.owner)
            )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise StoreError(busy_message(run_id, None))
        self.owned_run_id = run_id

    def mark_interrupted(self, run_id: int, wall_s: float | None = None) -> None:
        """The run stopped before it was complete; its replications stay."""
        self._set_status(run_id, "interrupted", None, wall_s)

    def complete_run(
        self,
        run_id: int,
        summary: Mapping[str, Any],
        expected_replications: int,
        wall_s: float | None = None,
    ) -> None:
        """Mark complete, in the transaction that checks every replication is stored."""
        with self._session(f"complete run {run_id}") as session:
            run = self._run_row(session, run_id)
            stored = session.scalar(
                select(func.count())
                .select_from(ReplicationRow)
                .where(ReplicationRow.run_id == run_id)
            )
            if stored != expected_replications:
                raise StoreError(
                    f"run {run_id} has {stored} replications stored, "
                    f"expected {expected_replications}; not marked complete"
                )
            run.status = "complete"
            run.owner = None
            run.summary = dict(summary)
            run.finished_at = _now()
            if wall_s is not None:
                run.wall_s = float(wall_s)

    def add_to_summary(self, run_id: int, fields: Mapping[str, Any]) -> None:
        """Merge ``fields`` into a run's summary (an answer worked out after the run, such
        as the factory verdict)."""
        with self._session(f"update run {run_id}") as session:
            run = self._run_row(session, run_id)
            run.summary = {**(run.summary or {}), **fields}

    def _set_status(
        self, run_id: int, status: str, summary: Mapping[str, Any] | None, wall_s: float | None
    ) -> None:
        with self._session(f"update run {run_id}") as session:
            run = self._run_row(session, run_id)
            if run.status == "complete":
                raise StoreError(f"run {run_id} is already complete")
            run.status = status
            if status != "running":
                run.owner = None
            if summary is not None:
                run.summary = dict(summary)
            if wall_s is not None:
                run.wall_s = float(wall_s)

    # -- reading -------------------------------------------------------------------------

    def _run_row(self, session: Session, run_id: int) -> RunRow:
        # an id past 64 bits cannot be stored, so no run has it (the driver would overflow)
        run = session.get(RunRow, run_id) if 0 < run_id <= MAX_INT else None
        if run is None:
            raise StoreError(f"no run {run_id} in the runs database {self.file or self.url}")
        return run

    def _record(self, session: Session, run: RunRow) -> RunRecord:
        count = session.scalar(
            select(func.count()).select_from(ReplicationRow).where(ReplicationRow.run_id == run.id)
        )
        return RunRecord(
            id=run.id,
            kind=run.kind,
            name=run.name,
            plant_sha256=run.plant_sha256,
            seed=run.seed,
            settings=dict(run.settings),
            version=run.version,
            status=run.status,
            created_at=run.created_at,
            finished_at=run.finished_at,
            wall_s=run.wall_s,
            summary=dict(run.summary or {}),
            replications=int(count or 0),
        )

    def get_run(self, run_id: int) -> RunRecord:
        """One run (StoreError if there is none with this id)."""
        with self._session(f"read run {run_id}") as session:
            return self._record(session, self._run_row(session, run_id))

    def plant_text(self, run_id: int) -> str:
        """The plant file content the run was made with."""
        with self._session(f"read run {run_id}") as session:
            return self._run_row(session, run_id).plant_text

    def list_runs(self, limit: int = 50) -> list[RunRecord]:
        """The most recent runs, newest first."""
        with self._session("list runs") as session:
            rows = session.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit))
            return [self._record(session, row) for row in rows]

    def runs_with_content(self, kind: str, plant_sha256: str, seed: int) -> list[RunRecord]:
        """Runs of ``kind`` made from identical content with ``seed``, newest first."""
        with self._session("find runs by content") as session:
            rows = session.scalars(
                select(RunRow)
                .where(
                    RunRow.kind == kind,
                    RunRow.plant_sha256 == plant_sha256,
                    RunRow.seed == int(seed),
                )
                .order_by(RunRow.id.desc())
            )
            return [self._record(session, row) for row in rows]

    def replications(self, run_id: int, with_series: bool = True) -> list[ReplicationRecord]:
        """The stored replications of a run, by replication index."""
        with self._session(f"read replications of run {run_id}") as session:
            self._run_row(session, run_id)
            rows = session.scalars(
                select(ReplicationRow)
                .where(ReplicationRow.run_id == run_id)
                .order_by(ReplicationRow.index)
            )
            return [
                ReplicationRecord(
                    index=row.index,
                    seed=row.seed,
                    kpis=dict(row.kpis),
                    series=_unpack_series(row.series) if with_series else None,
                    wall_s=row.wall_s,
                )
                for row in rows
            ]
