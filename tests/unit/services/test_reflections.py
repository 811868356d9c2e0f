"""The reflection station's services: names, walk-ins, drafts, consent, submission."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from amie_desktop.domain.content import reflection_questions
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.services import audit, reflections, review
from amie_desktop.services.errors import UserError
from amie_desktop.services.organisation import PinError
from amie_desktop.services.reflections import (
    AlreadySubmittedError,
    IdentityNotConfirmedError,
    Pick,
)
from amie_desktop.services.review import ReviewKind
from amie_desktop.services.workshops import list_workshops
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Attendance

PIN = "1234"  # the demo organisation's PIN
NOW = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)


def _today(store: Store) -> int:
    """The demo's workshop of today: planned, nobody has reflected yet."""
    return next(w.id for w in list_workshops(store) if "community musicians" in w.title)


def _past(store: Store) -> int:
    return next(w.id for w in list_workshops(store) if w.title.endswith("SEN settings"))


def _someone(store: Store, workshop_id: int) -> reflections.NameMatch:
    with store.read() as session:
        attendance = session.scalars(
            select(Attendance).where(Attendance.workshop_id == workshop_id).limit(1)
        ).one()
        name = attendance.person.name
    return next(m for m in reflections.find_names(store, workshop_id, name) if m.name == name)


def test_open_station_needs_the_pin_and_gives_the_phase_questions(demo_store: Store) -> None:
    workshop = _today(demo_store)
    with pytest.raises(PinError):
        reflections.open_station(demo_store, workshop, Phase.BEFORE, "0000", now=NOW)
    assert reflections.interrupted_station(demo_store) is None
    info = reflections.open_station(demo_store, workshop, Phase.BEFORE, PIN, now=NOW)
    assert info.idle_seconds == 90
    assert [q.key for q in info.questions] == [
        q.key for q in reflection_questions().for_phase(Phase.BEFORE)
    ]
    assert all(q.key.startswith("rating.") for q in info.questions)
    after = reflections.station_info(demo_store, workshop, Phase.AFTER)
    assert "do_differently" in {q.key for q in after.questions}
    assert "station opened" in {e.action for e in audit.recent(demo_store)}


def test_an_open_station_is_remembered_until_closed_with_the_pin(
    demo_store: Store, data_dir: Path
) -> None:
    workshop = _today(demo_store)
    reflections.open_station(demo_store, workshop, Phase.AFTER, PIN, now=NOW)
    demo_store.close()
    reopened = open_store(data_dir)  # as after a crash
    interrupted = reflections.interrupted_station(reopened)
    assert interrupted is not None
    assert (interrupted.workshop_id, interrupted.phase) == (workshop, Phase.AFTER)
    with pytest.raises(PinError):
        reflections.close_station(reopened, "9999", now=NOW)
    assert reflections.interrupted_station(reopened) is not None
    reflections.close_station(reopened, PIN, now=NOW)
    assert reflections.interrupted_station(reopened) is None
    reopened.close()


def test_a_damaged_station_note_is_set_aside(demo_store: Store) -> None:
    (demo_store.data_dir / reflections.STATION_FILE).write_text("{not json")
    assert reflections.interrupted_station(demo_store) is None
    assert not (demo_store.data_dir / reflections.STATION_FILE).exists()


def test_find_names_ignores_accents_and_case_and_needs_two_letters(demo_store: Store) -> None:
    workshop = _past(demo_store)
    with demo_store.read() as session:
        names = [a.person.name for a in session.scalars(
            select(Attendance).where(Attendance.workshop_id == workshop))]  # fmt: skip
    assert reflections.find_names(demo_store, workshop, "") == []
    assert reflections.find_names(demo_store, workshop, "a") == []
    for name in names:
        found = [m.name for m in reflections.find_names(demo_store, workshop, name.upper())]
        assert name in found, name
    # Only this workshop's register is searched.
    others = {p for p in ("Łukasz Wiśniewski", "Zoë Ó Briain") if p not in names}
    for other in others:
        assert reflections.find_names(demo_store, workshop, other) == []


def test_lukasz_finds_lukasz_with_its_accents(demo_store: Store) -> None:
    for workshop in list_workshops(demo_store):
        matches = reflections.find_names(demo_store, workshop.id, "lukasz")
        if matches:
            assert matches[0].name == "Łukasz Wiśniewski"
            break
    else:
        pytest.fail("Łukasz is on no demo register")


