"""The Workshops screen on a laptop and a desktop screen, at normal and large text.

Each case grabs the list and the opened "Introduction to HEARD" (Details, Agenda, Register)
into screenshots-out/firstrun/ for a person to look at, and checks what a trainer would
notice first: on a 1366×768 laptop at normal size, all nine steps of the agenda are in view
at once; nothing is cut short; the list shows every column without scrolling sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from amie_desktop.services import workshops
from amie_desktop.store import Store
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.workshops.page import WorkshopsPage
from tests.ui.conftest import clipped_labels, make_window, unnamed_controls
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
        (1024, 768, "large"),  # the section list's titles wrap to leave the list its room
        (1024, 768, "normal"),  # an old projector's screen (at large text the list scrolls)
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
    # few letters; at normal size no venue is cut short.
    table = page.table
    assert not table.horizontalScrollBar().isVisible()
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
            if (width, text) == (1366, "normal") or width == 1920:
                # Each step's whole row in view: the agenda has the page's height.
                assert steps_in_view(page) == INTRODUCTION_STEPS
    assert unnamed_controls(page) == []
    page.show_list()
    window.change_text_size(0)
