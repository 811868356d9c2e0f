"""The window on the organisation's PostgreSQL database works as it does on the laptop's file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from amie_desktop.store import Store
from tests.ui.conftest import make_window

pytestmark = pytest.mark.parametrize("database_kind", ["postgresql"], indirect=True)


def test_every_section_opens_on_postgresql(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    assert window.workshops_page.model.rowCount() == 6
    assert "Data: the organisation's database amie_test_" in window.status_label.text()
    assert "@" not in window.status_label.text()  # no user name or password shown
    for number, title in enumerate(window.section_titles(), start=1):
        qtbot.keyClick(
            window.focusWidget() or window, Qt.Key(Qt.Key.Key_0 + number),
            Qt.KeyboardModifier.ControlModifier,
        )  # fmt: skip
        assert window.navigation.currentItem().text() == title
        window.grab().save(str(screenshot_dir / f"postgresql-{title.lower()}.png"))
