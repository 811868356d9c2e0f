"""After a CSV import: what it did fits the register tab, and the rows it left out stay at hand."""

from __future__ import annotations

import codecs
import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.services import register_import, workshops
from amie_desktop.store import Store
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.workshops import register as register_ui
from amie_desktop.ui.workshops import rejected
from amie_desktop.ui.workshops.import_dialog import ImportPreviewDialog
from amie_desktop.ui.workshops.rejected import RejectedRowsDialog
from tests.ui.conftest import make_window, unnamed_controls

CSV = (
    "Name;Email;Organisation\r\n"
    "Ana Lima;ana@example.org;Harbour Arts\r\n"
    "Bo Chen;bo at example;Beatworks\r\n"
    ";nobody@example.org;Riverside\r\n"
    "Ana Lima;ana@example.org;Harbour Arts\r\n"
    "Tomasz Nowak;tomasz@example.org;\r\n"
)


def fully_shown(button: QPushButton, window: QWidget) -> bool:
    """The whole button is on screen inside the window, not cut off or scrolled away."""
    if not button.isVisible():
        return False
    shown = button.visibleRegion().boundingRect()
    top_left = button.mapTo(window, shown.topLeft())
    inside = window.rect().contains(top_left) and window.rect().contains(
        button.mapTo(window, shown.bottomRight())
    )
    return shown == button.rect() and inside


def import_through_the_preview(
    qtbot: QtBot, window: MainWindow, csv_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_ui, "choose_csv", lambda _parent: csv_file)

    def preview(store: Store, wid: int, source: register_import.CsvFile, name: str,
                parent: QWidget | None = None) -> register_import.ImportPlan | None:  # fmt: skip
        dialog = ImportPreviewDialog(store, wid, source, name, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=10000)
        with qtbot.waitSignal(dialog.accepted, timeout=10000):
            dialog.import_button.click()
        dialog.close()
        return dialog.plan

    monkeypatch.setattr(ImportPreviewDialog, "ask", preview)
    window.workshops_page.register.import_button.click()


def test_rows_left_out_can_be_read_copied_and_saved_after_the_import(
    qtbot: QtBot,
    demo_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot_dir: Path,
) -> None:
    (screenshot_dir / "desk").mkdir(exist_ok=True)
    window = make_window(qtbot, demo_store)
    window.showNormal()
    window.resize(1366, 768)
    held = [r for r in workshops.list_workshops(demo_store) if r.date <= date(2026, 11, 25)]
    latest, other = sorted(held, key=lambda r: r.date, reverse=True)[:2]
    page = window.workshops_page
    page.open_workshop(latest.id, tab=2)
    tab = page.register
    assert not tab.import_bar.isVisible()  # nothing imported yet
    csv_file = tmp_path / "bookings.csv"
    csv_file.write_bytes(CSV.encode())
    import_through_the_preview(qtbot, window, csv_file, monkeypatch)

    # The result says what happened, in words that wrap, with the way to the rows left out.
    assert tab.import_result.text().startswith("bookings.csv: Added ")
    assert tab.import_result.text().endswith("3 rows rejected.")
    assert tab.rejected_button.text() == "Show 3 rows &not imported…"
    buttons = [
        tab.attended_button, tab.absent_button, tab.booked_button, tab.remove_button,
        tab.set_time_button, tab.import_button, tab.book_button, tab.rejected_button,
    ]  # fmt: skip
    sizes = {"normal": 0.0, "large": 6.0}  # 10 and 16 points
    for size, step in sizes.items():
        window.change_text_size(step)
        QApplication.processEvents()
        window.grab().save(str(screenshot_dir / "desk" / f"register-after-import-{size}.png"))
        off_screen = [b.text() for b in buttons if not fully_shown(b, window)]
        assert off_screen == [], f"at {size} text"
        assert tab.import_result.height() >= tab.import_result.heightForWidth(
            tab.import_result.width()
        )  # every line of the result shown
    window.change_text_size(0)
    assert unnamed_controls(tab) == []

    # Another workshop has no import to show; coming back, this one's is still there.
    page.open_workshop(other.id, tab=2)
    assert not tab.import_bar.isVisible()
    page.open_workshop(latest.id, tab=2)
    assert tab.import_bar.isVisible() and tab.rejected_button.isVisible()

    shown: list[RejectedRowsDialog] = []

    def show_rows(plan: register_import.ImportPlan, file_name: str,
                  parent: QWidget | None = None) -> None:  # fmt: skip
        dialog = RejectedRowsDialog(plan, file_name, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        shown.append(dialog)

    monkeypatch.setattr(RejectedRowsDialog, "ask", show_rows)
    tab.rejected_button.click()
    dialog = shown[0]
    model = dialog.table.model()
    rows = [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]
    assert rows == [
        ("3", "'bo at example' is not an email address", "Bo Chen;bo at example;Beatworks"),
        ("4", "There is no name", ";nobody@example.org;Riverside"),
        ("5", "Duplicate of line 2 in this file", "Ana Lima;ana@example.org;Harbour Arts"),
    ]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.table.hasFocus)  # the rows to read, not a button Space would press
    assert unnamed_controls(dialog) == []
    dialog.grab().save(str(screenshot_dir / "desk" / "rows-not-imported.png"))

    dialog.copy_button.click()
    assert QApplication.clipboard().text() == (
        "Line\tReason\tRow in the file\n"
        "3\t'bo at example' is not an email address\tBo Chen;bo at example;Beatworks\n"
        "4\tThere is no name\t;nobody@example.org;Riverside\n"
        "5\tDuplicate of line 2 in this file\tAna Lima;ana@example.org;Harbour Arts\n"
    )
    assert dialog.note.text() == "Copied 3 rows to the clipboard, separated by tabs."
    QApplication.clipboard().clear()  # people's details are not left for the next test

    out = tmp_path / "to fix.csv"
    monkeypatch.setattr(rejected, "choose_rejects_file", lambda _parent, suggested: out)
    dialog.save_button.click()
    assert dialog.note.text() == f"Saved 3 rows to {out}."
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert list(csv.reader(raw.decode("utf-8-sig").splitlines())) == [
        ["Name", "Email", "Organisation", "Why it was not imported", "Line in the first file"],
        ["Bo Chen", "bo at example", "Beatworks", "'bo at example' is not an email address", "3"],
        ["", "nobody@example.org", "Riverside", "There is no name", "4"],
        ["Ana Lima", "ana@example.org", "Harbour Arts", "Duplicate of line 2 in this file", "5"],
    ]

    # A folder that has gone: one plain sentence, nothing else changes.
    monkeypatch.setattr(
        rejected, "choose_rejects_file", lambda _parent, suggested: tmp_path / "gone" / "x.csv"
    )
    dialog.save_button.click()
    assert dialog.note.text() == f"The folder {tmp_path / 'gone'} does not exist."
