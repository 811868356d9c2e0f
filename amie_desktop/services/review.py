"""The facilitator's review list: people a reflection station added or could not confirm.

A station never puts anyone on the register as present by itself. Someone who adds their own
name ("I'm not on the list"), someone who says a name already used is not them ("That's not
me"), and anyone who sends a reflection while not marked present, waits here until the
facilitator accepts them (present), merges them into a name on the register, or rejects them.

These are the only public functions; a station of any kind (the kiosk, or a web page served
to phones) calls them the same way:

    add_walk_in(store, workshop_id, name)            -> attendance id (reflect under it)
    add_same_name(store, attendance_id)              -> attendance id of a new, separate person
    flag_unconfirmed(session, attendance_id)         inside a unit of work that records a reflection
    open_items(store, workshop_id)                   -> list[ReviewEntry], oldest first
    open_count(store, workshop_id)                   -> int
    accept(store, item_id)                           present; off the list
    merge(store, item_id, into_attendance_id)        the reflections move to that name; off the list
    reject(store, item_id)                           what the station made is removed; off the list
    withdraw(store, attendance_id)                   the station takes back a name it just added
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, ReflectionState
from amie_desktop.services import audit
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance, Person, ReviewItem, Workshop

MAX_NAME = 200
ACTOR = "reflection station"


class ReviewKind(Enum):
    WALK_IN = "walk-in"  # added their own name at the station
    SAME_NAME = "same name"  # said a name already used was not them, and carried on
    UNCONFIRMED = "unconfirmed"  # sent a reflection while not marked present

    @property
    def explanation(self) -> str:
        return {
            ReviewKind.WALK_IN: "Added their own name at the station",
            ReviewKind.SAME_NAME: "Has the same name as someone on the register, and said "
            "that person is not them",
            ReviewKind.UNCONFIRMED: "Sent a reflection but is not marked present",
        }[self]


@dataclass(frozen=True)
class MergeCandidate:
    """A name on the register the item could be the same person as."""

    attendance_id: int
    name: str
    email: str
    organisation: str


@dataclass(frozen=True)
class ReviewEntry:
    id: int
    kind: ReviewKind
    attendance_id: int
    name: str
    organisation: str
    sent: tuple[str, ...]  # the phases ("before", "after") with a sent reflection
    created_at: datetime
    candidates: tuple[MergeCandidate, ...]

    def describe(self) -> str:
        sent = " and ".join(self.sent)
        reflections = f"; sent the reflection {sent} the workshop" if sent else ""
        return f"{self.name}: {self.kind.explanation.lower()}{reflections}"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) < 2:
        raise UserError("Please type your name.")
    if len(name) > MAX_NAME:
        raise UserError("That name is too long. Please type a shorter form of it.")
    return name


def _new_attendance(
    session: Session, workshop_id: int, name: str, kind: ReviewKind, now: datetime
) -> int:
    if session.get(Workshop, workshop_id) is None:
        raise NotFoundError("This workshop no longer exists.")
    attendance = Attendance(
        workshop_id=workshop_id,
        person=Person(name=name, name_folded=fold(name)),
        status=AttendanceStatus.BOOKED,
        walk_in=True,
        signed_in_at=now,
    )
    session.add(attendance)
    session.flush()
    session.add(ReviewItem(workshop_id=workshop_id, attendance_id=attendance.id, kind=kind.value))
    audit.record(session, f"review: {kind.value} added", f"workshop {workshop_id}", ACTOR)
    return attendance.id


def add_walk_in(store: Store, workshop_id: int, name: str, now: datetime | None = None) -> int:
    """Someone not on the register typed their name: they reflect under it, not yet present."""
    name = _clean_name(name)
    with store.write() as session:
        on_register = session.scalar(
            select(Attendance.id)
            .join(Person, Attendance.person_id == Person.id)
            .where(Attendance.workshop_id == workshop_id, Person.name_folded == fold(name))
        )
        if on_register is not None:
            raise UserError(
                f"{name} is already on the list. Please go back and choose "
                "“Find your name”, or ask the facilitator."
            )
        return _new_attendance(session, workshop_id, name, ReviewKind.WALK_IN, _now(now))


def add_same_name(store: Store, attendance_id: int, now: datetime | None = None) -> int:
    """Someone with the same name as attendance_id says that name's answers are not theirs:
    a separate person with that name, for the facilitator to check."""
    with store.write() as session:
        taken = session.get(Attendance, attendance_id)
        if taken is None:
            raise NotFoundError(
                "That name is no longer on the register. Please ask the facilitator."
            )
        return _new_attendance(
            session, taken.workshop_id, taken.person.name, ReviewKind.SAME_NAME, _now(now)
        )


def flag_unconfirmed(session: Session, attendance_id: int) -> None:
    """Inside the caller's unit of work: a reflection came from someone not marked present."""
    attendance = session.get(Attendance, attendance_id)
    if attendance is None or attendance.status is AttendanceStatus.ATTENDED:
        return
    exists = session.scalar(select(ReviewItem.id).where(ReviewItem.attendance_id == attendance_id))
    if exists is None:
        session.add(
            ReviewItem(
                workshop_id=attendance.workshop_id,
                attendance_id=attendance_id,
                kind=ReviewKind.UNCONFIRMED.value,
            )
        )


