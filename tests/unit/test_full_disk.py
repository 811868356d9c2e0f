"""A full disk, for real (a small tmpfs): every command says so plainly, leaves no half-written
file, and loses nothing already saved."""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.store.database import DATABASE_FILE
from amie_desktop.store.files import integrity_ok

FULL = "The disk is full"


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here ({mounted.stderr.decode().strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Take every byte left on the disk holding folder."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _plain_full(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "went wrong" not in err, err
    assert FULL in err
    return err


def _people(database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute("SELECT count(*) FROM person").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    return folder


def test_exports_and_backups_onto_a_full_disk(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    with small_disk(tmp_path / "stick", "1m") as stick:
        filler = fill(stick)
        commands = [
            ["export", "csv", "1", "--out", str(stick / "register.csv")],
            ["export", "summary", "1", "--out", str(stick / "summary.pdf")],
            ["export", "programme", "--from", "2026-01-01", "--to", "2026-12-31",
             "--out", str(stick / "programme.pdf")],
            ["export", "certificates", "1", "--out", str(stick)],
            ["export", "certificates", "1", "--out", str(demo_folder),
             "--merged", str(stick / "all.pdf")],
            ["backup", "--out", str(stick / "backup.sqlite3")],
        ]  # fmt: skip
        for command in commands:
            assert main(["--data-dir", str(demo_folder), *command]) == 1, command
            _plain_full(capsys)
            assert sorted(p.name for p in stick.iterdir()) == ["filler"], command
        filler.unlink()
    assert integrity_ok(demo_folder / DATABASE_FILE)


def test_saving_to_a_full_data_disk_loses_nothing(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with small_disk(tmp_path / "small", "3m") as disk:
        folder = disk / "data"
        shutil.copytree(demo_folder, folder)
        database = folder / DATABASE_FILE
        people = _people(database)
        csv = tmp_path / "walk-ins.csv"
        csv.write_text(
            "name,email\n" + "".join(f"Walk In {n},w{n}@x.example\n" for n in range(300))
        )
        capsys.readouterr()
        filler = fill(disk)
        for command in (
            ["erase-person", "1", "--yes"],
            ["register", "import", "1", str(csv)],
            ["backup"],
        ):
            code = main(["--data-dir", str(folder), *command])
            assert code == 1, command
            _plain_full(capsys)
        # Nothing half-written beside the database or among the backups.
        leftovers = [p.name for p in folder.rglob("*") if ".part" in p.name]
        assert leftovers == []
        filler.unlink()
        assert integrity_ok(database) and _people(database) == people
        capsys.readouterr()
        assert main(["--data-dir", str(folder), "backup"]) == 0  # with space again, it works


def test_the_demo_and_a_new_database_on_a_full_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with small_disk(tmp_path / "small", "1m") as disk:
        (disk / "data" / "logs").mkdir(parents=True)
        fill(disk)
        assert main(["--data-dir", str(disk / "data"), "demo"]) == 1
        err = _plain_full(capsys)
        assert "could not be opened" in err
