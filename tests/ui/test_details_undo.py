"""Details edits can be taken back, as the agenda's can: Ctrl+Z restores what was saved before."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import workshops
from amie_desktop.store import Store
from tests.ui.conftest import make_window, unnamed_controls

CTRL = Qt.KeyboardModifier.ControlModifier


def saved(store: Store, workshop_id: int) -> tuple[str, date, time, str]:
    row = workshops.get_workshop(store, workshop_id).row
    return row.title, row.date, row.start_time, row.venue


def type_over(qtbot: QtBot, field: QWidget, text: str) -> None:
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)  # select all, as a person would
    qtbot.keyClicks(field, text)


def test_ctrl_z_takes_back_each_change_to_the_details_and_saves_it(
    qtbot: QtBot, demo_store: Store
) -> None:
    workshop_id = workshops.create_from_template(
        demo_store, builtin_templates()[0], title="Songs at the harbour", on=date(2027, 1, 19),
        start=time(10), venue="Harbour Arts",
    )  # fmt: skip
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.refresh()
    page.open_workshop(workshop_id, tab=0)
    form = page.details
    assert not form.undo_button.isEnabled()  # nothing to undo yet

    type_over(qtbot, form.title, "Songs in the hall")
    type_over(qtbot, form.venue, "Eastgate Hall")
    type_over(qtbot, form.date, "26/1/2027")
    qtbot.keyClick(form.date, Qt.Key.Key_Tab)
    type_over(qtbot, form.start, "9.00")
    qtbot.keyClick(form.start, Qt.Key.Key_Tab)
    assert saved(demo_store, workshop_id) == (
        "Songs in the hall",
        date(2027, 1, 26),
        time(9, 0),
        "Eastgate Hall",
    )

    # Ctrl+Z from wherever the focus is in the form (a field's own undo does not take it):
    # one change at a time, newest first, each saved; a field typed in is one change.
    focus = form.venue
    focus.setFocus()
    steps = []
    for _ in range(4):
        qtbot.keyClick(focus, Qt.Key.Key_Z, CTRL)
        steps.append(saved(demo_store, workshop_id))
    assert steps == [
        ("Songs in the hall", date(2027, 1, 26), time(10, 0), "Eastgate Hall"),
        ("Songs in the hall", date(2027, 1, 19), time(10, 0), "Eastgate Hall"),
        ("Songs in the hall", date(2027, 1, 19), time(10, 0), "Harbour Arts"),
        ("Songs at the harbour", date(2027, 1, 19), time(10, 0), "Harbour Arts"),
    ]
    assert not form.undo_button.isEnabled()
    assert (form.title.text(), form.date.text(), form.start.text(), form.venue.text()) == (
        "Songs at the harbour",
        "Tue 19 Jan 2027",
        "10:00",
        "Harbour Arts",
    )
    assert page.detail_title.text() == "Songs at the harbour"  # the heading follows
    assert page.detail_when.text().startswith("Tue 19 Jan 2027 · 10:00 · Harbour Arts")

    # Redo, by button and by Ctrl+Y, brings the changes back in order.
    form.redo_button.click()
    assert saved(demo_store, workshop_id)[0] == "Songs in the hall"
    qtbot.keyClick(focus, Qt.Key.Key_Y, CTRL)
    assert saved(demo_store, workshop_id)[3] == "Eastgate Hall"
    assert form.venue.text() == "Eastgate Hall"
    assert unnamed_controls(form) == []

    # Edit > Undo does the same, and names what it will take back.
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "Edit")
    assert isinstance(edit, QMenu)
    edit.aboutToShow.emit()
    assert window.undo_menu_action.isEnabled()
    assert window.undo_menu_action.text() == "&Undo change the venue\tCtrl+Z"
    window.undo_menu_action.trigger()
    assert saved(demo_store, workshop_id)[3] == "Harbour Arts"
    page.show_list()  # the list has nothing to undo
    edit.aboutToShow.emit()
    assert not window.undo_menu_action.isEnabled()
    assert window.undo_menu_action.text() == "&Undo\tCtrl+Z"

    # Another workshop starts with nothing to undo.
    page.open_workshop(page.model.row_at(1).id, tab=0)
    assert not form.undo_button.isEnabled()