def _candidates(session: Session, item: ReviewItem) -> tuple[MergeCandidate, ...]:
    """Names on the register (not from the station) sharing a word with the item's name."""
    if ReviewKind(item.kind) is ReviewKind.UNCONFIRMED:
        return ()
    words = [w for w in item.attendance.person.name_folded.split() if len(w) > 1]
    if not words:
        return ()
    station_made = select(ReviewItem.attendance_id)
    rows = session.scalars(
        select(Attendance)
        .join(Person, Attendance.person_id == Person.id)
        .where(
            Attendance.workshop_id == item.workshop_id,
            Attendance.id != item.attendance_id,
            Attendance.id.not_in(station_made),
        )
        .order_by(Person.name_folded)
    )
    found = []
    for attendance in rows:
        if set(attendance.person.name_folded.split()) & set(words):
            person = attendance.person
            found.append(
                MergeCandidate(attendance.id, person.name, person.email or "", person.organisation)
            )
    return tuple(found)


def _entry(session: Session, item: ReviewItem) -> ReviewEntry:
    attendance = item.attendance
    sent = tuple(
        r.phase.value
        for r in sorted(attendance.reflections, key=lambda r: r.phase.value != "before")
        if r.state is ReflectionState.SUBMITTED
    )
    return ReviewEntry(
        id=item.id,
        kind=ReviewKind(item.kind),
        attendance_id=attendance.id,
        name=attendance.person.name,
        organisation=attendance.person.organisation,
        sent=sent,
        created_at=item.created_at,
        candidates=_candidates(session, item),
    )


def open_items(store: Store, workshop_id: int) -> list[ReviewEntry]:
    """What is waiting for the facilitator at this workshop, oldest first."""
    with store.read() as session:
        items = session.scalars(
            select(ReviewItem)
            .where(ReviewItem.workshop_id == workshop_id)
            .order_by(ReviewItem.created_at, ReviewItem.id)
        )
        return [_entry(session, item) for item in items]


def open_count(store: Store, workshop_id: int) -> int:
    with store.read() as session:
        return (
            session.scalar(
                select(func.count(ReviewItem.id)).where(ReviewItem.workshop_id == workshop_id)
            )
            or 0
        )


def _item(session: Session, item_id: int) -> ReviewItem:
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFoundError("That person has already been dealt with. The list has been updated.")
    return item


def _mark_present(attendance: Attendance, now: datetime) -> None:
    attendance.status = AttendanceStatus.ATTENDED
    attendance.signed_in_at = attendance.signed_in_at or now


