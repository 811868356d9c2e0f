"""The mouse wheel scrolls forms: a date, time, number or choice changes only once it has focus."""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QAbstractSpinBox, QComboBox)


class WheelGuard(QObject):
    """One application-wide filter: scrolling over a form never edits (and saves) a field.

    Fields take focus by Tab or a click only, never by the wheel; a wheel turn over a field
    without focus goes to the scroll area around it, so the form scrolls instead.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, _GUARDED):
            return False
        if event.type() == QEvent.Type.Polish:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            area = _scroll_area_around(watched)
            if area is not None:
                QApplication.sendEvent(area.viewport(), event)
            return True
        return False


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, _GUARDED):
            return parent
        parent = parent.parentWidget()
    return None


def install_wheel_guard(app: QApplication) -> None:
    """Install the guard once for the whole app (safe to call again); fields made before it
    are given the same focus rule at once."""
    if app.findChild(WheelGuard) is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
        # No garbage collection while every widget is wrapped for Python: a dialog left in a
        # reference cycle (the first-run set-up, say) could be collected half-way through,
        # deleting widgets still to be wrapped, and the app crashed on first launch.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for widget in app.allWidgets():
                if isinstance(widget, _GUARDED):
                    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        finally:
            if collecting:
                gc.enable()
