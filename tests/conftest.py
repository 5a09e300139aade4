"""Shared fixtures: paths to the repository's examples and the shared formats folder."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def examples() -> Path:
    return REPO / "examples"


@pytest.fixture(autouse=True)
def _runs_database_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the user's runs database: the default goes to a temporary file."""
    monkeypatch.setenv("DRONEWORKS_DB", str(tmp_path / "default-runs.db"))


POSTGRES_ENV = "DRONEWORKS_TEST_POSTGRES"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty runs database on SQLite and on PostgreSQL.

    PostgreSQL: the throwaway server `make test` starts (.ci/with-postgres.sh); skipped
    when pytest runs without it. Each test gets its own database, dropped afterwards.
    """
    if request.param == "sqlite":
        yield str(tmp_path / "runs.db")
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"no PostgreSQL server ({POSTGRES_ENV} unset; `make test` starts one)")
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
