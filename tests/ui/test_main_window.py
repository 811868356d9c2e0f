"""The main window on demo data: every section, keyboard shortcuts, state, accessibility."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from amie_desktop.services import organisation
from amie_desktop.store import Store
from amie_desktop.ui.dialogs import SetupDialog
from tests.ui.conftest import clipped_labels, make_window, unnamed_controls


def test_opens_on_the_workshops_list_with_the_demo_data(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    assert window.current_page() is window.workshops_page
    page = window.workshops_page
    assert page.model.rowCount() == 6
    # The detail shows the workshop selected in the list, which is one of the demo's.
    assert page.detail_title.text() == page.model.row_at(0).title
    assert page.detail_title.text() in {
        "Introduction to HEARD",
        "HEARD taster for class teachers",
        "Introduction to HEARD: SEN settings",
        "HEARD taster for community musicians",
        "HEARD taster for hub partners",
    }
    assert page.agenda.model.rowCount() > 0
    assert "Northfield" in window.windowTitle()
    window.grab().save(str(screenshot_dir / "main-window-workshops.png"))


def test_every_section_is_reachable_by_keyboard_and_named(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    titles = window.section_titles()
    assert titles[0] == "Workshops" and titles[-1] == "Settings"
    for number, title in enumerate(titles, start=1):
        qtbot.keyClick(
            window.focusWidget() or window, Qt.Key(Qt.Key.Key_0 + number),
            Qt.KeyboardModifier.ControlModifier,
        )  # fmt: skip
        assert window.navigation.currentItem().text() == title
        assert window.stack.currentIndex() == number - 1
        assert unnamed_controls(window.current_page()) == [], title
        window.grab().save(str(screenshot_dir / f"main-window-{title.lower()}.png"))
    assert unnamed_controls(window) == []


def test_search_finds_workshops_without_accents_or_case(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    qtbot.keyClicks(page.search, "HILLSIDE")
    assert page.model.rowCount() == 1
    assert "SEN" in page.detail_title.text()
    page.search.clear()
    qtbot.keyClicks(page.search, "no such workshop")
    assert page.model.rowCount() == 0


def test_window_remembers_its_size_and_section(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(700, 500)
    qtbot.waitUntil(lambda: window.height() == 500)
    size = window.size()
    window.show_section(len(window.sections) - 1)
    window.close()
    again = make_window(qtbot, demo_store)
    assert again.navigation.currentRow() == len(again.sections) - 1
    assert again.size() == size
    assert again.size() != again.sizeHint()


def test_the_list_is_an_overview_and_an_opened_workshop_gets_the_room(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(1366, 768)
    page = window.workshops_page
    qtbot.waitUntil(lambda: page.table.viewport().height() > 0)
    row = page.table.verticalHeader().defaultSectionSize()
    assert page.table.viewport().height() >= 6 * row  # all six demo workshops
    assert not page.tabs.isVisible()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    chosen = page.model.row_at(1).title
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.tabs.isVisible() and not page.table.isVisible()
    assert page.detail_title.text() == chosen
    central = window.centralWidget()
    assert central is not None
    assert page.tabs.height() > 0.7 * central.height()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.table.isVisible() and page.table.hasFocus()
    assert page.model.row_at(page.table.currentIndex().row()).title == chosen


def test_the_first_window_is_maximised_on_a_small_screen_then_kept_as_left(
    qtbot: QtBot, demo_store: Store
) -> None:
    from amie_desktop.ui.main_window import MainWindow, window_settings

    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    assert window.screen().availableGeometry().width() < 1500  # the test screen is small
    window.show_at_first_size()
    qtbot.waitUntil(window.isMaximized)
    window.showNormal()
    window.resize(700, 500)
    qtbot.waitUntil(lambda: window.height() == 500)
    window.close()
    again = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(again)
    again.show_at_first_size()
    qtbot.waitExposed(again)
    assert not again.isMaximized() and again.height() == 500


def test_a_new_organisation_is_told_what_to_do_first(qtbot: QtBot, store: Store) -> None:
    organisation.set_up(store, "Hillside Hub", "2468", "2468")
    window = make_window(qtbot, store)
    page = window.workshops_page
    assert page.empty.isVisible() and "New workshop" in page.empty.text()
    assert not page.table.isVisible() and not page.tabs.isVisible()
    assert not page.details.date.isVisible()  # no "Sat 1 Jan 2000" form to type into


def test_text_size_grows_and_is_remembered(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    start = QApplication.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == start + 2
    window.close()
    again = make_window(qtbot, demo_store)
    assert again.point_size == start + 2
    again.change_text_size(0)
    assert QApplication.font().pointSizeF() == 10.0


def test_large_text_screenshot(qtbot: QtBot, demo_store: Store, screenshot_dir: Path) -> None:
    window = make_window(qtbot, demo_store)
    for _ in range(10):
        window.change_text_size(1)
    assert window.point_size == 20.0
    qtbot.wait(100)  # let the new sizes lay out, as they would on screen
    for row in range(len(window.sections)):
        window.show_section(row)
        qtbot.wait(50)
        assert clipped_labels(window.current_page()) == [], window.section_titles()[row]
    window.show_section(0)
    window.grab().save(str(screenshot_dir / "main-window-200pc-text.png"))
    # Each section's title whole in the section list: wrapped onto a second line when the
    # list has less than its width (this window is 800 pixels wide), never cut short.
    navigation = window.navigation
    font = QFont(navigation.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    for row in range(navigation.count()):
        item = navigation.item(row)
        assert item is not None
        shown = navigation.visualItemRect(item).adjusted(12, 10, -12, -10)  # its padding
        needed = metrics.boundingRect(
            QRect(0, 0, shown.width(), 10_000), Qt.TextFlag.TextWordWrap, item.text()
        )
        assert needed.width() <= shown.width() and needed.height() <= shown.height(), item.text()
    wrapped = navigation.item(window.section_titles().index("Reflection station"))
    assert wrapped is not None
    assert navigation.visualItemRect(wrapped).height() >= 2 * metrics.height()
    window.change_text_size(0)


def test_settings_rename_is_saved_as_typed(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    window.show_section(window.section_titles().index("Settings"))
    field = window.settings_page.name
    field.selectAll()
    qtbot.keyClicks(field, "Riverside Music Hub")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert organisation.get_settings(demo_store).name == "Riverside Music Hub"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Riverside Music Hub"))


def test_first_run_set_up_dialog(qtbot: QtBot, store: Store, screenshot_dir: Path) -> None:
    dialog = SetupDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    qtbot.keyClicks(dialog.name, "Harbour Arts")
    qtbot.keyClicks(dialog.pin, "5678")
    qtbot.keyClicks(dialog.repeat, "5679")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "not the same" in dialog.problem.text()
    assert organisation.get_settings(store) is None
    dialog.grab().save(str(screenshot_dir / "first-run-set-up.png"))
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "5678")
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert organisation.get_settings(store).name == "Harbour Arts"  # type: ignore[union-attr]


def test_facilitate_opens_the_station_for_its_workshop_and_phase(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    page = window.station_page
    workshop_id = window.workshops_page.model.row_at(2).id
    window.facilitate_page.station_requested.emit(workshop_id, "after")
    assert window.current_page() is page
    assert page.workshop.currentData() == workshop_id
    assert page.after.isChecked() and not page.before.isChecked()
    assert page.pin.hasFocus()


@pytest.mark.skipif(os.name != "posix", reason="file modes are a Linux and macOS matter")
def test_the_window_layout_file_is_private_like_the_rest_of_the_data(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    window.change_text_size(1.0)
    window.change_text_size(0.0)  # written both times; the next test starts at normal size
    window.close()
    layout = demo_store.data_dir / "window.ini"
    assert layout.stat().st_mode & 0o777 == 0o600
