"""Polish a trainer notices: the status bar, the user guide's way out, Ctrl+N from anywhere,
and "How it went" with its figures apart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import facilitate, workshops
from amie_desktop.store import Store
from amie_desktop.ui.help import GuideWindow, guide_folder
from amie_desktop.ui.widgets.status_bar import StatusBar
from amie_desktop.ui.workshops.dialogs import NewWorkshopDialog
from tests.ui.conftest import make_small_window, make_window, unnamed_controls


@pytest.fixture
def shots(screenshot_dir: Path) -> Path:
    folder = screenshot_dir / "desk"
    folder.mkdir(exist_ok=True)
    return folder


def test_status_messages_never_run_into_the_data_folder_and_do_not_linger(
    qtbot: QtBot, demo_store: Store, shots: Path
) -> None:
    window = make_small_window(qtbot, demo_store)
    bar = window.statusBar()
    assert isinstance(bar, StatusBar)
    window.show_section(window.section_titles().index("Facilitate"))
    message, data = bar.message, bar.data
    assert message.text() == "Run a workshop step by step, with a timer and a presenter window"
    assert data.text() == f"Data: {demo_store.where}"  # whole, for screen readers and tooltips
    # Side by side, never overlapping, each drawn cut short with "…" where room is short.
    left = message.geometry()
    right = data.geometry()
    assert left.right() < right.left()
    assert right.width() <= window.width() * 0.45 + 1
    assert data.shown_text().startswith("Data: /") and "…" in data.shown_text()
    assert data.fontMetrics().horizontalAdvance(data.shown_text()) <= data.contentsRect().width()
    assert message.fontMetrics().horizontalAdvance(message.shown_text()) <= left.width()
    window.grab().save(str(shots / "status-bar-narrow.png"))

    # The next message replaces the last; none stays once its time is up.
    bar.showMessage("Saved the run sheet", 100)
    assert message.text() == "Saved the run sheet"
    qtbot.waitUntil(lambda: message.text() == "", timeout=2000)
    bar.showMessage("A message with no time of its own")
    assert bar._timer.isActive() and bar._timer.interval() == 8000


def test_the_user_guide_closes_with_escape_or_its_close_button(qtbot: QtBot) -> None:
    folder = guide_folder()
    assert folder is not None
    for how in ("Escape", "Close button"):
        guide = GuideWindow(folder)
        qtbot.addWidget(guide)
        guide.show()
        qtbot.waitExposed(guide)
        guide.activateWindow()
        qtbot.waitUntil(guide.isActiveWindow)
        assert unnamed_controls(guide) == []
        if how == "Escape":
            guide.browser.setFocus()
            qtbot.keyClick(guide.browser, Qt.Key.Key_Escape)
        else:
            assert guide.close_button.text() == "Close"
            guide.close_button.click()
        assert not guide.isVisible(), how


def test_ctrl_n_plans_a_workshop_wherever_the_focus_is(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, demo_store)
    asked: list[str] = []

    def ask(store: Store, parent: QWidget | None = None, *, today: object = None) -> int | None:
        asked.append("asked")
        return None

    monkeypatch.setattr(NewWorkshopDialog, "ask", ask)
    titles = window.section_titles()
    page = window.workshops_page
    first = page.model.row_at(0).id

    def workshop_tab(tab: int, widget: QWidget) -> QWidget:
        window.show_section(titles.index("Workshops"))
        page.open_workshop(first, tab=tab)
        return widget

    def section(title: str, widget: QWidget) -> QWidget:
        window.show_section(titles.index(title))
        return widget

    def workshop_list() -> QWidget:
        window.show_section(titles.index("Workshops"))
        page.show_list()
        return page.table

    places: list[tuple[str, Callable[[], QWidget]]] = [
        ("the workshop list", workshop_list),
        ("a workshop's title", lambda: workshop_tab(0, page.details.title)),
        ("its notes", lambda: workshop_tab(0, page.details.notes)),
        ("its date", lambda: workshop_tab(0, page.details.date)),
        ("an agenda step's prompt", lambda: workshop_tab(1, page.agenda.prompt)),
        ("the agenda's steps", lambda: workshop_tab(1, page.agenda.view)),
        ("the register", lambda: workshop_tab(2, page.register.view)),
        ("the walk-in box", lambda: workshop_tab(2, page.register.walk_in)),
        ("Facilitate", lambda: section("Facilitate", window.facilitate_page.workshop_choice)),
        ("Exports", lambda: section("Exports", window.exports_page.workshop)),
        ("the section list", lambda: window.navigation),
    ]
    missed = []
    for where, place in places:
        widget = place()
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        before = len(asked)
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        if len(asked) == before:
            missed.append(where)
    assert missed == []


def finished_workshop(store: Store) -> int:
    """The taster run from 09:30, each step a little over or under its plan, then finished."""
    workshop_id = workshops.create_from_template(
        store, next(t for t in builtin_templates() if t.title.startswith("HEARD taster")),
        title="Taster, as it went", on=date(2026, 11, 25),
        start=time(9, 30),
    )  # fmt: skip
    now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    state = facilitate.start(store, workshop_id, clock=lambda: now)
    overs = [0, 20, 40, 60, -30, 100, 120, 0, 0, 0, 0]
    for number, step in enumerate(state.steps):
        now += timedelta(seconds=step.plan.minutes * 60 + overs[number])
        facilitate.next_step(store, workshop_id, clock=partial(lambda moment: moment, now))
    return workshop_id


def test_how_it_went_keeps_took_and_against_plan_apart_at_normal_and_large_text(
    qtbot: QtBot, demo_store: Store, shots: Path
) -> None:
    workshop_id = finished_workshop(demo_store)
    window = make_window(qtbot, demo_store)
    window.showNormal()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    page.open_workshop(workshop_id)
    summary = page.summary
    assert page.stack.currentWidget() is summary
    rows = summary.row_texts()
    assert [row[2:5] for row in rows[:3]] == [
        ["10 min", "10 min", "On plan"],
        ["15 min", "15 min 20 s", "On plan"],
        ["15 min", "15 min 40 s", "1 minute over"],
    ]
    for size, step in (("normal", 0.0), ("large", 6.0)):
        window.change_text_size(step)
        qtbot.wait(50)
        table = summary.table
        header = table.header()
        metrics = table.fontMetrics()
        for column in (2, 3, 4):  # Planned, Took, Against plan: each whole, in its own column
            widest = max(metrics.horizontalAdvance(row[column]) for row in rows)
            assert table.columnWidth(column) >= widest + metrics.averageCharWidth(), (size, column)
        # Right-aligned headings over right-aligned times, so "Took" does not hang over the
        # gap before "Against plan".
        for column in (2, 3):
            alignment = table.headerItem().textAlignment(column)
            assert alignment & Qt.AlignmentFlag.AlignRight, (size, column)
        window.grab().save(str(shots / f"how-it-went-{size}.png"))
        # The step's figures are in view without scrolling (at large text, what scrolls off is
        # the principle and the notes); at normal text, every column is.
        for column in (2, 3, 4):
            right = header.sectionViewportPosition(column) + table.columnWidth(column)
            assert header.sectionViewportPosition(column) >= 0 and right <= table.viewport().width()
        if size == "normal":
            assert not table.horizontalScrollBar().isVisible()
        # As drawn: on every row, Took's last ink ends a clear gap before Against plan's first.
        image = table.viewport().grab().toImage()
        scale = image.width() / table.viewport().width()
        took = header.sectionViewportPosition(3)
        against = header.sectionViewportPosition(4)
        end = against + table.columnWidth(4)
        for index in range(table.topLevelItemCount()):
            item = table.topLevelItem(index)
            assert item is not None
            band = table.visualItemRect(item)
            inked = [
                x for x in range(took, end)
                if any(image.pixelColor(int(x * scale), int(y * scale)).lightness() < 100
                       for y in range(band.top() + 2, band.bottom() - 1))
            ]  # fmt: skip
            took_ink = [x for x in inked if x < against]
            against_ink = [x for x in inked if x >= against]
            if took_ink and against_ink:
                gap = min(against_ink) - max(took_ink)
                assert gap >= metrics.averageCharWidth() * 2, (size, rows[index][3:5], gap)

    window.change_text_size(0)