def accept(store: Store, item_id: int, now: datetime | None = None) -> None:
    """The facilitator knows this person was here: present, and off the list."""
    with store.write() as session:
        item = _item(session, item_id)
        _mark_present(item.attendance, _now(now))
        audit.record(session, "review: accepted", f"attendance {item.attendance_id}", ACTOR)
        session.delete(item)


def _remove_made(session: Session, attendance: Attendance) -> None:
    """Remove an attendance the station made, and its person if they have nothing else."""
    person = attendance.person
    session.delete(attendance)
    session.flush()
    if not session.scalar(select(Attendance.id).where(Attendance.person_id == person.id)):
        session.delete(person)


def merge(store: Store, item_id: int, into_attendance_id: int, now: datetime | None = None) -> None:
    """The person the station added is someone on the register: their reflections and
    consent move to that name, which is marked present; the station's copy goes."""
    with store.write() as session:
        item = _item(session, item_id)
        if ReviewKind(item.kind) is ReviewKind.UNCONFIRMED:
            raise UserError("This person is already on the register: accept or reject them.")
        made = item.attendance
        into = session.get(Attendance, into_attendance_id)
        if into is None or into.workshop_id != item.workshop_id or into.id == made.id:
            raise NotFoundError("That name is not on this workshop's register any more.")
        theirs = {r.phase: r for r in into.reflections}
        for reflection in list(made.reflections):
            existing = theirs.get(reflection.phase)
            if existing is not None and existing.state is ReflectionState.SUBMITTED:
                raise UserError(
                    f"{into.person.name} has already sent a reflection {reflection.phase.value} "
                    "the workshop, so the two cannot be merged. Reject one of them instead."
                )
        for reflection in list(made.reflections):
            existing = theirs.get(reflection.phase)
            if existing is not None:  # an unsent start under their name gives way
                session.delete(existing)
                session.flush()
            reflection.attendance = into
        if made.consent_quote_at is not None:
            into.consent_quote, into.consent_quote_at = made.consent_quote, made.consent_quote_at
            into.consent_contact = made.consent_contact
            into.consent_contact_at = made.consent_contact_at
            into.consent_wording = made.consent_wording
        _mark_present(into, made.signed_in_at or _now(now))
        audit.record(session, "review: merged", f"attendance {made.id} into {into.id}", ACTOR)
        session.delete(item)
        session.flush()
        _remove_made(session, made)


def withdraw(store: Store, attendance_id: int) -> None:
    """The station takes back a name it added moments ago (Back, or "Not you?"), with
    anything written under it, so it never reaches the facilitator's list. A name with a
    sent reflection stays for the facilitator."""
    with store.write() as session:
        item = session.scalar(select(ReviewItem).where(ReviewItem.attendance_id == attendance_id))
        if item is None:
            return
        attendance = item.attendance
        if any(r.state is ReflectionState.SUBMITTED for r in attendance.reflections):
            return
        session.delete(item)
        session.flush()
        _remove_made(session, attendance)


def reject(store: Store, item_id: int) -> None:
    """Not someone who was here. A name the station added goes, with what was written under
    it; for a name already on the register, the reflections sent under it go, and the
    register itself is left as it was."""
    with store.write() as session:
        item = _item(session, item_id)
        attendance = item.attendance
        audit.record(session, "review: rejected", f"attendance {attendance.id}", ACTOR)
        session.delete(item)
        session.flush()
        if ReviewKind(item.kind) is ReviewKind.UNCONFIRMED:
            for reflection in list(attendance.reflections):
                session.delete(reflection)
        else:
            _remove_made(session, attendance)


__all__ = [
    "MergeCandidate",
    "ReviewEntry",
    "ReviewKind",
    "accept",
    "add_same_name",
    "add_walk_in",
    "flag_unconfirmed",
    "merge",
    "open_count",
    "open_items",
    "reject",
    "withdraw",
]
