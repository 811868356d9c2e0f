"""Opening the database: data folder, safe SQLite settings, migrations, units of work."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

from amie_desktop.store.files import fsync_dir, private_dir, sqlite_copy
from amie_desktop.store.integrity import (
    StorageError,
    checkpoint,
    looks_like_sqlite,
    move_aside,
    quick_check_ok,
    remove_empty_side_files,
    storage_message,
)
from amie_desktop.store.revisions import schema_revisions

if TYPE_CHECKING:
    from alembic.config import Config

DATABASE_FILE = "amie.sqlite3"
BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A problem with the database that the user needs to hear about, in plain words."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of the app; it is left exactly as it is."""


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


def default_data_dir() -> Path:
    override = os.environ.get("AMIE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("AMIE Workshop Companion", "AMIE", roaming=True))


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN itself (pysqlite's own handling is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA foreign_keys=ON",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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
    """The schema revision stamped in a SQLite file, read without changing a byte of it."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"The database at {path} cannot be read ({exc}). It may be damaged or not a "
            "database of this app. Nothing was changed."
        ) from exc
    finally:
        connection.close()


def read_revision(path: Path) -> str | None:
    """The schema revision stamped in a SQLite file (None if it has none); the file is untouched."""
    return _sqlite_revision(path)


def is_known_revision(revision: str) -> bool:
    """True when this version of the app knows the schema revision (it is not from a newer one)."""
    return _known_revision(revision)


def _refuse_newer(revision: str | None, where: str) -> None:
    if revision is not None and not _known_revision(revision):
        raise NewerDatabaseError(
            f"The database at {where} was saved by a newer version of AMIE Workshop Companion. "
            "Install the newer version to open it. Nothing in the database was changed."
        )


@dataclass
class Store:
    """The open database: one engine, and units of work for services."""

    engine: Engine
    data_dir: Path
    database_path: Path | None  # None when the database is not a local SQLite file

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_engine = self.engine.execution_options(sqlite_immediate=True)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._commits = 0

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
            with self._write_sessions() as session, session.begin():
                yield session
        except sa_exc.DBAPIError as exc:
            code = getattr(exc.orig, "sqlite_errorcode", None)
            message = storage_message(sqlite_code=code) if isinstance(code, int) else None
            if message is None:
                raise
            raise StorageError(message) from exc
        self._commits += 1

    def compact(self) -> None:
        """Rewrite the file so deleted rows leave no trace: VACUUM, then empty the WAL."""
        if self.database_path is None:
            return
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            driver.execute("VACUUM")
            for _attempt in range(50):  # a reader elsewhere can hold the WAL for a moment
                busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if not busy:
                    break
                time.sleep(0.1)
        finally:
            raw.close()
        self._commits += 1

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

    def close(self) -> None:
        self.engine.dispose()


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


def _upgrade(engine: Engine) -> None:
    """Bring the schema up to date with Alembic (imported only when there is work to do)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _backup_before_migration(path: Path, backup_dir: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = private_dir(backup_dir) / f"before-upgrade-{revision or 'empty'}-{stamp}.sqlite3"
    sqlite_copy(path, target)
    return target


def _checked_revision(path: Path) -> str | None:
    """The file's schema revision, after making sure it is healthy and not from a newer version.

    A file that is not SQLite at all is refused untouched (it may be something the user put
    there). A SQLite file that fails the quick check is moved aside: DamagedDatabaseError.
    """
    if not looks_like_sqlite(path):
        return _sqlite_revision(path)  # raises the plain "cannot be read" message
    try:
        current = _sqlite_revision(path)
    except DatabaseError:
        raise DamagedDatabaseError(path, move_aside(path)) from None
    _refuse_newer(current, str(path))
    if not quick_check_ok(path):
        raise DamagedDatabaseError(path, move_aside(path))
    return current


def open_store(data_dir: Path | None = None, database_url: str | None = None) -> Store:
    """Open (creating if needed) the database and bring its schema up to date.

    A local SQLite database is copied into the backups folder before any migration.
    A database from a newer version of the app raises NewerDatabaseError, untouched.
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
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            database_path = Path(parsed.database or "")

    head = head_revision()
    if database_path is not None and database_path.exists() and database_path.stat().st_size:
        current = _checked_revision(database_path)
        if current != head:
            _backup_before_migration(database_path, data_dir / BACKUP_FOLDER, current)

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = _connection_revision(connection)
        _refuse_newer(current, url if database_path is None else str(database_path))
        if current != head:
            _upgrade(engine)
        if database_path is not None:
            os.chmod(database_path, 0o600)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine=engine, data_dir=data_dir, database_path=database_path)
