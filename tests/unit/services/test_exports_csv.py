"""The register as CSV: opens in Excel with accents intact, and no cell can run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amie_desktop.app import main
from amie_desktop.services import exports
from amie_desktop.services.exports import register_csv
from amie_desktop.store import Store
from tests.reports.helpers import workshop_with


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_register_with_attendance_and_ratings(demo_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    result = exports.export_csv(demo_store, 1, out)
    rows = _read(out)
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Name", "Email", "Organisation", "Role", "Status"]
    assert len(body) == result.rows == 18  # the demo's first workshop has 18 booked
    by_status = {row[4] for row in body}
    assert by_status <= {"attended", "absent", "booked"} and "attended" in by_status
    before = header.index("Before: Holistic")
    after = header.index("After: Holistic")
    rated = [row for row in body if row[before]]
    assert rated and all(row[4] == "attended" for row in rated)
    assert all(1 <= int(row[before]) <= 5 for row in rated)
    assert any(row[after] for row in rated)
    assert all(not row[before] for row in body if row[4] == "absent")


def test_names_with_formulas_and_any_script_come_back_safe(store: Store, tmp_path: Path) -> None:
    names = ('=HYPERLINK("http://x")', "+44 7700 900123", "-Zoë", "@Łukasz", "محمد عبد الله")
    workshop = workshop_with(store, names)
    out = tmp_path / "register.csv"
    exports.export_csv(store, workshop, out)
    cells = [row[0] for row in _read(out)[1:]]
    assert sorted(cells) == sorted(
        [
            '\'=HYPERLINK("http://x")',
            "'+44 7700 900123",
            "'-Zoë",
            "'@Łukasz",
            "محمد عبد الله",
        ]
    )


def test_a_failed_export_keeps_the_previous_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    out = tmp_path / "register.csv"
    exports.export_csv(store, workshop, out)
    before = out.read_bytes()

    def broken(rows: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(register_csv, "csv_text", broken)
    with pytest.raises(OSError):
        exports.export_csv(store, workshop, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_cli_export_csv(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workshop = workshop_with(store, ("Ольга Иванова",))
    store.close()
    out = tmp_path / "register.csv"
    assert main(["export", "csv", str(workshop), "--out", str(out)]) == 0
    assert "Exported the register (1 person)" in capsys.readouterr().out
    assert _read(out)[1][0] == "Ольга Иванова"
    assert main(["export", "csv", "999", "--out", str(out)]) == 1
    assert "no workshop" in capsys.readouterr().err


# What a spreadsheet takes for the start of a formula (OWASP's list), written out here, not
# taken from the code under test.
SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_a_write_that_fails_before_it_is_on_disk_keeps_the_previous_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    out = tmp_path / "register.csv"
    exports.export_csv(store, workshop, out)
    before = out.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("amie_desktop.store.files.os.fsync", disk_full)
    with pytest.raises(OSError):
        exports.export_csv(store, workshop, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=5))
def test_no_cell_can_start_a_formula_and_nothing_else_changes(rows: list[list[str]]) -> None:
    text = exports.csv_text(rows)
    read_back = list(csv.reader(io.StringIO(text, newline="")))
    assert len(read_back) == len(rows)
    for original, cells in zip(rows, read_back, strict=True):
        for before, after in zip(original, cells, strict=True):
            assert not after.startswith(SPREADSHEET_FORMULA_STARTS)
            assert after in (before, "'" + before)
            assert (after == "'" + before) == before.startswith(SPREADSHEET_FORMULA_STARTS)
