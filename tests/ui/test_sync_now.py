"""Settings > Organisation: Sync now sends the laptop's workshops off the GUI thread and says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from amie_desktop.services import sync, workshops
from amie_desktop.store import Store, open_store
from amie_desktop.ui.settings.page import SettingsPage


def _page(qtbot: QtBot, store: Store) -> SettingsPage:
    page = SettingsPage(store)
    qtbot.addWidget(page)
    page.resize(900, 1100)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_sync_now_sends_this_laptops_workshops_to_the_organisation(
    qtbot: QtBot, demo_store: Store, postgres_url: str, tmp_path: Path, screenshot_dir: Path
) -> None:
    org = open_store(tmp_path / "org", postgres_url)
    try:
        sync.join(demo_store, org, postgres_url)
    finally:
        org.close()
    page = _page(qtbot, demo_store)
    box = page.sync_box
    assert box.where.text().startswith("postgresql+psycopg://amie@127.0.0.1:")
    assert box.last.text() == "Never" and box.sync_now.isEnabled()

    qtbot.mouseClick(box.sync_now, Qt.MouseButton.LeftButton)
    assert not box.sync_now.isEnabled()  # one sync at a time
    with qtbot.waitSignal(box.synced, timeout=120_000):
        pass
    assert box.outcome.text().startswith("Sent ")
    assert box.last.text() != "Never" and box.sync_now.isEnabled()
    page.grab().save(str(screenshot_dir / "settings-sync-now.png"))
    org = open_store(tmp_path / "org", postgres_url)
    try:
        assert len(workshops.list_workshops(org)) == 6
    finally:
        org.close()

    qtbot.mouseClick(box.sync_now, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(box.synced, timeout=120_000):
        pass
    assert box.outcome.text() == (
        "Up to date: nothing changed here or in the organisation's database."
    )


def test_a_laptop_that_has_not_joined_says_how_to_join(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    box = page.sync_box
    assert "Not joined" in box.where.text() and "org join URL" in box.where.text()
    assert not box.sync_now.isEnabled()
