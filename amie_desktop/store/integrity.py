"""Checking SQLite files, moving a damaged one aside, and plain words for disk failures."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from amie_desktop.domain.errors import UserError
from amie_desktop.store.files import check_passes

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
FULL_BELOW_BYTES = 256 * 1024
# Tables every database of this app has had since its first schema revision.
APP_TABLES = frozenset({"organisation", "workshop", "person", "attendance", "alembic_version"})


class StorageError(UserError):
    """Saving failed because of the disk or folder (full, read-only, removed); nothing was lost."""


def looks_like_sqlite(path: Path) -> bool:
    """True when the file starts with SQLite's header (it may still be damaged further in)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def quick_check_ok(path: Path) -> bool:
    """SQLite's quick check on the file (with its WAL, if any), opened read-only."""
    return check_passes(path, "quick_check")


def all_zero_or_empty(path: Path) -> bool:
    """True for a file of no bytes, or whose first page is all zeros (as a power cut can leave)."""
    with open(path, "rb") as handle:
        start = handle.read(4096)
    return not start.strip(b"\x00")


@dataclass(frozen=True)
class DatabaseFileInfo:
    """What a SQLite file holds, read without changing it."""

    revision: str | None
    tables: frozenset[str]
    workshops: int
    people: int
    organisations: int = 0

    @property
    def is_app_database(self) -> bool:
        return self.tables >= APP_TABLES and self.revision is not None

    @property
    def holds_data(self) -> bool:
        """False for a database nobody has used yet (as made after damage, before a restore)."""
        return bool(self.workshops or self.people or self.organisations)


def describe_file(path: Path) -> DatabaseFileInfo:
    """The schema revision, tables and a few counts of a SQLite file (raises sqlite3 errors)."""
    connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
    try:
        tables = frozenset(
            str(name)
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        )
        revision: str | None = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])

        def count(table: str) -> int:
            if table not in tables:
                return 0
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return DatabaseFileInfo(
            revision, tables, count("workshop"), count("person"), count("organisation")
        )
    finally:
        connection.close()


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its side files) out of the way; never delete anything."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-damaged-{stamp}{path.suffix}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.stem}-damaged-{stamp}-{number}{path.suffix}")
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    os.replace(path, target)
    return target


def remove_empty_side_files(path: Path) -> None:
    """Remove -wal/-shm files left by closed connections, refusing if a WAL still holds data."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise StorageError(
            "The database is still in use, so it could not be replaced. Close other copies of "
            "the app and try again. Nothing was changed."
        )
    for suffix in SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def checkpoint(path: Path) -> None:
    """Fold the WAL back into the database file and truncate it to nothing."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()


def nearly_full(folder: Path) -> bool:
    """True when the disk holding folder has (almost) no room left."""
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False


def storage_message(
    sqlite_code: int | None = None,
    os_errno: int | None = None,
    what: str = "this",
    folder: Path | None = None,
) -> str | None:
    """Plain words for a disk or folder failure while saving `what`, or None for other failures.

    For an ordinary save ("this") the message also says that what was typed is still there.
    SQLite reports some writes on a full disk as an I/O error; given the folder, a full disk
    is recognised then too.
    """
    primary = None if sqlite_code is None else sqlite_code & 0xFF
    io_failure = primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
    if io_failure and folder is not None and nearly_full(folder):
        primary = sqlite3.SQLITE_FULL
    kept = "Everything saved before is safe"
    if what == "this":
        kept += ", and what you typed is still on screen to save again"
    if primary == sqlite3.SQLITE_FULL or os_errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"The disk is full, so {what} was not saved. {kept}. Free some space (empty the "
            "bin, or move large files elsewhere), then try again."
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN) or (
        os_errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    ):
        return (
            f"The folder cannot be written to (it may be read-only, or on a drive that was "
            f"removed), so {what} was not saved. {kept}. Check the folder or plug the drive "
            "back in, then try again."
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return (
            f"Another program (or another copy of this app) kept the database busy for too "
            f"long, so {what} was not saved. {kept}. Close other copies of the app, then try "
            "again."
        )
    if primary == sqlite3.SQLITE_IOERR or os_errno == errno.EIO:
        return (
            f"The computer could not write to the disk, so {what} was not saved. {kept}. If "
            "this keeps happening, the disk may be failing: make a backup to another drive."
        )
    return None


def os_error_message(exc: OSError, what: str) -> str:
    """Plain words for an OSError met while writing `what` (a file or folder the user chose)."""
    known = storage_message(os_errno=exc.errno, what=what)
    if known is not None:
        return known
    reason = exc.strerror or str(exc)
    return f"{what[:1].upper()}{what[1:]} could not be written ({reason}). Nothing was changed."
