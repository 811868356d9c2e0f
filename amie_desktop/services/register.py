"""The register: who is booked on a workshop, walk-ins, attendance, sign-in times and consents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amie_desktop.domain.text import counted, fold
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import audit
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.services.name_search import name_matches
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance, Person, Workshop

EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")
MAX_NAME = 200
MAX_EMAIL = 320
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    email: str
    organisation: str
    role: str


@dataclass(frozen=True)
class RegisterRow:
    attendance_id: int
    person: PersonRow
    status: AttendanceStatus
    walk_in: bool
    signed_in_at: datetime | None
    consent_quote: bool
    consent_contact: bool

    @property
    def name(self) -> str:
        return self.person.name


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why an email address cannot be used, or None when it looks like one."""
    text = email.strip()
    if len(text) > MAX_EMAIL:
        return f"the email address is longer than {MAX_EMAIL} characters"
    if text and not EMAIL.match(text):
        return f"{text!r} is not an email address"
    return None


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "there is no name"
    if len(name.strip()) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    return None


def _person_row(person: Person) -> PersonRow:
    return PersonRow(
        id=person.id,
        name=person.name,
        email=person.email or "",
        organisation=person.organisation,
        role=person.role,
    )


def _register_row(attendance: Attendance) -> RegisterRow:
    return RegisterRow(
        attendance_id=attendance.id,
        person=_person_row(attendance.person),
        status=attendance.status,
        walk_in=attendance.walk_in,
        signed_in_at=attendance.signed_in_at,
        consent_quote=attendance.consent_quote,
        consent_contact=attendance.consent_contact,
    )


def _workshop(session: Session, workshop_id: int) -> Workshop:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFoundError("That workshop no longer exists.")
    return workshop


def _attendance(session: Session, attendance_id: int) -> Attendance:
    attendance = session.get(Attendance, attendance_id)
    if attendance is None:
        raise NotFoundError("That person is no longer on the register.")
    return attendance


def list_register(store: Store, workshop_id: int) -> list[RegisterRow]:
    """Everyone on a workshop's register, by name."""
    with store.read() as session:
        _workshop(session, workshop_id)
        query = (
            select(Attendance)
            .join(Person)
            .where(Attendance.workshop_id == workshop_id)
            .order_by(Person.name_folded, Person.id)
        )
        return [_register_row(a) for a in session.scalars(query)]


def person_by_email(session: Session, email: str) -> Person | None:
    if not email.strip():
        return None
    query = select(Person).where(func.lower(Person.email) == normalise_email(email))
    return session.scalars(query).first()


def find_person(session: Session, name: str, email: str) -> tuple[Person | None, str]:
    """The person a name and email belong to, and how they matched ("email", "name" or "")."""
    by_email = person_by_email(session, email)
    if by_email is not None:
        return by_email, "email"
    candidates = session.scalars(
        select(Person).where(Person.name_folded == fold(name)).order_by(Person.id)
    ).all()
    for candidate in candidates:
        # Same name but a different email address is somebody else.
        if not email.strip() or not candidate.email:
            return candidate, "name"
    return None, ""


def fill_blanks(person: Person, email: str, organisation: str, role: str) -> bool:
    """Fill in what the person's record lacks; never overwrite what is there. True if changed."""
    changed = False
    if email.strip() and not person.email:
        person.email, changed = email.strip(), True
    if organisation.strip() and not person.organisation:
        person.organisation, changed = organisation.strip(), True
    if role.strip() and not person.role:
        person.role, changed = role.strip(), True
    return changed


def new_person(name: str, email: str, organisation: str, role: str) -> Person:
    return Person(
        name=name.strip(),
        name_folded=fold(name),
        email=email.strip() or None,
        organisation=organisation.strip(),
        role=role.strip(),
    )


def add_person(
    store: Store,
    workshop_id: int,
    name: str,
    email: str = "",
    organisation: str = "",
    role: str = "",
    *,
    walk_in: bool = False,
    as_new: bool = False,
) -> RegisterRow:
    """Put someone on the register, reusing their Person record if they have come before.

    A walk-in is marked as attended and signed in now. Someone already on the register is not
    an error: they keep their row, and a walk-in among them is marked attended. `as_new` makes
    a new person even when someone of the same name is in the records (after asking the trainer;
    see `similar_people`).
    """
    problem = name_problem(name) or email_problem(email)
    if problem:
        raise UserError(problem[0].upper() + problem[1:] + ".")
    with store.write() as session:
        workshop = _workshop(session, workshop_id)
        person, _how = (None, "") if as_new else find_person(session, name, email)
        if as_new and person_by_email(session, email) is not None:
            raise UserError(f"{email.strip()} already belongs to someone in your records.")
        if person is None:
            person = new_person(name, email, organisation, role)
            session.add(person)
            session.flush()
        else:
            fill_blanks(person, email, organisation, role)
        return _book(session, workshop, person, walk_in)


