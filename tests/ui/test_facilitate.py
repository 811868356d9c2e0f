"""Facilitate mode from the front of the room: clicker keys, timers, presenter window, notes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from amie_desktop.domain.contrast import contrast_ratio
from amie_desktop.domain.timing import TimerLevel, countdown_text
from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.services import facilitate, workshops
from amie_desktop.store import Store, open_store
from amie_desktop.ui.facilitate import page as facilitate_page
from amie_desktop.ui.facilitate.colours import LEVEL_COLOURS, PAUSED_COLOUR
from amie_desktop.ui.facilitate.page import FacilitatePage
from amie_desktop.ui.facilitate.presenter import ScreenLike
from amie_desktop.ui.main_window import MainWindow, window_settings
from tests.ui.conftest import make_small_window, make_window, unnamed_controls

TODAY = date(2026, 11, 25)


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeScreen:
    label: str
    area: QRect

    def name(self) -> str:
        return self.label

    def geometry(self) -> QRect:
        return self.area


LAPTOP = FakeScreen("Built-in display", QRect(0, 0, 1366, 768))
PROJECTOR = FakeScreen("HDMI projector", QRect(1366, 0, 1280, 720))


def make_page(
    qtbot: QtBot, store: Store, clock: FakeClock, screens: Sequence[ScreenLike] = (LAPTOP,)
) -> FacilitatePage:
    page = FacilitatePage(store, clock=clock, screens=lambda: list(screens), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.refresh()
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def snap(widget: QWidget, path: Path) -> None:
    """Save a screen grab once pending layout work is done, as a person would see it."""
    QApplication.processEvents()
    widget.grab().save(str(path))


def press(qtbot: QtBot, key: Qt.Key) -> None:
    """A clicker key, sent wherever the keyboard focus is (as a real clicker's would be)."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def todays_workshop(store: Store) -> int:
    return next(r.id for r in workshops.list_workshops(store) if r.date == TODAY)


def test_a_whole_workshop_with_clicker_keys_only(
    qtbot: QtBot, demo_store: Store, clock: FakeClock, screenshot_dir: Path
) -> None:
    page = make_page(qtbot, demo_store, clock)
    workshop_id = todays_workshop(demo_store)
    assert page.workshop_choice.currentData() == workshop_id  # today's is offered first
    page.workshop_choice.setFocus()

    press(qtbot, Qt.Key.Key_F5)  # F5 starts, as a slide show does
    state = page.state
    assert state is not None and state.running and state.position == 0
    assert page.stack.currentWidget() is page.running
    assert page.presenter.isFullScreen()
    press(qtbot, Qt.Key.Key_Escape)  # leaves full screen, not the workshop
    assert not page.presenter.isFullScreen() and page.state is not None
    assert page.state.running

    steps = page.state.steps
    started = clock.now
    # Each step takes its planned time plus a little more the further in we are.
    spent = [step.plan.minutes * 60 + 20 * number for number, step in enumerate(steps)]
    forwards = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space)
    for number, seconds in enumerate(spent):
        assert page.view.step_title.text() == steps[number].plan.title
        last = number == len(steps) - 1
        assert page.view.next_button.accessibleName() == ("Finish" if last else "Next")
        assert page.view.finish_button.isVisible() is not last  # never two Finish buttons
        plan = steps[number].plan
        assert page.presenter.prompt.text() == (plan.prompt or plan.title)
        clock.advance(seconds)
        page.tick()
        press(qtbot, forwards[number % 3])

    assert page.stack.currentWidget() is page.summary
    state = facilitate.get_state(demo_store, workshop_id)
    assert state.status is WorkshopStatus.DONE
    moment = started
    for step, seconds in zip(state.steps, spent, strict=True):
        assert step.started_at == moment
        moment += timedelta(seconds=seconds)
        assert step.ended_at == moment
    rows = page.summary.row_texts()
    assert [row[0] for row in rows] == [f"{s.position + 1}. {s.plan.title}" for s in steps]
    assert rows[0][3:5] == [f"{steps[0].plan.minutes} min", "On plan"]  # took exactly its time
    assert rows[-1][4] == f"{round(20 * (len(steps) - 1) / 60)} minutes over"
    assert page.presenter.prompt.text() == "Thank you for taking part."
    snap(page, screenshot_dir / "facilitate-how-it-went.png")

    press(qtbot, Qt.Key.Key_PageUp)  # an accidental finish is undone by going back
    assert page.state is not None and page.state.running
    assert page.state.position == len(steps) - 1


