"""Tables of the runs database (SQLAlchemy 2 declarative models).

``runs``: one row per run (a set of replications of one plant scenario, or a sizing search):
the plant file's text and SHA-256, seed, settings, droneworks version, status and timings.
``replications``: one row per finished replication with its KPIs as JSON and, optionally,
compressed per-period series (a NumPy ``.npz`` blob) for reports.

Only portable column types are used (Integer, Float, String, Text, JSON, LargeBinary,
DateTime), so the same models create the tables in SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["SCHEMA_VERSION", "Base", "ReplicationRow", "RunRow"]

SCHEMA_VERSION = 1


class Base(DeclarativeBase):
    """Declarative base of the runs database."""


class RunRow(Base):
    """A run; ``status`` is ``running``, ``interrupted`` or ``complete``."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    plant_text: Mapped[str] = mapped_column(Text)
    plant_sha256: Mapped[str] = mapped_column(String(64), index=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    wall_s: Mapped[float] = mapped_column(Float, default=0.0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    replications: Mapped[list[ReplicationRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ReplicationRow.index"
    )


class ReplicationRow(Base):
    """One finished replication of a run."""

    __tablename__ = "replications"
    __table_args__ = (UniqueConstraint("run_id", "index", name="uq_replication_run_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    kpis: Mapped[dict[str, Any]] = mapped_column(JSON)
    series: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    wall_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    run: Mapped[RunRow] = relationship(back_populates="replications")