def book_person(
    store: Store, workshop_id: int, person_id: int, *, walk_in: bool = False
) -> RegisterRow:
    """Put someone already in the records on the register (chosen from a search)."""
    with store.write() as session:
        workshop = _workshop(session, workshop_id)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError("That person no longer exists.")
        return _book(session, workshop, person, walk_in)


def _book(session: Session, workshop: Workshop, person: Person, walk_in: bool) -> RegisterRow:
    attendance = session.scalars(
        select(Attendance).where(
            Attendance.workshop_id == workshop.id, Attendance.person_id == person.id
        )
    ).first()
    if attendance is None:
        attendance = Attendance(workshop=workshop, person=person, walk_in=walk_in)
        session.add(attendance)
    if walk_in:  # here now, whether they booked or not
        attendance.status = AttendanceStatus.ATTENDED
        attendance.signed_in_at = attendance.signed_in_at or datetime.now(UTC)
    session.flush()
    return _register_row(attendance)


def add_walk_in(store: Store, workshop_id: int, name: str) -> RegisterRow:
    return add_person(store, workshop_id, name, walk_in=True)


def similar_people(store: Store, name: str, email: str = "") -> list[PersonRow]:
    """People in the records who may be the one typed: the same name (ignoring case and
    accents) or the same email address. Asked about before a new person is made."""
    folded = fold(name)
    with store.read() as session:
        found = {p.id: p for p in session.scalars(
            select(Person).where(Person.name_folded == folded).order_by(Person.id)
        )} if folded else {}  # fmt: skip
        by_email = person_by_email(session, email)
        if by_email is not None:
            found = {by_email.id: by_email, **found}
        return [_person_row(p) for p in found.values()]


def mark(store: Store, attendance_id: int, status: AttendanceStatus) -> RegisterRow:
    """Booked, attended or absent. Marking attended records the sign-in time once."""
    with store.write() as session:
        attendance = _attendance(session, attendance_id)
        attendance.status = status
        if status is AttendanceStatus.ATTENDED:
            attendance.signed_in_at = attendance.signed_in_at or datetime.now(UTC)
        else:
            attendance.signed_in_at = None
        return _register_row(attendance)


def set_signed_in_at(store: Store, attendance_id: int, when: datetime) -> RegisterRow:
    """Correct a sign-in time (for someone signed in on paper); marks them attended."""
    if when.tzinfo is None:
        raise UserError("A sign-in time needs a time zone.")
    with store.write() as session:
        attendance = _attendance(session, attendance_id)
        attendance.signed_in_at = when
        attendance.status = AttendanceStatus.ATTENDED
        return _register_row(attendance)


def set_consents(
    store: Store,
    attendance_id: int,
    *,
    quote: bool | None = None,
    contact: bool | None = None,
    wording: str = "",
) -> RegisterRow:
    """Record consent to be quoted and to be contacted, each with when it was given or withdrawn."""
    now = datetime.now(UTC)
    with store.write() as session:
        attendance = _attendance(session, attendance_id)
        if quote is not None and quote != attendance.consent_quote:
            attendance.consent_quote, attendance.consent_quote_at = quote, now
        if contact is not None and contact != attendance.consent_contact:
            attendance.consent_contact, attendance.consent_contact_at = contact, now
        if wording:
            attendance.consent_wording = wording
        return _register_row(attendance)


def update_person(
    store: Store, person_id: int, name: str, email: str, organisation: str, role: str
) -> PersonRow:
    """Correct someone's details as typed."""
    problem = name_problem(name) or email_problem(email)
    if problem:
        raise UserError(problem[0].upper() + problem[1:] + ".")
    with store.write() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError("That person no longer exists.")
        if email.strip():
            other = person_by_email(session, email)
            if other is not None and other.id != person.id:
                raise UserError(f"{email.strip()} already belongs to {other.name}.")
        person.name, person.name_folded = name.strip(), fold(name)
        person.email = email.strip() or None
        person.organisation, person.role = organisation.strip(), role.strip()
        return _person_row(person)


