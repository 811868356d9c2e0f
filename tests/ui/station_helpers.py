"""Shared pieces for the station's window tests: a clock to move by hand, keys, privacy checks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.services.reflections import StationInfo
from amie_desktop.services.workshops import list_workshops
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance
from amie_desktop.ui.station.flow import AttendeeFlow
from amie_desktop.ui.station.kiosk import StationWindow
from amie_desktop.ui.station.themes import Look

PIN = "1234"


class FakeClock:
    """A monotonic clock that only moves when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def register_names(store: Store, workshop_id: int) -> list[str]:
    with store.read() as session:
        rows = session.scalars(select(Attendance).where(Attendance.workshop_id == workshop_id))
        return sorted(a.person.name for a in rows)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    """Type text into the focused control; letters beyond ASCII arrive as composed keys do."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(focused(), char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(focused(), event)


def tab_to(qtbot: QtBot, name: str, limit: int = 25) -> QWidget:
    """Press Tab until the control called name has the focus (fails if it never does)."""
    seen = []
    for _ in range(limit):
        if focused().accessibleName() == name:
            return focused()
        seen.append(focused().accessibleName())
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name!r}; went through {seen}")


def settle() -> None:
    """Let destroyed widgets go (deleteLater) so the inspection sees only what remains."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def traces(station: StationWindow, secrets: list[str], strict: bool = True) -> list[str]:
    """Anything of a previous attendee that the next person could reach.

    strict=False looks only for the given secrets (while the same person is still there).
    """
    settle()
    found: list[str] = []
    lowered = [s.lower() for s in secrets if s]

    def mentions(text: str) -> bool:
        return any(s in text.lower() for s in lowered)

    flows = station.findChildren(AttendeeFlow)
    if len(flows) != 1:
        found.append(f"{len(flows)} attendee flows")
    for widget in [station, *station.findChildren(QWidget)]:
        kind = type(widget).__name__
        if mentions(widget.accessibleName()) or mentions(widget.accessibleDescription()):
            found.append(f"{kind} accessible text {widget.accessibleName()!r}")
        if mentions(widget.toolTip()) or mentions(widget.windowTitle()):
            found.append(f"{kind} tooltip or title")
        if isinstance(widget, QLineEdit) and strict:
            if widget.text() or widget.isUndoAvailable() or widget.isRedoAvailable():
                found.append(f"line edit {widget.accessibleName()!r}: {widget.text()!r}")
            completer = widget.completer()
            if completer is not None and completer.model().rowCount():
                found.append(f"completer of {widget.accessibleName()!r}")
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            document = widget.document()
            if mentions(widget.toPlainText()):
                found.append(f"text box {widget.accessibleName()!r} shows a secret")
            if strict and (
                widget.toPlainText() or document.isUndoAvailable() or document.isRedoAvailable()
            ):
                found.append(f"text box {widget.accessibleName()!r}")
        if isinstance(widget, QLabel) and mentions(widget.text()):
            found.append(f"label {widget.text()!r}")
        if isinstance(widget, QAbstractButton):
            if strict and widget.isCheckable() and widget.isChecked():
                found.append(f"chosen {widget.accessibleName()!r}")
            if mentions(widget.text()):
                found.append(f"button {widget.text()!r}")
        if isinstance(widget, QAbstractItemView) and strict:
            model = widget.model()
            if model is not None and model.rowCount():
                found.append(f"list {widget.accessibleName()!r} holds {model.rowCount()} rows")
        if (
            isinstance(widget, QAbstractScrollArea)
            and strict
            and (widget.verticalScrollBar().value() or widget.horizontalScrollBar().value())
        ):
            found.append(f"scrolled {kind}")
    if not strict:
        return found
    if station.look != Look():
        found.append(f"look {station.look}")
    clipboard = QApplication.clipboard()
    if clipboard.text():
        found.append("clipboard")
    if mentions(station.last_announcement):
        found.append("last announcement")
    return found


def undescribed_controls(root: QWidget) -> list[str]:
    """Visible controls with no accessible description (what they do, for a screen reader)."""
    from tests.ui.conftest import INTERACTIVE

    return [
        f"{type(w).__name__} {w.accessibleName()!r}"
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.isVisibleTo(root)
        and not w.objectName().startswith("qt_")
        and not w.accessibleDescription().strip()
    ]


def today_workshop(store: Store) -> int:
    return next(w.id for w in list_workshops(store) if "community musicians" in w.title)


def open_station(qtbot: QtBot, store: Store, phase: Phase, clock: FakeClock) -> StationWindow:
    info = reflections.open_station(store, today_workshop(store), phase, PIN)
    return show_station(qtbot, store, info, clock)


def show_station(
    qtbot: QtBot, store: Store, info: StationInfo, clock: FakeClock, **options: object
) -> StationWindow:
    station = StationWindow(store, info, clock=clock, **options)  # type: ignore[arg-type]
    qtbot.addWidget(station)
    station.resize(1280, 800)
    station.show()
    qtbot.waitExposed(station)
    station.activateWindow()
    qtbot.waitUntil(station.isActiveWindow)
    station.focus_current()
    return station
