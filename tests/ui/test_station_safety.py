"""The station's privacy and safety: sent and unsent answers stay hidden, idle, leaving, crashes."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QCursor, QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import audit, reflections, register
from amie_desktop.services.workshops import list_workshops
from amie_desktop.store import Store, open_store
from amie_desktop.ui.main_window import MainWindow, window_settings
from amie_desktop.ui.station.flow import SAVE_DELAY_MS
from amie_desktop.ui.station.kiosk import THANKS_SECONDS, WARNING_SECONDS, StationWindow
from amie_desktop.ui.station.page import StationPage
from amie_desktop.ui.station.questions import PlainTextAnswer
from tests.ui.conftest import unnamed_controls
from tests.ui.station_helpers import (
    PIN,
    FakeClock,
    focused,
    open_station,
    press,
    register_names,
    show_station,
    tab_to,
    today_workshop,
    traces,
    type_text,
)

Key = Qt.Key
SECRET = "I would ask the quiet ones first"


def attendance_of(store: Store, name: str) -> int:
    workshop = today_workshop(store)
    return next(
        m for m in reflections.find_names(store, workshop, name) if m.name == name
    ).attendance_id


def pick(qtbot: QtBot, station: StationWindow, name: str) -> None:
    station.flow.welcome.search.setText(name)
    station.flow.welcome.matches.setFocus()
    station.flow.welcome.matches.setCurrentRow(0)
    press(qtbot, Key.Key_Return)


def go_to_text_question(qtbot: QtBot, station: StationWindow) -> PlainTextAnswer:
    assert station.current_screen() is station.flow.consent
    tab_to(qtbot, "Next")
    press(qtbot, Key.Key_Return)  # consent -> first question
    while not isinstance(focused(), PlainTextAnswer):
        tab_to(qtbot, "Next")
        press(qtbot, Key.Key_Return)
    return focused()  # type: ignore[return-value]


def email_of(store: Store, name: str) -> str:
    rows = register.list_register(store, today_workshop(store))
    return next(r.person.email for r in rows if r.name == name)


def test_a_name_used_before_asks_for_the_booking_email_and_says_nothing_of_its_owner(
    qtbot: QtBot, demo_store: Store
) -> None:
    sent, unfinished, picked = register_names(demo_store, today_workshop(demo_store))[:3]
    reflections.submit(
        demo_store, attendance_of(demo_store, sent), Phase.AFTER, {"do_differently": SECRET}
    )
    reflections.mark_incomplete(
        demo_store, attendance_of(demo_store, unfinished), Phase.AFTER, {"rating.E": 4}
    )
    reflections.pick_name(demo_store, attendance_of(demo_store, picked), Phase.AFTER)
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    seen = []
    for name in (sent, unfinished, picked):
        pick(qtbot, station, name)
        screen = station.current_screen()
        assert screen is station.flow.identity
        assert focused() is station.flow.identity.email
        words = [label.text().replace(name, "NAME") for label in screen.findChildren(QLabel)]
        seen.append((words, station.last_announcement.replace(name, "NAME")))
        assert traces(station, [SECRET], strict=False) == []
        tab_to(qtbot, "Back")
        press(qtbot, Key.Key_Return)
        assert station.current_screen() is station.flow.welcome
    # Sent, unfinished or only picked: the very same words, so nothing is learned.
    assert seen[0] == seen[1] == seen[2]
    # Only the booking email (any capitals) shows it is theirs; then, and only then, "sent".
    pick(qtbot, station, sent)
    type_text(qtbot, "someone@example.org")
    press(qtbot, Key.Key_Return)
    identity = station.flow.identity
    assert identity is not None
    assert "does not match" in identity.problem.shown_text()
    assert identity.email.text() == ""
    type_text(qtbot, email_of(demo_store, sent).upper())
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.notice
    assert "already sent" in station.last_announcement
    assert traces(station, [SECRET], strict=False) == []
    press(qtbot, Key.Key_Return)  # Back to the start
    assert station.current_screen() is station.flow.welcome
    assert traces(station, [sent]) == []


def test_three_wrong_emails_leave_only_the_facilitator(qtbot: QtBot, demo_store: Store) -> None:
    name = register_names(demo_store, today_workshop(demo_store))[1]
    reflections.pick_name(demo_store, attendance_of(demo_store, name), Phase.AFTER)
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    pick(qtbot, station, name)
    for _ in range(3):
        type_text(qtbot, "guess@example.org")
        press(qtbot, Key.Key_Return)
    identity = station.flow.identity
    assert identity is not None and not identity.email.isEnabled()
    assert focused().accessibleName() == "Ask the facilitator"
    assert [e.action for e in audit.recent(demo_store)].count("identity not confirmed") == 3


def test_a_draft_is_hidden_until_the_facilitator_types_the_pin(
    qtbot: QtBot, demo_store: Store
) -> None:
    name = register_names(demo_store, today_workshop(demo_store))[1]
    attendance = attendance_of(demo_store, name)
    reflections.mark_incomplete(
        demo_store, attendance, Phase.AFTER, {"rating.E": 4, "do_differently": SECRET}
    )
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    pick(qtbot, station, name)
    assert station.current_screen() is station.flow.identity
    assert traces(station, [SECRET], strict=False) == []
    tab_to(qtbot, "Ask the facilitator")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.pin_screen
    type_text(qtbot, "0000")
    press(qtbot, Key.Key_Return)
    assert "not right" in station.pin_problem.shown_text()
    assert station.pin.text() == ""
    assert traces(station, [SECRET], strict=False) == []
    type_text(qtbot, PIN)
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.consent
    assert station.flow.you_are.text() == f"You are: {name}"
    texts = [
        s.answer.toPlainText()
        for s in station.flow.questions
        if isinstance(s.answer, PlainTextAnswer)
    ]
    assert SECRET in texts
    ratings = {s.question.key: s.value() for s in station.flow.questions}
    assert ratings["rating.E"] == 4
    assert "draft resumed" in {e.action for e in audit.recent(demo_store)}


def test_idle_warns_with_a_countdown_then_keeps_the_draft_and_clears(
    qtbot: QtBot, demo_store: Store
) -> None:
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.AFTER, clock)
    name = register_names(demo_store, today_workshop(demo_store))[2]
    pick(qtbot, station, name)
    box = go_to_text_question(qtbot, station)
    type_text(qtbot, SECRET)
    idle = station._info.idle_seconds
    clock.advance(idle - 1)
    station.check_idle()
    assert station.current_screen() in station.flow.questions
    clock.advance(2)
    station.check_idle()
    assert station.current_screen() is station.idle_screen
    assert station.last_announcement.startswith("Are you still there?")
    assert f"{WARNING_SECONDS} seconds" in station.countdown.shown_text()
    clock.advance(10)
    station.check_idle()
    assert f"{WARNING_SECONDS - 10} seconds" in station.countdown.shown_text()
    # Any key means "still here": back to the answer, nothing lost.
    press(qtbot, Key.Key_Shift)
    assert focused() is box and box.toPlainText() == SECRET
    # This time nobody answers the warning.
    clock.advance(idle + 1)
    station.check_idle()
    assert station.current_screen() is station.idle_screen
    clock.advance(WARNING_SECONDS)
    station.check_idle()
    assert station.current_screen() is station.flow.welcome
    saved = reflections.stored_reflection(demo_store, attendance_of(demo_store, name), Phase.AFTER)
    assert saved is not None and saved.state is ReflectionState.INCOMPLETE
    assert saved.answers["do_differently"] == SECRET
    assert traces(station, [name, SECRET]) == []


def test_a_moving_mouse_counts_as_someone_still_reading(qtbot: QtBot, demo_store: Store) -> None:
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.AFTER, clock)
    pick(qtbot, station, register_names(demo_store, today_workshop(demo_store))[2])
    go_to_text_question(qtbot, station)
    idle = station._info.idle_seconds
    start = QCursor.pos()
    for step in range(1, 4):
        clock.advance(idle - 1)
        QCursor.setPos(start + QPoint(5 * step, 3 * step))
        station.check_idle()
        clock.advance(2)
        station.check_idle()
        assert station.current_screen() in station.flow.questions
    # Still, the mouse moving on the warning means "still here".
    clock.advance(idle + 1)
    station.check_idle()
    assert station.current_screen() is station.idle_screen
    QCursor.setPos(start + QPoint(40, 40))
    station.check_idle()
    assert station.current_screen() in station.flow.questions


def test_a_held_enter_on_send_does_not_skip_the_thank_you(qtbot: QtBot, demo_store: Store) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    pick(qtbot, station, register_names(demo_store, today_workshop(demo_store))[4])
    station.flow._on_consent_next_pressed()
    station.flow.question(0).answer.group.button(1).click()  # type: ignore[union-attr]
    station.flow._show(station.flow.review)
    station.flow.review.send_button.setFocus()
    for repeat in (False, True, True, True, True):
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", repeat)
            QApplication.sendEvent(focused(), event)
        assert station.current_screen() is station.thanks_screen


def test_a_long_answer_says_how_much_room_is_left_and_a_paste_cannot_pass_the_cap(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    pick(qtbot, station, register_names(demo_store, today_workshop(demo_store))[2])
    box = go_to_text_question(qtbot, station)
    type_text(qtbot, "Ask first")
    assert box.room.isHidden()  # no counter hurrying a short answer
    QApplication.clipboard().setText("x" * 3700)
    box.paste()
    assert len(box.toPlainText()) == 3709
    assert not box.room.isHidden()
    assert box.room.text() == "Room for 291 more characters."
    QApplication.clipboard().setText("y" * 1000)
    box.paste()
    assert len(box.toPlainText()) == 4000
    assert box.toPlainText().startswith("Ask first")
    assert box.room.text() == "There is no more room in this answer."
    type_text(qtbot, "z")
    assert len(box.toPlainText()) == 4000
    QApplication.clipboard().clear()


def test_typed_and_deleted_on_welcome_cannot_be_undone_by_the_next_person(
    qtbot: QtBot, demo_store: Store
) -> None:
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.BEFORE, clock)
    type_text(qtbot, "Siob")
    for _ in range(4):
        press(qtbot, Key.Key_Backspace)
    assert station.flow.welcome.search.text() == ""
    first_flow = station.flow
    clock.advance(station._info.idle_seconds + 1)
    station.check_idle()
    assert station.flow is not first_flow
    assert station.current_screen() is station.flow.welcome
    press(qtbot, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert station.flow.welcome.search.text() == ""
    assert not station.flow.has_traces()


def test_an_empty_welcome_screen_never_times_out(qtbot: QtBot, demo_store: Store) -> None:
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.BEFORE, clock)
    clock.advance(10_000)
    station.check_idle()
    assert station.current_screen() is station.flow.welcome


def test_typing_is_saved_within_about_a_second(qtbot: QtBot, demo_store: Store) -> None:
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    name = register_names(demo_store, today_workshop(demo_store))[3]
    pick(qtbot, station, name)
    go_to_text_question(qtbot, station)
    type_text(qtbot, "Ask first")
    assert station.flow._save_timer.isActive()
    assert station.flow._save_timer.interval() == SAVE_DELAY_MS <= 2000
    attendance = attendance_of(demo_store, name)

    def saved_text() -> object:
        saved = reflections.stored_reflection(demo_store, attendance, Phase.AFTER)
        return None if saved is None else saved.answers.get("do_differently")

    qtbot.waitUntil(lambda: saved_text() == "Ask first", timeout=SAVE_DELAY_MS + 2000)


def test_leaving_needs_the_pin_however_it_is_tried(qtbot: QtBot, demo_store: Store) -> None:
    # Opened from the main window, as in the room: the window's own shortcuts (Ctrl+Q quits,
    # Ctrl+W closes) exist behind the station and must not reach past it.
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.show()
    window.show_section(window.section_titles().index("Reflection station"))
    page = window.station_page
    page.workshop.setCurrentIndex(page.workshop.findData(today_workshop(demo_store)))
    qtbot.keyClicks(page.pin, PIN)
    qtbot.keyClick(page.pin, Key.Key_Return)
    station = page.station
    assert station is not None
    qtbot.waitExposed(station)
    station.activateWindow()
    qtbot.waitUntil(station.isActiveWindow)
    station.focus_current()
    type_text(qtbot, "zo")
    triggered: list[str] = []
    for action in window.findChildren(QAction):
        text = action.text()
        action.triggered.connect(partial(lambda text, *_: triggered.append(text), text))
    reached: list[int] = []

    class Seen(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
                reached.append(event.type().value)
            return False

    seen = Seen()
    focused().installEventFilter(seen)
    attempts = {
        "Esc": lambda: press(qtbot, Key.Key_Escape),
        # Alt+F4 is the window manager's: it asks the window to close, as this does.
        "Alt+F4": lambda: station.windowHandle().close(),
        "Ctrl+Q": lambda: press(qtbot, Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        "Ctrl+W": lambda: press(qtbot, Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        "close": station.close,
    }
    for name, attempt in attempts.items():
        reached.clear()
        attempt()
        QApplication.processEvents()
        if name.startswith("Ctrl"):
            assert reached, f"{name} never reached the station"  # the attempt is real
        assert station.isVisible() and not window.isVisible(), name
        assert triggered == [], f"{name} ran the main window's {triggered}"
        if station.current_screen() is station.pin_screen:
            tab_to(qtbot, "Cancel")
            press(qtbot, Key.Key_Return)
        assert station.current_screen() is station.flow.welcome, name
        assert station.flow.welcome.search.text() == "zo", name
        focused().installEventFilter(seen)
    station.close()
    assert station.current_screen() is station.pin_screen
    for _ in range(3):
        type_text(qtbot, "9999")
        press(qtbot, Key.Key_Return)
    assert "wait" in station.pin_problem.shown_text()
    assert station.isVisible()
    assert [e.action for e in audit.recent(demo_store)].count("wrong PIN") == 3


def test_empty_presses_on_the_pin_screen_cannot_lock_the_facilitator_out(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    type_text(qtbot, "zo")
    station.close()
    assert station.current_screen() is station.pin_screen
    for _ in range(12):
        press(qtbot, Key.Key_Return)
    type_text(qtbot, "12")
    press(qtbot, Key.Key_Return)
    assert "whole facilitator PIN" in station.pin_problem.shown_text()
    assert "wrong PIN" not in [e.action for e in audit.recent(demo_store)]
    # Esc is the PIN screen's Cancel: back to where the attendee was, nothing lost.
    press(qtbot, Key.Key_Escape)
    assert station.current_screen() is station.flow.welcome
    assert station.flow.welcome.search.text() == "zo"
    station.close()
    type_text(qtbot, PIN)
    press(qtbot, Key.Key_Return)
    assert not station.isVisible()


def test_the_pin_wait_survives_a_restart(qtbot: QtBot, demo_store: Store) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    for _ in range(3):
        station.close()
        type_text(qtbot, "9999")
        press(qtbot, Key.Key_Return)
    data_dir = demo_store.data_dir
    reopened = open_store(data_dir)
    info = reflections.interrupted_station(reopened)
    assert info is not None
    again = show_station(qtbot, reopened, info, FakeClock(), locked=True)
    type_text(qtbot, PIN)
    press(qtbot, Key.Key_Return)
    assert again.current_screen() is again.pin_screen
    assert "Too many wrong PINs" in again.pin_problem.shown_text()
    reopened.close()


def test_after_a_crash_the_station_comes_back_locked(qtbot: QtBot, demo_store: Store) -> None:
    reflections.open_station(demo_store, today_workshop(demo_store), Phase.AFTER, PIN)
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.show()
    assert window.station_page.reopen_if_interrupted()
    station = window.station_page.station
    assert station is not None
    qtbot.addWidget(station)
    qtbot.waitExposed(station)
    station.activateWindow()
    qtbot.waitUntil(station.isActiveWindow)
    assert station.isFullScreen() and not window.isVisible()
    assert station.current_screen() is station.pin_screen
    assert not station.pin_cancel.isVisible()
    press(qtbot, Key.Key_Escape)
    station.close()
    assert station.isVisible() and station.current_screen() is station.pin_screen
    type_text(qtbot, PIN)
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.welcome
    assert unnamed_controls(station) == []


def test_the_main_window_opens_and_closes_the_station_with_the_pin(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.show()
    window.show_section(window.section_titles().index("Reflection station"))
    page = window.station_page
    assert unnamed_controls(page) == []
    page.workshop.setCurrentIndex(page.workshop.findData(today_workshop(demo_store)))
    page.after.setChecked(True)
    assert page.idle.value() == 90  # the organisation's setting
    page.idle.setValue(60)
    qtbot.keyClicks(page.pin, "1111")
    qtbot.keyClick(page.pin, Key.Key_Return)
    assert "not right" in page.problem.text() and page.station is None
    qtbot.keyClicks(page.pin, PIN)
    qtbot.keyClick(page.pin, Key.Key_Return)
    station = page.station
    assert station is not None
    qtbot.waitExposed(station)
    assert station.isFullScreen() and not window.isVisible()
    assert station.size() == station.screen().size()
    assert [q.key for q in station._info.questions][-1] == "usefulness"
    assert station._info.idle_seconds == 60
    station.activateWindow()
    qtbot.waitUntil(station.isActiveWindow)
    station.ask_to_leave()
    qtbot.keyClicks(station.pin, PIN)
    with qtbot.waitSignal(page.station_closed):
        qtbot.keyClick(station.pin, Key.Key_Return)
    assert window.isVisible() and page.station is None
    assert reflections.interrupted_station(demo_store) is None
    QApplication.processEvents()


def test_the_workshop_of_the_day_is_offered_first(qtbot: QtBot, demo_store: Store) -> None:
    page = StationPage(demo_store, today=lambda: date(2026, 11, 25))  # the demo's "today"
    qtbot.addWidget(page)
    page.refresh()
    assert page.workshop.currentData() == today_workshop(demo_store)
    assert page.workshop.count() == len(list_workshops(demo_store))


def test_the_thank_you_gives_way_to_an_empty_welcome_by_itself(
    qtbot: QtBot, demo_store: Store
) -> None:
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.BEFORE, clock)
    name = register_names(demo_store, today_workshop(demo_store))[4]
    pick(qtbot, station, name)
    station.flow.consent.quote_box.setChecked(True)
    station.flow._on_consent_next_pressed()
    station.flow.question(0).answer.group.button(1).click()  # type: ignore[union-attr]
    station.flow._show(station.flow.review)
    station.flow.review.send_button.click()
    assert station.current_screen() is station.thanks_screen
    clock.advance(THANKS_SECONDS - 1)
    station.check_idle()
    assert station.current_screen() is station.thanks_screen
    clock.advance(1)
    station.check_idle()
    assert station.current_screen() is station.flow.welcome
    assert traces(station, [name]) == []


def test_stop_keeps_the_answers_unsent_and_leaves_nothing_for_the_next_person(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    name = register_names(demo_store, today_workshop(demo_store))[5]
    pick(qtbot, station, name)
    box = go_to_text_question(qtbot, station)
    type_text(qtbot, SECRET)
    press(qtbot, Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    tab_to(qtbot, "Stop")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.notice
    assert station.last_announcement.startswith("Stop now?")
    assert focused().accessibleName() == "Keep going"
    # Only the notice's own Stop is on screen, so "Stop" means one thing.
    assert not station.flow.stop_button.isVisible()
    press(qtbot, Key.Key_Return)  # Keep going: back to the answer, nothing lost
    assert focused() is box and box.toPlainText() == SECRET
    tab_to(qtbot, "Stop")
    press(qtbot, Key.Key_Return)
    tab_to(qtbot, "Stop")
    assert focused().accessibleDescription() == "Stop and clear the screen"
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.welcome
    saved = reflections.stored_reflection(demo_store, attendance_of(demo_store, name), Phase.AFTER)
    assert saved is not None and saved.state is ReflectionState.INCOMPLETE
    assert saved.answers["do_differently"] == SECRET
    assert traces(station, [name, SECRET]) == []


def test_a_walk_in_already_on_the_list_is_told_so_aloud_and_can_add_a_new_name(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    on_list = register_names(demo_store, today_workshop(demo_store))[0]
    before = len(register_names(demo_store, today_workshop(demo_store)))
    tab_to(qtbot, "I'm not on the list")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.walk_in
    assert station.last_announcement == "Add your name"
    press(qtbot, Key.Key_Return)  # nothing typed
    assert station.flow.walk_in.problem.shown_text() == "Please type your name."
    assert station.last_announcement == "Please type your name."
    type_text(qtbot, on_list.upper())
    press(qtbot, Key.Key_Return)
    assert "already on the list" in station.flow.walk_in.problem.shown_text()
    assert "already on the list" in station.last_announcement
    assert focused() is station.flow.walk_in.name
    assert station.current_screen() is station.flow.walk_in
    station.flow.walk_in.name.clear()
    type_text(qtbot, "Łucja Wiśniewska")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.consent
    names = register_names(demo_store, today_workshop(demo_store))
    assert len(names) == before + 1 and "Łucja Wiśniewska" in names
    assert "review: walk-in added" in {e.action for e in audit.recent(demo_store)}


def test_the_station_takes_the_keyboard_back_from_another_program(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    type_text(qtbot, "zo")
    # A window of another program (a notification clicked, Alt+Tab to a browser).
    elsewhere = QWindow()
    elsewhere.resize(300, 200)
    elsewhere.show()
    elsewhere.requestActivate()
    try:
        qtbot.waitUntil(lambda: not station.isActiveWindow(), timeout=2000)
        qtbot.waitUntil(station.isActiveWindow, timeout=3000)
        assert station.isFullScreen()
        type_text(qtbot, "e")  # typing goes on where it was
        assert station.flow.welcome.search.text() == "zoe"
    finally:
        elsewhere.destroy()
