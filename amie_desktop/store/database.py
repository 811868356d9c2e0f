"""Opening the database: data folder, safe SQLite settings, migrations, units of work."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

from amie_desktop.store.files import private_dir, sqlite_copy
from amie_desktop.store.revisions import schema_revisions

DATABASE_FILE = "amie.sqlite3"
BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A problem with the database that the user needs to hear about, in plain words."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of the app; it is left exactly as it is."""


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
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    return engine


def head_revision() -> str:
    return schema_revisions().head


def _migrate(engine: Engine) -> None:
    """Bring the schema up to date with Alembic (imported only when there is work to do)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    location = resources.files("amie_desktop.store") / "migrations"
    config.set_main_option("script_location", str(location))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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


def _refuse_newer(revision: str | None, where: str) -> None:
    if revision is not None and revision not in schema_revisions().known:
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
        """A unit of work that takes the write lock at once and commits on success."""
        with self._write_sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _backup_before_migration(path: Path, backup_dir: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = private_dir(backup_dir) / f"before-upgrade-{revision or 'empty'}-{stamp}.sqlite3"
    sqlite_copy(path, target)
    return target


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
        current = _sqlite_revision(database_path)
        _refuse_newer(current, str(database_path))
        if current != head:
            _backup_before_migration(database_path, data_dir / BACKUP_FOLDER, current)

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = _connection_revision(connection)
        _refuse_newer(current, url if database_path is None else str(database_path))
        if current != head:
            _migrate(engine)
        if database_path is not None:
            os.chmod(database_path, 0o600)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine=engine, data_dir=data_dir, database_path=database_path)
