"""Output files: atomic writes, the overwrite policy and checks of ``--out`` / ``--report``.

Every file droneworks writes goes through :func:`write_atomic` (bytes or text) or
:func:`atomic_target` (for writers that need a path: matplotlib, a Parquet writer). Each
file is written under a temporary name in its own folder and renamed into place, so a
crash or a kill never leaves a half-written file under the real name.

Inside an :func:`output_session` (every CLI command that writes opens one) the renames
wait until the whole command has succeeded::

    with output_session(force=False) as session:
        write_atomic("out/a.csv", text)      # staged as out/.a.csv.<pid>-<random>.part
        write_atomic("out/map.png", png)     # staged
    # here: both renamed; or, had the block failed, both temporary files removed

- A failed or interrupted command removes its temporary files (and the folders it created
  for them): it writes everything or nothing.
- Existing files are not replaced unless ``force``: the session raises one
  :class:`~droneworks.core.errors.OutputError` naming them before renaming anything.
  With ``force`` the session counts them (:attr:`OutputSession.replaced`).
- Two outputs of one command mapping to one file name is an error, never a silent
  overwrite.
- Temporary files left by a killed process (``SIGKILL``) are removed the next time a
  command writes into the same folder.

Outside a session (the library used from Python) each write renames at once and replaces
an existing file, as :func:`open` would.
"""

from __future__ import annotations

import contextvars
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from droneworks.core.errors import OutputError
from droneworks.core.executor import pid_alive

__all__ = [
    "OutputSession",
    "atomic_target",
    "check_out_file",
    "check_out_folder",
    "output_session",
    "write_atomic",
]

_SUFFIX = ".part"
_SESSION: contextvars.ContextVar[OutputSession | None] = contextvars.ContextVar(
    "droneworks_output_session", default=None
)


@dataclass
class OutputSession:
    """The files one command writes: staged under temporary names, renamed at the end."""

    force: bool = False
    staged: dict[Path, Path] = field(default_factory=dict)  # target → temporary file
    created_folders: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)

    def stage(self, target: Path) -> Path:
        """A new temporary file for ``target``, renamed by :meth:`commit`."""
        target = _absolute(target)
        if target in self.staged:
            raise OutputError(
                f"two outputs of this command map to one file name: {target}; "
                "rename one of the objects"
            )
        self._make_folder(target.parent)
        temporary = _temporary_file(target)
        self.staged[target] = temporary
        return temporary

    def _make_folder(self, folder: Path) -> None:
        missing = [parent for parent in (folder, *folder.parents) if not parent.exists()]
        _make_parent(folder)
        self.created_folders.extend(missing)  # deepest first

    def existing(self) -> list[Path]:
        """Targets that exist already (they would be replaced)."""
        return [target for target in self.staged if target.exists()]

    def commit(self) -> None:
        """Rename every staged file into place (or raise, renaming none)."""
        existing = self.existing()
        if existing and not self.force:
            self.abort()
            raise OutputError(_exists_message(existing))
        for target, temporary in self.staged.items():
            os.replace(temporary, target)
            self.written.append(target)
        self.replaced = existing
        self.staged = {}

    def abort(self) -> None:
        """Remove every staged temporary file and the folders made for them."""
        for temporary in self.staged.values():
            temporary.unlink(missing_ok=True)
        self.staged = {}
        for folder in sorted(self.created_folders, key=lambda f: len(f.parts), reverse=True):
            with suppress(OSError):
                folder.rmdir()  # only if empty
        self.created_folders = []


def _exists_message(existing: list[Path]) -> str:
    shown = ", ".join(str(path) for path in existing[:3])
    more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
    count = f"{len(existing)} output file" + ("s exist" if len(existing) > 1 else " exists")
    return f"{count} already ({shown}{more}); nothing written — pass --force to replace"


@contextmanager
def output_session(force: bool = False) -> Iterator[OutputSession]:
    """Stage every write of the block; rename all at the end, or remove all on failure."""
    session = OutputSession(force=force)
    token = _SESSION.set(session)
    try:
        yield session
    except BaseException:
        session.abort()
        raise
    finally:
        _SESSION.reset(token)
    session.commit()


def write_atomic(path: str | Path, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8) to ``path`` via a temporary file and a rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_target(path) as temporary, open(temporary, "wb") as stream:
        stream.write(data)
    return Path(path)


@contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """A temporary path to write ``path`` through; renamed when the block succeeds.

    In an :func:`output_session` the rename waits for the end of the session.
    """
    target = Path(path)
    session = _SESSION.get()
    if session is not None:
        temporary = session.stage(target)
    else:
        _make_parent(target.parent)
        temporary = _temporary_file(target)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        if session is None:
            os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        if session is not None:
            session.staged.pop(_absolute(target), None)
        raise


def check_out_folder(path: Path, option: str = "--out") -> Path:
    """``path`` can be an output folder: it is one, or it can be created. Nothing is made."""
    with _path_errors(path, option):
        if path.exists() and not path.is_dir():
            raise OutputError(f"{option} {path} is an existing file; {option} names a folder")
        _check_creatable(path, option)
    return path


def check_out_file(path: Path, option: str, force: bool = False) -> Path:
    """``path`` can be an output file: not a folder, its folder writable, new or ``force``."""
    with _path_errors(path, option):
        if path.is_dir():
            raise OutputError(f"{option} {path} is a folder; {option} names a file")
        if path.exists() and not force:
            raise OutputError(f"{option} {path} exists already; pass --force to replace it")
        _check_creatable(path.parent, option, of=path)
    return path


@contextmanager
def _path_errors(path: Path, option: str) -> Iterator[None]:
    """An OSError while looking at ``path`` (a name too long, a loop of links …) is an
    OutputError naming the option and the start of the path."""
    try:
        yield
    except OSError as error:
        shown = str(path) if len(str(path)) <= 80 else f"{str(path)[:79]}…"
        raise OutputError(f"{option} {shown}: {error.strerror or error}") from None


def _check_creatable(folder: Path, option: str, of: Path | None = None) -> None:
    what = f"{option} {of if of is not None else folder}"
    folder = folder.absolute()
    existing = next(parent for parent in (folder, *folder.parents) if parent.exists())
    if not existing.is_dir():
        raise OutputError(f"{what}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{what}: the folder {existing} is not writable")


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _make_parent(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise OutputError(f"cannot create the folder {folder}: a file has that name") from error
    except OSError as error:
        raise OutputError(f"cannot create the folder {folder}: {error.strerror}") from error
    _remove_stale_temporaries(folder)


def _temporary_file(target: Path) -> Path:
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{os.getpid()}-", suffix=_SUFFIX
        )
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror}") from error
    os.close(handle)
    return Path(temporary)


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files of processes that no longer run (killed mid-write)."""
    with suppress(OSError):
        for path in folder.glob(f".*{_SUFFIX}"):
            pid = _writer_pid(path.name)
            if pid is not None and pid != os.getpid() and not pid_alive(pid):
                path.unlink(missing_ok=True)


def _writer_pid(name: str) -> int | None:
    tail = name.removesuffix(_SUFFIX).rsplit(".", 1)[-1]
    pid, _, _random = tail.partition("-")
    return int(pid) if pid.isdigit() else None