def test_search_wildcards_are_taken_literally(demo_store: Store) -> None:
    assert reflections.find_names(demo_store, _past(demo_store), "%%") == []
    assert reflections.find_names(demo_store, _past(demo_store), "__") == []


def test_drafts_keep_text_exactly_as_typed_and_drop_cleared_answers(demo_store: Store) -> None:
    workshop = _today(demo_store)
    person = _someone(demo_store, workshop)
    text = "  Ask the group first.\nThen plan  together. "
    reflections.save_draft(
        demo_store, person.attendance_id, Phase.AFTER,
        {"rating.H": 3, "do_differently": text, "barriers": "time"}, NOW,
    )  # fmt: skip
    saved = reflections.stored_reflection(demo_store, person.attendance_id, Phase.AFTER)
    assert saved is not None and saved.state is ReflectionState.DRAFT
    assert saved.answers == {"rating.H": 3, "do_differently": text, "barriers": "time"}
    reflections.save_draft(
        demo_store, person.attendance_id, Phase.AFTER, {"barriers": "", "rating.H": 4}, NOW
    )
    saved = reflections.stored_reflection(demo_store, person.attendance_id, Phase.AFTER)
    assert saved is not None
    assert saved.answers == {"rating.H": 4, "do_differently": text}


def test_bad_answers_are_refused(demo_store: Store) -> None:
    person = _someone(demo_store, _today(demo_store))
    with pytest.raises(ValueError, match="1 to 5"):
        reflections.save_draft(demo_store, person.attendance_id, Phase.BEFORE, {"rating.H": 6})
    with pytest.raises(KeyError):
        reflections.save_draft(demo_store, person.attendance_id, Phase.BEFORE, {"nope": 1})


def test_a_name_picked_before_needs_its_booking_email_or_the_pin(demo_store: Store) -> None:
    workshop = _today(demo_store)
    person = _someone(demo_store, workshop)
    with demo_store.read() as session:
        email = session.get(Attendance, person.attendance_id).person.email  # type: ignore[union-attr]
    assert email
    assert reflections.pick_name(demo_store, person.attendance_id, Phase.BEFORE) is Pick.BEGIN
    reflections.record_consent(demo_store, person.attendance_id, quote=True, contact=False)
    reflections.mark_incomplete(
        demo_store, person.attendance_id, Phase.BEFORE, {"rating.E": 2}, NOW
    )
    assert reflections.pick_name(demo_store, person.attendance_id, Phase.BEFORE) is Pick.CHECK
    for wrong in ("", "someone@example.org", email[:-1], f"x{email}"):
        with pytest.raises(IdentityNotConfirmedError, match="does not match"):
            reflections.confirm_identity(demo_store, person.attendance_id, Phase.BEFORE, wrong)
    draft = reflections.confirm_identity(
        demo_store, person.attendance_id, Phase.BEFORE, f"  {email.upper()} "
    )
    assert dict(draft.answers) == {"rating.E": 2}
    assert (draft.consent_quote, draft.consent_contact) == (True, False)
    with pytest.raises(PinError):
        reflections.resume_draft(demo_store, person.attendance_id, Phase.BEFORE, "4321", NOW)
    draft = reflections.resume_draft(demo_store, person.attendance_id, Phase.BEFORE, PIN, NOW)
    assert dict(draft.answers) == {"rating.E": 2}
    # The other phase is a separate reflection.
    assert reflections.pick_name(demo_store, person.attendance_id, Phase.AFTER) is Pick.BEGIN


def test_a_sent_unfinished_or_picked_name_all_answer_check(demo_store: Store) -> None:
    workshop = _today(demo_store)
    names = reflections.find_names(demo_store, workshop, "an")[:3]
    reflections.submit(demo_store, names[0].attendance_id, Phase.AFTER, {"rating.H": 2}, NOW)
    reflections.mark_incomplete(demo_store, names[1].attendance_id, Phase.AFTER, {"rating.H": 2})
    reflections.pick_name(demo_store, names[2].attendance_id, Phase.AFTER)
    picks = [reflections.pick_name(demo_store, n.attendance_id, Phase.AFTER) for n in names]
    assert picks == [Pick.CHECK, Pick.CHECK, Pick.CHECK]


