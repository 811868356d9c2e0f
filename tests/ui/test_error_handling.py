"""Errors nothing else caught: a plain message naming the log file, details only in the log."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from amie_desktop.logs import log_path, set_up_logging
from amie_desktop.ui.application import install_error_handler


def test_an_unhandled_error_is_logged_and_shown_plainly(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_file = set_up_logging(data_dir)
    install_error_handler(log_file)
    try:
        raise LookupError("step 7 vanished")
    except LookupError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]

    assert len(shown) == 1
    assert str(log_file) in shown[0]
    assert "LookupError" not in shown[0]  # no traceback in the user's face
    logged = log_file.read_text(encoding="utf-8")
    assert "LookupError: step 7 vanished" in logged and "Traceback" in logged
    assert log_file == log_path(data_dir)
