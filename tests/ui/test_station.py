"""The reflection station by keyboard alone: three attendees in a row, before and after.

After each attendee every widget of the station is inspected for anything they left behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import QuestionKind
from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import reflections
from amie_desktop.store import Store
from amie_desktop.ui.station.kiosk import StationWindow
from amie_desktop.ui.station.questions import QuestionScreen
from amie_desktop.ui.station.themes import HIGH_CONTRAST
from tests.ui.conftest import unnamed_controls
from tests.ui.station_helpers import (
    PIN,
    FakeClock,
    focused,
    open_station,
    press,
    register_names,
    tab_to,
    today_workshop,
    traces,
    type_text,
)

Key = Qt.Key


@dataclass
class Attendee:
    name: str
    letters: str  # what they type to find themselves
    ratings: int  # the rating they give every rating question
    walk_in: bool = False
    easier: bool = False
    quote: bool = False
    copies: bool = False  # copies their answer with Ctrl+A, Ctrl+C (the clipboard must clear)
    words: dict[str, str] = field(default_factory=dict)


def find_name(qtbot: QtBot, station: StationWindow, who: Attendee) -> None:
    flow = station.flow
    assert station.current_screen() is flow.welcome
    assert focused() is flow.welcome.search
    type_text(qtbot, who.letters)
    assert "match" in station.last_announcement  # the count is spoken, never the names
    assert who.name not in station.last_announcement
    press(qtbot, Key.Key_Down)
    assert focused() is flow.welcome.matches
    for _ in range(flow.welcome.matches.count()):
        if flow.welcome.matches.currentItem().text() == who.name:
            break
        press(qtbot, Key.Key_Down)
    assert flow.welcome.matches.currentItem().text() == who.name
    press(qtbot, Key.Key_Return)


def make_easier(qtbot: QtBot, station: StationWindow) -> None:
    tab_to(qtbot, "Make this easier")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.easier
    press(qtbot, Key.Key_Space)  # larger text
    tab_to(qtbot, "High contrast: white and yellow on black")
    press(qtbot, Key.Key_Space)
    tab_to(qtbot, "Easy Read: short sentences and simple words")
    press(qtbot, Key.Key_Space)
    assert station.look.larger_text and station.look.high_contrast and station.look.easy_read
    assert HIGH_CONTRAST.window.lower() in station.styleSheet().lower()
    tab_to(qtbot, "Done")
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.welcome


def answer_questions(qtbot: QtBot, station: StationWindow, who: Attendee) -> None:
    screens = station.flow.questions
    for number, screen in enumerate(screens, start=1):
        assert station.current_screen() is screen
        assert screen.progress.text() == f"Question {number} of {len(screens)}"
        assert station.last_announcement.startswith(f"Question {number} of {len(screens)}")
        question = screen.question
        if who.easier:
            assert screen.text.shown_text() == question.easy_read
        if question.kind is QuestionKind.RATING:
            if number == 1:
                # Arrow keys move along the scale without going on; Enter goes on.
                for _ in range(who.ratings):
                    press(qtbot, Key.Key_Down)
                assert screen.value() == who.ratings
                press(qtbot, Key.Key_Return)
            else:
                press(qtbot, Qt.Key(Key.Key_0 + who.ratings))  # chooses, and goes on
            assert screen.value() == who.ratings
        elif question.kind is QuestionKind.PRINCIPLE:
            press(qtbot, Key.Key_2)  # Equitable, and on
        else:
            type_text(qtbot, who.words[question.key])
            if who.copies:
                press(qtbot, Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                press(qtbot, Key.Key_C, Qt.KeyboardModifier.ControlModifier)
                assert QApplication.clipboard().text() == who.words[question.key]
            last = number == len(screens)
            tab_to(qtbot, "Check my answers" if last else "Next")
            press(qtbot, Key.Key_Return)


def reflect(qtbot: QtBot, station: StationWindow, store: Store, who: Attendee) -> None:
    flow = station.flow
    if who.easier:
        make_easier(qtbot, station)
    if who.walk_in:
        tab_to(qtbot, "I'm not on the list")
        press(qtbot, Key.Key_Return)
        assert focused() is flow.walk_in.name
        type_text(qtbot, who.name)
        press(qtbot, Key.Key_Return)
    else:
        find_name(qtbot, station, who)
    assert station.current_screen() is flow.consent
    assert not flow.consent.quote_box.isChecked() and not flow.consent.contact_box.isChecked()
    if who.quote:
        assert focused() is flow.consent.quote_box
        press(qtbot, Key.Key_Space)
    tab_to(qtbot, "Next")
    press(qtbot, Key.Key_Return)
    answer_questions(qtbot, station, who)
    assert station.current_screen() is flow.review
    review = " ".join(paragraph.shown_text() for paragraph, _ in flow.review.rows)
    for words in who.words.values():
        assert words in review
    assert focused() is flow.review.send_button
    with qtbot.waitSignal(station.reflection_submitted):
        press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.thanks_screen
    assert station.last_announcement.startswith("Thank you")
    assert unnamed_controls(station) == []


def check_saved(store: Store, phase: Phase, who: Attendee) -> None:
    workshop = today_workshop(store)
    match = next(m for m in reflections.find_names(store, workshop, who.name) if m.name == who.name)
    saved = reflections.stored_reflection(store, match.attendance_id, phase)
    assert saved is not None and saved.state is ReflectionState.SUBMITTED
    for key, value in saved.answers.items():
        if key.startswith("rating.") or key == "usefulness":
            assert value == who.ratings
    for key, words in who.words.items():
        assert saved.answers[key] == words
    if phase is Phase.AFTER:
        assert saved.answers["focus_principle"] == "E"


def next_person(qtbot: QtBot, station: StationWindow, who: Attendee) -> None:
    assert focused().accessibleName() == "Next person"
    press(qtbot, Key.Key_Return)
    assert station.current_screen() is station.flow.welcome
    assert focused() is station.flow.welcome.search
    secrets = [who.name, *who.words.values()]  # (the letters typed: the search box is checked)
    assert traces(station, secrets) == []


def close_with_pin(qtbot: QtBot, station: StationWindow) -> None:
    press(qtbot, Key.Key_Escape)
    assert station.current_screen() is station.pin_screen
    type_text(qtbot, PIN)
    with qtbot.waitSignal(station.station_closed):
        press(qtbot, Key.Key_Return)
    assert not station.isVisible()


def test_three_attendees_before_and_after_by_keyboard_alone(
    qtbot: QtBot, demo_store: Store
) -> None:
    names = register_names(demo_store, today_workshop(demo_store))
    first, second = names[0], names[-1]
    people = [
        Attendee(first, first[:3], ratings=2, quote=True),
        Attendee(second, second.split()[-1][:4], ratings=4, easier=True),
        Attendee("Bríd Nic Aoidh", "brid", ratings=3, walk_in=True),
    ]
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.BEFORE, clock)
    assert traces(station, []) == []
    assert unnamed_controls(station) == []
    for who in people:
        reflect(qtbot, station, demo_store, who)
        check_saved(demo_store, Phase.BEFORE, who)
        next_person(qtbot, station, who)
    close_with_pin(qtbot, station)

    station = open_station(qtbot, demo_store, Phase.AFTER, clock)
    for number, who in enumerate(people):
        who.walk_in = False
        who.copies = number == 1
        who.words = {
            "do_differently": f"Plan the spring term with group {number} first.",
            "barriers": f"Time, and room {number} being booked.",
        }
        reflect(qtbot, station, demo_store, who)
        check_saved(demo_store, Phase.AFTER, who)
        next_person(qtbot, station, who)
    close_with_pin(qtbot, station)
    consent = {who.name: who.quote for who in people}
    assert consent[first] is True and consent[second] is False


@pytest.mark.parametrize("phase", [Phase.BEFORE, Phase.AFTER])
def test_every_question_screen_is_named_and_has_progress(
    qtbot: QtBot, demo_store: Store, phase: Phase
) -> None:
    station = open_station(qtbot, demo_store, phase, FakeClock())
    total = len(station.flow.questions)
    assert total == len(reflections.station_info(demo_store, 1, phase).questions)
    for number, screen in enumerate(station.flow.questions, start=1):
        assert isinstance(screen, QuestionScreen)
        assert screen.progress.text() == f"Question {number} of {total}"
        assert unnamed_controls(screen) == []
    QApplication.clipboard().clear()
