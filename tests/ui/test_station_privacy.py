"""The station between attendees: each leaves a different way, and nothing of them stays.

Also: the key presses of a whole "after" reflection, the name shown on every screen, the
facilitator's review list, windows over and behind the kiosk, and a full disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.services import reflections, register, review
from amie_desktop.services.review import ReviewKind
from amie_desktop.store import StorageError, Store
from amie_desktop.ui.main_window import MainWindow, window_settings
from amie_desktop.ui.station.kiosk import WARNING_SECONDS, StationWindow
from amie_desktop.ui.station.questions import PlainTextAnswer
from amie_desktop.ui.station.review_list import ReviewList
from tests.ui.station_helpers import (
    PIN,
    FakeClock,
    focused,
    open_station,
    press,
    register_names,
    settle,
    tab_to,
    today_workshop,
    traces,
    type_text,
)

Key = Qt.Key
# Words that would tell the next person what someone else did.
STATUS_WORDS = ("already sent", "started this earlier", "you started", "draft", "unfinished")


def attendance_of(store: Store, name: str) -> int:
    return next(
        m.attendance_id
        for m in reflections.find_names(store, today_workshop(store), name)
        if m.name == name
    )


def no_way_back(station: StationWindow) -> list[str]:
    """Every text field's undo and redo history, the clipboard and the primary selection."""
    settle()
    found = []
    for line in station.findChildren(QLineEdit):
        if line.isUndoAvailable() or line.isRedoAvailable() or line.text():
            found.append(f"line {line.accessibleName()!r}")
    for box in station.findChildren(QPlainTextEdit):
        document = box.document()
        if document.isUndoAvailable() or document.isRedoAvailable() or box.toPlainText():
            found.append(f"text box {box.accessibleName()!r}")
    clipboard = QApplication.clipboard()
    for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
        if clipboard.text(mode):
            found.append(f"clipboard {mode.name}")
    return found


def shown_words(station: StationWindow) -> str:
    """Every word any widget of the station holds: labels, buttons, names, descriptions."""
    parts = []
    for widget in [station, *station.findChildren(QWidget)]:
        parts += [widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            parts.append(widget.toPlainText())
    return "\n".join(parts).lower()


def type_and_erase(qtbot: QtBot, text: str) -> None:
    type_text(qtbot, text)
    for _ in text:
        press(qtbot, Key.Key_Backspace)


def pick_by_keys(qtbot: QtBot, station: StationWindow, name: str) -> None:
    type_text(qtbot, name)
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Return)


def to_first_text_answer(qtbot: QtBot, station: StationWindow) -> PlainTextAnswer:
    press(qtbot, Key.Key_Return)  # consent: Enter is Next
    while not isinstance(focused(), PlainTextAnswer):
        press(qtbot, Key.Key_3)  # a rating chosen by its number moves on
    return focused()  # type: ignore[return-value]