def test_not_you_frees_a_first_pick_but_never_a_sent_reflection(demo_store: Store) -> None:
    workshop = _today(demo_store)
    first, second = reflections.find_names(demo_store, workshop, "an")[:2]
    reflections.pick_name(demo_store, first.attendance_id, Phase.AFTER)
    reflections.save_draft(demo_store, first.attendance_id, Phase.AFTER, {"rating.H": 1})
    reflections.release_name(demo_store, first.attendance_id, Phase.AFTER)
    assert reflections.stored_reflection(demo_store, first.attendance_id, Phase.AFTER) is None
    assert reflections.pick_name(demo_store, first.attendance_id, Phase.AFTER) is Pick.BEGIN
    reflections.submit(demo_store, second.attendance_id, Phase.AFTER, {"rating.H": 1})
    reflections.release_name(demo_store, second.attendance_id, Phase.AFTER)
    saved = reflections.stored_reflection(demo_store, second.attendance_id, Phase.AFTER)
    assert saved is not None and saved.state is ReflectionState.SUBMITTED


def test_submitted_reflections_cannot_be_reopened_or_changed(demo_store: Store) -> None:
    workshop = _today(demo_store)
    person = _someone(demo_store, workshop)
    answers = {f"rating.{code}": 3 for code in "HEARD"}
    reflections.submit(demo_store, person.attendance_id, Phase.BEFORE, answers, NOW)
    saved = reflections.stored_reflection(demo_store, person.attendance_id, Phase.BEFORE)
    assert saved is not None and saved.state is ReflectionState.SUBMITTED
    assert saved.submitted_at == NOW and saved.answers == answers
    with pytest.raises(AlreadySubmittedError, match="already sent") as caught:
        reflections.resume_draft(demo_store, person.attendance_id, Phase.BEFORE, PIN, NOW)
    assert "3" not in str(caught.value)
    with pytest.raises(AlreadySubmittedError):
        reflections.save_draft(demo_store, person.attendance_id, Phase.BEFORE, {"rating.H": 1})
    with pytest.raises(AlreadySubmittedError):
        reflections.resume_draft(demo_store, person.attendance_id, Phase.BEFORE, PIN, NOW)
    # A reflection alone never marks someone present: the facilitator confirms it.
    with demo_store.read() as session:
        attendance = session.get(Attendance, person.attendance_id)
        assert attendance is not None and attendance.status is AttendanceStatus.BOOKED
    [entry] = review.open_items(demo_store, workshop)
    assert entry.kind is ReviewKind.UNCONFIRMED and entry.attendance_id == person.attendance_id


def test_a_submission_is_on_disk_when_submit_returns(demo_store: Store, data_dir: Path) -> None:
    person = _someone(demo_store, _today(demo_store))
    reflections.submit(demo_store, person.attendance_id, Phase.BEFORE, {"rating.D": 5}, NOW)
    # A second, independent connection sees it at once: it was committed, not buffered.
    other = open_store(data_dir)
    saved = reflections.stored_reflection(other, person.attendance_id, Phase.BEFORE)
    other.close()
    assert saved is not None and saved.state is ReflectionState.SUBMITTED


def test_consent_is_kept_with_its_time_and_wording(demo_store: Store) -> None:
    person = _someone(demo_store, _today(demo_store))
    reflections.record_consent(demo_store, person.attendance_id, quote=False, contact=True, now=NOW)
    with demo_store.read() as session:
        attendance = session.get(Attendance, person.attendance_id)
        assert attendance is not None
        assert (attendance.consent_quote, attendance.consent_contact) == (False, True)
        assert attendance.consent_quote_at == NOW == attendance.consent_contact_at
        wording = json.loads(attendance.consent_wording)
    assert wording == {"quote": reflections.CONSENT.quote, "contact": reflections.CONSENT.contact}


def test_the_quiet_spell_before_are_you_still_there_can_be_changed_when_opening(
    demo_store: Store,
) -> None:
    workshop = _today(demo_store)
    with pytest.raises(UserError, match="between 30 and 600 seconds"):
        reflections.open_station(demo_store, workshop, Phase.BEFORE, PIN, idle_seconds=5)
    with pytest.raises(PinError):
        reflections.open_station(demo_store, workshop, Phase.BEFORE, "0000", idle_seconds=45)
    assert reflections.station_info(demo_store, workshop, Phase.BEFORE).idle_seconds == 90
    info = reflections.open_station(demo_store, workshop, Phase.BEFORE, PIN, idle_seconds=45)
    assert info.idle_seconds == 45
    # Kept for the next station, and for the one that comes back after a crash.
    assert reflections.station_info(demo_store, workshop, Phase.AFTER).idle_seconds == 45
    interrupted = reflections.interrupted_station(demo_store)
    assert interrupted is not None and interrupted.idle_seconds == 45
