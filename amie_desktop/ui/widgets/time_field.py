"""A time field that takes what is typed ("10:00", "930", "2pm") as a whole, not part by part."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from amie_desktop.domain.errors import UserError
from amie_desktop.domain.typed import parse_time, time_problem

STEP_MINUTES = 5  # Up and Down move the time by this much


class TimeField(QLineEdit):
    """Typing replaces the time: there are no hour and minute parts to step through with Tab.
    The time is taken when it reads as a whole time, or on Enter or leaving the field; nonsense
    is kept as typed, with `problem_found` saying why it was not taken."""

    timeChanged = Signal(QTime)  # named as QTimeEdit's, so the two are used alike
    problem_found = Signal(str)

    def __init__(self, value: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._time = value if value is not None else QTime(9, 30)
        self.setText(self._time.toString("HH:mm"))
        self.setMaxLength(10)
        self.setPlaceholderText("HH:MM")
        self.setToolTip("Type a time such as 09:30 or 14:00; Up and Down move it by 5 minutes")
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self.textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._on_editing_finished)

    def time(self) -> QTime:
        return self._time

    def checked_time(self) -> QTime:
        """The time typed, or UserError with what to type instead (for a dialog's OK)."""
        typed = parse_time(self.text())
        if typed is None:
            raise UserError(time_problem(self.text()))
        self.setTime(QTime(typed.hour, typed.minute))
        return self._time

    def setTime(self, value: QTime) -> None:
        self.setText(value.toString("HH:mm"))
        self._take(value)

    def _take(self, value: QTime) -> None:
        if value != self._time:
            self._time = value
            self.timeChanged.emit(value)

    def _on_text_edited(self, text: str) -> None:
        # Taken as soon as it is a whole time ("10:00"), not at "1" or "10:0".
        typed = parse_time(text) if len(text.strip()) >= 4 and ":" in text else None
        if typed is not None:
            self._take(QTime(typed.hour, typed.minute))

    def _on_editing_finished(self) -> None:
        typed = parse_time(self.text())
        if typed is None:
            self.problem_found.emit(time_problem(self.text()))
            return
        self.setTime(QTime(typed.hour, typed.minute))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Up: STEP_MINUTES, Qt.Key.Key_Down: -STEP_MINUTES}
        if event.key() in steps:
            self.setTime(self._time.addSecs(steps[Qt.Key(event.key())] * 60))
            return
        super().keyPressEvent(event)