def test_four_attendees_leave_four_ways_and_nothing_of_them_stays(
    qtbot: QtBot, demo_store: Store
) -> None:
    names = register_names(demo_store, today_workshop(demo_store))[:4]
    # An earlier visitor to each name would make the station ask; none may say so.
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.AFTER, clock)
    said: list[str] = []
    station.announcement_made.connect(said.append)
    leaving = ["send", "idle", "stop", "back out"]
    for number, (name, way) in enumerate(zip(names, leaving, strict=True)):
        secret = f"Secret plan number {number} for the spring"
        flow = station.flow
        assert station.current_screen() is flow.welcome
        type_and_erase(qtbot, "Zebedee")  # typed and thought better of
        pick_by_keys(qtbot, station, name)
        assert station.current_screen() is flow.consent
        assert flow.you_are.text() == f"You are: {name}"
        # The screen left keeps its words for this person, but no way back to what was erased.
        assert not flow.welcome.search.isUndoAvailable()
        if way == "back out":
            tab_to(qtbot, "Back")
            press(qtbot, Key.Key_Return)
            assert station.current_screen() is flow.welcome
            assert flow.welcome.search.text() == name
            assert (
                reflections.stored_reflection(
                    demo_store, attendance_of(demo_store, name), Phase.AFTER
                )
                is None
            )  # the name is free again for its owner
            for _ in name:
                press(qtbot, Key.Key_Backspace)
            clock.advance(station._info.idle_seconds + 1)
            station.check_idle()  # walked away: the typing goes with the idle wait
        else:
            box = to_first_text_answer(qtbot, station)
            type_and_erase(qtbot, "I would not say this")
            type_text(qtbot, secret)
            press(qtbot, Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # selected
            press(qtbot, Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # and copied
            assert QApplication.clipboard().text() == secret
            if way == "send":
                press(qtbot, Key.Key_Tab)
                press(qtbot, Key.Key_Return)  # Next
                assert box.toPlainText() == secret and not box.document().isUndoAvailable()
                while station.current_screen() is not flow.review:
                    press(qtbot, Key.Key_4)
                    if isinstance(focused(), PlainTextAnswer):
                        press(qtbot, Key.Key_Tab)
                        press(qtbot, Key.Key_Return)
                with qtbot.waitSignal(station.reflection_submitted):
                    press(qtbot, Key.Key_Return)
                press(qtbot, Key.Key_Return)  # Next person
            elif way == "idle":
                clock.advance(station._info.idle_seconds + 1)
                station.check_idle()
                clock.advance(WARNING_SECONDS + 1)
                station.check_idle()
            else:
                tab_to(qtbot, "Stop")
                press(qtbot, Key.Key_Return)
                tab_to(qtbot, "Stop")
                press(qtbot, Key.Key_Return)
        assert station.current_screen() is station.flow.welcome, way
        assert station.flow is not flow, way
        assert no_way_back(station) == [], way
        assert traces(station, [name, secret, "Zebedee", "would not say"]) == [], way
        words = shown_words(station)
        assert name.lower() not in words and secret.lower() not in words, way
    everything = "\n".join(said).lower()
    assert not any(word in everything for word in STATUS_WORDS), everything
    saved = {
        way: reflections.stored_reflection(demo_store, attendance_of(demo_store, n), Phase.AFTER)
        for n, way in zip(names, leaving, strict=True)
    }
    assert saved["send"] is not None and saved["send"].state is ReflectionState.SUBMITTED
    for way in ("idle", "stop"):
        kept = saved[way]
        assert kept is not None and kept.state is ReflectionState.INCOMPLETE, way
        assert kept.answers["do_differently"].startswith("Secret plan"), way  # type: ignore[union-attr]
    assert saved["back out"] is None


def test_an_after_reflection_takes_at_most_30_key_presses(qtbot: QtBot, demo_store: Store) -> None:
    name = register_names(demo_store, today_workshop(demo_store))[6]
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    presses: list[str] = []

    def key(k: Qt.Key) -> None:
        presses.append(k.name)
        press(qtbot, k)

    type_text(qtbot, name)  # name letters aside
    key(Key.Key_Down)
    key(Key.Key_Return)
    assert station.current_screen() is station.flow.consent
    key(Key.Key_Return)  # Next is the default button
    while station.current_screen() is not station.flow.review:
        if isinstance(focused(), PlainTextAnswer):
            key(Key.Key_Tab)  # Next comes straight after the answer, before Back
            assert focused().accessibleName() == "Next"
            key(Key.Key_Return)
        else:
            key(Key.Key_4)  # a number chooses and moves on
        assert len(presses) < 60, presses
    assert focused() is station.flow.review.send_button
    with qtbot.waitSignal(station.reflection_submitted):
        key(Key.Key_Return)
    saved = reflections.stored_reflection(demo_store, attendance_of(demo_store, name), Phase.AFTER)
    assert saved is not None and saved.state is ReflectionState.SUBMITTED
    assert saved.answers["rating.H"] == 4 and saved.answers["focus_principle"] == "R"
    print(f"after reflection: {len(presses)} key presses: {' '.join(presses)}")
    assert len(presses) <= 30


def test_enter_after_a_rating_goes_on_and_back_comes_after_next(
    qtbot: QtBot, demo_store: Store
) -> None:
    name = register_names(demo_store, today_workshop(demo_store))[7]
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    pick_by_keys(qtbot, station, name)
    press(qtbot, Key.Key_Space)  # quote me
    press(qtbot, Key.Key_Return)
    first = station.flow.question(0)
    assert station.current_screen() is first
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    assert first.value() == 2 and station.current_screen() is first  # arrows do not move on
    press(qtbot, Key.Key_Tab)
    assert focused().accessibleName() == "Next"
    press(qtbot, Key.Key_Tab)
    assert focused().accessibleName() == "Back"
    press(qtbot, Key.Key_Return)  # Back: the consent screen, one screen back
    assert station.current_screen() is station.flow.consent
    assert station.flow.consent.quote_box.isChecked()
    tab_to(qtbot, "Back")
    press(qtbot, Key.Key_Return)  # and back again: the names, as they were
    assert station.current_screen() is station.flow.welcome
    assert station.flow.welcome.search.text() == name


def test_the_chosen_name_shows_on_every_screen_and_not_you_frees_it(
    qtbot: QtBot, demo_store: Store
) -> None:
    name = register_names(demo_store, today_workshop(demo_store))[8]
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    pick_by_keys(qtbot, station, name)
    flow = station.flow
    for screen in [flow.consent, *flow.questions, flow.review]:
        flow._show(screen)
        assert flow.you_are.isVisible() and flow.you_are.text() == f"You are: {name}"
        assert flow.not_you_button.isVisible()
    flow._show(flow.question(5))
    type_text(qtbot, "Words under the wrong name")
    flow.save_now()
    tab_to(qtbot, "Not you?")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is flow.notice
    tab_to(qtbot, "Start again")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.welcome
    assert not station.flow.you_are.isVisible()
    attendance = attendance_of(demo_store, name)
    assert reflections.stored_reflection(demo_store, attendance, Phase.AFTER) is None
    assert reflections.pick_name(demo_store, attendance, Phase.AFTER) is reflections.Pick.BEGIN


def test_walk_ins_and_that_is_not_me_wait_in_the_facilitators_review_list(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    workshop = today_workshop(demo_store)
    taken = register_names(demo_store, workshop)[9]
    reflections.pick_name(demo_store, attendance_of(demo_store, taken), Phase.AFTER)
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    tab_to(qtbot, "I'm not on the list")
    press(qtbot, Key.Key_Return)
    type_text(qtbot, "Nia Walk-In")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.consent
    tab_to(qtbot, "Stop")
    press(qtbot, Key.Key_Return)
    tab_to(qtbot, "Stop")
    press(qtbot, Key.Key_Return)
    pick_by_keys(qtbot, station, taken)
    assert station.current_screen() is station.flow.identity
    tab_to(qtbot, "That's not me")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.consent
    assert station.flow.you_are.text() == f"You are: {taken}"
    rows = {r.attendance_id: r for r in register.list_register(demo_store, workshop)}
    assert all(r.status is not AttendanceStatus.ATTENDED for r in rows.values() if r.walk_in)

    answers: list[bool] = []

    def confirm(_title: str, _text: str, _yes: str) -> bool:
        answers.append(True)
        return True

    page = ReviewList(demo_store, confirm=confirm)
    qtbot.addWidget(page)
    page.load(workshop)
    kinds = {e.kind: e for e in page.entries()}
    assert set(kinds) == {ReviewKind.WALK_IN, ReviewKind.SAME_NAME}
    assert page.items.count() == 2 and "Nia Walk-In" in page.items.item(0).text()
    page.resize(900, 400)
    page.grab().save(str(screenshot_dir / "station-review-list.png"))
    page.items.setCurrentRow(0)
    page.accept_button.click()
    walk_in = kinds[ReviewKind.WALK_IN].attendance_id
    rows = {r.attendance_id: r for r in register.list_register(demo_store, workshop)}
    assert rows[walk_in].status is AttendanceStatus.ATTENDED
    assert page.items.count() == 1
    assert page.same_as.count() >= 1 and page.merge_button.isEnabled()
    page.reject_button.click()
    assert answers == [True]
    assert review.open_items(demo_store, workshop) == [] and page.isHidden()


@contextmanager
def full_disk(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every save fails as SQLite on a full disk makes Store.write fail."""

    @contextmanager
    def refuse() -> Iterator[None]:
        raise StorageError(
            "The disk is full, so this was not saved. Everything saved before is safe. "
            "Free some space, then try again."
        )
        yield  # pragma: no cover

    with monkeypatch.context() as patch:
        patch.setattr(store, "write", refuse)
        yield


def test_a_full_disk_keeps_the_words_on_screen_and_never_shows_a_crash_dialog(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = register_names(demo_store, today_workshop(demo_store))[2]
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.AFTER, clock)
    pick_by_keys(qtbot, station, name)
    flow = station.flow
    with full_disk(demo_store, monkeypatch):
        press(qtbot, Key.Key_Return)  # consent cannot be kept: it stays, and says so
        assert station.current_screen() is flow.consent
        assert "could not be saved" in flow.save_problem.shown_text()
    box = to_first_text_answer(qtbot, station)
    assert flow.save_problem.isHidden()  # saved after all: the message goes
    with full_disk(demo_store, monkeypatch):
        type_text(qtbot, "Words that must not be lost")
        flow.save_now()  # as the save timer would
        assert flow.save_problem.isVisible()
        assert "could not be saved" in flow.save_problem.shown_text()
        assert "facilitator" in flow.save_problem.shown_text()
        assert box.toPlainText() == "Words that must not be lost"
        tab_to(qtbot, "Stop")
        press(qtbot, Key.Key_Return)
        tab_to(qtbot, "Stop")
        press(qtbot, Key.Key_Return)  # cannot be kept: not cleared
        assert station.flow is flow and station.current_screen() is flow.question(5)
        assert box.toPlainText() == "Words that must not be lost"
        clock.advance(station._info.idle_seconds + 1)
        station.check_idle()
        clock.advance(WARNING_SECONDS + 1)
        station.check_idle()  # the idle wait cannot keep them either: still there
        assert station.flow is flow and box.toPlainText() == "Words that must not be lost"
        flow._show(flow.review)
        press(qtbot, Key.Key_Return)  # Send
        assert station.current_screen() is flow.review
        assert "could not be saved" in station.last_announcement
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    press(qtbot, Key.Key_Return)  # room again: Send works
    assert station.current_screen() is station.thanks_screen
    saved = reflections.stored_reflection(demo_store, attendance_of(demo_store, name), Phase.AFTER)
    assert saved is not None and saved.answers["do_differently"] == "Words that must not be lost"


def test_nothing_else_of_the_app_shows_while_the_station_is_open(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.show()
    window.show_guide()
    guide = window._guide
    assert guide is not None and guide.isVisible()
    page = window.station_page
    info = reflections.open_station(demo_store, today_workshop(demo_store), Phase.AFTER, PIN)
    page.start(info, locked=False)
    station = page.station
    assert station is not None
    qtbot.waitExposed(station)
    station.activateWindow()
    qtbot.waitUntil(station.isActiveWindow)
    assert not window.isVisible() and not guide.isVisible()
    # A backup warning for the facilitator, as the backup scheduler raises one.
    QMessageBox.warning(window, "AMIE Workshop Companion", "The backup could not be made.")
    qtbot.waitUntil(lambda: station.isActiveWindow())
    assert station.held_messages == [("AMIE Workshop Companion", "The backup could not be made.")]
    assert station.current_screen() is station.flow.welcome
    assert focused() is station.flow.welcome.search
    # Minimised by the window manager: back, full screen.
    station.showMinimized()
    qtbot.waitUntil(lambda: station.isFullScreen() and not station.isMinimized())
    station.ask_to_leave()
    type_text(qtbot, PIN)
    with qtbot.waitSignal(page.station_closed):
        press(qtbot, Key.Key_Return)
    assert window.isVisible() and guide.isVisible()
    waiting = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert [box.text() for box in waiting] == ["The backup could not be made."]
    for box in waiting:
        box.close()
