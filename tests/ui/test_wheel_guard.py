"""Scrolling over the Details form never edits a field: the wheel changes only a focused one."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.services import workshops
from amie_desktop.store import Store
from tests.ui.conftest import make_window


def _wheel(widget: QWidget, clicks: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
        QPoint(0, 120 * clicks), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_details_changes_and_saves_nothing(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    holder = page.details.parentWidget()
    tab = holder.parentWidget() if holder is not None else None
    assert tab is not None
    page.tabs.setCurrentIndex(page.tabs.indexOf(tab))
    form = page.details
    workshop_id = page.model.row_at(0).id
    before = workshops.get_workshop(demo_store, workshop_id)
    fields: list[QLineEdit | QAbstractSpinBox] = [form.date, form.start, form.end, form.cpd_hours]
    shown = [field.text() for field in fields]
    page.table.setFocus()
    for field in fields:
        assert field.focusPolicy() == Qt.FocusPolicy.StrongFocus
        _wheel(field, -3)
        _wheel(field, 2)
    qtbot.wait(50)
    assert [field.text() for field in fields] == shown
    after = workshops.get_workshop(demo_store, workshop_id)
    assert after.draft == before.draft
    # Once a field has focus (Tab or a click), the wheel is the user's choice again.
    form.cpd_hours.setFocus()
    qtbot.waitUntil(form.cpd_hours.hasFocus)
    _wheel(form.cpd_hours, 1)
    assert form.cpd_hours.text() != shown[3]
