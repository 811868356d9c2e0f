"""Settings > Organisation: Sync now sends the laptop's workshops off the GUI thread and says so."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from amie_desktop.services import organisation, register, sync, workshops
from amie_desktop.store import Store, open_store
from amie_desktop.ui.settings.page import SettingsPage
from tests.ui.conftest import make_window


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


def test_what_sync_now_brings_in_shows_on_every_page_without_reopening(
    qtbot: QtBot, demo_store: Store, postgres_url: str, tmp_path: Path
) -> None:
    # Another trainer's laptop plans a workshop, books someone and syncs it to the office.
    other = open_store(tmp_path / "other")
    org = open_store(tmp_path / "org", postgres_url)
    try:
        organisation.set_up(other, "Northfield Music Hub", "2468", "2468")
        draft = workshops.WorkshopDraft(
            title="Songs from the Valleys", on=date(2026, 12, 3), start=time(10), venue="Aberdare"
        )
        planned = workshops.create_workshop(other, draft, ())
        register.add_person(other, planned, "Gwen Pryce", "gwen@example.org")
        sync.join(other, org, postgres_url)
        sync.sync(other, org)
        sync.join(demo_store, org, postgres_url)
    finally:
        other.close()
        org.close()
    window = make_window(qtbot, demo_store)
    titles = window.section_titles()
    for title in ("Workshops", "Exports", "Reflection station", "Settings"):  # all built
        window.show_section(titles.index(title))
    box = window.settings_page.sync_box
    qtbot.mouseClick(box.sync_now, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(box.synced, timeout=120_000):
        pass
    assert box.outcome.text().startswith("Sent ")

    window.show_section(titles.index("Workshops"))
    page = window.workshops_page
    listed = [page.model.row_at(n).title for n in range(page.model.rowCount())]
    assert "Songs from the Valleys" in listed
    assert page.count.text() == "7 workshops"
    window.show_section(titles.index("Exports"))
    combo = window.exports_page.workshop
    assert any("Songs from the Valleys" in combo.itemText(n) for n in range(combo.count()))
    window.show_section(titles.index("Reflection station"))
    combo = window.station_page.workshop
    assert any("Songs from the Valleys" in combo.itemText(n) for n in range(combo.count()))
