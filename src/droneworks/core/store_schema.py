"""Tables of the runs database (SQLAlchemy 2 declarative models).

``runs``: one row per run (a set of replications of one plant scenario, or a sizing search):
the plant file's text and SHA-256, seed, settings, droneworks version, status and timings.
``replications``: one row per finished replication with its KPIs as JSON and, optionally,
compressed per-period series (a NumPy ``.npz`` blob) for reports.

Only portable column types are used (Integer, Float, String, Text, JSON, LargeBinary,
DateTime), so the same models create the tables in SQLite and PostgreSQL. JSON columns go
through :class:`PortableJSON`, which stores NaN and ±inf as ``{"$float": "nan"}`` (PostgreSQL's
JSON types reject bare NaN) and gives them back as floats.

``runs.owner`` names the process running the run (``host:pid:start``), so two resumes of
one run cannot both run it; :func:`upgrade` adds it to databases made before it existed.
"""

from __future__ import annotations

import math
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
    TypeDecorator,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["SCHEMA_VERSION", "Base", "PortableJSON", "ReplicationRow", "RunRow", "upgrade"]

SCHEMA_VERSION = 2
_FLOAT_TAG = "$float"


def _encode(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {_FLOAT_TAG: repr(value)}  # 'nan', 'inf', '-inf'
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and _FLOAT_TAG in value:
            return float(value[_FLOAT_TAG])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


class PortableJSON(TypeDecorator[Any]):
    """JSON that keeps NaN and ±inf on every database (tagged, since JSON has none)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else _encode(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else _decode(value)


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
    settings: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    wall_s: Mapped[float] = mapped_column(Float, default=0.0)
    summary: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
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
    kpis: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    series: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    wall_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    run: Mapped[RunRow] = relationship(back_populates="replications")


def upgrade(engine: Engine, create: bool = True) -> bool:
    """Create missing tables (if ``create``); add ``runs.owner`` to a database made before
    it existed. False when the database holds no runs table and ``create`` is off."""
    if create:
        Base.metadata.create_all(engine)
    elif not inspect(engine).has_table("runs"):
        return False
    columns = {column["name"] for column in inspect(engine).get_columns("runs")}
    if "owner" not in columns:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE runs ADD COLUMN owner VARCHAR(200)"))
    return True
