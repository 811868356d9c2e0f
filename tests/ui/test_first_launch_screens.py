"""The Workshops screen on a laptop and a desktop screen, at normal and large text.

Each case grabs the list and the opened "Introduction to HEARD" (Details, Agenda, Register)
into screenshots-out/firstrun/ for a person to look at, and checks what a trainer would
notice first: on a 1366×768 laptop at normal size, all nine steps of the agenda are in view
at once; nothing is cut short; the list shows every column without scrolling sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from amie_desktop.domain.dates import short_date
from amie_desktop.services import workshops
from amie_desktop.store import Store
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.workshops.page import WorkshopsPage
from tests.ui.conftest import clipped_labels, make_small_window, make_window, unnamed_controls
from tests.ui.first_launch_helpers import shots

INTRODUCTION_STEPS = [
    "Welcome and arrival",
    "Setting the scene: who is missing?",
    "Holistic: more than the notes",
    "Equitable: support where the barriers are biggest",
    "Break",
    "Authentic: with, not for",
    "Representative: who do young people see?",
    "Diverse: every style valued equally",
    "Action planning and close",
]
LARGE = 6  # points above normal: 16 pt, the text size 160% that View > Larger text reaches


def steps_in_view(page: WorkshopsPage) -> list[str]:
    """The steps whose whole row (every column) is inside the agenda's visible area."""
    view = page.agenda.view
    model = view.model()
    shown = view.viewport().rect()
    titles = []
    for row in range(model.rowCount()):
        first = view.visualRect(model.index(row, 0))
        last = view.visualRect(model.index(row, model.columnCount() - 1))
        if shown.contains(first.united(last)):
            titles.append(str(model.index(row, 2).data()))
    return titles


def off_window(window: MainWindow, page: WorkshopsPage) -> list[str]:
    """Buttons on the opened workshop's page that are drawn outside the window."""
    outside = []
    for button in (page.back_button, page.runsheet_button, page.withdraw_button):
        corner = button.mapTo(window, button.rect().bottomRight())
        if button.isVisible() and not window.rect().contains(corner):
            outside.append(button.text())
    return outside


@pytest.mark.parametrize(
    ("width", "height", "text"),
    [
        (800, 600, "normal"),  # the smallest window the app is made for
        (1024, 768, "large"),  # an old projector's screen: a workshop on a few lines
        (1024, 768, "normal"),
        (1366, 768, "normal"),
        (1366, 768, "large"),
        (1920, 1080, "normal"),
        (1920, 1080, "large"),
    ],
)
def test_the_workshops_screen_at_laptop_and_desktop_sizes(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path, width: int, height: int, text: str
) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    if text == "large":
        window.change_text_size(LARGE)
    page = window.workshops_page
    qtbot.wait(50)
    name = f"workshops-{width}x{height}-{text}"
    folder = shots(screenshot_dir)
    window.grab().save(str(folder / f"{name}-list.png"))
    # The list: every column in view, down to the status; the title never squeezed to a
    # few letters; at normal size no venue is cut short. At large text on a 1024-pixel
    # screen the columns would leave the title eight letters: each workshop stands on a few
    # lines instead (test_at_200_percent_on_the_smallest_window_… says what they hold).
    table = page.table
    assert not table.horizontalScrollBar().isVisible()
    assert sideways(window) == 0
    assert page.narrow == ((width, text) == (1024, "large"))
    if page.narrow:
        assert table.rowHeight(0) >= 4 * table.fontMetrics().lineSpacing()
    else:
        assert [table.isColumnHidden(c) for c in range(7)] == [False] * 7
    status = table.horizontalHeader().sectionViewportPosition(6) + table.columnWidth(6)
    assert status <= table.viewport().width()
    title_width = table.columnWidth(1)
    titles = [page.model.row_at(r).title for r in range(page.model.rowCount())]
    assert title_width >= max(table.columnWidth(2), table.columnWidth(3))
    if width >= 1366 or (width >= 1024 and text == "normal"):
        assert title_width >= 10 * table.fontMetrics().averageCharWidth()
    if text == "normal" and width >= 1366:
        assert title_width >= max(table.fontMetrics().horizontalAdvance(t) for t in titles)
        venues = [page.model.row_at(r).venue for r in range(page.model.rowCount())]
        assert table.columnWidth(2) >= max(table.fontMetrics().horizontalAdvance(v) for v in venues)

    intro = next(
        r.id for r in workshops.list_workshops(demo_store) if r.title == "Introduction to HEARD"
    )
    for tab, tab_name in enumerate(("details", "agenda", "register")):
        page.open_workshop(intro, tab=tab)
        qtbot.wait(50)
        window.grab().save(str(folder / f"{name}-{tab_name}.png"))
        assert clipped_labels(page) == [], tab_name
        assert off_window(window, page) == [], tab_name
        if tab_name == "agenda":
            rows = [
                str(page.agenda.model.index(r, 2).data())
                for r in range(page.agenda.model.rowCount())
            ]
            assert rows == INTRODUCTION_STEPS
            # The step's title keeps its room: where whole principle names would leave it a
            # few letters (large text on a laptop), principles show their letter, and their
            # whole name is still the tooltip and what a screen reader says.
            agenda = page.agenda.model
            holistic = agenda.index(INTRODUCTION_STEPS.index("Holistic: more than the notes"), 1)
            if (width, text) == (1366, "large"):
                assert holistic.data() == "H"
                step_room = page.agenda.view.columnWidth(2)
                assert step_room >= 20 * page.agenda.view.fontMetrics().averageCharWidth()
            elif width == 1920 or (width, text) == (1366, "normal"):
                assert holistic.data() == "H  Holistic"
            assert holistic.data(Qt.ItemDataRole.ToolTipRole) == "H  Holistic"
            assert holistic.data(Qt.ItemDataRole.AccessibleTextRole) == "H  Holistic"
            if (width, text) == (1366, "normal") or width == 1920:
                # Each step's whole row in view: the agenda has the page's height.
                assert steps_in_view(page) == INTRODUCTION_STEPS
    assert unnamed_controls(page) == []
    page.show_list()
    window.change_text_size(0)


