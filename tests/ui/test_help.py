"""Help: the user guide opens offline with its pictures, and the tour is short and skippable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QUrl
from pytestqt.qtbot import QtBot

from amie_desktop.services import organisation
from amie_desktop.store import Store
from amie_desktop.ui.application import build_main_window
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.help import GuideWindow, TourDialog, guide_folder, heading_anchor
from amie_desktop.ui.main_window import MainWindow, window_settings
from tests.ui.conftest import unnamed_controls


def test_the_guide_opens_offline_with_every_picture_found(qtbot: QtBot) -> None:
    folder = guide_folder()
    assert folder is not None
    window = GuideWindow(folder)
    qtbot.addWidget(window)
    window.show()
    text = window.browser.toPlainText()
    assert "Getting started" in text and "Troubleshooting" in text
    assert unnamed_controls(window) == []
    markdown = (folder / "user-guide.md").read_text(encoding="utf-8")
    pictures = [part.split(")")[0] for part in markdown.split("](screenshots/")[1:]]
    assert pictures, "the guide shows the app"
    for picture in pictures:
        assert (folder / "screenshots" / picture).is_file(), picture
    pages = [part.split(")")[0] for part in markdown.split("](")[1:]]
    for page in (p.split("#")[0] for p in pages if p.endswith(".md") or ".md#" in p):
        assert (folder / page).is_file(), f"the guide links to {page}, which is missing"


def test_a_link_in_the_guide_opens_the_topic_page(qtbot: QtBot) -> None:
    folder = guide_folder()
    assert folder is not None
    window = GuideWindow(folder)
    qtbot.addWidget(window)
    window.browser.setSource(QUrl("facilitate.md"))
    assert "Facilitate mode" in window.browser.toPlainText()
    assert window.back.isEnabled()
    window.back.click()
    assert "Getting started" in window.browser.toPlainText()


def test_the_tour_covers_every_section_and_can_be_finished_by_keyboard(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    pages = window.tour_pages()
    assert [title for title, _ in pages[1:]] == window.section_titles()
    tour = TourDialog(pages)
    qtbot.addWidget(tour)
    tour.show()
    assert tour.progress.text() == f"1 of {len(pages)}"
    assert unnamed_controls(tour) == []
    with qtbot.waitSignal(tour.accepted):
        for _ in pages:
            qtbot.keyClick(tour.next, Qt.Key.Key_Space)
    tour.grab().save(str(screenshot_dir / "tour.png"))


def test_after_the_tour_is_skipped_it_is_not_shown_again(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    monkeypatch.setattr(TourDialog, "ask", lambda pages, _parent=None: shown.append(len(pages)))
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    assert not window.tour_seen()
    window.show_tour()
    assert shown == [len(window.section_titles()) + 1]
    again = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(again)
    assert again.tour_seen()


def test_the_guide_contents_links_jump_to_their_chapters(qtbot: QtBot) -> None:
    folder = guide_folder()
    assert folder is not None
    window = GuideWindow(folder)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    bar = window.browser.verticalScrollBar()
    assert bar.value() == 0
    # A chapter in the middle, so the jump must put its heading at the top (not just scroll down).
    link = window.browser.source().resolved(QUrl("#the-reflection-station"))  # as a click does
    window.browser.setSource(link)
    qtbot.waitUntil(lambda: bar.value() > 0)
    assert bar.value() < bar.maximum()
    top = window.browser.cursorForPosition(window.browser.viewport().rect().topLeft())
    assert top.block().text() == "The reflection station"


def test_wide_pictures_are_scaled_to_fit_the_guide(qtbot: QtBot) -> None:
    folder = guide_folder()
    assert folder is not None
    window = GuideWindow(folder)
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    assert window.browser.document().idealWidth() <= 900
    assert heading_anchor("Running it") == "running-it"
    assert heading_anchor("Backups and privacy") == "backups-and-privacy"


REQUIRED_CHAPTERS = (
    "Getting started",
    "Planning a workshop",
    "Running it",
    "The reflection station",
    "Exports: certificates and reports",
    "Backups and privacy",
    "Troubleshooting",
)


def test_the_guide_has_every_chapter_and_its_contents_lead_to_them() -> None:
    folder = guide_folder()
    assert folder is not None
    markdown = (folder / "user-guide.md").read_text(encoding="utf-8")
    chapters = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    for chapter in REQUIRED_CHAPTERS:
        assert chapter in chapters, f"the guide has no chapter {chapter!r}"
    anchors = {heading_anchor(chapter) for chapter in chapters}
    contents = [part.split(")")[0] for part in markdown.split("](#")[1:]]
    assert len(contents) == len(chapters)
    assert set(contents) == anchors, "a contents link leads nowhere"


def test_the_frozen_app_finds_the_guide_it_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    carried = tmp_path / "docs"
    carried.mkdir()
    (carried / "user-guide.md").write_text("# Guide\n", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert guide_folder() == carried


def test_first_run_asks_for_set_up_and_no_window_opens_if_it_is_cancelled(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Store] = []

    def cancel(store: Store, _parent: object = None) -> bool:
        asked.append(store)
        return False

    monkeypatch.setattr(SetupDialog, "ask", cancel)
    assert build_main_window(store) is None
    assert asked == [store]


def test_after_set_up_the_window_opens_with_the_tour_still_to_come(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def set_up(store: Store, _parent: object = None) -> bool:
        organisation.set_up(store, "Harbour Arts", "5678", "5678")
        return True

    monkeypatch.setattr(SetupDialog, "ask", set_up)
    window = build_main_window(store)
    assert window is not None
    qtbot.addWidget(window)
    assert window.windowTitle().startswith("Harbour Arts")
    assert not window.tour_seen()  # so start-up shows it next
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entries = [action.text() for action in help_menu.actions()]
    assert "&User guide" in entries and "A quick &tour" in entries
    QThreadPool.globalInstance().waitForDone()  # the start-up backup
