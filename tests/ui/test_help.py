"""Help: the user guide opens offline with its pictures, and the tour is short and skippable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QThreadPool, QUrl
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.services import organisation
from amie_desktop.store import Store
from amie_desktop.ui.application import build_main_window
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.help import GuideWindow, TourDialog, guide_folder, heading_anchor
from amie_desktop.ui.main_window import MainWindow, window_settings
from tests.ui.conftest import make_window, unnamed_controls


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
    monkeypatch.setattr(
        TourDialog, "ask", lambda pages, _parent=None, _targets=(): shown.append(len(pages))
    )
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
    assert isinstance(help_menu, QMenu)
    entries = [action.text() for action in help_menu.actions()]
    assert "&User guide" in entries and "A quick &tour" in entries
    QThreadPool.globalInstance().waitForDone()  # the start-up backup


def _as_seen(window: MainWindow, tour: TourDialog) -> QPixmap:
    """The window with the tour over it, where each stands on the screen."""
    QApplication.processEvents()  # as a person sees it: once the layout has caught up
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(tour.mapToGlobal(QPoint(0, 0))), tour.grab())
    painter.end()
    return picture


def _frames(highlight: QWidget, target: QRect) -> bool:
    return highlight.geometry().contains(target)


def _amber(colour: QColor) -> bool:
    return colour.red() > 220 and 150 < colour.green() < 200 and colour.blue() < 110


def test_each_tour_page_frames_the_part_it_describes_and_stands_beside_it(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(1366, 768)
    for size, look in ((10.0, "normal"), (16.0, "large")):
        window.change_text_size(size - window.point_size)
        tour = TourDialog(window.tour_pages(), window, window.tour_targets())
        qtbot.addWidget(tour)
        tour.show()
        qtbot.waitExposed(tour)
        highlight = tour.highlight
        assert highlight is not None
        assert not highlight.isVisible()  # the welcome is about the whole app
        _as_seen(window, tour).save(str(screenshot_dir / f"tour-0-welcome-{look}-text.png"))
        for row, title in enumerate(window.section_titles()):
            qtbot.keyClick(tour.next, Qt.Key.Key_Space)
            item = window.navigation.item(row)
            entry = window.navigation.visualItemRect(item)
            # The section's own entry in the list, in the window's coordinates.
            target = QRect(
                window.navigation.viewport().mapTo(window, entry.topLeft()), entry.size()
            )
            assert item.text() == title
            assert highlight.isVisible(), title

            # (Following the entry if the larger text has only now moved it.)
            def around(frame: QWidget = highlight, wanted: QRect = target) -> bool:
                return frame.geometry().contains(wanted)

            qtbot.waitUntil(around)
            frame = highlight.geometry()
            assert frame.width() < target.width() + 30, title
            assert frame.height() < target.height() + 30, title
            # The frame is drawn around the entry, in amber, and the tour covers none of it.
            seen = _as_seen(window, tour).toImage()
            left_edge = seen.pixelColor(frame.left() + 3, frame.center().y())
            assert _amber(left_edge), (title, left_edge.name())
            on_screen = QRect(window.mapToGlobal(frame.topLeft()), frame.size())
            assert not tour.frameGeometry().intersects(on_screen), title
            assert tour.frameGeometry().left() > on_screen.right(), title  # beside it
            assert window.frameGeometry().contains(tour.geometry()), title
            name = title.lower().replace(" ", "-")
            _as_seen(window, tour).save(
                str(screenshot_dir / f"tour-{row + 1}-{name}-{look}-text.png")
            )
        with qtbot.waitSignal(tour.accepted):
            qtbot.keyClick(tour.next, Qt.Key.Key_Space)  # Finish
        assert tour.highlight is None  # the frame goes with the tour
        assert not any(child.isVisible() for child in window.findChildren(type(highlight))), (
            "no frame left behind"
        )
    window.change_text_size(0)