def sideways(window: MainWindow) -> int:
    """How far the section on show can be scrolled sideways (0: it fits the window)."""
    area = window.stack.currentWidget()
    assert isinstance(area, QScrollArea)
    return area.horizontalScrollBar().maximum()


def test_at_200_percent_on_the_smallest_window_each_workshop_stands_on_a_few_lines(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    """Too narrow for the columns, the list becomes one column, each workshop on a few lines,
    and the buttons and filters stand one above another: nothing scrolls sideways. At 200% on
    an 800-pixel window the counts and status were out of sight and "New workshop" cut off."""
    window = make_small_window(qtbot, demo_store)
    page = window.workshops_page
    window.change_text_size(10)  # 20 pt: 200%
    qtbot.waitUntil(lambda: page.narrow)
    qtbot.wait(50)
    window.grab().save(str(shots(screenshot_dir) / "workshops-800x600-200-percent-list.png"))

    assert sideways(window) == 0
    table = page.table
    assert not table.horizontalScrollBar().isVisible()
    area = window.stack.currentWidget()
    assert area is not None
    for button in (page.new_button, page.library_button, page.open_button):
        corner = button.mapTo(area, button.rect().bottomRight())
        assert corner.x() <= area.width(), button.text()

    # Each workshop says its title, day, venue, facilitators, counts and status, every line
    # of it inside its row.
    newest = workshops.list_workshops(demo_store)[0]
    shown = str(table.model().index(0, 1).data())
    assert shown.splitlines() == [
        newest.title,
        f"{short_date(newest.date)} · {newest.venue}",
        ", ".join(newest.facilitators),
        f"{newest.booked} booked, {newest.attended} attended · {newest.status.value.capitalize()}",
    ]
    lines = table.fontMetrics().lineSpacing()
    assert table.rowHeight(0) >= 4 * lines
    assert unnamed_controls(page) == []

    # Back at normal text on a laptop's screen, every column again, a line per workshop.
    window.change_text_size(0)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: not page.narrow)
    assert table.horizontalHeader().isVisible()
    assert [table.isColumnHidden(c) for c in range(7)] == [False] * 7
    assert table.rowHeight(0) < 2 * table.fontMetrics().lineSpacing()
    assert str(table.model().index(0, 1).data()) == newest.title


def test_the_section_list_wraps_again_when_the_window_is_made_narrow(
    qtbot: QtBot, demo_store: Store
) -> None:
    """Made narrower after being wide (out of full screen), "Reflection station" wraps onto two
    lines; it kept its one-line width and the section list scrolled sideways."""
    window = make_window(qtbot, demo_store)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    navigation = window.navigation
    one_line = navigation.visualItemRect(navigation.item(0)).height()
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800)
    qtbot.wait(200)
    station = next(
        navigation.item(r) for r in range(navigation.count())
        if navigation.item(r).text() == "Reflection station"
    )  # fmt: skip
    assert navigation.horizontalScrollBar().maximum() == 0
    assert navigation.visualItemRect(station).height() > one_line * 1.3
    text_room = navigation.viewport().width()
    assert navigation.visualItemRect(station).width() <= text_room


def test_at_200_percent_on_the_smallest_window_no_section_scrolls_sideways(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    """Facilitate, the reflection station and the Settings tabs scrolled sideways at 200% on
    800 pixels: a choice of workshop kept 24 characters, a hidden page's width counted, labels
    and fields stayed side by side, rows of buttons and a folder's path could not wrap, and a
    check box's long text could not either."""
    window = make_small_window(qtbot, demo_store)
    window.change_text_size(10)  # 20 pt: 200%
    for row, section in enumerate(window.sections):
        window.navigation.setCurrentRow(row)
        qtbot.wait(100)
        window.grab().save(str(shots(screenshot_dir) / f"section-{row}-800x600-200-percent.png"))
        assert sideways(window) == 0, section.title
    settings = window.settings_page
    for tab in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(tab)
        qtbot.wait(100)
        window.grab().save(str(shots(screenshot_dir) / f"settings-{tab}-800x600-200-percent.png"))
        for area in settings.findChildren(QScrollArea):
            if area.isVisible():
                assert area.horizontalScrollBar().maximum() == 0, settings.tabs.tabText(tab)
