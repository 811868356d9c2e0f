"""Backups and restore: checked copies, the rotation, refusing files that would harm the data."""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text

from amie_desktop.app import main
from amie_desktop.services import audit, backups
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.files import integrity_ok
from amie_desktop.store.models import Base, Person, Workshop

# Backups here are copies of the SQLite file; a PostgreSQL server is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only(reason="backups copy the SQLite file on this computer")


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    with store.read() as session:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = session.execute(select(table).order_by(*order)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def flip_bytes(path: Path) -> None:
    """Damage a database the way a failing disk does: garble the start of its middle pages."""
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    for number in range(pages // 3, 2 * pages // 3):
        start = number * page
        data[start : start + 16] = bytes(b ^ 0xFF for b in data[start : start + 16])
    path.write_bytes(bytes(data))


def test_backup_then_restore_gives_back_every_row_exactly(demo_store: Store) -> None:
    before = snapshot(demo_store)
    made = backups.make_backup(demo_store, "manual").backup
    assert integrity_ok(made.path)

    with demo_store.write() as session:
        session.add(Person(name="Added After The Backup", name_folded="added after the backup"))
        session.execute(delete(Workshop).where(Workshop.id == 1))
    assert snapshot(demo_store) != before

    result = backups.restore(demo_store, made.path)

    after = snapshot(demo_store)
    for table, rows in before.items():
        if table == "audit_event":
            assert after[table][: len(rows)] == rows
        else:
            assert after[table] == rows, table
    assert result.check.workshops == 6
    # The database as it was just before the restore is kept, in case the restore was a mistake.
    with sqlite3.connect(result.safety_backup.path) as kept:
        names = [r[0] for r in kept.execute("SELECT name FROM person")]
    kept.close()
    assert "Added After The Backup" in names
    assert [e.action for e in audit.recent(demo_store, 1)] == ["database restored"]


def test_the_store_keeps_working_after_a_restore(demo_store: Store) -> None:
    made = backups.make_backup(demo_store).backup
    backups.restore(demo_store, made.path)
    with demo_store.write() as session:
        session.add(Person(name="After Restore", name_folded="after restore"))
    with demo_store.read() as session:
        assert session.scalar(select(Person).where(Person.name == "After Restore")) is not None
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_the_rotation_keeps_ten_latest_and_one_a_day_and_one_a_week() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    # A backup every three hours for 80 days.
    made = [now - timedelta(hours=3 * n) for n in range(80 * 8)]
    kept = sorted((made[i] for i in backups.choose_kept(made, now)), reverse=True)

    assert kept[:10] == made[:10]
    days = {m.date() for m in kept}
    for back in range(7):
        assert (now - timedelta(days=back)).date() in days
    weeks = {m.date().isocalendar()[:2] for m in kept}
    for back in range(8):
        assert (now - timedelta(weeks=back)).date().isocalendar()[:2] in weeks
    assert min(kept) > now - timedelta(weeks=8, days=1)
    assert len(kept) <= 10 + 7 + 8


def test_rotation_deletes_old_files_but_never_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    for n in range(30):
        when = now - timedelta(minutes=10 * n)  # all on one day
        (tmp_path / backups.backup_name("automatic", when)).write_bytes(b"x")
    (tmp_path / "my notes.txt").write_text("keep me")
    (tmp_path / "holiday.sqlite3").write_bytes(b"keep me too")

    removed = backups.rotate(tmp_path, now)

    left = backups.list_backups(tmp_path)
    assert len(left) == 10 and len(removed) == 20
    assert left[0].made_at == now and left[0].reason == "automatic"
    assert (tmp_path / "my notes.txt").exists() and (tmp_path / "holiday.sqlite3").exists()


def test_a_copy_cut_short_is_never_listed_and_is_tidied_later(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    part = tmp_path / f".{backups.backup_name('automatic', now)}.abc123.part"
    part.write_bytes(b"half a database")
    assert backups.list_backups(tmp_path) == []
    backups.rotate(tmp_path, now)
    assert part.exists()  # could still be being written
    backups.rotate(tmp_path, now + timedelta(hours=1))
    assert not part.exists()


def test_restore_refuses_a_damaged_file_and_changes_nothing(demo_store: Store) -> None:
    made = backups.make_backup(demo_store).backup
    flip_bytes(made.path)
    before = snapshot(demo_store)
    count = len(backups.backups(demo_store))

    with pytest.raises(UserError, match="damaged"):
        backups.restore(demo_store, made.path)

    assert snapshot(demo_store) == before
    assert len(backups.backups(demo_store)) == count  # no safety copy for a refused restore


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ("text", "not a database at all"),
        ("other app", "not one of this app"),
        ("newer", "newer version"),
    ],
)
def test_restore_refuses_foreign_and_newer_files(
    demo_store: Store, tmp_path: Path, contents: str, message: str
) -> None:
    path = tmp_path / "chosen.sqlite3"
    if contents == "text":
        path.write_text("name,email\nAda,ada@example.org\n")
    elif contents == "other app":
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE recipes (title TEXT)")
        other.close()
    else:
        path = backups.backup_to_file(demo_store, tmp_path)
        with sqlite3.connect(path) as newer:
            newer.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        newer.close()
    original = path.read_bytes()
    before = snapshot(demo_store)

    with pytest.raises(UserError, match=message):
        backups.restore(demo_store, path)

    assert snapshot(demo_store) == before
    assert path.read_bytes() == original


def test_backups_go_to_the_second_folder_too(demo_store: Store, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    backups.set_second_folder(demo_store, stick)
    result = backups.make_backup(demo_store)
    assert result.second_copy is not None and result.second_copy_problem == ""
    assert result.second_copy.parent == stick / backups.SECOND_FOLDER_NAME
    assert integrity_ok(result.second_copy)

    stick.rename(tmp_path / "unplugged")
    result = backups.make_backup(demo_store)
    assert result.second_copy is None
    assert "not there" in result.second_copy_problem
    assert integrity_ok(result.backup.path)


def test_a_second_folder_that_does_not_exist_is_refused(demo_store: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no folder"):
        backups.set_second_folder(demo_store, tmp_path / "missing")
    assert backups.second_folder(demo_store) is None


def test_the_newest_good_backup_skips_damaged_ones(demo_store: Store) -> None:
    now = datetime.now(UTC)
    good = backups.make_backup(demo_store, now=now - timedelta(hours=1)).backup
    bad = backups.make_backup(demo_store, now=now).backup
    flip_bytes(bad.path)
    newest = backups.newest_good_backup(demo_store.data_dir)
    assert newest is not None and newest.path == good.path


def test_backup_and_restore_from_the_command_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(data_dir)
    assert main(["--data-dir", folder, "demo"]) == 0
    out = tmp_path / "friday.sqlite3"
    assert main(["--data-dir", folder, "backup", "--out", str(out)]) == 0
    assert integrity_ok(out)
    assert str(out) in capsys.readouterr().out

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\0" * 5000)
    assert main(["--data-dir", folder, "restore", str(garbage)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Nothing was changed" in err

    assert main(["--data-dir", folder, "restore", str(out)]) == 0
    said = capsys.readouterr().out
    assert "6 workshops" in said and "kept as" in said

    assert main(["--data-dir", folder, "backup"]) == 0
    assert "backups" in capsys.readouterr().out


def test_a_database_chosen_by_sqlite_url_is_backed_up_too(tmp_path: Path) -> None:
    from amie_desktop.store import open_store

    other = open_store(tmp_path / "d", database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with other.write() as session:
            session.add(Workshop(title="T", date=date(2026, 1, 1), start_time=time(9)))
        assert other.database_path is not None  # a SQLite URL is still a local file
        assert backups.make_backup(other).backup.path.exists()
    finally:
        other.close()


def test_backup_file_names_sort_and_say_why(tmp_path: Path) -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    name = backups.backup_name("before-restore", when)
    (tmp_path / name).write_bytes(b"")
    (tmp_path / "before-upgrade-0001-20260101-101010.sqlite3").write_bytes(b"")
    found = backups.list_backups(tmp_path)
    assert [b.made_at for b in found] == [when, datetime(2026, 1, 1, 10, 10, 10, tzinfo=UTC)]
    assert [b.reason for b in found] == ["before-restore", "before-upgrade"]
    assert found[1].describe_reason == "before an upgrade"


def test_backups_are_readable_by_this_user_only(demo_store: Store) -> None:
    made = backups.make_backup(demo_store).backup
    assert made.path.stat().st_mode & 0o077 == 0
    assert made.path.parent.stat().st_mode & 0o077 == 0


def test_cancelling_a_backup_leaves_no_file(demo_store: Store) -> None:
    class Stop(Exception):
        pass

    def cancel(_done: int, _total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        backups.make_backup(demo_store, progress=cancel)
    assert list(demo_store.backup_dir.iterdir()) == []


def test_a_full_disk_during_a_backup_says_so_plainly(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "sqlite_copy", full)
    with pytest.raises(UserError, match="disk is full, so the backup was not saved") as caught:
        backups.make_backup(demo_store)
    assert "on screen" not in str(caught.value)


def test_a_backup_from_an_older_version_is_brought_up_to_date_as_it_is_restored(
    demo_store: Store, tmp_path: Path
) -> None:
    from alembic import command

    from amie_desktop.store.database import alembic_config, head_revision, make_engine

    old = tmp_path / "from-last-year.sqlite3"
    engine = make_engine(f"sqlite:///{old}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO person (uuid, name, name_folded, organisation, role, created_at, "
            "updated_at) VALUES ('u-1', 'Old Friend', 'old friend', '', '', "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    engine.dispose()

    check = backups.check_backup(old)
    assert check.needs_upgrade and check.people == 1
    backups.restore(demo_store, old)

    with demo_store.read() as session:
        assert session.scalars(select(Person.name)).all() == ["Old Friend"]
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == head_revision()
    assert backups.check_backup(old).needs_upgrade  # the chosen file itself is never changed


def test_the_journal_of_a_copy_cut_short_is_tidied_too(demo_store: Store) -> None:
    folder = demo_store.backup_dir
    stale = [folder / ".amie-1.sqlite3.x1.part", folder / ".amie-1.sqlite3.x1.part-journal"]
    for path in stale:
        path.write_bytes(b"left by a backup that was killed")
        old = (datetime.now(UTC) - timedelta(hours=1)).timestamp()
        os.utime(path, (old, old))
    backups.make_backup(demo_store, "manual")
    assert [p.name for p in stale if p.exists()] == []
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
