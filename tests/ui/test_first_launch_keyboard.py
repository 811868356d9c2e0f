"""First launch to a running workshop by keyboard alone, on a fake clock.

A trainer opens the app for the first time on an empty data folder, sets it up, plans
"Introduction to HEARD" for this morning, books three people in and starts the workshop,
without touching the mouse. Every key goes to whatever has the focus, so a dialog opening
with the focus in the wrong place, or a shortcut that stops working, costs keys or fails.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.services import organisation, register, workshops
from amie_desktop.store import Store
from amie_desktop.ui.application import show_window
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.help import TourDialog
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.workshops.dialogs import NewWorkshopDialog
from tests.ui.first_launch_helpers import (
    MORNING,
    FakeClock,
    Person,
    close_stuck_dialogs,
    shots,
    when_dialog_opens,
)

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
PEOPLE = (
    ("Aisha Khan", "aisha.khan@example.org"),
    ("Bartosz Nowak", "b.nowak@example.org"),
    ("Chloé Martin", "chloe@example.org"),
)


def test_first_launch_to_a_running_workshop_by_keyboard_only(
    qtbot: QtBot, store: Store, uk_time: None, screenshot_dir: Path
) -> None:
    clock = FakeClock(MORNING)
    person = Person(qtbot, clock)
    problems: list[BaseException] = []
    watchdog = close_stuck_dialogs(problems)
    assert organisation.get_settings(store) is None  # an empty data folder

    # First-run set-up: the focus starts in the organisation's name.
    def set_up(_dialog: QDialog) -> None:
        person.type_in("Northfield Music Hub")
        person.press(Qt.Key.Key_Tab)
        person.type_in("2468")
        person.press(Qt.Key.Key_Tab)
        person.type_in("2468")
        person.press(Qt.Key.Key_Return, why="OK")

    when_dialog_opens(SetupDialog, set_up, problems)
    # Then the tour opens, the first time; Esc skips it.
    when_dialog_opens(TourDialog, lambda _d: person.press(Qt.Key.Key_Escape), problems)
    window = show_window(store, clock=clock)  # as the app opens its window
    assert problems == []
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.showNormal()
    window.resize(1366, 768)  # a trainer's laptop

    # Plan the workshop: Ctrl+N, the template offered first is the introduction, the date is
    # today and it starts at 09:30; give it a venue and press Enter.
    def plan(dialog: QDialog) -> None:
        assert isinstance(dialog, NewWorkshopDialog)
        assert dialog.template.currentText().startswith("Introduction to HEARD")
        person.press(Qt.Key.Key_V, ALT, why="Alt+V venue")
        person.type_in("Hillside Library")
        person.press(Qt.Key.Key_Return, why="OK")

    when_dialog_opens(NewWorkshopDialog, plan, problems)
    person.press(Qt.Key.Key_N, CTRL, why="Ctrl+N")
    assert problems == []
    page = window.workshops_page
    assert page.is_open()

    # The register: Alt+R, then each person's name, Tab, email, Enter.
    person.press(Qt.Key.Key_R, ALT, why="Alt+R register")
    for name, email in PEOPLE:
        person.type_in(name)
        person.press(Qt.Key.Key_Tab)
        person.type_in(email)
        person.press(Qt.Key.Key_Return, why="book")

    # Facilitate: Ctrl+2 goes there with today's workshop chosen; Alt+S starts it.
    person.press(Qt.Key.Key_2, CTRL, why="Ctrl+2 Facilitate")
    person.press(Qt.Key.Key_S, ALT, why="Alt+S start")
    started_at = clock()

    # Budget: at most 40 key presses besides typed text, and under a minute of the user's time.
    assert len(person.keys) <= 40, person.keys
    assert clock.elapsed < 60, f"{clock.elapsed:.1f} s"

    # What the trainer sees: the workshop running in Facilitate, on its first step, started now.
    facilitate = window.facilitate_page
    assert window.current_page() is facilitate
    assert facilitate.stack.currentWidget() is facilitate.running
    assert facilitate.view.step_title.text() == "Welcome and arrival"
    qtbot.waitUntil(lambda: facilitate.view.wall_clock.text() == "09:20")
    qtbot.waitUntil(lambda: facilitate.view.countdown.text() == "15:00")
    window.grab().save(str(shots(screenshot_dir) / "first-launch-keyboard-running.png"))
    clock.advance(65)  # the trainer welcomes the room; the countdown follows the clock
    qtbot.waitUntil(lambda: facilitate.view.countdown.text() == "13:55")
    assert facilitate.view.wall_clock.text() == "09:21"

    (row,) = workshops.list_workshops(store)
    assert (row.title, row.venue, row.status) == (
        "Introduction to HEARD",
        "Hillside Library",
        WorkshopStatus.RUNNING,
    )
    assert row.date.isoformat() == "2027-03-09"
    assert organisation.get_settings(store).name == "Northfield Music Hub"  # type: ignore[union-attr]
    state = facilitate.state
    assert state is not None and state.steps[0].started_at == started_at
    booked = register.list_register(store, row.id)
    assert [(r.name, r.person.email, r.status) for r in booked] == [
        (name, email, AttendanceStatus.BOOKED) for name, email in PEOPLE
    ]

    # And the register on screen, back in Workshops (Ctrl+1): all three, in view.
    person.press(Qt.Key.Key_1, CTRL)
    view = page.register.view
    assert page.tabs.currentWidget() is page.register
    assert page.detail_when.text() == "Tue 9 Mar 2027 · 09:30 · Hillside Library · Running"
    shown = [
        view.model().index(r, 0).data()
        for r in range(view.model().rowCount())
        if view.viewport().rect().contains(view.visualRect(view.model().index(r, 0)))
    ]
    assert shown == [name for name, _ in PEOPLE]
    window.grab().save(str(shots(screenshot_dir) / "first-launch-keyboard-register.png"))
    watchdog.stop()
    assert problems == []
