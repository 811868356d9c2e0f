"""Errors nothing else caught: a plain message naming the log file, details only in the log."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable, QThreadPool
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import IntegrityError

from amie_desktop.logs import log_path, set_up_logging
from amie_desktop.store import Store
from amie_desktop.store.models import Answer
from amie_desktop.ui.application import install_error_handler

SECRET = "I will stop assuming Jamal cannot read notation"


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, qapp: object) -> Iterator[list[tuple[str, bool]]]:
    """The messages the user saw, each with whether it was shown on the GUI thread."""
    messages: list[tuple[str, bool]] = []

    def critical(_parent: object, _title: str, text: str) -> None:
        messages.append((text, threading.current_thread() is threading.main_thread()))

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # both restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield messages


def _raise_unhandled(error: BaseException) -> None:
    try:
        raise error
    except type(error):
        sys.excepthook(*sys.exc_info())


def test_an_unhandled_error_is_logged_and_shown_plainly(
    data_dir: Path, shown: list[tuple[str, bool]]
) -> None:
    log_file = set_up_logging(data_dir)
    install_error_handler(log_file)
    _raise_unhandled(LookupError("step 7 vanished"))

    assert len(shown) == 1
    message, on_gui_thread = shown[0]
    assert str(log_file) in message and on_gui_thread
    assert message.startswith("Something went wrong that the app could not handle.")
    assert "LookupError" not in message  # no traceback in the user's face
    logged = log_file.read_text(encoding="utf-8")
    # The kind of error and where, not its words (an exception's message can quote data).
    assert "LookupError (its message is left out" in logged and "Traceback" in logged
    assert "LookupError: step 7 vanished" not in logged
    assert log_file == log_path(data_dir)


class _FailingWork(QRunnable):
    def run(self) -> None:
        raise RuntimeError("the worker fell over")


def test_an_error_in_background_work_is_shown_on_the_gui_thread(
    data_dir: Path, shown: list[tuple[str, bool]], qtbot: QtBot
) -> None:
    log_file = set_up_logging(data_dir)
    install_error_handler(log_file)
    QThreadPool.globalInstance().start(_FailingWork())
    QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: len(shown) == 1)

    message, on_gui_thread = shown[0]
    assert on_gui_thread, "a message box made off the GUI thread crashes the app"
    assert str(log_file) in message
    assert "RuntimeError (its message is left out" in log_file.read_text(encoding="utf-8")

    thread = threading.Thread(target=_FailingWork().run)  # a plain Python thread too
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert shown[1][1]


def test_an_error_that_repeats_while_its_message_is_open_shows_one_message(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    log_file = set_up_logging(data_dir)
    install_error_handler(log_file)
    opened: list[str] = []

    def critical(_parent: object, _title: str, text: str) -> None:
        opened.append(text)
        _raise_unhandled(ValueError("again"))  # e.g. a paint error while the box is up

    monkeypatch.setattr(QMessageBox, "critical", critical)
    _raise_unhandled(ValueError("first"))

    assert len(opened) == 1
    assert log_file.read_text(encoding="utf-8").count("unhandled error") == 2  # both logged


def test_the_log_never_holds_what_an_attendee_wrote(
    store: Store, shown: list[tuple[str, bool]]
) -> None:
    log_file = set_up_logging(store.data_dir)
    install_error_handler(log_file)
    try:
        with store.write() as session:  # an answer for a reflection that does not exist
            session.add(Answer(reflection_id=999_999, question_key="commitment", text=SECRET))
    except IntegrityError:
        sys.excepthook(*sys.exc_info())

    assert len(shown) == 1
    logged = log_file.read_text(encoding="utf-8")
    assert "IntegrityError" in logged and "FOREIGN KEY" in logged  # the details are there
    assert SECRET not in logged and "Jamal" not in logged


def test_the_log_rotates_so_it_never_fills_the_disk_and_only_its_owner_reads_it(
    data_dir: Path,
) -> None:
    log_file = set_up_logging(data_dir)
    details = logging.getLogger("amie_desktop.test")
    for number in range(7_000):  # about 7 MB of log lines
        details.info("line %05d %s", number, "x" * 1000)

    kept = sorted(log_file.parent.iterdir())
    assert [path.name for path in kept] == [
        "amie-desktop.log",
        *(f"amie-desktop.log.{n}" for n in range(1, 5)),
    ]
    assert sum(path.stat().st_size for path in kept) <= 5 * 1_000_000 + 2_000
    assert "line 06999" in log_file.read_text(encoding="utf-8")  # the newest is in the file
    assert log_file.stat().st_mode & 0o077 == 0
    assert log_file.parent.stat().st_mode & 0o077 == 0
