"""First launch to a running workshop by mouse, on a fake clock.

The same journey as the keyboard test, by someone who clicks: every click lands on a real
widget where it is drawn (and fails if something covers it or it is off the window); text is
typed where the focus already is. No other key is pressed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox
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
    window_manager_activates_a_window,
)

PEOPLE = ("Aisha Khan", "Bartosz Nowak", "Chloé Martin")


def test_first_launch_to_a_running_workshop_by_mouse(
    qtbot: QtBot, store: Store, uk_time: None, screenshot_dir: Path
) -> None:
    clock = FakeClock(MORNING)
    person = Person(qtbot, clock)
    problems: list[BaseException] = []
    watchdog = close_stuck_dialogs(problems)

    # First-run set-up: the name is typed where the focus starts; the PIN fields are clicked.
    def set_up(dialog: QDialog) -> None:
        assert isinstance(dialog, SetupDialog)
        person.type_in("Northfield Music Hub")
        person.click(dialog.pin, why="PIN")
        person.type_in("2468")
        person.click(dialog.repeat, why="PIN again")
        person.type_in("2468")
        dialog.grab().save(str(shots(screenshot_dir) / "first-launch-mouse-set-up.png"))
        person.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), why="OK")

    def skip_tour(dialog: QDialog) -> None:
        assert isinstance(dialog, TourDialog)
        person.click(dialog.skip, why="Skip the tour")

    when_dialog_opens(SetupDialog, set_up, problems)
    when_dialog_opens(TourDialog, skip_tour, problems)  # the tour opens the first time
    window = show_window(store, clock=clock)  # as the app opens its window
    assert problems == []
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.showNormal()
    window.resize(1366, 768)  # a trainer's laptop
    qtbot.waitUntil(lambda: window.width() == 1366)
    window_manager_activates_a_window(qtbot)
    page = window.workshops_page

    # New workshop…: the introduction is offered first, today at 09:30; OK.
    def plan(dialog: QDialog) -> None:
        assert isinstance(dialog, NewWorkshopDialog)
        assert dialog.template.currentText().startswith("Introduction to HEARD")
        dialog.grab().save(str(shots(screenshot_dir) / "first-launch-mouse-new-workshop.png"))
        person.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), why="OK")

    when_dialog_opens(NewWorkshopDialog, plan, problems)
    person.click(page.new_button, why="New workshop")
    assert problems == []
    assert page.is_open()
    window_manager_activates_a_window(qtbot)

    # The Register tab: nobody is booked yet, so the booking form is open with the focus in
    # the name; type a name, click Add person, three times.
    bar = page.tabs.tabBar()
    person.click(bar, at=bar.tabRect(2).center(), why="Register tab")
    tab = page.register
    assert tab.add_box.isVisible()
    for name in PEOPLE:
        person.type_in(name)
        person.click(tab.add_button, why="Add person")
    window.grab().save(str(shots(screenshot_dir) / "first-launch-mouse-register.png"))

    # Facilitate in the section list, then Start.
    nav = window.navigation
    facilitate_item = nav.item(window.section_titles().index("Facilitate"))
    person.click(nav.viewport(), at=nav.visualItemRect(facilitate_item).center(), why="Facilitate")
    facilitate = window.facilitate_page
    person.click(facilitate.start_button, why="Start")
    started_at = clock()

    assert len(person.clicks) <= 12, person.clicks
    assert person.keys == []  # nothing but typed text
    assert clock.elapsed < 60, f"{clock.elapsed:.1f} s"

    # What the trainer sees: the workshop running on its first step, started at that click.
    assert facilitate.stack.currentWidget() is facilitate.running
    assert facilitate.view.step_title.text() == "Welcome and arrival"
    qtbot.waitUntil(lambda: facilitate.view.countdown.text() == "15:00")
    window.grab().save(str(shots(screenshot_dir) / "first-launch-mouse-running.png"))
    (row,) = workshops.list_workshops(store)
    assert (row.title, row.status, row.date.isoformat()) == (
        "Introduction to HEARD",
        WorkshopStatus.RUNNING,
        "2027-03-09",
    )
    state = facilitate.state
    assert state is not None and state.steps[0].started_at == started_at
    assert organisation.get_settings(store) is not None
    booked = register.list_register(store, row.id)
    assert [(r.name, r.status) for r in booked] == [
        (name, AttendanceStatus.BOOKED) for name in PEOPLE
    ]
    # The three names on screen in the register, each row in view.
    view = tab.view
    model = view.model()
    on_screen = [
        model.index(r, 0).data()
        for r in range(model.rowCount())
        if view.viewport().rect().contains(view.visualRect(model.index(r, 0)))
    ]
    assert on_screen == list(PEOPLE)
    watchdog.stop()
    assert problems == []
