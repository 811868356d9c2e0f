"""Opening and sharing the database: bad addresses, read-only files, waiting for another
writer, and a restore while something else has the database open. One plain line each."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text

from amie_desktop.app import main
from amie_desktop.store import NewerDatabaseError, open_store
from amie_desktop.store.database import DATABASE_FILE, redact_url

SECRET = "s3cr3t-Passw0rd"


def _one_plain_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert SECRET not in err + captured.out
    return err


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url at all", "not a database address"),
        ("://", "not a database address"),
        (f"nosuchdb://ann:{SECRET}@127.0.0.1/amie", "cannot talk to 'nosuchdb'"),
        (f"postgresql+nosuchdriver://ann:{SECRET}@127.0.0.1/amie", "cannot talk to"),
        (f"postgresql://ann:{SECRET}@127.0.0.1:9/amie", "postgresql://ann:***@127.0.0.1:9/amie"),
        ("sqlite:////no/such/folder/anywhere/amie.sqlite3", "could not be opened"),
    ],
)
def test_a_bad_database_url_is_one_plain_line_without_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, said: str
) -> None:
    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "--database-url", url, "workshops"]) == 1
    assert said in _one_plain_line(capsys)


def test_passwords_are_taken_out_of_every_url_in_a_text() -> None:
    said = (
        f"postgresql+psycopg://ann:{SECRET}@db.example:5432/amie and "
        f"mysql://root:{SECRET}@host/x, but sqlite:////home/ann/amie.sqlite3 stays"
    )
    assert redact_url(said) == (
        "postgresql+psycopg://ann:***@db.example:5432/amie and mysql://root:***@host/x, "
        "but sqlite:////home/ann/amie.sqlite3 stays"
    )


def test_the_newer_version_message_never_shows_the_password() -> None:
    from amie_desktop.store.database import _refuse_newer

    with pytest.raises(NewerDatabaseError) as caught:
        _refuse_newer("9999_future", f"postgresql://ann:{SECRET}@db.example/amie")
    assert SECRET not in str(caught.value) and "ann:***@db.example" in str(caught.value)


def test_every_connection_overwrites_deleted_rows(data_dir: Path) -> None:
    """secure_delete is on even where SQLite was built without it (simulated by turning it off
    before the app's own settings run)."""
    store = open_store(data_dir)
    event.listen(
        store.engine,
        "connect",
        lambda conn, _record: conn.execute("PRAGMA secure_delete=OFF"),
        insert=True,
    )
    store.engine.dispose()
    try:
        with store.read() as session:
            assert session.execute(text("PRAGMA secure_delete")).scalar() == 1
    finally:
        store.close()


def test_a_read_only_data_folder_is_said_and_left_read_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "workshops"]) == 0
    capsys.readouterr()
    folder.chmod(0o500)
    try:
        assert main(["--data-dir", str(folder), "workshops"]) == 1
        assert "read-only" in _one_plain_line(capsys)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o500
    finally:
        folder.chmod(0o700)


def test_a_read_only_database_file_is_said_and_leaves_no_side_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    capsys.readouterr()
    database = folder / DATABASE_FILE
    database.chmod(0o400)
    before = database.read_bytes()
    assert main(["--data-dir", str(folder), "workshops"]) == 1
    assert "read-only" in _one_plain_line(capsys)
    assert stat.S_IMODE(database.stat().st_mode) == 0o400 and database.read_bytes() == before
    assert not Path(f"{database}-wal").exists() and not Path(f"{database}-shm").exists()


def test_a_log_that_cannot_be_written_is_not_blamed_on_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    (folder / "logs" / "amie-desktop.log").mkdir(parents=True)  # a folder where the log goes
    assert main(["--data-dir", str(folder), "workshops"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "No workshops yet."
    assert "the log file" in captured.err and "data folder" not in captured.err


def test_a_second_writer_says_what_it_waits_for_and_gives_up_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    capsys.readouterr()
    holder = sqlite3.connect(folder / DATABASE_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock throughout
    try:
        assert main(["--data-dir", str(folder), "erase-person", "1", "--yes"]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert "Waiting for another copy of the app (or another program)" in err
    assert "kept the database busy" in err and "Everything saved before is safe" in err
    assert "went wrong" not in err and "Traceback" not in err
    assert main(["--data-dir", str(folder), "erase-person", "1", "--yes"]) == 0


OPEN_AND_WAIT = """
import sys, time
from amie_desktop.store import open_store
store = open_store(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


def test_restore_refuses_while_another_process_has_the_database_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    backup = tmp_path / "copy.sqlite3"
    assert main(["--data-dir", str(folder), "backup", "--out", str(backup)]) == 0
    capsys.readouterr()
    database = folder / DATABASE_FILE
    window = subprocess.Popen(
        [sys.executable, "-c", OPEN_AND_WAIT, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "open"
        inode = database.stat().st_ino
        assert main(["--data-dir", str(folder), "restore", str(backup)]) == 1
        assert "open in another copy of the app" in _one_plain_line(capsys)
        assert database.stat().st_ino == inode  # not replaced under the other process
    finally:
        window.kill()
        window.wait()
        if window.stdout is not None:
            window.stdout.close()
    started = time.monotonic()
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    assert time.monotonic() - started < 30
    assert "Restored" in capsys.readouterr().out
