"""The Qt binding itself: a release that leaks or loses references would crash the app."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication

ROUNDS = 1000
# A binding that drops one reference per signal or per processEvents loses thousands over the
# loop below; anything else that runs meanwhile (a widget an earlier test left to deleteLater)
# moves the counts by a few dozen at most.
SLACK = 100


class _Sender(QObject):
    counted = Signal(int)
    pinged = Signal()


@pytest.fixture
def quiet(qapp: QApplication) -> Iterator[None]:
    """Let earlier tests' deferred deletions and garbage go before counting, and keep gc still."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_signals_and_event_processing_keep_python_s_references_whole(
    qapp: QApplication, quiet: None
) -> None:
    # PySide6 6.12.0 dropped a reference to True on every signal emitted (and to None on every
    # processEvents), so a kiosk left running aborted with "deallocating True" after a few
    # thousand signals. This catches that in any release before a trainer meets it.
    sender = _Sender()
    heard: list[int] = []
    sender.counted.connect(heard.append)
    sender.pinged.connect(lambda: heard.append(-1))
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for number in range(ROUNDS):
        sender.counted.emit(number)
        sender.pinged.emit()
        qapp.processEvents()
    assert len(heard) == 2 * ROUNDS
    assert sys.getrefcount(True) >= true_before - SLACK
    assert sys.getrefcount(None) >= none_before - SLACK
