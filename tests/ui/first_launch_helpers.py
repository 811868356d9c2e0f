"""A person at the app on a fake clock: keys pressed on whatever has the focus, clicks on real
widgets where they are drawn, and the time each takes, counted (the first-launch tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

# How long a person takes, in simulated seconds: a key, a click (moving the mouse there
# first), and typing text at a steady five characters a second.
KEY_SECONDS = 1.0
CLICK_SECONDS = 2.0
CHARACTERS_PER_SECOND = 5.0
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
ANIMATED_CLICK_MS = 200  # Qt shows a button pressed for 100 ms before it clicks


class FakeClock:
    """The app's clock (domain.clock.Clock): stands still until the person's actions move it."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    @property
    def elapsed(self) -> float:
        return (self.now - self.start).total_seconds()


# A Tuesday morning, 09:20 in the UK in March (UTC and local time agree).
MORNING = datetime(2027, 3, 9, 9, 20, tzinfo=UTC)


@dataclass
class Person:
    """Presses keys on the focused widget and clicks real widgets, counting each, and moves
    the fake clock on by the time each takes."""

    qtbot: QtBot
    clock: FakeClock
    keys: list[str] = field(default_factory=list)  # every key press other than typed text
    clicks: list[str] = field(default_factory=list)
    typed: int = 0  # characters of text typed

    def focused(self) -> QWidget:
        window_manager_activates_a_window(self.qtbot)
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus: the key would go nowhere"
        return widget

    def press(
        self,
        key: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        why: str = "",
    ) -> None:
        self.clock.advance(KEY_SECONDS)  # finding the key, then pressing it
        QTest.keyClick(self.focused(), key, modifier)
        self.keys.append(why or key.name)
        if modifier & Qt.KeyboardModifier.AltModifier:
            self.qtbot.wait(ANIMATED_CLICK_MS)  # a button's Alt+letter shows it pressed first
        QApplication.processEvents()

    def type_in(self, text: str) -> None:
        """Type text into whatever has the focus, one character after another."""
        self.clock.advance(len(text) / CHARACTERS_PER_SECOND)
        target = self.focused()
        for character in text:
            if character.isascii():
                QTest.keyClicks(target, character)
            else:  # as a keyboard with that letter sends it: the key and its text
                code = ord(character.upper())
                key = Qt.Key(code) if code < 0x100 else Qt.Key.Key_unknown
                QTest.sendKeyEvent(QTest.KeyAction.Click, target, key, character, NO_MODIFIER)
        self.typed += len(text)
        QApplication.processEvents()

    def click(self, widget: QWidget, at: QPoint | None = None, why: str = "") -> None:
        """Click widget where it is drawn (its middle, or `at` inside it), once the person
        can see it there: shown, enabled, inside its window and not covered by anything."""
        point = at if at is not None else widget.rect().center()
        window = widget.window()
        assert widget.isVisible() and widget.isEnabled(), f"cannot click {why or widget}"
        inside = widget.mapTo(window, point)
        assert window.rect().contains(inside), f"{why or widget} is outside its window"
        under = window.childAt(inside)
        assert under is widget or (under is not None and widget.isAncestorOf(under)), (
            f"{why or widget} is covered by {under!r}"
        )
        self.clock.advance(CLICK_SECONDS)  # moving the mouse there, then clicking
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
        self.clicks.append(why or type(widget).__name__)
        QApplication.processEvents()


def window_manager_activates_a_window(qtbot: QtBot) -> None:
    """When a dialog closes, a desktop's window manager makes the window under it active again
    (its focused widget gets the keys). The offscreen platform leaves no window active: do
    what the window manager would."""
    if QApplication.activeWindow() is not None:
        return
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
    assert len(shown) == 1, f"which window would be active? {shown}"
    shown[0].activateWindow()
    qtbot.waitUntil(shown[0].isActiveWindow)


def when_dialog_opens(
    kind: type[QDialog], act: Callable[[QDialog], None], problems: list[BaseException]
) -> None:
    """Run act on the next modal dialog of kind once it is open (from inside its own event
    loop, as a person meets it), after giving its focus a moment to settle. If act fails, or
    the dialog never opens, the problem is kept and the dialog closed, so the test goes on to
    report it rather than waiting for ever."""
    tries = [0]

    def look() -> None:
        tries[0] += 1
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if tries[0] < 3000:  # thirty seconds, on a busy machine
                QTimer.singleShot(10, look)
            else:
                problems.append(AssertionError(f"no {kind.__name__} opened"))
                if isinstance(dialog, QDialog):
                    dialog.reject()
            return
        focus = QApplication.focusWidget()
        if not (focus is not None and dialog.isAncestorOf(focus)) and tries[0] < 1000:
            QTimer.singleShot(10, look)
            return
        try:
            act(dialog)
        except AssertionError as exc:  # reported by the test once the dialog is closed
            problems.append(exc)
            dialog.reject()
            return
        if dialog.isVisible():  # what was done did not close it: it said why, or went nowhere
            said = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
            problems.append(AssertionError(f"“{dialog.windowTitle()}” is still open: {said}"))
            dialog.reject()

    QTimer.singleShot(0, look)


def close_stuck_dialogs(problems: list[BaseException]) -> QTimer:
    """A modal dialog nobody expected (a file chooser opened by a stray key, say) would wait
    for ever: one open for more than three seconds is noted as a problem and closed."""
    seen: dict[int, int] = {}

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            seen.clear()
            return
        seen[id(dialog)] = seen.get(id(dialog), 0) + 1
        if seen[id(dialog)] > 12:
            problems.append(AssertionError(f"“{dialog.windowTitle()}” opened unexpectedly"))
            dialog.reject()

    timer = QTimer()
    timer.setInterval(250)
    timer.timeout.connect(check)
    timer.start()
    return timer


def shots(screenshot_dir: Path) -> Path:
    """Where these tests' screen grabs go, for a person to look at."""
    folder = screenshot_dir / "firstrun"
    folder.mkdir(exist_ok=True)
    return folder
