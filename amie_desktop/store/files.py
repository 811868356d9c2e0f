"""Safe file writing and SQLite copies: atomic replace, fsync, and the online backup API."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

# Pages copied per step when progress is reported (4 MB at SQLite's default page size).
COPY_STEP_PAGES = 1024
# SQLite's answers that mean the file itself is damaged (others mean the check could not run).
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT})
# What a copy in progress has on disk: the file, and the journal SQLite keeps while writing it.
COPY_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def private_dir(path: Path) -> Path:
    """Create a folder readable by this user only (on Linux and macOS).

    A folder that is already there loses only what others may do with it: one its owner made
    read-only stays read-only, so the app says it cannot write there rather than undo that.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # Windows and some mounts ignore modes
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    return path


def owner_can_write(path: Path) -> bool:
    """False when the file or folder was made read-only (by its mode, so also for root)."""
    try:
        return bool(path.stat().st_mode & stat.S_IWUSR)
    except OSError:
        return True  # not there: it is made writable


class InUseLock:
    """A lock file beside the database: every process with it open holds a shared lock, and
    replacing the file (a restore) needs the only one. Advisory; on Windows it does nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def share(self) -> None:
        """Hold a shared lock (blocks only while another process restores)."""
        if fcntl is None or self._fd is not None:
            return
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only folder: the open itself will say so plainly
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def try_exclusive(self) -> bool:
        """Turn this process's shared lock into the only lock; False if others hold one."""
        if fcntl is None or self._fd is None:
            return True
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def back_to_shared(self) -> None:
        if fcntl is not None and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


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
        for suffix in COPY_SIDE_FILES:
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_write(target) as handle:
        handle.write(data)


def check_passes(path: Path, pragma: str = "integrity_check") -> bool:
    """True when SQLite's check (integrity_check, or quick_check) passes on the file at path,
    opened read-only (with its WAL). A damaged schema (text that is not UTF-8) fails too.

    A check that could not run at all (a full disk, a missing file, a lock) is not damage:
    that sqlite3.Error is raised, so nothing is moved aside for it.
    """
    try:
        connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            connection.close()
    except ValueError:
        return False
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in DAMAGE_CODES:
            return False
        raise
    return rows == [("ok",)]


def integrity_ok(path: Path) -> bool:
    """True when SQLite's full integrity check passes (every page, index and constraint)."""
    return check_passes(path, "integrity_check")


def sqlite_copy(
    source: Path,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
    checked: bool = True,
) -> None:
    """Copy a live SQLite database with the online backup API, checked, then moved into place.

    progress(done_pages, total_pages) is called as the copy goes; raising from it cancels the
    copy (no file is left). Raises sqlite3.DatabaseError if the copy fails its integrity check
    (unless checked is False: a copy of a damaged database, kept before it is replaced).
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
        if checked and not integrity_ok(temp):
            raise sqlite3.DatabaseError(f"the copy of {source} failed its integrity check")
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, 0o600)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except BaseException:
        for suffix in COPY_SIDE_FILES:
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        raise
