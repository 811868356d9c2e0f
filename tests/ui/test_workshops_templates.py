"""The template library through the window: built-ins read-only, saving and editing your own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.services import templates, workshops
from amie_desktop.store import Store
from amie_desktop.ui.theme import LIGHT
from amie_desktop.ui.workshops.page import WorkshopsPage
from amie_desktop.ui.workshops.templates import SaveTemplateDialog, TemplateLibraryDialog
from tests.ui.conftest import make_window, unnamed_controls


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
    assert "not to change" in library.note.text()
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


def _background(field: QWidget) -> str:
    """The colour of a field's box, just inside its right-hand edge (clear of its text)."""
    image = field.grab().toImage()
    return str(image.pixelColor(image.width() - 6, image.height() // 2).name()).upper()


def test_a_built_in_template_reads_as_read_only_and_copy_to_edit_gives_an_editable_copy(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)  # the app's own look and text size
    library = TemplateLibraryDialog(demo_store, window)
    qtbot.addWidget(library)
    library.show()
    qtbot.waitExposed(library)
    library.activateWindow()
    qtbot.waitUntil(library.isActiveWindow)
    library.list.setCurrentRow(0)
    builtin = templates.list_templates(demo_store)[0]
    assert library.title.text() == builtin.title == "HEARD taster (90 minutes)"

    # Typing into a built-in changes nothing, on screen or saved.
    for field in (library.title, library.agenda.step_title):
        field.setFocus()
        qtbot.keyClicks(field, "Mine now")
    qtbot.keyClicks(library.summary, "Changed")
    assert library.title.text() == "HEARD taster (90 minutes)"
    assert library.agenda.step_title.text() == "Welcome and arrival"
    assert templates.template_content(demo_store, builtin.key).title == builtin.title
    assert templates.template_steps(demo_store, builtin.key)[0].title == "Welcome and arrival"
    # And it does not look like a place to type: flat on the window's colour, with no buttons
    # that could never act.
    shown: tuple[QWidget, ...] = (library.title, library.summary, library.agenda.step_title)
    for widget in shown:
        assert _background(widget) == LIGHT.window, widget.accessibleName()
    for button in (library.agenda.add_button, library.agenda.delete_button, library.delete_button):
        assert not button.isVisible(), button.text()
    assert library.copy_button.isVisible()
    assert library.copy_button.accessibleName() == "Copy to edit"
    assert unnamed_controls(library) == []
    library.grab().save(str(screenshot_dir / "template-library-built-in.png"))

    # Copy to edit: an editable copy of your own, open, its title ready to be typed over.
    library.copy_button.setFocus()
    qtbot.keyClick(library.copy_button, Qt.Key.Key_Space)
    assert "HEARD taster (90 minutes) (my copy)\n" in library.list.currentItem().text()
    assert library.title.hasFocus() and library.title.selectedText() == library.title.text()
    assert not library.title.isReadOnly() and _background(library.title) == LIGHT.base
    assert library.agenda.add_button.isVisible() and library.agenda.add_button.isEnabled()
    assert not library.copy_button.isVisible()
    qtbot.keyClicks(library.title, "Taster for our hub")
    library.agenda.view.selectRow(0)
    library.agenda.step_title.setFocus()
    library.agenda.step_title.selectAll()
    qtbot.keyClicks(library.agenda.step_title, "Our own welcome")
    mine = next(t for t in templates.list_templates(demo_store) if not t.builtin)
    assert mine.title == "Taster for our hub"
    assert templates.template_steps(demo_store, mine.key)[0].title == "Our own welcome"
    assert templates.template_steps(demo_store, builtin.key)[0].title == "Welcome and arrival"
    library.grab().save(str(screenshot_dir / "template-library-my-copy.png"))

    window.change_text_size(6)  # large text: still flat and read-only, and nothing cut off
    library.list.setCurrentRow(0)
    library.resize(1280, 760)
    assert _background(library.title) == LIGHT.window
    library.grab().save(str(screenshot_dir / "template-library-built-in-large-text.png"))
    window.change_text_size(0)
