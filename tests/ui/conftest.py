"""Shared pieces for window tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from amie_desktop.store import Store
    from amie_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_station_left_open() -> Iterator[None]:
    """A station only closes with the PIN, so one a test left open would keep watching every
    window the next test shows: close them all, as the PIN would."""
    yield
    from amie_desktop.ui.station.kiosk import StationWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, StationWindow) and widget.isVisible():
            widget._may_close = True
            widget.close()


@pytest.fixture
def uk_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is the UK's, so the times on screen are known (GMT in early March)."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def make_window(qtbot: QtBot, store: Store) -> MainWindow:
    """The main window on store, shown and active, as a trainer opening the app sees it."""
    from amie_desktop.ui.main_window import MainWindow, window_settings

    window = MainWindow(store, window_settings(store.data_dir))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def make_small_window(qtbot: QtBot, store: Store) -> MainWindow:
    """The main window at 800x600, the smallest the app is made for."""
    window = make_window(qtbot, store)
    window.showNormal()
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800)
    return window


INTERACTIVE = (
    QAbstractButton, QLineEdit, QAbstractItemView, QComboBox, QAbstractSpinBox,
    QPlainTextEdit, QTextEdit,
)  # fmt: skip


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a screen reader would announce with no name (view internals aside)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        if widget.objectName().startswith("qt_") or isinstance(
            widget.parent(), QAbstractItemView | QComboBox | QAbstractSpinBox
        ):
            continue  # Qt's own pieces inside a named view
        if not widget.accessibleName().strip():
            text = getattr(widget, "text", lambda: "")()
            missing.append(f"{type(widget).__name__} {text!r}")
    return missing


def clipped_labels(root: QWidget) -> list[str]:
    """Visible labels whose text does not fit the height they were given (e.g. at large text)."""
    from PySide6.QtWidgets import QLabel

    clipped = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text().strip() or label.width() <= 1:
            continue
        if not label.visibleRegion().boundingRect().isValid():
            continue  # scrolled out of view, not squashed
        needed = (
            label.heightForWidth(label.width())
            if label.wordWrap()
            else label.fontMetrics().height()
        )
        if label.height() + 1 < needed:
            clipped.append(f"{label.text()[:40]!r}: {label.height()} < {needed}")
    return clipped
