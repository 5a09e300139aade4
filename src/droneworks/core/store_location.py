"""Where the runs database lives: ``--db`` to an SQLAlchemy URL, the default file, redaction.

- No ``--db``: ``runs.db`` in the user data folder (``platformdirs``: on Linux
  ``~/.local/share/droneworks/runs.db``), or the ``DRONEWORKS_DB`` environment variable.
  Nothing is written in the working folder.
- ``--db PATH``: an SQLite file; ``--db URL``: any SQLAlchemy URL. ``postgresql://…`` uses
  psycopg 3 (the ``[postgres]`` extra), as ``postgresql+psycopg://…`` does.
- Passwords never leave this module: :func:`redact` hides them in every URL and message
  shown to the user.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from droneworks.core.errors import StoreError

__all__ = ["DB_ENV", "database_url", "default_db_path", "redact", "sqlite_file"]

DB_ENV = "DRONEWORKS_DB"


def default_db_path() -> Path:
    """The runs database file in the user data folder."""
    from platformdirs import user_data_path

    return user_data_path("droneworks", appauthor=False) / "runs.db"


def database_url(db: str | Path | None) -> str:
    """An SQLAlchemy URL from ``--db`` (or, without it, ``$DRONEWORKS_DB`` or the default
    file): a URL as is, a bare path as an SQLite file."""
    if db is None:
        db = os.environ.get(DB_ENV, "").strip() or default_db_path()
    text = str(db)
    if "://" not in text:
        return f"sqlite:///{text}"
    scheme, _, rest = text.partition("://")
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return text


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"--db {redact(url)} is not a database URL or file: {error}") from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*):(?P<password>[^@\s]*)@", re.I)


def redact(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    return _PASSWORD.sub(lambda m: f"{m['head']}:***@", text)
