"""The facilitator's review list: walk-ins, "that's not me" and unconfirmed senders wait here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.services import reflections, register, review
from amie_desktop.services.errors import UserError
from amie_desktop.services.review import ReviewKind
from amie_desktop.services.workshops import list_workshops
from amie_desktop.store import Store
from amie_desktop.store.models import Person

NOW = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)


def _today(store: Store) -> int:
    return next(w.id for w in list_workshops(store) if "community musicians" in w.title)


def _status(store: Store, workshop: int, attendance_id: int) -> AttendanceStatus | None:
    rows = {r.attendance_id: r for r in register.list_register(store, workshop)}
    return rows[attendance_id].status if attendance_id in rows else None


def _people_named(store: Store, name: str) -> int:
    with store.read() as session:
        return len(session.scalars(select(Person).where(Person.name == name)).all())


def test_a_walk_in_waits_for_the_facilitator_instead_of_being_marked_present(
    demo_store: Store,
) -> None:
    workshop = _today(demo_store)
    made = review.add_walk_in(demo_store, workshop, "  Bríd   Nic Aoidh ", NOW)
    assert _status(demo_store, workshop, made) is AttendanceStatus.BOOKED
    [entry] = review.open_items(demo_store, workshop)
    assert (entry.kind, entry.name, entry.sent) == (ReviewKind.WALK_IN, "Bríd Nic Aoidh", ())
    assert review.open_count(demo_store, workshop) == 1
    with pytest.raises(UserError, match="already on the list"):
        review.add_walk_in(demo_store, workshop, "BRID NIC AOIDH", NOW)
    with pytest.raises(UserError, match="type your name"):
        review.add_walk_in(demo_store, workshop, " ", NOW)
    review.accept(demo_store, entry.id, NOW)
    assert _status(demo_store, workshop, made) is AttendanceStatus.ATTENDED
    assert review.open_items(demo_store, workshop) == []
    with pytest.raises(UserError, match="already been dealt with"):
        review.accept(demo_store, entry.id, NOW)


def test_merging_moves_the_reflection_to_the_name_on_the_register(demo_store: Store) -> None:
    workshop = _today(demo_store)
    booked = reflections.find_names(demo_store, workshop, "an")[0]
    surname = booked.name.split()[-1]
    made = review.add_walk_in(demo_store, workshop, f"Jo {surname}", NOW)
    reflections.pick_name(demo_store, made, Phase.BEFORE)
    reflections.record_consent(demo_store, made, quote=True, contact=True)
    reflections.submit(demo_store, made, Phase.BEFORE, {"rating.H": 4}, NOW)
    [entry] = review.open_items(demo_store, workshop)
    assert entry.sent == ("before",)
    assert booked.attendance_id in [c.attendance_id for c in entry.candidates]
    review.merge(demo_store, entry.id, booked.attendance_id, NOW)
    saved = reflections.stored_reflection(demo_store, booked.attendance_id, Phase.BEFORE)
    assert saved is not None and saved.state is ReflectionState.SUBMITTED
    assert saved.answers == {"rating.H": 4}
    rows = {r.attendance_id: r for r in register.list_register(demo_store, workshop)}
    assert rows[booked.attendance_id].status is AttendanceStatus.ATTENDED
    assert rows[booked.attendance_id].consent_quote is True
    assert made not in rows and _people_named(demo_store, f"Jo {surname}") == 0
    assert review.open_items(demo_store, workshop) == []


def test_two_sent_reflections_are_never_merged_into_one(demo_store: Store) -> None:
    workshop = _today(demo_store)
    booked = reflections.find_names(demo_store, workshop, "an")[0]
    reflections.submit(demo_store, booked.attendance_id, Phase.BEFORE, {"rating.H": 1}, NOW)
    made = review.add_same_name(demo_store, booked.attendance_id, NOW)
    reflections.submit(demo_store, made, Phase.BEFORE, {"rating.H": 5}, NOW)
    entries = {e.kind: e for e in review.open_items(demo_store, workshop)}
    assert set(entries) == {ReviewKind.UNCONFIRMED, ReviewKind.SAME_NAME}
    assert entries[ReviewKind.SAME_NAME].name == booked.name
    with pytest.raises(UserError, match="cannot be merged"):
        review.merge(demo_store, entries[ReviewKind.SAME_NAME].id, booked.attendance_id, NOW)
    saved = reflections.stored_reflection(demo_store, booked.attendance_id, Phase.BEFORE)
    assert saved is not None and saved.answers == {"rating.H": 1}


def test_rejecting_removes_what_the_station_made_and_leaves_the_register_alone(
    demo_store: Store,
) -> None:
    workshop = _today(demo_store)
    booked = reflections.find_names(demo_store, workshop, "an")[0]
    reflections.submit(demo_store, booked.attendance_id, Phase.AFTER, {"rating.H": 2}, NOW)
    made = review.add_walk_in(demo_store, workshop, "Not A Real Person", NOW)
    entries = {e.kind: e for e in review.open_items(demo_store, workshop)}
    review.reject(demo_store, entries[ReviewKind.WALK_IN].id)
    assert _status(demo_store, workshop, made) is None
    assert _people_named(demo_store, "Not A Real Person") == 0
    review.reject(demo_store, entries[ReviewKind.UNCONFIRMED].id)
    assert reflections.stored_reflection(demo_store, booked.attendance_id, Phase.AFTER) is None
    assert _status(demo_store, workshop, booked.attendance_id) is AttendanceStatus.BOOKED
    assert review.open_items(demo_store, workshop) == []


def test_the_station_can_take_back_a_name_it_just_added(demo_store: Store) -> None:
    workshop = _today(demo_store)
    made = review.add_walk_in(demo_store, workshop, "Wrong Button", NOW)
    reflections.pick_name(demo_store, made, Phase.AFTER)
    review.withdraw(demo_store, made)
    assert _status(demo_store, workshop, made) is None
    assert review.open_items(demo_store, workshop) == []
    # One that sent a reflection stays for the facilitator.
    kept = review.add_walk_in(demo_store, workshop, "Sent Already", NOW)
    reflections.submit(demo_store, kept, Phase.AFTER, {"rating.H": 3}, NOW)
    review.withdraw(demo_store, kept)
    assert [e.name for e in review.open_items(demo_store, workshop)] == ["Sent Already"]