def test_back_blank_and_keys_in_the_presenter_window(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock)
    page.open_workshop(todays_workshop(demo_store))
    qtbot.addWidget(page.presenter)
    press(qtbot, Qt.Key.Key_PageDown)
    press(qtbot, Qt.Key.Key_Right)
    assert page.state is not None and page.state.position == 2
    press(qtbot, Qt.Key.Key_Left)
    assert page.state.position == 1
    press(qtbot, Qt.Key.Key_B)
    assert page.presenter.blank and page.view.blank_button.isChecked()
    press(qtbot, Qt.Key.Key_Period)
    assert not page.presenter.blank

    # The same keys work when the presenter window has the focus.
    page.present()
    page.presenter.activateWindow()
    qtbot.waitUntil(page.presenter.isActiveWindow)
    qtbot.keyClick(page.presenter, Qt.Key.Key_PageUp)
    assert page.state.position == 0
    qtbot.keyClick(page.presenter, Qt.Key.Key_Space)
    assert page.state.position == 1
    qtbot.keyClick(page.presenter, Qt.Key.Key_B)
    assert page.presenter.blank
    # The first press on a blank screen shows the step again without moving on.
    qtbot.keyClick(page.presenter, Qt.Key.Key_PageDown)
    assert not page.presenter.blank and not page.view.blank_button.isChecked()
    assert page.state.position == 1
    qtbot.keyClick(page.presenter, Qt.Key.Key_Escape)
    assert not page.presenter.isFullScreen()
    assert page.state.running
    # On the first step, back stays there; a held key does not race through the agenda.
    qtbot.keyClick(page.presenter, Qt.Key.Key_PageUp)
    qtbot.keyClick(page.presenter, Qt.Key.Key_PageUp)
    assert page.state.position == 0
    held = QKeyEvent(
        QEvent.Type.KeyPress, Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, "", True
    )
    QApplication.sendEvent(page.presenter, held)
    assert page.state.position == 0


