"""The import preview shows names as they will be saved, and the trainer can change the encoding."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import register, register_import, workshops
from amie_desktop.store import Store
from amie_desktop.ui.workshops.import_dialog import ImportPreviewDialog
from tests.ui.conftest import unnamed_controls

REGISTER = (
    "Name,Email,Organisation\n"
    "Łukasz Wiśniewski,lw@example.org,Szkoła Muzyczna\n"
    "Zofia Ściborska,zs@example.org,Kraków\n"
    "Antonín Dvořák,ad@example.org,Praha\n"
)


def _names(dialog: ImportPreviewDialog) -> list[str]:
    model = dialog.preview.model()
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def _what_happens(dialog: ImportPreviewDialog) -> list[str]:
    model = dialog.preview.model()
    return [model.index(row, 4).data() for row in range(model.rowCount())]


def test_choosing_the_right_encoding_fixes_the_names_before_anything_is_saved(
    qtbot: QtBot, store: Store, screenshot_dir: Path
) -> None:
    workshop_id = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 12, 1), start=time(10)
    )
    # A Windows-1250 file read as Windows-1252, as a wrong guess would read it.
    source = register_import.read_csv(REGISTER.encode("cp1250"), "cp1252")
    dialog = ImportPreviewDialog(store, workshop_id, source, "rejestr.csv")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=10000)
    assert unnamed_controls(dialog) == []
    assert dialog.encoding.accessibleName() == "File's encoding"
    assert dialog.encoding.currentText().startswith("Windows-1252")
    assert _names(dialog)[:2] == ["£ukasz Wiœniewski", "Zofia Œciborska"]
    flags = _what_happens(dialog)
    assert "looks garbled" in flags[0] and "looks garbled" in flags[1]
    assert "2 names look garbled" in dialog.counts.text()
    dialog.grab().save(str(screenshot_dir / "workshops-import-garbled.png"))

    dialog.encoding.setFocus()
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("cp1250"))
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=10000)
    assert _names(dialog) == ["Łukasz Wiśniewski", "Zofia Ściborska", "Antonín Dvořák"]
    assert not [flag for flag in _what_happens(dialog) if "garbled" in flag]
    assert "garbled" not in dialog.counts.text()
    assert "Windows-1250" in dialog.intro.text()
    assert register.list_register(store, workshop_id) == []  # nothing saved yet
    dialog.grab().save(str(screenshot_dir / "workshops-import-encoding-chosen.png"))

    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    saved = sorted(r.name for r in register.list_register(store, workshop_id))
    assert saved == ["Antonín Dvořák", "Zofia Ściborska", "Łukasz Wiśniewski"]