def remove_from_register(store: Store, attendance_id: int) -> None:
    """Take someone off this register (the person stays, with their other workshops)."""
    with store.write() as session:
        attendance = _attendance(session, attendance_id)
        if attendance.reflections:
            raise UserError(
                f"{attendance.person.name} has written reflections for this workshop, "
                "so they stay on the register. Mark them absent instead."
            )
        session.delete(attendance)


def search_people(store: Store, text: str, limit: int = SEARCH_LIMIT) -> list[PersonRow]:
    """People whose name holds every word typed (see name_matches), by name."""
    words = fold(text).split()
    if not words:
        return []
    with store.read() as session:
        query = select(Person)
        for word in words:
            query = query.where(name_matches(Person.name_search, word))
        query = query.order_by(Person.name_folded, Person.id).limit(limit)
        return [_person_row(p) for p in session.scalars(query)]


# Marking attendance from a sign-in sheet (the command line) ------------------------------


def person_by_key(session: Session, key: str) -> Person | None:
    """The one person a key names exactly: an id (ASCII digits only), a uuid, or an email
    (case ignored). Never a pattern: "jo_smith@…" is not "joxsmith@…", and "١٢" is not 12.
    """
    key = key.strip()
    if not key:
        return None
    if key.isascii() and key.isdigit():
        return session.get(Person, int(key))
    if "@" in key:
        return person_by_email(session, key)
    return session.scalars(select(Person).where(Person.uuid == key.lower())).first()


@dataclass(frozen=True)
class NotMarked:
    key: str  # as given
    reason: str


@dataclass(frozen=True)
class AttendedReport:
    """What `register attended` did: who is now marked attended, and who could not be."""

    workshop_id: int
    workshop_title: str
    marked: tuple[PersonRow, ...]  # marked attended now
    already: tuple[PersonRow, ...]  # were marked attended before
    not_found: tuple[NotMarked, ...]

    def summary(self) -> str:
        text = (
            f"Marked {counted(len(self.marked), 'person', 'people')} as attended at "
            f"{self.workshop_title!r}"
        )
        if self.already:
            text += f" ({counted(len(self.already), 'person was', 'people were')} already)"
        if self.not_found:
            text += f"; {len(self.not_found)} not found"
        return text + "."

    def as_json(self) -> dict[str, object]:
        """The stable shape `register attended --json` prints."""

        def person(row: PersonRow) -> dict[str, object]:
            return {"id": row.id, "name": row.name, "email": row.email}

        return {
            "workshop": {"id": self.workshop_id, "title": self.workshop_title},
            "marked": [person(row) for row in self.marked],
            "already_attended": [person(row) for row in self.already],
            "not_found": [{"person": n.key, "reason": n.reason} for n in self.not_found],
        }


NO_SUCH_PERSON = "no person has this id, uuid or email"
NOT_BOOKED = "not on this workshop's register"


def mark_attended(
    store: Store,
    workshop_id: int,
    keys: Sequence[str] = (),
    *,
    everyone_booked: bool = False,
    now: datetime | None = None,
) -> AttendedReport:
    """Mark the people named by keys (see person_by_key), or everyone still booked, as attended.

    Everyone who can be found is marked, in one unit of work; the others are reported.
    """
    now = now or datetime.now(UTC)
    marked: list[PersonRow] = []
    already: list[PersonRow] = []
    not_found: list[NotMarked] = []
    with store.write() as session:
        workshop = _workshop(session, workshop_id)
        on_register = {a.person_id: a for a in workshop.attendances}
        chosen: list[Attendance] = []
        if everyone_booked:
            chosen = [a for a in on_register.values() if a.status is AttendanceStatus.BOOKED]
            chosen.sort(key=lambda a: (a.person.name_folded, a.person_id))
        for key in keys:
            person = person_by_key(session, key)
            if person is None:
                not_found.append(NotMarked(key, NO_SUCH_PERSON))
            elif person.id not in on_register:
                not_found.append(NotMarked(key, NOT_BOOKED))
            elif on_register[person.id] not in chosen:
                chosen.append(on_register[person.id])
        for attendance in chosen:
            if attendance.status is AttendanceStatus.ATTENDED:
                already.append(_person_row(attendance.person))
                continue
            attendance.status = AttendanceStatus.ATTENDED
            attendance.signed_in_at = attendance.signed_in_at or now
            marked.append(_person_row(attendance.person))
        if marked:
            audit.record(
                session,
                "attendance marked",
                f"workshop {workshop.id}: {counted(len(marked), 'person', 'people')}",
                "command line",
            )
        return AttendedReport(
            workshop.id, workshop.title, tuple(marked), tuple(already), tuple(not_found)
        )
