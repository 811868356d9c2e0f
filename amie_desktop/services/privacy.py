"""UK GDPR: erasing a person, retention, subject access exports and consent to be quoted."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from amie_desktop.domain.content import reflection_questions
from amie_desktop.domain.dates import long_date
from amie_desktop.domain.text import counted, fold
from amie_desktop.reports.subject_access import render_subject_access
from amie_desktop.services import audit
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.services.name_search import name_matches
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes, private_dir
from amie_desktop.store.integrity import os_error_message
from amie_desktop.store.models import Attendance, Organisation, Person, Workshop

ANONYMOUS_NAME = "Anonymised attendee"
MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS = 1, 120
BACKUPS_AGE_OUT = (
    "Copies in older backups are deleted as the backups rotate out (within 8 weeks, or "
    "sooner if backups are deleted by hand)."
)


# Finding people -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMatch:
    id: int
    uuid: str
    name: str
    email: str
    attendances: int
    workshops: tuple[str, ...] = ()  # "Title (2026-11-25)", oldest first

    def describe(self) -> str:
        """Who this is, for a person to check before an erasure: name, email, workshops."""
        places = "; ".join(self.workshops) if self.workshops else "no workshops"
        return (
            f"{self.name} <{self.email or 'no email'}> (id {self.id}), on the register of: {places}"
        )


def _is_id(key: str) -> bool:
    """Only ASCII digits are an id: "١٢" (Arabic-Indic digits) must not find person 12. More
    than 18 digits cannot be a database integer."""
    return key.isascii() and key.isdigit() and len(key) <= 18


def _find(session: Session, key: str) -> Person:
    """Exactly one person by id, uuid or email (the PERSON argument of the command line).

    Matching is exact on purpose: an email is compared whole, ignoring case only, never as a
    pattern, so "jo_smith@…" cannot find "joxsmith@…" and "%@%" finds nobody.
    """
    key = key.strip()
    found: list[Person] = []
    if _is_id(key):
        person = session.get(Person, int(key))
        found = [] if person is None else [person]
    elif "@" in key:
        wanted = key.casefold()
        same_length = session.scalars(
            select(Person).where(Person.email.is_not(None), func.length(Person.email) == len(key))
        )
        found = [p for p in same_length if (p.email or "").casefold() == wanted]
        exact = [p for p in found if p.email == key]
        found = exact if len(found) > 1 and len(exact) == 1 else found
    elif key:
        found = list(session.scalars(select(Person).where(Person.uuid == key)))
    if not found:
        raise NotFoundError(
            f"No person matches {key!r}. Give their id (digits), uuid or whole email address."
        )
    if len(found) > 1:
        ids = ", ".join(str(p.id) for p in sorted(found, key=lambda p: p.id))
        raise UserError(
            f"{len(found)} people have that email in different letter cases (ids {ids}). "
            "Give the id of the one you mean. Nothing was changed."
        )
    return found[0]


def _match(person: Person) -> PersonMatch:
    places = sorted(person.attendances, key=lambda a: (a.workshop.date, a.workshop.id))
    workshops = tuple(f"{a.workshop.title} ({a.workshop.date.isoformat()})" for a in places)
    return PersonMatch(
        person.id, person.uuid, person.name, person.email or "", len(places), workshops
    )


def search_people(store: Store, text: str, limit: int = 50) -> list[PersonMatch]:
    """People whose name (accents and case ignored, or read in Latin letters: see name_matches)
    or email contains text."""
    folded = fold(text)
    if not folded:
        return []
    with store.read() as session:
        rows = session.scalars(
            select(Person)
            .where(
                or_(
                    name_matches(Person.name_search, text),
                    Person.email.contains(text.strip(), autoescape=True),
                )
            )
            .order_by(Person.name_folded)
            .limit(limit)
        )
        return [PersonMatch(p.id, p.uuid, p.name, p.email or "", len(p.attendances)) for p in rows]


def find_person(store: Store, key: str) -> PersonMatch:
    """Exactly one person by id, uuid or email, with their workshops (raises UserError)."""
    with store.read() as session:
        return _match(_find(session, key))


# Erasure --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureReport:
    attendances: int
    reflections: int
    answers: int
    certificates: int
    cleanup_problem: str = ""  # empty when the file was rewritten at once

    def message(self) -> str:
        parts = [
            "Erased the person and everything about them: "
            f"{counted(self.attendances, 'place', 'places')} on registers, "
            f"{counted(self.reflections, 'reflection', 'reflections')} with "
            f"{counted(self.answers, 'answer', 'answers')}."
        ]
        if self.certificates:
            kept = "record was" if self.certificates == 1 else "records were"
            parts.append(
                f"{self.certificates} certificate {kept} kept without the name, so "
                "certificate numbers stay unique."
            )
        if self.cleanup_problem:
            parts.append(
                "The database file could not be rewritten yet to clear the old copies of the "
                f"data from its free space ({self.cleanup_problem}). The app finishes this the "
                "next time it opens the database."
            )
        parts.append(BACKUPS_AGE_OUT)
        return " ".join(parts)


def erase_person(store: Store, key: str, actor: str = "") -> ErasureReport:
    """Remove a person, their attendances, reflections and answers; keep certificates unnamed.

    The audit log holds ids and counts, never names, so there is nothing in it to remove.
    Deleted rows are overwritten (secure_delete), then the file is rewritten and its WAL
    emptied so nothing of them is left. That clean-up is marked as due before the commit, so
    if it fails or the app is stopped, it is finished the next time the database is opened.
    """
    store.mark_cleanup_due()
    with store.write() as session:
        person = _find(session, key)
        reflections = answers = certificates = 0
        for attendance in person.attendances:
            for reflection in attendance.reflections:
                reflections += 1
                answers += len(reflection.answers)
            for certificate in attendance.certificates:
                certificate.holder_name = ""
                certificate.pdf_sha256 = ""
                certificate.attendance = None
                certificates += 1
        attendances = len(person.attendances)
        session.delete(person)
        audit.record(
            session,
            "person erased",
            f"{attendances} attendances, {reflections} reflections, "
            f"{certificates} certificates anonymised",
            actor,
        )
    problem = store.finish_cleanup()
    return ErasureReport(attendances, reflections, answers, certificates, problem)


# Retention ------------------------------------------------------------------------------------


def retention_cutoff(today: date, months: int) -> date:
    """The date `months` calendar months before today (end of month where the day is missing)."""
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


@dataclass(frozen=True)
class RetentionItem:
    attendance_id: int
    workshop_title: str
    workshop_date: date
    person_name: str
    written_answers: int


@dataclass(frozen=True)
class RetentionPreview:
    months: int
    cutoff: date
    items: tuple[RetentionItem, ...]

    @property
    def people(self) -> int:
        return len({item.person_name for item in self.items})

    @property
    def workshops(self) -> int:
        return len({(item.workshop_title, item.workshop_date) for item in self.items})

    def summary(self) -> str:
        if not self.items:
            return (
                f"Nothing to anonymise: no personal data is older than {self.months} months "
                f"(workshops before {long_date(self.cutoff)})."
            )
        written = sum(item.written_answers for item in self.items)
        return (
            f"From {counted(self.workshops, 'workshop', 'workshops')} before "
            f"{long_date(self.cutoff)}: the names and emails of "
            f"{counted(self.people, 'person', 'people')} on "
            f"{counted(len(self.items), 'register place', 'register places')}, and "
            f"{counted(written, 'written answer', 'written answers')}, will be removed. Ratings "
            "stay, so reports still add up."
        )


def _organisation(session: Session) -> Organisation:
    org = session.scalars(select(Organisation).limit(1)).first()
    if org is None:
        raise UserError("The organisation has not been set up yet.")
    return org


def set_retention_months(store: Store, months: int) -> int:
    if not MIN_RETENTION_MONTHS <= months <= MAX_RETENTION_MONTHS:
        raise UserError(
            f"Keep personal data for between {MIN_RETENTION_MONTHS} and "
            f"{MAX_RETENTION_MONTHS} months."
        )
    with store.write() as session:
        org = _organisation(session)
        if org.retention_months != months:
            audit.record(session, "retention changed", f"{org.retention_months} -> {months}")
        org.retention_months = months
    return months


def retention_confirmed(store: Store) -> bool:
    with store.read() as session:
        return _organisation(session).retention_confirmed_at is not None


def preview_retention(store: Store, today: date | None = None) -> RetentionPreview:
    """What the retention rule would anonymise now: attendances at workshops past the cutoff."""
    today = today or datetime.now(UTC).date()
    with store.read() as session:
        months = _organisation(session).retention_months
        cutoff = retention_cutoff(today, months)
        rows = session.execute(
            select(Attendance, Workshop, Person)
            .join(Workshop, Attendance.workshop_id == Workshop.id)
            .join(Person, Attendance.person_id == Person.id)
            .where(Workshop.date < cutoff, Attendance.anonymised_at.is_(None))
            .order_by(Workshop.date, Workshop.id, Person.name_folded)
        ).all()
        items = []
        for attendance, workshop, person in rows:
            written = sum(
                1 for r in attendance.reflections for a in r.answers if a.text is not None
            )
            items.append(
                RetentionItem(attendance.id, workshop.title, workshop.date, person.name, written)
            )
    return RetentionPreview(months, cutoff, tuple(items))


@dataclass(frozen=True)
class RetentionResult:
    attendances: int
    people: int
    written_answers: int

    def message(self) -> str:
        return (
            f"Anonymised {counted(self.attendances, 'register place', 'register places')}: "
            f"{counted(self.people, 'person', 'people')} no longer named, "
            f"{counted(self.written_answers, 'written answer', 'written answers')} removed. "
            f"Ratings were kept. {BACKUPS_AGE_OUT}"
        )


def _anonymise_person(person: Person) -> None:
    person.name = ANONYMOUS_NAME
    person.name_folded = fold(ANONYMOUS_NAME)
    person.email = None
    person.organisation = ""
    person.role = ""


def _anonymise(session: Session, attendance: Attendance, chosen: set[int], now: datetime) -> int:
    written = 0
    for reflection in attendance.reflections:
        for answer in list(reflection.answers):
            if answer.text is not None:
                written += 1
                if answer.rating is None:
                    session.delete(answer)
                else:
                    answer.text = None
    for certificate in attendance.certificates:
        certificate.holder_name = ""
        certificate.pdf_sha256 = ""
    person = attendance.person
    others_kept = [a for a in person.attendances if a.id not in chosen and a.anonymised_at is None]
    if others_kept:  # they still come to recent workshops: detach this old place from them
        stand_in = Person(name=ANONYMOUS_NAME, name_folded=fold(ANONYMOUS_NAME))
        session.add(stand_in)
        attendance.person = stand_in
    else:
        _anonymise_person(person)
    attendance.anonymised_at = now
    return written


def apply_retention(store: Store, preview: RetentionPreview, actor: str = "") -> RetentionResult:
    """Anonymise exactly the attendances in preview (ones already done are skipped)."""
    now = datetime.now(UTC)
    chosen = {item.attendance_id for item in preview.items}
    done = written = 0
    people: set[int] = set()
    if chosen:
        store.mark_cleanup_due()
    with store.write() as session:
        org = _organisation(session)
        for attendance_id in sorted(chosen):
            attendance = session.get(Attendance, attendance_id)
            if attendance is None or attendance.anonymised_at is not None:
                continue
            people.add(attendance.person_id)
            written += _anonymise(session, attendance, chosen, now)
            done += 1
        if org.retention_confirmed_at is None:
            org.retention_confirmed_at = now
        result = RetentionResult(done, len(people), written)
        audit.record(
            session,
            "retention run",
            f"workshops before {long_date(preview.cutoff)} ({preview.months} months): "
            f"{done} attendances anonymised, {written} written answers removed",
            actor,
        )
    if chosen:
        store.finish_cleanup()  # if it cannot finish now, it does when the database next opens
    return result


def run_retention_if_due(store: Store, today: date | None = None) -> RetentionResult | None:
    """The automatic run (at start-up), once an admin has agreed to the first preview."""
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        if org is None or org.retention_confirmed_at is None:
            return None
    preview = preview_retention(store, today)
    if not preview.items:
        return None
    return apply_retention(store, preview, actor="automatic")


# Consent --------------------------------------------------------------------------------------


def withdraw_quote_consent(store: Store, key: str, actor: str = "") -> int:
    """The person no longer agrees to be quoted: future summaries leave their words out."""
    now = datetime.now(UTC)
    with store.write() as session:
        person = _find(session, key)
        changed = 0
        for attendance in person.attendances:
            if attendance.consent_quote:
                attendance.consent_quote = False
                attendance.consent_quote_at = now
                changed += 1
        audit.record(session, "quote consent withdrawn", f"person {person.id}", actor)
    return changed


# Subject access -------------------------------------------------------------------------------


def _when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def _consent_wording(stored: str) -> dict[str, str]:
    """The consent words that were shown: the station keeps {"quote", "contact"} as JSON, the
    register keeps plain text (given here as "shown")."""
    if not stored:
        return {}
    try:
        parsed = json.loads(stored)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return {str(key): str(value) for key, value in parsed.items()}
    return {"shown": stored}


def subject_access(store: Store, key: str) -> dict[str, Any]:
    """Everything held about one person, as plain JSON-ready data."""
    questions = {q.key: q.text for q in reflection_questions().questions}
    with store.read() as session:
        person = _find(session, key)
        attendances = []
        for attendance in sorted(person.attendances, key=lambda a: a.workshop.date):
            workshop = attendance.workshop
            reflections = []
            for reflection in sorted(attendance.reflections, key=lambda r: r.phase.value):
                reflections.append(
                    {
                        "phase": reflection.phase.value,
                        "state": reflection.state.value,
                        "started_at": _when(reflection.started_at),
                        "submitted_at": _when(reflection.submitted_at),
                        "answers": [
                            {
                                "question": questions.get(a.question_key, a.question_key),
                                "rating": a.rating,
                                "text": a.text,
                            }
                            for a in sorted(reflection.answers, key=lambda a: a.id)
                        ],
                    }
                )
            attendances.append(
                {
                    "workshop": workshop.title,
                    "date": _when(workshop.date),
                    "venue": workshop.venue,
                    "status": attendance.status.value,
                    "walk_in": attendance.walk_in,
                    "signed_in_at": _when(attendance.signed_in_at),
                    "consent_to_be_quoted": attendance.consent_quote,
                    "consent_to_be_quoted_at": _when(attendance.consent_quote_at),
                    "consent_to_be_contacted": attendance.consent_contact,
                    "consent_to_be_contacted_at": _when(attendance.consent_contact_at),
                    "consent_wording": _consent_wording(attendance.consent_wording),
                    "reflections": reflections,
                    "certificates": [
                        {
                            "serial": c.serial,
                            "issued_at": _when(c.issued_at),
                            "name_on_certificate": c.holder_name,
                            "cpd_hours": c.cpd_hours,
                        }
                        for c in attendance.certificates
                    ],
                }
            )
        return {
            "exported_at": datetime.now(UTC).isoformat(),
            "person": {
                "id": person.id,
                "uuid": person.uuid,
                "name": person.name,
                "email": person.email,
                "organisation": person.organisation,
                "role": person.role,
                "added_at": _when(person.created_at),
                "updated_at": _when(person.updated_at),
            },
            "attendances": attendances,
        }


def export_subject_access(
    store: Store, key: str, folder: Path, actor: str = ""
) -> tuple[Path, Path]:
    """Write everything held about one person as JSON and as a readable HTML page."""
    data = subject_access(store, key)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    base = f"subject-access-{data['person']['uuid'][:8]}-{stamp}"
    folder = Path(folder).expanduser()
    json_path, html_path = folder / f"{base}.json", folder / f"{base}.html"
    try:
        if not folder.is_dir():  # a folder the user already has keeps its own permissions
            private_dir(folder)
        atomic_write_bytes(json_path, json.dumps(data, ensure_ascii=False, indent=2).encode())
        atomic_write_bytes(html_path, render_subject_access(data).encode())
    except OSError as exc:
        raise UserError(os_error_message(exc, "the subject access export")) from exc
    with store.write() as session:
        audit.record(session, "subject access export", f"person {data['person']['id']}", actor)
    return json_path, html_path
