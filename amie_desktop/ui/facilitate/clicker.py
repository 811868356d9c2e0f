"""Keys that presentation clickers send, caught in both Facilitate windows whatever has focus."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


class ClickerAction(Enum):
    NEXT = "next"
    BACK = "back"
    BLANK = "blank"
    PRESENT = "present"
    LEAVE_FULL_SCREEN = "leave full screen"


KEYS: dict[Qt.Key, ClickerAction] = {
    Qt.Key.Key_PageDown: ClickerAction.NEXT,
    Qt.Key.Key_Right: ClickerAction.NEXT,
    Qt.Key.Key_Space: ClickerAction.NEXT,
    Qt.Key.Key_PageUp: ClickerAction.BACK,
    Qt.Key.Key_Left: ClickerAction.BACK,
    Qt.Key.Key_B: ClickerAction.BLANK,
    Qt.Key.Key_Period: ClickerAction.BLANK,  # many clickers send "." for a black screen
    Qt.Key.Key_F5: ClickerAction.PRESENT,
    Qt.Key.Key_Escape: ClickerAction.LEAVE_FULL_SCREEN,
}
# While the trainer types in a text box, letters, Space and arrows must type; these still act.
WHILE_TYPING = {Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_F5, Qt.Key.Key_Escape}
TYPING_WIDGETS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
# Shift+F5 starts a slide show in presentation software; Ctrl and Alt keep their usual meaning.
ALLOWED_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def action_for(key: int, modifiers: Qt.KeyboardModifier, typing: bool) -> ClickerAction | None:
    """What a key press means in Facilitate mode, or None if it is an ordinary key."""
    if modifiers & ~ALLOWED_MODIFIERS:
        return None
    try:
        qt_key = Qt.Key(key)
    except ValueError:
        return None
    if typing and qt_key not in WHILE_TYPING:
        return None
    return KEYS.get(qt_key)


class ClickerFilter(QObject):
    """Watches every key press in the application and turns clicker keys into actions.

    A key counts only when `accepts(widget, action)` says the widget receiving it is in
    Facilitate mode and the action means something there, so the rest of the app keeps its keys.
    """

    action_triggered = Signal(object)  # a ClickerAction

    def __init__(
        self, accepts: Callable[[QWidget, ClickerAction], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._accepts = accepts
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        action = action_for(event.key(), event.modifiers(), isinstance(watched, TYPING_WIDGETS))
        if action is None or not self._accepts(watched, action):
            return False
        if not event.isAutoRepeat():  # a held button must not race through the agenda
            self.action_triggered.emit(action)
        return True
