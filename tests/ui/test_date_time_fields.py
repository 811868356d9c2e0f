"""Dates and times typed as people type them, Tab to the next field, and a calendar that fits."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import workshops
from amie_desktop.store import Store
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.widgets.date_field import CalendarPopup, DateField
from amie_desktop.ui.widgets.time_field import TimeField
from amie_desktop.ui.workshops.dialogs import NewWorkshopDialog
from tests.ui.conftest import make_window, unnamed_controls

TODAY = date(2026, 11, 25)


def form(qtbot: QtBot) -> tuple[QWidget, DateField, TimeField, QLineEdit]:
    """A date, a time and a venue, in that order, as the plan dialog has them."""
    host = QWidget()
    qtbot.addWidget(host)
    day = DateField(QDate(2026, 12, 1), today=lambda: TODAY)
    start = TimeField(QTime(9, 30))
    venue = QLineEdit()
    layout = QFormLayout(host)
    for name, field in (("Date", day), ("Starts at", start), ("Venue", venue)):
        field.setAccessibleName(name)
        layout.addRow(name, field)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    return host, day, start, venue


def type_over(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """Click into the field, select what is there (as Tab into it does), and type."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, text)


@pytest.mark.parametrize(
    ("typed", "meant", "shown"),
    [
        ("19/1/2027", QDate(2027, 1, 19), "Tue 19 Jan 2027"),
        ("19 Jan 2027", QDate(2027, 1, 19), "Tue 19 Jan 2027"),
        ("2027-01-19", QDate(2027, 1, 19), "Tue 19 Jan 2027"),
        ("tomorrow", QDate(2026, 11, 26), "Thu 26 Nov 2026"),
        ("3 dec", QDate(2026, 12, 3), "Thu 3 Dec 2026"),
    ],
)
def test_a_typed_date_is_taken_and_tab_goes_to_the_next_field(
    qtbot: QtBot, typed: str, meant: QDate, shown: str
) -> None:
    _host, day, start, _venue = form(qtbot)
    with qtbot.waitSignal(day.dateChanged, timeout=2000):
        type_over(qtbot, day, typed)
        qtbot.keyClick(day, Qt.Key.Key_Tab)
    assert day.date() == meant
    assert day.text() == shown
    assert start.hasFocus()  # the next field, not the month or year of this one


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("10:00", QTime(10, 0)), ("10", QTime(10, 0)), ("1000", QTime(10, 0)),
     ("9.30", QTime(9, 30)), ("930am", QTime(9, 30)), ("2pm", QTime(14, 0))],
)  # fmt: skip
def test_a_typed_time_replaces_the_selected_one(qtbot: QtBot, typed: str, meant: QTime) -> None:
    _host, _day, start, venue = form(qtbot)
    start.setTime(QTime(14, 15))
    type_over(qtbot, start, typed)
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    assert start.time() == meant
    assert start.text() == meant.toString("HH:mm")
    assert venue.hasFocus()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("date", "31/2/2027", "“31/2/2027” is not a date. Type the day, month and year, such as "
         "19/1/2027 or 19 Jan 2027."),
        ("date", "next week", "“next week” is not a date. Type the day, month and year, such as "
         "19/1/2027 or 19 Jan 2027."),
        ("time", "25:00", "“25:00” is not a time of day. Type hours and minutes, such as 09:30 "
         "or 14:00."),
    ],
)  # fmt: skip
def test_nonsense_gets_a_plain_message_and_keeps_the_last_good_value(
    qtbot: QtBot, field: str, typed: str, message: str
) -> None:
    _host, day, start, _venue = form(qtbot)
    chosen: DateField | TimeField = day if field == "date" else start
    with qtbot.waitSignal(chosen.problem_found, timeout=2000) as said:
        type_over(qtbot, chosen, typed)
        qtbot.keyClick(chosen, Qt.Key.Key_Tab)
    assert said.args == [message]
    assert chosen.text() == typed  # kept as typed, to put right
    assert (day.date(), start.time()) == (QDate(2026, 12, 1), QTime(9, 30))


def test_up_and_down_move_the_date_a_day(qtbot: QtBot) -> None:
    _host, day, _start, _venue = form(qtbot)
    day.setFocus()
    qtbot.keyClick(day, Qt.Key.Key_Up)
    assert day.date() == QDate(2026, 12, 2)
    qtbot.keyClick(day, Qt.Key.Key_Down)
    qtbot.keyClick(day, Qt.Key.Key_Down)
    assert day.date() == QDate(2026, 11, 30) and day.text() == "Mon 30 Nov 2026"


# The offscreen platform cannot grab the keyboard for a pop-up; a desktop's can.
offscreen_popup = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


