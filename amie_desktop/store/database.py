"""Opening the database: data folder, safe SQLite settings, migrations, units of work."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

from amie_desktop.store import changes
from amie_desktop.store.files import (
    DAMAGE_CODES,
    InUseLock,
    atomic_write_bytes,
    fsync_dir,
    owner_can_write,
    private_dir,
    sqlite_copy,
)
from amie_desktop.store.integrity import (
    StorageError,
    all_zero_or_empty,
    checkpoint,
    looks_like_sqlite,
    move_aside,
    os_error_message,
    quick_check_ok,
    remove_empty_side_files,
    storage_message,
)
from amie_desktop.store.location import CLEANUP_DUE
from amie_desktop.store.location import DATABASE_FILE as DATABASE_FILE
from amie_desktop.store.location import default_data_dir as default_data_dir
from amie_desktop.store.revisions import schema_revisions
from amie_desktop.store.tracking import install as install_tracking

if TYPE_CHECKING:
    from alembic.config import Config

install_tracking()  # every write stamps synced rows for services/sync.py

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_MS = 5000
CLEANUP_WAIT_MS = 1000
NOTICE_WAIT_MS = 300  # a write that waits longer than this says what it is waiting for
WAITING_NOTICE = (
    "Waiting for another copy of the app (or another program) to finish saving to the "
    f"database (up to {BUSY_TIMEOUT_MS // 1000} seconds)…"
)
# PostgreSQL: the transaction-level advisory lock every unit of work that writes takes first, so
# writers take turns exactly as they do on SQLite (BEGIN IMMEDIATE). Any fixed number will do;
# this one spells "AMIE" in ASCII. Readers never take it.
WRITER_LOCK = 0x414D4945


class DatabaseError(Exception):
    """A problem with the database that the user needs to hear about, in plain words."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of the app; it is left exactly as it is."""


class NotADatabaseError(DatabaseError):
    """Where the database should be is something else (a folder, another kind of file); it is
    left exactly as it is."""


