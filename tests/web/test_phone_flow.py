"""Phones in the room, driven over real HTTP on 127.0.0.1: join, find a name, answer, send."""

from __future__ import annotations

import re

from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import reflections, review
from amie_desktop.store import Store
from amie_desktop.web.server import PhoneStation
from tests.web.phone_client import Page, Phone, on_first_question

# The "after" questions in order: five ratings, what you will do, a principle, barriers, use.
AFTER_ANSWERS = ("4", "3", "5", "2", "4", "Ask the group to choose the next piece.", "A", "", "5")


def answer_everything(phone: Phone, page: Page) -> Page:
    page = phone.post("/consent", {"csrf": page.csrf, "quote": "on", "action": "next"})
    for value in AFTER_ANSWERS:
        assert page.path.startswith("/q/"), page.path
        page = phone.answer(page, value)
    assert page.path == "/review"
    return page


def attendance_of(store: Store, workshop_id: int, typed: str) -> int:
    (match,) = reflections.find_names(store, workshop_id, typed)
    return match.attendance_id


def test_a_phone_joins_by_the_qr_link_answers_everything_and_sends(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    store, workshop_id = room
    address = station.address
    assert address is not None
    assert address.url.startswith("http://127.0.0.1:")
    phone = Phone(address.url)
    page = phone.join(address.room_code)
    assert page.path == "/name"
    page = phone.find_and_pick("lukasz", "Łukasz Wiśniewski")
    assert page.path == "/consent"
    assert "You are: <strong>Łukasz Wiśniewski</strong>" in page.html
    page = answer_everything(phone, page)
    assert "Ask the group to choose the next piece." in page.html
    assert "4 – Confident" in page.html
    page = phone.post("/review", {"csrf": page.csrf})
    assert page.path == "/done"
    assert "Thank you" in page.html
    saved = reflections.stored_reflection(
        store, attendance_of(store, workshop_id, "lukasz"), Phase.AFTER
    )
    assert saved is not None
    assert saved.state is ReflectionState.SUBMITTED
    assert saved.answers == {
        "rating.H": 4,
        "rating.E": 3,
        "rating.A": 5,
        "rating.R": 2,
        "rating.D": 4,
        "do_differently": "Ask the group to choose the next piece.",
        "focus_principle": "A",
        "usefulness": 5,
    }
    assert station.sent == 1


def test_joining_by_typing_the_room_code(station: PhoneStation) -> None:
    assert station.address is not None
    phone = Phone(station.address.url)
    page = phone.get("/")
    assert "Room code" in page.html
    token = re.search(r'name="join" value="([^"]+)"', page.html)
    assert token
    wrong = phone.post("/join", {"join": token.group(1), "code": "AAAAAA"})
    assert wrong.status == 400
    assert "not right" in wrong.html
    typed = station.address.room_code.lower()
    page = phone.post("/join", {"join": token.group(1), "code": f" {typed[:3]} {typed[3:]} "})
    assert page.path == "/name"


def test_back_keeps_every_answer_and_drafts_are_saved_as_typed(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    store, workshop_id = room
    phone, page = on_first_question(station, "priya p", "Priya Patel")
    page = phone.answer(page, "5")
    page = phone.answer(page, "2")
    assert page.path == "/q/3"
    page = phone.answer(page, "", action="back")
    assert page.path == "/q/2"
    assert 'value="2" checked' in page.html
    page = phone.answer(page, "2", action="back")
    assert 'value="5" checked' in page.html
    draft = reflections.stored_reflection(
        store, attendance_of(store, workshop_id, "priya p"), Phase.AFTER
    )
    assert draft is not None
    assert draft.state is ReflectionState.DRAFT
    assert draft.answers == {"rating.H": 5, "rating.E": 2}


def test_no_list_of_names_until_two_letters_and_then_names_only(
    station: PhoneStation,
) -> None:
    assert station.address is not None
    phone = Phone(station.address.url)
    page = phone.join(station.address.room_code)
    for name in ("Łukasz", "Priya", "Олександра"):
        assert name not in page.html
    page = phone.post("/name", {"csrf": page.csrf, "action": "search", "name": "p"})
    assert "Priya" not in page.html
    assert "at least two letters" in page.html
    page = phone.post("/name", {"csrf": page.csrf, "action": "search", "name": "priya"})
    assert "Priya Patel" in page.html and "Priya Shah" in page.html
    assert "school.example" not in page.html  # no emails
    assert "Łukasz" not in page.html


def two_phones_pick(station: PhoneStation, typed: str, name: str) -> tuple[Phone, Page]:
    """A first phone takes `name`; a second phone picks it too: the page the second sees."""
    assert station.address is not None
    first, second = Phone(station.address.url), Phone(station.address.url)
    first.join(station.address.room_code)
    second.join(station.address.room_code)
    first.find_and_pick(typed, name)
    return second, second.find_and_pick(typed, name)


def test_a_name_used_on_another_phone_asks_without_saying_why(station: PhoneStation) -> None:
    second, page = two_phones_pick(station, "lukasz", "Łukasz Wiśniewski")
    assert page.path == "/check"
    assert "Is “Łukasz Wiśniewski” you?" in page.html
    for told in ("already", "sent", "started", "another phone"):
        assert told not in page.html.lower()
    assert "You are:" not in page.html
    # The booking email proves it is theirs, but the name is in use on the first phone: the
    # second is sent to the facilitator rather than both editing one reflection.
    held = second.post(
        "/check", {"csrf": page.csrf, "action": "email", "email": "lukasz@school.example"}
    )
    assert "Please see the facilitator" in held.html
    assert "You are:" not in held.html


def test_wrong_emails_are_limited_and_that_is_not_me_goes_to_the_facilitators_review(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    store, workshop_id = room
    second, page = two_phones_pick(station, "priya s", "Priya Shah")
    for _ in range(3):
        page = second.post(
            "/check", {"csrf": page.csrf, "action": "email", "email": "me@x.example"}
        )
        assert "does not match" in page.html
    page = second.post(
        "/check", {"csrf": page.csrf, "action": "email", "email": "pshah@school.example"}
    )
    assert "Please see the facilitator" in page.html  # three wrong tries: no more guesses
    page = second.post("/check", {"csrf": page.csrf, "action": "not-me"})
    assert page.path == "/consent"
    assert "You are: <strong>Priya Shah</strong>" in page.html
    (waiting,) = review.open_items(store, workshop_id)
    assert waiting.kind is review.ReviewKind.SAME_NAME
    assert waiting.name == "Priya Shah"


def test_the_booking_email_brings_back_answers_begun_at_the_laptop(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    store, workshop_id = room
    attendance = attendance_of(store, workshop_id, "priya p")
    assert reflections.pick_name(store, attendance, Phase.AFTER) is reflections.Pick.BEGIN
    reflections.save_draft(store, attendance, Phase.AFTER, {"rating.H": 2})
    assert station.address is not None
    phone = Phone(station.address.url)
    phone.join(station.address.room_code)
    page = phone.find_and_pick("priya p", "Priya Patel")
    assert page.path == "/check"
    page = phone.post(
        "/check", {"csrf": page.csrf, "action": "email", "email": " PRIYA@school.example "}
    )
    assert page.path == "/consent"
    page = phone.post("/consent", {"csrf": page.csrf, "action": "next"})
    assert 'value="2" checked' in page.html


def test_the_second_phone_sees_nothing_of_the_first(
    station: PhoneStation,
) -> None:
    assert station.address is not None
    first, second = Phone(station.address.url), Phone(station.address.url)
    first.join(station.address.room_code)
    page = first.find_and_pick("priya p", "Priya Patel")
    page = answer_everything(first, page)
    first.post("/review", {"csrf": page.csrf})
    second.join(station.address.room_code)
    for path in ("/name", "/consent", "/q/6", "/review", "/done"):
        seen = second.get(path)
        assert "Priya Patel" not in seen.html, path
        assert "Ask the group" not in seen.html, path


def test_not_me_takes_back_what_was_saved_under_the_wrong_name(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    store, workshop_id = room
    phone, page = on_first_question(station, "priya s", "Priya Shah")
    page = phone.answer(page, "3")
    page = phone.post("/not-me", {"csrf": page.csrf})
    assert page.path == "/name"
    assert "Priya Shah" not in page.html
    draft = reflections.stored_reflection(
        store, attendance_of(store, workshop_id, "priya s"), Phase.AFTER
    )
    assert draft is None or draft.answers == {}
    # The name is free again for the right person, on any phone.
    address = station.address
    assert address is not None
    other = Phone(address.url)
    other.join(address.room_code)
    assert other.find_and_pick("priya s", "Priya Shah").path == "/consent"


def test_every_name_is_served_with_fonts_from_the_laptop_only(station: PhoneStation) -> None:
    assert station.address is not None
    phone = Phone(station.address.url)
    css = phone.get("/static/fonts.css")
    assert css.status == 200
    fonts = re.findall(r'url\("(/static/fonts/[^"]+)"\)', css.html)
    assert "/static/fonts/AmieNamesTamil-Regular.ttf" in fonts
    assert all(not url.startswith("http") for url in fonts)
    tamil = phone.get("/static/fonts/AmieNamesTamil-Regular.ttf")
    assert tamil.status == 200
    assert phone.get("/static/fonts/..%2F..%2Fstore%2Fmodels.py").status == 404
    assert phone.get("/static/fonts/OFL.txt").status == 404


def send_reflection(station: PhoneStation, typed: str, name: str) -> tuple[Phone, Page]:
    assert station.address is not None
    phone = Phone(station.address.url)
    phone.join(station.address.room_code)
    page = answer_everything(phone, phone.find_and_pick(typed, name))
    return phone, phone.post("/review", {"csrf": page.csrf})


def test_one_word_waits_for_the_facilitator_and_only_after_sending(
    station: PhoneStation,
) -> None:
    assert station.address is not None
    early = Phone(station.address.url)
    page = early.join(station.address.room_code)
    too_soon = early.post("/word", {"csrf": page.csrf, "word": "Early"})
    assert too_soon.path == "/name"
    phone, done = send_reflection(station, "lukasz", "Łukasz Wiśniewski")
    assert "one word for today" in done.html
    refused = phone.post("/word", {"csrf": done.csrf, "word": "far too many words for a word"})
    assert refused.status == 400
    thanked = phone.post("/word", {"csrf": done.csrf, "word": "  Belonging\u200b "})
    assert "Thank you for your word." in thanked.html
    again = phone.post("/word", {"csrf": done.csrf, "word": "Twice"})
    assert again.path == "/done"
    assert [w.word for w in station.words.waiting()] == ["Belonging"]
    assert station.words.shown() == []  # nothing reaches the projector unapproved
    (waiting,) = station.words.waiting()
    station.words.approve(waiting.number)
    assert station.words.shown() == [("belonging", 1)]
    assert station.words.waiting() == []
