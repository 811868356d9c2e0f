"""The template library through the window: built-ins read-only, saving and editing your own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.services import templates, workshops
from amie_desktop.store import Store
from amie_desktop.ui.workshops.page import WorkshopsPage
from amie_desktop.ui.workshops.templates import SaveTemplateDialog, TemplateLibraryDialog
from tests.ui.conftest import unnamed_controls


def test_save_as_my_template_then_edit_it_in_the_library(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch, screenshot_dir: Path
) -> None:
    page = WorkshopsPage(demo_store)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    workshop_id = page.selected_workshop_id() or 0

    def save(store: Store, wid: int, parent: QWidget | None = None) -> str | None:
        dialog = SaveTemplateDialog(store, wid)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.title, "Partners session")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.saved_key

    monkeypatch.setattr(SaveTemplateDialog, "ask", save)
    page.save_template_button.click()
    assert "Saved as your own template" in page.notice.text()
    mine = next(t for t in templates.list_templates(demo_store) if not t.builtin)
    assert mine.title == "Partners session"

    library = TemplateLibraryDialog(demo_store)
    qtbot.addWidget(library)
    library.show()
    # A built-in template can be read but not changed.
    library.list.setCurrentRow(0)
    assert library.title.isReadOnly() and not library.agenda.add_button.isEnabled()
    assert "cannot be changed" in library.note.text()
    assert library.agenda.model.rowCount() > 0
    library.grab().save(str(screenshot_dir / "workshops-template-library.png"))
    # Your own one can: the title and a step are saved as typed.
    row = next(
        r for r in range(library.list.count()) if "Partners session" in library.list.item(r).text()
    )
    library.list.setCurrentRow(row)
    assert not library.title.isReadOnly() and unnamed_controls(library) == []
    qtbot.keyClicks(library.title, " (spring)")
    library.agenda.view.setFocus()
    library.agenda.view.selectRow(0)
    qtbot.keyClick(library.agenda.view, Qt.Key.Key_Delete)
    saved = templates.template_content(demo_store, mine.key)
    assert saved.title == "Partners session (spring)"
    before = workshops.workshop_steps(demo_store, workshop_id)
    assert len(saved.steps) == len(before) - 1
    # The workshop it came from keeps its own agenda.
    assert workshops.workshop_steps(demo_store, workshop_id) == before
    library.delete_button.click()
    assert all(t.builtin for t in templates.list_templates(demo_store))