class DamagedDatabaseError(DatabaseError):
    """The database failed its check at start-up and was moved aside (renamed, not deleted)."""

    def __init__(self, database_path: Path, moved_to: Path) -> None:
        self.database_path = database_path
        self.moved_to = moved_to
        super().__init__(
            f"The database could not be read because it is damaged (this can happen when a "
            f"laptop loses power while saving). It has been moved aside, not deleted, to "
            f"{moved_to}."
        )


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN itself (pysqlite's own handling is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA foreign_keys=ON",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        # Deleted rows are overwritten with zeros, whatever SQLite build this is.
        "PRAGMA secure_delete=ON",
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection: Any) -> None:
    options = connection.get_execution_options()
    if not options.get("sqlite_immediate", False):
        connection.exec_driver_sql("BEGIN")
        return
    # Try for the write lock briefly; if another writer has it, say what is being waited for
    # before waiting the full time (a busy database then gives StorageError's plain words).
    driver = connection.connection.driver_connection
    driver.execute(f"PRAGMA busy_timeout={NOTICE_WAIT_MS}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    except sa_exc.OperationalError as exc:
        if getattr(exc.orig, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
            raise
    finally:
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    notice = options.get("on_wait")
    if notice is not None:
        notice(WAITING_NOTICE)
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """One engine per process; SQLite gets WAL, foreign keys, synchronous=FULL, a busy timeout."""
    # Values never go into error messages: they may be reflections, names or a PIN's hash,
    # and error messages end up in the log.
    engine = create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    return engine


def head_revision() -> str:
    return schema_revisions().head


def _known_revision(revision: str) -> bool:
    return revision in schema_revisions().known


def _connection_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_revision(path: Path) -> str | None:
    """The schema revision stamped in a SQLite file, read without changing a byte of it.

    When a write-ahead log is beside it, it is read with the log, as SQLite itself would: after
    a crash part-way through folding the log in, the file alone is half old and half new, and
    only file and log together are the database. With no log, the file alone is read as it is,
    so not even a side file is left behind.
    """
    log = Path(f"{path}-wal")
    whole = "mode=ro" if log.is_file() and log.stat().st_size else "immutable=1"
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?{whole}", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(_unreadable(path)) from exc
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except (sqlite3.Error, ValueError) as exc:  # ValueError: a damaged schema that is not UTF-8
        raise DatabaseError(_unreadable(path)) from exc
    finally:
        connection.close()


def _unreadable(path: Path) -> str:
    return (
        f"The database at {path} cannot be read. It may be damaged or not a database of this "
        "app. Nothing was changed."
    )


def read_revision(path: Path) -> str | None:
    """The schema revision stamped in a SQLite file (None if it has none); the file is untouched."""
    return _sqlite_revision(path)


def is_known_revision(revision: str) -> bool:
    """True when this version of the app knows the schema revision (it is not from a newer one)."""
    return _known_revision(revision)


def _refuse_newer(revision: str | None, where: str) -> None:
    if revision is not None and not _known_revision(revision):
        raise NewerDatabaseError(
            f"The database at {redact_url(where)} was saved by a newer version of AMIE Workshop "
            "Companion. Install the newer version to open it. Nothing in the database was "
            "changed."
        )


@dataclass
class Store:
    """The open database: one engine, and units of work for services."""

    engine: Engine
    data_dir: Path
    database_path: Path | None  # None when the database is not a local SQLite file

    in_use: InUseLock | None = None
    # Told, in plain words, when a save has to wait for another writer (the command line
    # prints it); None to wait silently.
    on_wait: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_engine = self.engine.execution_options(
            sqlite_immediate=True, on_wait=self._waiting
        )
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._commits = 0
        # What each unit of work changed, told to listeners after it commits (store/changes.py).
        self.changes = changes.ChangeFeed()
        changes.listen(self._write_sessions)

    def _waiting(self, notice: str) -> None:
        if self.on_wait is not None:
            self.on_wait(notice)

    @contextmanager
    def only_user(self) -> Iterator[None]:
        """Hold the database for this process alone (to replace it); UserError if another
        copy of the app, or a command, has it open."""
        if self.in_use is not None and not self.in_use.try_exclusive():
            raise StorageError(
                "The database is open in another copy of the app (or a command is using it), "
                "so it was not replaced. Close the app, then try again. Nothing was changed."
            )
        try:
            yield
        finally:
            if self.in_use is not None:
                self.in_use.back_to_shared()

    @property
    def is_postgresql(self) -> bool:
        """True when the database is an organisation's PostgreSQL server, not a file here."""
        return self.engine.dialect.name == "postgresql"

    @property
    def where(self) -> str:
        """Where the data lives, in words: the file, or the server's database (never a password)."""
        if self.database_path is not None:
            return str(self.database_path)
        url = self.engine.url
        return f"the organisation's database {url.database or ''} on {url.host or 'this computer'}"

    @property
    def commits(self) -> int:
        """How many units of work this process has committed (for "back up if changed")."""
        return self._commits

    @property
    def backup_dir(self) -> Path:
        return private_dir(self.data_dir / BACKUP_FOLDER)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that takes the write lock at once and commits on success.

        A full disk or a read-only folder raises StorageError (a UserError) with plain words;
        the unit of work is rolled back, so what was saved before is untouched.
        """
        try:
            with self._write_sessions() as session:
                changes.start_gathering(session)
                with session.begin():
                    if self.is_postgresql:
                        take_writer_lock(session.connection())
                    yield session
        except sa_exc.DBAPIError as exc:
            code = getattr(exc.orig, "sqlite_errorcode", None)
            folder = None if self.database_path is None else self.database_path.parent
            message = (
                storage_message(sqlite_code=code, folder=folder) if isinstance(code, int) else None
            )
            if message is None:
                raise
            raise StorageError(message) from exc
        self._commits += 1
        self.changes.publish(changes.gathered(session))

    @property
    def _cleanup_marker(self) -> Path | None:
        return None if self.database_path is None else cleanup_marker(self.database_path)

    def mark_cleanup_due(self) -> None:
        """Note, before an erasure commits, that the file must be rewritten afterwards."""
        marker = self._cleanup_marker
        if marker is not None:
            atomic_write_bytes(marker, b"")

    def finish_cleanup(self) -> str:
        """Rewrite the file (VACUUM) and empty the WAL, so erased rows leave no trace.

        Returns "" when done, else the reason in a few plain words; the clean-up then stays due
        (its marker file stays) and is tried again when the database is next opened.
        """
        marker = self._cleanup_marker
        if marker is None:
            return ""
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            problem = _vacuum_and_truncate(driver)
        finally:
            raw.close()
        self._commits += 1
        if not problem:
            marker.unlink(missing_ok=True)
        return problem

    def compact(self) -> None:
        """Rewrite the file now (VACUUM, then empty the WAL); see finish_cleanup."""
        self.mark_cleanup_due()
        self.finish_cleanup()

    def swap_in(self, prepared: Path) -> None:
        """Replace the database file with `prepared` (a checked SQLite file in the same folder).

        Every connection is closed first and the WAL folded in, so no stale WAL can be replayed
        onto the new file. The store stays usable: connections reopen on the next unit of work.
        """
        if self.database_path is None:
            raise DatabaseError("Only a database on this computer can be replaced.")
        self.engine.dispose()
        if self.database_path.exists():
            checkpoint(self.database_path)
        remove_empty_side_files(self.database_path)
        install_database(prepared, self.database_path)
        self._commits += 1
        self.changes.publish(changes.Changes.all())

    def close(self) -> None:
        self.engine.dispose()
        if self.in_use is not None:
            self.in_use.release()


def cleanup_marker(database_path: Path) -> Path:
    """The file that says an erasure's clean-up (VACUUM) is still to be done."""
    return Path(f"{database_path}{CLEANUP_DUE}")


def _vacuum_and_truncate(driver: sqlite3.Connection) -> str:
    """Fold the WAL in and cut it to nothing, VACUUM, and do it again; a few plain words if
    that failed. With secure_delete the first step alone leaves no trace in the file."""
    try:
        driver.execute(f"PRAGMA busy_timeout={CLEANUP_WAIT_MS}")
        for step in ("truncate", "VACUUM", "truncate"):
            if step == "VACUUM":
                driver.execute("VACUUM")
            elif not _truncate_wal(driver):
                return "another program was still reading the database"
        return ""
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_FULL:
            return "the disk is full"
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return "another program was using the database"
        return f"SQLite said: {exc}"
    finally:
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _truncate_wal(driver: sqlite3.Connection) -> bool:
    """Checkpoint the WAL and truncate it; False when a reader elsewhere still holds it (a few
    short tries, never minutes)."""
    for _attempt in range(3):
        busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy:
            return True
        time.sleep(0.1)
    return False


def install_database(prepared: Path, database_path: Path) -> None:
    """Move a prepared SQLite file into place as the database (no connection may be open)."""
    remove_empty_side_files(database_path)
    with contextlib.suppress(OSError):
        os.chmod(prepared, 0o600)
    os.replace(prepared, database_path)
    fsync_dir(database_path.parent)


def migrate_file(path: Path) -> None:
    """Bring a SQLite file's schema up to date (used on a copy before it is restored)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        _upgrade(engine)
    finally:
        engine.dispose()


def alembic_config() -> Config:
    """Alembic's configuration for the packaged migrations (Alembic loads only when asked)."""
    from alembic.config import Config

    config = Config()
    location = resources.files("amie_desktop.store") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def take_writer_lock(connection: Connection) -> None:
    """On PostgreSQL, wait for the writer lock; it is released when the transaction ends.

    Two laptops or two imports writing at once then see each other's rows instead of both
    deciding that a person is new; on SQLite, BEGIN IMMEDIATE does the same.
    """
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


def _upgrade(engine: Engine) -> None:
    """Bring the schema up to date with Alembic (imported only when there is work to do)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Several laptops may open a new organisation database at once: one migrates, the
            # others wait and then find nothing to do (DDL is transactional on PostgreSQL).
            take_writer_lock(connection)
            if _connection_revision(connection) == head_revision():
                return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _backup_before_migration(path: Path, backup_dir: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = private_dir(backup_dir) / f"before-upgrade-{revision or 'empty'}-{stamp}.sqlite3"
    sqlite_copy(path, target)
    return target


def _checked_revision(path: Path) -> str | None:
    """The file's schema revision, after making sure it is healthy and not from a newer version.

    A folder or a file that is not SQLite at all is refused untouched (it may be something the
    user put there). An empty or zeroed file, or a SQLite file that cannot be read or fails
    the quick check, is moved aside: DamagedDatabaseError.
    """
    if path.is_dir():
        raise NotADatabaseError(
            f"There is a folder at {path} where the database file should be. Nothing was "
            "changed. Move or rename that folder, then try again."
        )
    if not path.is_file():
        raise NotADatabaseError(
            f"{path} is not an ordinary file, so it cannot be the database. Nothing was changed."
        )
    if all_zero_or_empty(path):
        raise DamagedDatabaseError(path, move_aside(path))
    if not looks_like_sqlite(path):
        raise NotADatabaseError(
            f"The file at {path} is not a database of this app, so it was left as it is. If it "
            "is the app's database, it is damaged: move it elsewhere, then restore a backup."
        )
    try:
        current = _sqlite_revision(path)
    except DatabaseError as exc:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.Error) and not _is_damage(cause):
            raise cause from None  # the disk or a lock, not the file: said as such
        raise DamagedDatabaseError(path, move_aside(path)) from None
    _refuse_newer(current, str(path))
    if not quick_check_ok(path):
        raise DamagedDatabaseError(path, move_aside(path))
    return current


def _is_damage(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", sqlite3.SQLITE_CORRUPT) & 0xFF in DAMAGE_CODES


def redact_url(text: str) -> str:
    """Text with the password of any database URL in it replaced by ***."""
    return _URL_PASSWORD.sub(r"\1***@", text)


_URL_PASSWORD = re.compile(r"(\w[\w+.-]*://[^/\s:@]*:)[^@\s]*@")


def _parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except (sa_exc.ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"{redact_url(url)!r} is not a database address this app understands. Give one "
            "like postgresql+psycopg://user@host/dbname, or leave --database-url out to use "
            "the database in the data folder."
        ) from exc


def _engine_for(url: str, parsed: URL) -> Engine:
    try:
        return make_engine(url)
    except (sa_exc.NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            f"This app cannot talk to {parsed.get_backend_name()!r} databases "
            f"({parsed.render_as_string(hide_password=True)}): the driver for it is not "
            "installed, or the address is mistyped."
        ) from exc
    except (sa_exc.ArgumentError, ValueError, TypeError) as exc:
        raise DatabaseError(
            f"{parsed.render_as_string(hide_password=True)} is not a database address this "
            "app understands."
        ) from exc


def _open_failure(exc: BaseException, where: str, folder: Path | None = None) -> Exception:
    """Plain words for a database that could not be opened: full disk, no server, refused."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    known = (
        storage_message(sqlite_code=code, what="the database", folder=folder)
        if isinstance(code, int)
        else None
    )
    if isinstance(exc, OSError):
        known = os_error_message(exc, "the database")
    if known is not None:
        return StorageError(f"The database at {redact_url(where)} could not be opened. {known}")
    return DatabaseError(
        f"The database at {redact_url(where)} could not be opened: the server may be "
        "unreachable or refused the user name or password. Check the address and that the "
        "server is running, then try again."
    )


def open_store(data_dir: Path | None = None, database_url: str | None = None) -> Store:
    """Open (creating if needed) the database and bring its schema up to date.

    A local SQLite database is copied into the backups folder before any migration.
    A database from a newer version of the app raises NewerDatabaseError, untouched; anything
    else that stops it opening raises DatabaseError with one plain sentence.
    """
    data_dir = private_dir(
        (Path(data_dir) if data_dir else default_data_dir()).expanduser().absolute()
    )
    url = database_url or os.environ.get("AMIE_DATABASE_URL")
    database_path: Path | None = None
    if not url:
        database_path = data_dir / DATABASE_FILE
        url = f"sqlite:///{database_path}"
    else:
        parsed = _parse_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            database_path = Path(parsed.database or "").absolute()
    where = url if database_path is None else str(database_path)

    in_use: InUseLock | None = None
    if database_path is not None:
        _refuse_read_only(database_path)
        head = head_revision()
        if database_path.exists() or database_path.is_symlink():
            try:
                current = _checked_revision(database_path)
                if current != head:
                    _backup_before_migration(database_path, data_dir / BACKUP_FOLDER, current)
            except (OSError, sqlite3.Error) as exc:
                raise _open_failure(exc, where, data_dir) from exc
        in_use = InUseLock(database_path.with_name(f"{database_path.name}.in-use"))
        in_use.share()

    engine = _engine_for(url, _parse_url(url))
    try:
        with engine.connect() as connection:
            current = _connection_revision(connection)
        _refuse_newer(current, where)
        if current != head_revision():
            _upgrade(engine)
        if database_path is not None:
            _owner_only(database_path)
    except BaseException as exc:
        engine.dispose()
        if in_use is not None:
            in_use.release()
        if isinstance(exc, sa_exc.DBAPIError | OSError):
            raise _open_failure(exc, where, data_dir) from exc
        raise
    store = Store(engine=engine, data_dir=data_dir, database_path=database_path, in_use=in_use)
    if database_path is not None and cleanup_marker(database_path).exists():
        problem = store.finish_cleanup()  # an erasure's clean-up was cut short: finish it now
        if problem:
            log.warning("the clean-up after an erasure is still due: %s", problem)
    return store


def _refuse_read_only(database_path: Path) -> None:
    """A read-only database file or folder is said plainly, not quietly made writable again."""
    for path, what in ((database_path.parent, "folder"), (database_path, "file")):
        if not owner_can_write(path):
            raise StorageError(
                f"The database {what} {path} is read-only, so the app cannot save to it. "
                "Nothing was changed. Make it writable again (or copy the data folder "
                "somewhere writable and use --data-dir), then try again."
            )


def _owner_only(path: Path) -> None:
    """Take away what others may do with the file; never add to what its owner may do."""
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