def test_clicker_keys_leave_the_rest_of_the_app_alone(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    page.open_workshop(todays_workshop(demo_store))
    window.show_section(window.section_titles().index("Workshops"))
    table = window.workshops_page.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_PageUp)
    assert table.currentIndex().row() == 0  # the table had the key, not the clicker
    assert page.state is not None and page.state.position == 0
    window.show_section(window.section_titles().index("Facilitate"))
    qtbot.keyClick(page.view.next_button, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.workshops_page  # Ctrl+1 still works


def test_group_notes_keep_their_keys_and_are_saved_as_typed(
    qtbot: QtBot, demo_store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, demo_store, clock)
    workshop_id = todays_workshop(demo_store)
    page.open_workshop(workshop_id)
    notes = page.view.group_notes
    notes.setFocus()
    qtbot.keyClicks(notes, "Big bands. Local grime.")
    qtbot.keyClick(notes, Qt.Key.Key_Left)
    assert page.state is not None and page.state.position == 0  # typing keys type
    assert notes.toPlainText() == "Big bands. Local grime."
    qtbot.waitUntil(
        lambda: (
            facilitate.get_state(demo_store, workshop_id).steps[0].group_notes
            == "Big bands. Local grime."
        )
    )
    qtbot.keyClick(notes, Qt.Key.Key_PageDown)  # the clicker still moves on
    assert page.state.position == 1
    assert notes.toPlainText() == ""
    qtbot.keyClicks(notes, "Quiet group")
    qtbot.keyClick(notes, Qt.Key.Key_PageUp)  # saved at once when the step changes
    assert facilitate.get_state(demo_store, workshop_id).steps[1].group_notes == "Quiet group"
    assert notes.toPlainText() == "Big bands. Local grime."
    asked: list[str] = []

    def confirm(_parent: QWidget, _title: str, text: str, _yes: str) -> bool:
        asked.append(text)
        return len(asked) > 1  # no the first time, yes the second

    monkeypatch.setattr(facilitate_page, "confirm", confirm)
    page.view.finish_button.click()  # asked first, and told no: still running
    assert page.state is not None and page.state.running
    assert asked[0].startswith(f"{len(page.state.steps) - 1} steps have not been reached: ")
    page.view.finish_button.click()
    assert [row[7] for row in page.summary.row_texts()[:3]] == [
        "Big bands. Local grime.",
        "Quiet group",
        "",
    ]


def test_countdown_colour_and_words_follow_the_time_left(
    qtbot: QtBot, demo_store: Store, clock: FakeClock, screenshot_dir: Path
) -> None:
    page = make_page(qtbot, demo_store, clock)
    page.open_workshop(todays_workshop(demo_store))
    assert page.state is not None and page.state.current is not None
    allowed = page.state.current.allowed_seconds
    view = page.view

    def level() -> TimerLevel | None:
        return view.level  # as it is now, after the last tick

    page.tick()
    assert level() is TimerLevel.PLENTY and view.timer_words.text() == "Time left"
    assert page.state.following is not None
    assert page.state.following.plan.title in view.coming_next.text()
    snap(page, screenshot_dir / "facilitate-normal.png")
    # What comes next is in sight beside the countdown, without scrolling the step.
    assert not view.coming_next.visibleRegion().isEmpty()

    clock.advance(allowed * 0.85)
    page.tick()
    assert level() is TimerLevel.LOW and view.timer_words.text() == "Time running low"
    assert LEVEL_COLOURS[TimerLevel.LOW] in view.timer_panel.styleSheet()
    snap(page, screenshot_dir / "facilitate-low-time.png")

    clock.advance(allowed * 0.12)
    page.tick()
    assert level() is TimerLevel.CRITICAL

    clock.advance(allowed * 0.03 + 95)
    page.tick()
    assert level() is TimerLevel.OVERTIME
    assert view.countdown.text() == "+1:35" and view.timer_words.text() == "Over time by"
    assert page.presenter.timer.text() == "+1:35"
    assert view.drift.text() == "2 minutes behind"
    snap(page, screenshot_dir / "facilitate-overtime.png")

    view.add_minute_button.click()
    assert view.countdown.text() == "+0:35"
    view.pause_button.click()
    assert view.timer_words.text() == "Paused" and view.pause_button.text() == "&Resume"
    assert PAUSED_COLOUR in view.timer_panel.styleSheet()
    shown = view.countdown.text()
    clock.advance(600)
    page.tick()
    assert view.countdown.text() == shown


def test_timer_colours_pass_contrast_with_white_text() -> None:
    for colour in [*LEVEL_COLOURS.values(), PAUSED_COLOUR]:
        assert contrast_ratio("#FFFFFF", colour) >= 4.5, colour


def test_every_control_is_named_and_the_projector_never_shows_private_notes(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock)
    assert unnamed_controls(page) == []
    page.open_workshop(todays_workshop(demo_store))
    assert unnamed_controls(page) == []
    page.present()
    qtbot.addWidget(page.presenter)
    assert unnamed_controls(page.presenter) == []
    state = page.state
    assert state is not None
    for _ in state.steps:
        current = page.state.current if page.state else None
        if current is None:
            break
        shown = " ".join(label.text() for label in page.presenter.findChildren(QLabel))
        assert current.plan.notes and current.plan.notes not in shown
        page.go_next()


def test_restarting_the_app_mid_workshop_comes_back_on_the_same_step(
    qtbot: QtBot, demo_store: Store, data_dir: Path, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock)
    workshop_id = todays_workshop(demo_store)
    page.open_workshop(workshop_id)
    clock.advance(200)
    page.go_next()
    clock.advance(75)
    page.tick()
    shown = page.view.countdown.text()
    page.close()
    demo_store.engine.dispose()  # as after a crash

    again = open_store(data_dir)
    try:
        second = make_page(qtbot, again, clock)
        assert second.start_button.text() == "&Resume the workshop"
        second.start_button.click()
        assert second.state is not None and second.state.position == 1
        assert second.view.countdown.text() == shown
    finally:
        again.close()


def test_the_station_buttons_appear_only_when_the_station_is_connected(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock)
    workshop_id = todays_workshop(demo_store)
    page.open_workshop(workshop_id)
    assert not page.view.station_before.isVisible()
    asked: list[tuple[int, str]] = []
    page.station_requested.connect(lambda wid, phase: asked.append((wid, phase)))
    page.go_next()
    assert page.view.station_before.isVisible()
    page.view.station_before.click()
    page.view.station_after.click()
    assert asked == [(workshop_id, "before"), (workshop_id, "after")]


def test_presenter_goes_to_the_second_screen_and_the_trainer_can_move_it(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock, screens=(LAPTOP, PROJECTOR))
    page.open_workshop(todays_workshop(demo_store))
    qtbot.addWidget(page.presenter)
    assert page.view.screen_choice.count() == 2
    assert page.view.screen_choice.currentIndex() == 1
    assert "HDMI projector" in page.view.screen_choice.currentText()
    assert page.presenter.isVisible() and page.presenter.isFullScreen()
    press(qtbot, Qt.Key.Key_Escape)
    assert PROJECTOR.area.contains(page.presenter.geometry().center())
    page.view.screen_choice.setCurrentIndex(0)
    assert LAPTOP.area.contains(page.presenter.geometry().center())


def test_presenter_is_an_ordinary_window_with_one_screen(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock)
    page.open_workshop(todays_workshop(demo_store))
    assert not page.presenter.isVisible()  # it would cover the trainer's own view
    press(qtbot, Qt.Key.Key_F5)
    qtbot.addWidget(page.presenter)
    assert page.presenter.isFullScreen()
    page.view.show_timer.setChecked(False)
    assert not page.presenter.timer_shown


def test_presenter_window_screenshot(
    qtbot: QtBot, demo_store: Store, clock: FakeClock, screenshot_dir: Path
) -> None:
    page = make_page(qtbot, demo_store, clock)
    page.open_workshop(todays_workshop(demo_store))
    page.go_next()  # a step with a principle
    presenter = page.presenter
    qtbot.addWidget(presenter)
    presenter.place_on(FakeScreen("Projector", QRect(0, 0, 1280, 720)), full_screen=False)
    presenter.resize(1280, 720)
    clock.advance(700)
    page.tick()
    assert presenter.letter.text() == "H" and presenter.principle.text() == "Holistic"
    assert presenter.timer.text() == page.view.countdown.text()
    snap(presenter, screenshot_dir / "presenter-window.png")
    page.toggle_blank()
    snap(presenter, screenshot_dir / "presenter-window-blank.png")
    assert presenter.grab().toImage().pixelColor(640, 360).name() == "#000000"


def test_facilitate_in_the_main_window_at_large_text(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    titles = window.section_titles()
    assert titles.index("Facilitate") == titles.index("Workshops") + 1
    window.show_section(titles.index("Facilitate"))
    page = window.facilitate_page
    snap(window, screenshot_dir / "facilitate-chooser.png")
    page.open_workshop(todays_workshop(demo_store))
    page.go_next()
    for size, name in ((10.0, "normal"), (16.0, "large")):
        window.change_text_size(0)
        window.change_text_size(size - 10.0)
        snap(window, screenshot_dir / f"facilitate-main-window-{name}-text.png")
        view = page.view
        for label in (view.countdown, view.wall_clock, view.drift, view.timer_words):
            assert label.width() >= label.sizeHint().width(), (name, label.objectName())
        for button in view.findChildren(QPushButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width() - 2, (name, button.text())
        # The step's text wraps to the column it has; nothing is cut off at the right.
        text = view.step_scroll.widget()
        assert text is not None
        assert text.width() <= view.step_scroll.viewport().width(), name
        assert view.step_scroll.horizontalScrollBar().maximum() == 0, name
        if name == "normal":  # on a 1366×768 laptop, every control is in sight unscrolled
            assert page.view_scroll.verticalScrollBar().maximum() == 0
            assert not view.station_before.visibleRegion().isEmpty()
    window.change_text_size(0)
    page.leave()


def test_closing_the_app_window_takes_the_projector_window_with_it(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.show()
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    page.open_workshop(todays_workshop(demo_store))
    page.present()
    window.show_section(0)  # looking at another section leaves the projector as it is
    assert page.presenter.isVisible()
    window.close()
    assert not page.presenter.isVisible()
    state = facilitate.get_state(demo_store, todays_workshop(demo_store))
    assert state.running  # closing the app never ends the workshop


def test_a_projector_plugged_in_mid_workshop_gets_the_presenter_window(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    screens: list[ScreenLike] = [LAPTOP]
    page = FacilitatePage(demo_store, clock=clock, screens=lambda: screens, today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    page.show()
    page.open_workshop(todays_workshop(demo_store))
    qtbot.addWidget(page.presenter)
    assert not page.presenter.isVisible()
    screens.append(PROJECTOR)
    page._on_screens_changed()  # what QGuiApplication.screenAdded calls
    assert page.view.screen_choice.count() == 2
    assert page.presenter.isFullScreen()


def _alt_letter(text: str) -> str | None:
    """The letter Alt presses for a control's text ("S&kip" -> "k"), if it has one."""
    plain = text.replace("&&", "")
    index = plain.find("&")
    return plain[index + 1].lower() if 0 <= index < len(plain) - 1 else None


def test_each_alt_letter_does_one_thing_in_the_main_window(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facilitate_page, "confirm", lambda *_a: True)  # "finish with steps left?"
    window = make_window(qtbot, demo_store)
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    workshop_id = todays_workshop(demo_store)
    page.open_workshop(workshop_id)
    menus = [_alt_letter(action.text()) for action in window.menuBar().actions()]
    for paused in (False, True):
        if paused:
            page.view.pause_button.click()
        buttons = page.view.findChildren(QAbstractButton)
        captions = [label for label in page.view.findChildren(QLabel) if label.buddy()]
        texts = [widget.text() for widget in buttons + captions if widget.isVisibleTo(page.view)]
        letters = [letter for letter in map(_alt_letter, texts) if letter]
        assert len(letters) == len(set(letters)), sorted(letters)
        assert not set(letters) & set(menus), sorted(set(letters) & set(menus))
    # The underlined letter of Finish ends the workshop, rather than opening the File menu.
    qtbot.keyClick(page.view.next_button, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.summary)  # a mnemonic animates
    assert facilitate.get_state(demo_store, workshop_id).status is WorkshopStatus.DONE
    assert QApplication.activePopupWidget() is None  # and no menu opened instead


CRASHING_FACILITATOR = """
import os, signal, sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from amie_desktop.services import demo, workshops
from amie_desktop.store import open_store
from amie_desktop.ui.facilitate.page import FacilitatePage

app = QApplication([])
store = open_store(Path(sys.argv[1]))
demo.add_demo(store, today=date(2026, 11, 25))
now = [datetime(2026, 11, 25, 9, 30, tzinfo=UTC)]
page = FacilitatePage(store, clock=lambda: now[0], today=date(2026, 11, 25))
page.refresh()
page.show()
QTest.qWaitForWindowExposed(page)
QTest.keyClick(page.workshop_choice, Qt.Key.Key_F5)
now[0] += timedelta(seconds=200)
QTest.keyClick(page.view.next_button, Qt.Key.Key_PageDown)
now[0] += timedelta(seconds=75)
page.view.group_notes.setFocus()
QTest.keyClicks(page.view.group_notes, "Most had not met HEARD before")
QTest.qWait(1000)  # the notes are saved a moment after the last key
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.slow
def test_a_killed_app_comes_back_on_the_same_step_with_the_same_time(
    qtbot: QtBot, data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    script = tmp_path / "crashing_facilitator.py"
    script.write_text(CRASHING_FACILITATOR)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, str(script), str(data_dir)],
        env=environment, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()

    again = open_store(data_dir)  # a new app on the same data folder
    try:
        clock.advance(275)  # the moment it was killed
        page = make_page(qtbot, again, clock)
        assert page.start_button.text() == "&Resume the workshop"
        page.workshop_choice.setFocus()
        press(qtbot, Qt.Key.Key_F5)  # the clicker key resumes it, no start again
        state = page.state
        assert state is not None and state.running and state.position == 1
        assert state.steps[0].used(clock.now) == 200
        step = state.steps[1]
        assert page.view.step_title.text() == step.plan.title
        assert page.view.countdown.text() == countdown_text(step.allowed_seconds - 75)
        assert page.view.group_notes.toPlainText() == "Most had not met HEARD before"
    finally:
        again.close()


def test_on_one_screen_the_presenter_window_closes_by_its_button_by_tab_and_enter_or_by_esc(
    qtbot: QtBot, demo_store: Store, clock: FakeClock, screenshot_dir: Path
) -> None:
    page = make_page(qtbot, demo_store, clock)
    page.open_workshop(todays_workshop(demo_store))
    presenter = page.presenter
    qtbot.addWidget(presenter)
    page.go_next()  # a step with a principle, as the room would see it
    page.present()
    assert presenter.isFullScreen()
    close = presenter.close_button
    assert close.isVisible() and close.accessibleName() == "Close the presenter window"
    # In sight, in the top right-hand corner, over nothing the room needs to read.
    assert presenter.rect().contains(close.geometry())
    assert close.geometry().right() > presenter.width() * 0.8 and close.geometry().top() < 40
    assert not close.geometry().intersects(presenter.prompt.geometry())
    snap(presenter, screenshot_dir / "presenter-window-one-screen.png")

    # The mouse: one click, and the trainer's own view is back with the keyboard.
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not presenter.isVisible()
    qtbot.waitUntil(page.isActiveWindow)
    assert page.view.next_button.hasFocus()
    assert page.state is not None and page.state.running and page.state.position == 1

    # The keyboard: Tab reaches the button and Enter presses it.
    page.present()
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    qtbot.keyClick(presenter, Qt.Key.Key_Tab)
    assert close.hasFocus()
    qtbot.keyClick(close, Qt.Key.Key_Return)
    assert not presenter.isVisible()
    assert page.state is not None and page.state.position == 1  # Enter never moved a step

    # Esc leaves full screen, and Esc again closes it.
    page.present()
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert presenter.isVisible() and not presenter.isFullScreen()
    qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert not presenter.isVisible()
    assert page.state is not None and page.state.running


def test_the_room_never_sees_the_close_button_on_the_projector(
    qtbot: QtBot, demo_store: Store, clock: FakeClock
) -> None:
    page = make_page(qtbot, demo_store, clock, screens=(LAPTOP, PROJECTOR))
    page.open_workshop(todays_workshop(demo_store))
    qtbot.addWidget(page.presenter)
    assert page.presenter.isVisible() and PROJECTOR.area.contains(page.presenter.geometry())
    assert not page.presenter.close_button.isVisible()
    page.view.screen_choice.setCurrentIndex(0)  # moved onto the laptop's own screen
    assert page.presenter.close_button.isVisible()


def test_the_presenter_window_comes_back_when_the_reflection_station_closes(
    qtbot: QtBot, demo_store: Store
) -> None:
    from tests.ui.station_helpers import PIN

    window = make_window(qtbot, demo_store)
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    page.open_workshop(todays_workshop(demo_store))
    page.present()
    presenter = page.presenter
    assert presenter.isVisible() and presenter.isFullScreen()

    page.view.station_before.click()
    station_page = window.station_page
    qtbot.keyClicks(station_page.pin, PIN)
    qtbot.keyClick(station_page.pin, Qt.Key.Key_Return)
    station = station_page.station
    assert station is not None
    qtbot.waitExposed(station)
    assert not presenter.isVisible()  # the station has the screen to itself

    station.activateWindow()
    qtbot.waitUntil(station.isActiveWindow)
    station.ask_to_leave()
    qtbot.keyClicks(station.pin, PIN)
    with qtbot.waitSignal(station_page.station_closed):
        qtbot.keyClick(station.pin, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert presenter.isVisible() and presenter.isFullScreen()
    assert presenter.close_button.isVisible()
    assert page.state is not None and page.state.running


def test_the_run_buttons_wrap_rather_than_widen_a_small_window(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_small_window(qtbot, demo_store)
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    page.open_workshop(todays_workshop(demo_store))
    qtbot.wait(50)
    window.grab().save(str(screenshot_dir / "facilitate-800x600.png"))
    # The page fits the window's width (it needed 659 pixels with the six buttons in one row),
    # and every run button is on screen, Finish on a second line.
    area = window.stack.currentWidget()
    assert isinstance(area, QScrollArea)
    assert not area.horizontalScrollBar().isVisible()
    view = page.view
    buttons = (view.back_button, view.pause_button, view.add_minute_button,
               view.skip_button, view.next_button, view.finish_button)  # fmt: skip
    for button in buttons:
        corner = button.mapTo(window, button.rect().bottomRight())
        assert button.isVisible() and corner.x() < window.width(), button.text()
    assert view.finish_button.y() > view.back_button.y()
