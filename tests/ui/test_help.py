"""Help: the user guide opens offline with its pictures, and the tour is short and skippable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from amie_desktop.store import Store
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
    link = window.browser.source().resolved(QUrl("#troubleshooting"))  # as a click does
    window.browser.setSource(link)
    qtbot.waitUntil(lambda: bar.value() > 0)
    top = window.browser.cursorForPosition(window.browser.viewport().rect().topLeft())
    assert "Troubleshooting" in top.block().text() or bar.value() == bar.maximum()


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
