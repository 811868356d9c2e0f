"""The Qt binding itself: a release that leaks or loses references would crash the app."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication


class _Sender(QObject):
    counted = Signal(int)
    pinged = Signal()


def test_signals_and_event_processing_keep_python_s_references_whole(qapp: QApplication) -> None:
    # PySide6 6.12.0 dropped a reference to True on every signal emitted (and to None on every
    # processEvents), so a kiosk left running aborted with "deallocating True" after a few
    # thousand signals. This catches that in any release before a trainer meets it.
    sender = _Sender()
    heard: list[int] = []
    sender.counted.connect(heard.append)
    sender.pinged.connect(lambda: heard.append(-1))
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for number in range(200):
        sender.counted.emit(number)
        sender.pinged.emit()
        qapp.processEvents()
    assert len(heard) == 400
    assert sys.getrefcount(True) >= true_before - 5
    assert sys.getrefcount(None) >= none_before - 5
