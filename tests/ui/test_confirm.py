"""A destructive question (erase, restore) is never answered yes by Enter or Esc."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from amie_desktop.ui.settings.dialogs import confirm


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape])
def test_enter_and_esc_cancel_a_destructive_question(qtbot: QtBot, key: Qt.Key) -> None:
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        seen.append(default.text() if default is not None else "")
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, answer)
    assert confirm(None, "Erase a person", "This cannot be undone.", "&Erase") is False
    assert seen == ["Cancel"]


def test_the_yes_button_still_erases_when_chosen(qtbot: QtBot) -> None:
    def choose_erase() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        (erase,) = [b for b in box.buttons() if b.text() == "&Erase"]
        erase.click()

    QTimer.singleShot(0, choose_erase)
    assert confirm(None, "Erase a person", "This cannot be undone.", "&Erase") is True
