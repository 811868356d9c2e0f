"""Start-up checks and disk trouble: damage is moved aside, risky folders warned about,
and a full disk or read-only folder gives plain words while saved data stays safe."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from sqlalchemy import event, select, text

from amie_desktop.app import main
from amie_desktop.services import backups, demo, organisation
from amie_desktop.store import DamagedDatabaseError, StorageError, Store, open_store
from amie_desktop.store.database import DATABASE_FILE
from amie_desktop.store.location import cloud_service, folder_warning, network_file_system
from amie_desktop.store.models import Person
from tests.unit.services.test_backups import flip_bytes


def damaged_copy(source_dir: Path, target_dir: Path) -> Path:
    """A copy of a real database folder with the database's bytes garbled."""
    shutil.copytree(source_dir, target_dir)
    database = target_dir / DATABASE_FILE
    flip_bytes(database)
    return database


@pytest.mark.sqlite_only(reason="about the SQLite file on this computer")
def test_a_damaged_database_is_moved_aside_at_start_up_and_a_backup_offered(
    demo_store: Store, tmp_path: Path
) -> None:
    backups.make_backup(demo_store)
    demo_store.close()
    copy_dir = tmp_path / "copy"
    database = damaged_copy(demo_store.data_dir, copy_dir)
    damaged_bytes = database.read_bytes()

    with pytest.raises(DamagedDatabaseError, match="moved aside, not deleted") as caught:
        open_store(copy_dir)

    moved = caught.value.moved_to
    assert not database.exists()
    assert moved.parent == copy_dir and "damaged" in moved.name
    assert moved.read_bytes() == damaged_bytes  # renamed, never changed or deleted
    newest = backups.newest_good_backup(copy_dir)
    assert newest is not None

    backups.restore_into_folder(copy_dir, DATABASE_FILE, newest.path)
    again = open_store(copy_dir)
    try:
        backups.record_recovery(again, newest.path, moved)
        with again.read() as session:
            assert len(session.scalars(select(Person)).all()) == len(demo.PEOPLE)
    finally:
        again.close()


@pytest.mark.sqlite_only(reason="about the SQLite file on this computer")
def test_starting_again_after_damage_gives_an_empty_database(
    demo_store: Store, tmp_path: Path
) -> None:
    demo_store.close()
    copy_dir = tmp_path / "copy"
    damaged_copy(demo_store.data_dir, copy_dir)
    with pytest.raises(DamagedDatabaseError):
        open_store(copy_dir)
    fresh = open_store(copy_dir)
    try:
        assert organisation.get_settings(fresh) is None
    finally:
        fresh.close()
    assert len(list(copy_dir.glob("amie-damaged-*.sqlite3"))) == 1


