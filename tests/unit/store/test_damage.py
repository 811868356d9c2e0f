"""Damage as disks and people cause it: each kind gives one plain line, the original bytes are
kept, and the way back offered is a backup that holds data, never an empty database."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.services import backups
from amie_desktop.store import open_store
from amie_desktop.store.database import DATABASE_FILE

Damage = Callable[[Path], None]


def _edit(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA writable_schema=ON")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zeroed(path: Path) -> None:
    path.write_bytes(bytes(path.stat().st_size))


def flipped_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[16:28] = bytes(b ^ 0xFF for b in data[16:28])  # page size, versions, reserved space
    path.write_bytes(bytes(data))


def flipped_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for start in range(4096 * 20, len(data) - 4096, 4096 * 3):
        data[start : start + 16] = bytes(b ^ 0xFF for b in data[start : start + 16])
    path.write_bytes(bytes(data))


def corrupt_index(path: Path) -> None:
    """An index whose entries no longer match its table: the quick check does not see it."""
    _edit(
        path,
        "UPDATE sqlite_master SET sql='CREATE INDEX ix_person_name_folded ON person (name)' "
        "WHERE name='ix_person_name_folded'",
    )


def corrupt_schema_sql(path: Path) -> None:
    """A table's definition garbled, with bytes that are not UTF-8."""
    _edit(
        path,
        "UPDATE sqlite_master SET sql = CAST(X'435245415445205441424c452077ff6b' AS TEXT) "
        "|| substr(sql, 17) WHERE name='workshop'",
    )


def corrupt_schema_text(path: Path) -> None:
    """The schema stamp holding bytes that are not UTF-8 (Python cannot even decode it)."""
    _edit(path, "UPDATE alembic_version SET version_num = CAST(X'30ff3031' AS TEXT)")


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("someone's folder")


def text_file(path: Path) -> None:
    path.write_text("Shopping list: milk, eggs, a new laptop battery\n" * 200)


def future_revision(path: Path) -> None:
    _edit(path, "UPDATE alembic_version SET version_num = '9999_from_the_future'")


# (damage, command that meets it, what the line says, whether it is moved aside)
MATRIX: list[tuple[Damage, list[str], str, bool]] = [
    (truncated, ["workshops"], "damaged", True),
    (zeroed, ["workshops"], "damaged", True),
    (flipped_header, ["workshops"], "damaged", True),
    (flipped_pages, ["workshops"], "damaged", True),
    (corrupt_schema_sql, ["workshops"], "damaged", True),
    (corrupt_schema_text, ["workshops"], "damaged", True),
    (empty_file, ["workshops"], "damaged", True),
    (corrupt_index, ["backup"], "failed its full check", False),
    (directory, ["workshops"], "folder at", False),
    (text_file, ["workshops"], "not a database of this app", False),
    (future_revision, ["workshops"], "newer version", False),
]


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data folder with demo data and one backup; copied for each kind of damage."""
    folder = tmp_path_factory.mktemp("healthy") / "data"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    store = open_store(folder)
    try:
        backup = backups.make_backup(store, "manual").backup.path
    finally:
        store.close()
    return folder, backup


def _bytes_of(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize(
    ("damage", "command", "said", "moved"), MATRIX, ids=[m[0].__name__ for m in MATRIX]
)
def test_each_kind_of_damage_gets_one_plain_line_and_keeps_the_bytes(
    healthy: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Damage,
    command: list[str],
    said: str,
    moved: bool,
) -> None:
    source, backup = healthy
    folder = tmp_path / "data"
    shutil.copytree(source, folder)
    database = folder / DATABASE_FILE
    damage(database)
    original = _bytes_of(database)
    capsys.readouterr()

    assert main(["--data-dir", str(folder), *command]) == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert said in err
    aside = sorted(folder.glob("amie-damaged-*.sqlite3"))
    if moved:
        assert len(aside) == 1 and aside[0].read_bytes() == original
        assert str(aside[0]) in err
    else:
        assert aside == [] and _bytes_of(database) == original  # left exactly as it was
    if said != "newer version":
        copied_backup = folder / "backups" / backup.name
        assert f'restore "{copied_backup}"' in err  # the backup that holds data
        assert f'--data-dir "{folder}"' in err


def test_after_damage_nothing_runs_on_an_empty_database_until_a_restore(
    healthy: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, backup = healthy
    folder = tmp_path / "data"
    shutil.copytree(source, folder)
    flipped_pages(folder / DATABASE_FILE)
    restore_hint = f'restore "{folder / "backups" / backup.name}"'
    assert main(["--data-dir", str(folder), "workshops", "--json"]) == 1
    capsys.readouterr()

    # The next commands do not carry on as if there had never been any data.
    for command in (["workshops", "--json"], ["backup"], ["demo"]):
        assert main(["--data-dir", str(folder), *command]) == 1
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1
        assert "The data is missing" in captured.err and restore_hint in captured.err
    newest = backups.newest_good_backup(folder)
    assert newest is not None and newest.path.name == backup.name

    assert main(["--data-dir", str(folder), "restore", str(newest.path)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "workshops", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6
    # The copy of the empty database made before the restore is never the one offered.
    assert backups.newest_good_backup(folder).path.name == backup.name  # type: ignore[union-attr]


def test_start_empty_is_a_choice_said_out_loud(
    healthy: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, _backup = healthy
    folder = tmp_path / "data"
    shutil.copytree(source, folder)
    shutil.rmtree(folder / "backups")
    zeroed(folder / DATABASE_FILE)
    assert main(["--data-dir", str(folder), "workshops"]) == 1
    err = capsys.readouterr().err
    assert "No backup holding data was found" in err and "--start-empty" in err
    assert main(["--data-dir", str(folder), "workshops"]) == 1
    assert "--start-empty" in capsys.readouterr().err
    assert main(["--data-dir", str(folder), "--start-empty", "workshops"]) == 0
    assert capsys.readouterr().out.strip() == "No workshops yet."
    assert main(["--data-dir", str(folder), "workshops"]) == 0  # the choice was recorded