def open_calendar(qtbot: QtBot, day: DateField) -> CalendarPopup:
    day.setFocus()
    qtbot.waitUntil(day.hasFocus)
    qtbot.keyClick(day, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = day.popup
    assert popup is not None
    qtbot.waitExposed(popup)
    return popup


def calendar_fits(popup: CalendarPopup) -> list[str]:
    """What of the month is cut off: weeks below the bottom, days past the right edge,
    weekday names or day numbers wider or taller than their cells."""
    view = popup.days
    model = view.model()
    viewport = view.viewport().rect()
    metrics = view.fontMetrics()
    cut = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            cell = view.visualRect(model.index(row, column))
            text = str(model.index(row, column).data() or "")
            if not viewport.contains(cell):
                cut.append(f"cell {row},{column} ({text}) outside {viewport}")
            elif metrics.horizontalAdvance(text) > cell.width() or metrics.height() > cell.height():
                cut.append(f"{text!r} does not fit {cell.width()}x{cell.height()}")
    return cut


@offscreen_popup
def test_the_calendar_shows_every_week_and_weekday_at_normal_and_large_text(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    (screenshot_dir / "desk").mkdir(exist_ok=True)
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    # November 2026 starts on a Sunday: a month that touches six weeks.
    intro = workshops.create_from_template(
        demo_store, builtin_templates()[0], title="Six weeks", on=date(2026, 11, 30),
        start=time(10),
    )  # fmt: skip
    page.refresh()
    page.open_workshop(intro, tab=0)
    day = page.details.date
    for size, step in (("normal", 0.0), ("large", 6.0)):
        window.change_text_size(step)
        popup = open_calendar(qtbot, day)
        names = [popup.days.model().index(0, c).data() for c in range(7)]
        assert names == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        assert calendar_fits(popup) == []
        assert unnamed_controls(popup) == []
        popup.grab().save(str(screenshot_dir / "desk" / f"calendar-{size}.png"))
        window.grab().save(str(screenshot_dir / "desk" / f"calendar-in-window-{size}.png"))
        qtbot.keyClick(popup.calendar, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: day.popup is None)
    window.change_text_size(0)

    # Picked by keyboard: a day on, Enter, and it is saved.
    popup = open_calendar(qtbot, day)
    qtbot.keyClick(popup.days, Qt.Key.Key_Right)
    qtbot.keyClick(popup.days, Qt.Key.Key_Return)
    assert day.date() == QDate(2026, 12, 1) and day.hasFocus()
    assert workshops.get_workshop(demo_store, intro).row.date == date(2026, 12, 1)


def details_of(window: MainWindow, workshop_id: int) -> DateField:
    page = window.workshops_page
    page.open_workshop(workshop_id, tab=0)
    return page.details.date


def test_details_save_a_typed_date_and_say_when_one_is_nonsense(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    workshop_id = window.workshops_page.model.row_at(0).id
    day = details_of(window, workshop_id)
    form_ = window.workshops_page.details
    type_over(qtbot, day, "19/1/2027")
    qtbot.keyClick(day, Qt.Key.Key_Tab)
    assert workshops.get_workshop(demo_store, workshop_id).row.date == date(2027, 1, 19)
    assert form_.start.hasFocus()
    type_over(qtbot, day, "31/2/2027")
    qtbot.keyClick(day, Qt.Key.Key_Tab)
    assert form_.problem.text() == (
        "“31/2/2027” is not a date. Type the day, month and year, such as 19/1/2027 or "
        "19 Jan 2027. Not saved yet."
    )
    assert workshops.get_workshop(demo_store, workshop_id).row.date == date(2027, 1, 19)


def test_the_plan_dialog_takes_typed_dates_and_times(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, demo_store)
    seen: dict[str, str] = {}

    def fill_in(
        store: Store, parent: QWidget | None = None, *, today: date | None = None
    ) -> int | None:
        dialog = NewWorkshopDialog(store, TODAY, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.template.hasFocus)
        qtbot.keyClick(dialog.template, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.title, "Typed by hand")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Tab)
        assert dialog.date.hasFocus()
        dialog.date.selectAll()
        qtbot.keyClicks(dialog.date, "tomorow")  # a slip: OK says what is wrong
        qtbot.keyClick(dialog.date, Qt.Key.Key_Tab)
        assert dialog.start.hasFocus()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        seen["problem"] = dialog.problem.text()
        dialog.date.selectAll()
        qtbot.keyClicks(dialog.date, "19 Jan 2027")
        dialog.start.selectAll()
        qtbot.keyClicks(dialog.start, "930am")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.created_id

    monkeypatch.setattr(NewWorkshopDialog, "ask", fill_in)
    window.workshops_page.plan_new()
    assert seen["problem"] == (
        "“tomorow” is not a date. Type the day, month and year, such as 19/1/2027 or 19 Jan 2027."
    )
    made = next(r for r in workshops.list_workshops(demo_store) if r.title == "Typed by hand")
    assert (made.date, made.start_time) == (date(2027, 1, 19), time(9, 30))