@pytest.mark.sqlite_only(reason="about the SQLite file on this computer")
def test_the_command_line_says_what_happened_and_how_to_restore(
    demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups.make_backup(demo_store)
    demo_store.close()
    copy_dir = tmp_path / "copy"
    damaged_copy(demo_store.data_dir, copy_dir)
    assert main(["--data-dir", str(copy_dir), "workshops"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "damaged" in err
    # The printed command restores into this data folder, not the default one.
    assert f'amie-desktop --data-dir "{copy_dir}" restore "{copy_dir}/backups/amie-' in err


def _limit_pages(store: Store, pragma: str) -> None:
    event.listen(store.engine, "connect", lambda conn, _r: conn.execute(pragma))
    store.engine.dispose()


@pytest.mark.sqlite_only(reason="about the SQLite file on this computer")
def test_a_full_disk_gives_plain_words_and_keeps_what_was_saved(demo_store: Store) -> None:
    with demo_store.read() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
    _limit_pages(demo_store, f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError, match="disk is full") as caught, demo_store.write() as session:
        session.add(Person(name="Big", name_folded="big", organisation="x" * 200_000))
    assert "still on screen" in str(caught.value)
    with demo_store.read() as session:
        assert session.scalar(select(Person).where(Person.name == "Big")) is None
        assert len(session.scalars(select(Person)).all()) == len(demo.PEOPLE)


@pytest.mark.sqlite_only(reason="about the SQLite file on this computer")
def test_a_read_only_folder_gives_plain_words(demo_store: Store) -> None:
    _limit_pages(demo_store, "PRAGMA query_only = ON")
    with pytest.raises(StorageError, match="cannot be written to"):
        organisation.rename(demo_store, "Renamed")
    assert organisation.get_settings(demo_store).name == demo.DEMO_ORGANISATION  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (PureWindowsPath(r"C:\Users\ann\OneDrive - Northfield Hub\AMIE"), "OneDrive"),
        (PureWindowsPath(r"C:\Users\ann\OneDrive\Documents"), "OneDrive"),
        (PurePosixPath("/home/ann/Dropbox/amie"), "Dropbox"),
        (PurePosixPath("/Users/a/Library/Mobile Documents/com~apple~CloudDocs"), "iCloud Drive"),
        (PurePosixPath("/Users/a/Library/CloudStorage/GoogleDrive-a@x.org/a"), "Google Drive"),
        (PureWindowsPath(r"G:\My Drive\amie"), "Google Drive"),
        (PurePosixPath("/home/ann/.local/share/AMIE Workshop Companion"), None),
        (PurePosixPath("/home/ann/dropboxes-of-music"), None),
    ],
)  # fmt: skip
def test_cloud_sync_folders_are_recognised(path: PurePosixPath, service: str | None) -> None:
    assert cloud_service(path) == service


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/home /home/ann/shared nfs4 rw 0 0
//nas/music /mnt/nas\\040music cifs rw 0 0
"""


def test_network_drives_are_recognised_from_the_mount_table() -> None:
    assert network_file_system(Path("/home/ann/shared/amie"), MOUNTS) == "nfs4"
    assert network_file_system(Path("/mnt/nas music/amie"), MOUNTS) == "cifs"
    assert network_file_system(Path("/home/ann/local"), MOUNTS) is None
    assert network_file_system(Path("/home/ann/sharedx"), MOUNTS) is None


def test_the_folder_warning_speaks_plainly(tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox" / "amie"
    warning = folder_warning(synced, mounts="")
    assert warning is not None and "inside Dropbox" in warning and "Move the data folder" in warning
    assert folder_warning(tmp_path / "plain", mounts="") is None
    mounted = f"server:/x {tmp_path} nfs rw 0 0\n"
    assert "network drive" in (folder_warning(tmp_path / "plain", mounts=mounted) or "")


CUT_SHORT = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint=0")  # everything stays in the log
connection.execute("BEGIN IMMEDIATE")
for n in range(40):
    connection.execute(
        f"CREATE TABLE later_{n} (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT '')"
    )
    connection.executemany(
        f"INSERT INTO later_{n} (body) VALUES (?)", [("kept " * 40,)] * 60
    )
connection.execute("COMMIT")
os._exit(0)  # no clean close: the log is not folded in
"""


def fold_in_part_of_the_log(database: Path) -> None:
    """Do what a checkpoint stopped part-way does: copy the log's newest version of every page
    up to the file's present end into the file, in page order, and stop there."""
    log = Path(f"{database}-wal").read_bytes()
    page_size = int.from_bytes(log[8:12], "big")
    salt, newest, offset = log[16:24], {}, 32
    while offset + 24 + page_size <= len(log) and log[offset + 8 : offset + 16] == salt:
        page = int.from_bytes(log[offset : offset + 4], "big")
        newest[page] = log[offset + 24 : offset + 24 + page_size]
        offset += 24 + page_size
    pages_now = database.stat().st_size // page_size
    with database.open("r+b") as handle:
        for page in sorted(p for p in newest if p <= pages_now):
            handle.seek((page - 1) * page_size)
            handle.write(newest[page])


@pytest.mark.sqlite_only(reason="about the SQLite file on this computer")
def test_a_database_whose_log_was_being_folded_in_when_the_power_went_opens_with_everything(
    demo_store: Store,
) -> None:
    """The file alone is half old, half new, and points past its own end; with its log it is
    whole. Reading the file without its log called it damaged and moved a good database aside."""
    data_dir, database = demo_store.data_dir, demo_store.data_dir / DATABASE_FILE
    demo_store.close()
    subprocess.run([sys.executable, "-c", CUT_SHORT, str(database)], check=True, timeout=60)
    fold_in_part_of_the_log(database)

    store = open_store(data_dir)
    try:
        with store.read() as session:
            assert len(session.scalars(select(Person)).all()) == len(demo.PEOPLE)
            kept = session.execute(text("SELECT count(*) FROM later_39")).scalar_one()
        assert kept == 60  # the last thing written before the power went is there too
    finally:
        store.close()
    assert [p.name for p in data_dir.iterdir() if "damaged" in p.name] == []
