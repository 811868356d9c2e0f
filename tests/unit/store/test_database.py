"""Opening the database: migrations, safe SQLite settings, refusing newer databases."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from amie_desktop.store import NewerDatabaseError, open_store
from amie_desktop.store.database import DATABASE_FILE, head_revision
from amie_desktop.store.files import integrity_ok
from amie_desktop.store.models import Base, Person, Workshop


def test_migrating_an_empty_database_matches_the_models(data_dir: Path) -> None:
    store = open_store(data_dir)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        differences = compare_metadata(context, Base.metadata)
    store.close()
    assert differences == []


def test_sqlite_is_opened_with_wal_foreign_keys_full_sync_and_busy_timeout(data_dir: Path) -> None:
    store = open_store(data_dir)
    with store.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.execute(text(f"PRAGMA {name}")).scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 5000
    store.close()


def test_database_file_is_private_to_the_user(data_dir: Path) -> None:
    open_store(data_dir).close()
    assert (data_dir / DATABASE_FILE).stat().st_mode & 0o077 == 0
    assert data_dir.stat().st_mode & 0o077 == 0


def test_a_database_from_a_newer_version_is_refused_and_left_byte_for_byte(
    data_dir: Path,
) -> None:
    open_store(data_dir).close()
    path = data_dir / DATABASE_FILE
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    files_before = sorted(p.name for p in data_dir.iterdir())

    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_store(data_dir)

    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in data_dir.iterdir()) == files_before


def test_a_backup_copy_is_made_before_migrating_an_existing_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / DATABASE_FILE
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE keepsake (note TEXT)")
        connection.execute("INSERT INTO keepsake VALUES ('written before the upgrade')")
    connection.close()

    open_store(data_dir).close()

    backups = list((data_dir / "backups").glob("before-upgrade-*.sqlite3"))
    assert len(backups) == 1
    assert integrity_ok(backups[0])
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT note FROM keepsake").fetchall() == [
            ("written before the upgrade",)
        ]
    copy.close()


def test_an_up_to_date_database_opens_without_another_backup(data_dir: Path) -> None:
    open_store(data_dir).close()
    open_store(data_dir).close()
    assert list((data_dir / "backups").glob("*.sqlite3")) == []


def test_garbage_in_place_of_the_database_gets_a_plain_message_and_is_kept(
    data_dir: Path,
) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / DATABASE_FILE
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(Exception, match="not a database of this app"):
        open_store(data_dir)
    assert path.read_bytes() == b"this is not a database at all" * 100


def test_rows_get_uuids_and_times_come_back_in_utc(store) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        session.add(Person(name="Zoë Ó Briain", name_folded="zoe o briain"))
        session.add(Workshop(title="T", date=date(2026, 1, 2), start_time=time(9, 30)))
    with store.read() as session:
        person = session.scalars(select(Person)).one()
        workshop = session.scalars(select(Workshop)).one()
    assert len(person.uuid) == 36 and len(workshop.uuid) == 36
    assert person.uuid != workshop.uuid
    assert person.created_at.tzinfo is UTC
    assert abs((datetime.now(UTC) - person.created_at).total_seconds()) < 60


def test_foreign_keys_are_enforced(store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    from amie_desktop.store.models import Attendance

    with pytest.raises(IntegrityError), store.write() as session:
        session.add(Attendance(workshop_id=999, person_id=999))


def test_the_quick_revision_scan_agrees_with_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from amie_desktop.store.revisions import schema_revisions

    config = Config()
    config.set_main_option("script_location", "amie_desktop.store:migrations")
    script = ScriptDirectory.from_config(config)
    assert schema_revisions().head == script.get_current_head()
    assert schema_revisions().known == {r.revision for r in script.walk_revisions()}


def test_opening_an_up_to_date_database_does_not_load_alembic(data_dir: Path) -> None:
    """Start-up speed: Alembic and its dialect modules load only when a migration is due."""
    import subprocess
    import sys

    open_store(data_dir).close()
    code = (
        "import sys; from amie_desktop.store import open_store; "
        f"open_store({str(data_dir)!r}).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
