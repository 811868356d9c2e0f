"""Safe file writing and SQLite copies: atomic replace, fsync, and the online backup API."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

# Pages copied per step when progress is reported (4 MB at SQLite's default page size).
COPY_STEP_PAGES = 1024


def private_dir(path: Path) -> Path:
    """Create a folder readable by this user only (on Linux and macOS)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # Windows and some mounts ignore modes
        os.chmod(path, 0o700)
    return path


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[IO[bytes]]:
    """Write target through a temp file in the same folder, fsync it, then os.replace it.

    If anything fails on the way, the temp file is removed and an existing target is untouched.
    """
    target = Path(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, 0o600)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_write(target) as handle:
        handle.write(data)


def integrity_ok(path: Path) -> bool:
    """True when SQLite's integrity check passes on the file at path (opened read-only)."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def sqlite_copy(
    source: Path, target: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """Copy a live SQLite database with the online backup API, checked, then moved into place.

    progress(done_pages, total_pages) is called as the copy goes; raising from it cancels the
    copy (no file is left). Raises sqlite3.DatabaseError if the copy fails its integrity check.
    """
    target = Path(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(temp)
        try:
            if progress is None:
                src.backup(dst)
            else:
                src.backup(
                    dst,
                    pages=COPY_STEP_PAGES,
                    progress=lambda _status, left, total: progress(total - left, total),
                )
            # A copy is a plain file: no WAL side files to lose on the way to a USB stick.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()
        if not integrity_ok(temp):
            raise sqlite3.DatabaseError(f"the copy of {source} failed its integrity check")
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, 0o600)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
