"""The reflection station: find a name on the register, save answers as typed, submit durably."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from amie_desktop.domain.content import Question, QuestionKind, reflection_questions
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import audit, organisation, review
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.services.name_search import name_matches
from amie_desktop.services.workshops import resolve_id
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.location import STATION_NOTE
from amie_desktop.store.models import (
    Answer,
    Attendance,
    Organisation,
    Person,
    Reflection,
    Workshop,
)

# Fewer letters than this would list too much of the register at once.
MIN_SEARCH_LETTERS = 2
MAX_MATCHES = 8
# The quiet spell before "Are you still there?": long enough to think, short enough to protect.
IDLE_SECONDS_RANGE = (30, 600)
STATION_FILE = STATION_NOTE

AnswerValue = int | str | None


class AlreadySubmittedError(UserError):
    """This person has already sent their reflection for this phase."""


class IdentityNotConfirmedError(UserError):
    """What was typed does not show that a name already used belongs to this person."""


@dataclass(frozen=True)
class StationInfo:
    """What the station needs to run: the workshop, the phase and its questions."""

    workshop_id: int
    workshop_title: str
    workshop_date: date
    phase: Phase
    idle_seconds: int
    question_set_version: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class NameMatch:
    attendance_id: int
    name: str
    organisation: str


class Pick(Enum):
    """What the station does when someone picks a name. It never says why."""

    BEGIN = "begin"  # first use of this name for this part of the workshop: carry on
    CHECK = "check"  # used before: ask for something only that person knows, or the facilitator


@dataclass(frozen=True)
class Draft:
    answers: Mapping[str, AnswerValue]
    consent_quote: bool
    consent_contact: bool


@dataclass(frozen=True)
class ConsentWording:
    quote: str
    contact: str


CONSENT = ConsentWording(
    quote=(
        "May we quote your words in our report about this workshop? "
        "We will never show your name next to them."
    ),
    contact="May we contact you later about this workshop and what you did next?",
)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def station_info(store: Store, workshop_key: str | int, phase: Phase) -> StationInfo:
    """The workshop, phase and questions for a station (no PIN: nothing private is in it)."""
    workshop_id = resolve_id(store, workshop_key)
    settings = organisation.get_settings(store)
    if settings is None:
        raise UserError("The organisation has not been set up yet.")
    questions = reflection_questions()
    with store.read() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        return StationInfo(
            workshop_id=workshop.id,
            workshop_title=workshop.title,
            workshop_date=workshop.date,
            phase=phase,
            idle_seconds=settings.idle_seconds,
            question_set_version=questions.version,
            questions=questions.for_phase(phase),
        )


def open_station(
    store: Store,
    workshop_key: str | int,
    phase: Phase,
    pin: str,
    now: datetime | None = None,
    idle_seconds: int | None = None,
) -> StationInfo:
    """Check the facilitator PIN, then open the station for a workshop and phase.

    idle_seconds, when given, becomes the organisation's quiet spell before the station asks
    "Are you still there?" (kept for the next time too).
    """
    info = station_info(store, workshop_key, phase)
    shortest, longest = IDLE_SECONDS_RANGE
    if idle_seconds is not None and not shortest <= idle_seconds <= longest:
        raise UserError(
            f"The wait before “Are you still there?” must be between {shortest} and "
            f"{longest} seconds."
        )
    organisation.verify_pin(store, pin, now=now, actor="reflection station")
    with store.write() as session:
        if idle_seconds is not None and idle_seconds != info.idle_seconds:
            session.scalars(select(Organisation)).one().idle_seconds = idle_seconds
            info = replace(info, idle_seconds=idle_seconds)
        audit.record(
            session,
            "station opened",
            f"workshop {info.workshop_id}, {phase.value} phase",
            "reflection station",
        )
    mark_station_open(store, info)
    return info


def close_station(store: Store, pin: str, now: datetime | None = None) -> None:
    """Check the facilitator PIN, then close the station for good."""
    organisation.verify_pin(store, pin, now=now, actor="reflection station")
    with store.write() as session:
        audit.record(session, "station closed", "", "reflection station")
    _station_file(store).unlink(missing_ok=True)


def _station_file(store: Store) -> Path:
    return store.data_dir / STATION_FILE


def mark_station_open(store: Store, info: StationInfo) -> None:
    """Remember that a station is open, so after a crash it comes back locked."""
    record = {"workshop_id": info.workshop_id, "phase": info.phase.value}
    atomic_write_bytes(_station_file(store), json.dumps(record).encode())


def interrupted_station(store: Store) -> StationInfo | None:
    """The station that was open when the app last stopped without the PIN, if any."""
    path = _station_file(store)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return station_info(store, int(record["workshop_id"]), Phase(record["phase"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, UserError):
        path.unlink(missing_ok=True)  # a workshop since deleted, or a damaged note
        return None


def find_names(store: Store, workshop_id: int, typed: str) -> list[NameMatch]:
    """Names on this workshop's register containing what was typed, ignoring accents and case.

    Nothing is listed until a few letters are typed, so the register is never shown whole,
    and nothing says who has already answered.
    """
    wanted = fold(typed)
    if len(wanted) < MIN_SEARCH_LETTERS:
        return []
    with store.read() as session:
        rows = session.execute(
            select(Attendance.id, Person.name, Person.organisation)
            .join(Person, Attendance.person_id == Person.id)
            .where(
                Attendance.workshop_id == workshop_id,
                name_matches(Person.name_search, wanted),
            )
            .order_by(Person.name_folded, Attendance.id)
            .limit(MAX_MATCHES)
        )
        return [NameMatch(a, name, org) for a, name, org in rows]


def _reflection(session: Session, attendance_id: int, phase: Phase) -> Reflection | None:
    return session.scalar(
        select(Reflection).where(
            Reflection.attendance_id == attendance_id, Reflection.phase == phase
        )
    )


def _attendance(session: Session, attendance_id: int) -> Attendance:
    attendance = session.get(Attendance, attendance_id)
    if attendance is None:
        raise NotFoundError("That name is no longer on the register. Please ask the facilitator.")
    return attendance


def _refuse_if_sent(reflection: Reflection | None) -> None:
    if reflection is not None and reflection.state is ReflectionState.SUBMITTED:
        raise AlreadySubmittedError(
            "You have already sent your reflection for this part of the workshop. Thank you! "
            "If you want to change it, please ask the facilitator."
        )


def pick_name(store: Store, attendance_id: int, phase: Phase, now: datetime | None = None) -> Pick:
    """Someone picked a name. The first pick for a phase claims it (an empty start is saved);
    any later pick must be confirmed (confirm_identity, or the facilitator's resume_draft).

    The answer is the same whether that person sent, left unfinished or only picked their
    name before, so nobody at the station learns what another person did.
    """
    with store.write() as session:
        _attendance(session, attendance_id)
        if _reflection(session, attendance_id, phase) is not None:
            return Pick.CHECK
        session.add(
            Reflection(
                attendance_id=attendance_id,
                phase=phase,
                question_set_version=reflection_questions().version,
                started_at=_now(now),
            )
        )
        return Pick.BEGIN


def release_name(store: Store, attendance_id: int, phase: Phase) -> None:
    """ "Not you?" after a first pick: what this visit saved under the name goes, so the name
    is free for its owner again. A sent reflection is never removed."""
    with store.write() as session:
        reflection = _reflection(session, attendance_id, phase)
        if reflection is not None and reflection.state is not ReflectionState.SUBMITTED:
            session.delete(reflection)


def _resume(session: Session, attendance_id: int, phase: Phase) -> Draft:
    attendance = _attendance(session, attendance_id)
    reflection = _reflection(session, attendance_id, phase)
    _refuse_if_sent(reflection)
    answers: dict[str, AnswerValue] = {}
    if reflection is not None:
        for answer in reflection.answers:
            answers[answer.question_key] = (
                answer.rating if answer.rating is not None else answer.text
            )
        reflection.state = ReflectionState.DRAFT
    return Draft(answers, attendance.consent_quote, attendance.consent_contact)


def confirm_identity(store: Store, attendance_id: int, phase: Phase, email: str) -> Draft:
    """A name used before is theirs if they type the email address it was booked with
    (exactly, ignoring capitals and spaces around it). Returns their unsent answers.

    A wrong or missing address says only that it does not match (a name booked without an
    email can never match: the facilitator's PIN is the way on). AlreadySubmittedError
    comes only after the address matched.
    """
    typed = email.strip().casefold()
    with store.read() as session:
        known = (_attendance(session, attendance_id).person.email or "").strip().casefold()
    if not typed or not known or typed != known:
        with store.write() as session:
            detail = f"attendance {attendance_id}"
            audit.record(session, "identity not confirmed", detail, "reflection station")
        raise IdentityNotConfirmedError(
            "That does not match what we have for this name. Please check it, "
            "or ask the facilitator."
        )
    with store.write() as session:
        return _resume(session, attendance_id, phase)


def resume_draft(
    store: Store, attendance_id: int, phase: Phase, pin: str, now: datetime | None = None
) -> Draft:
    """The facilitator's PIN lets someone carry on under a name used before, with the saved,
    unsent answers."""
    organisation.verify_pin(store, pin, now=now, actor="reflection station")
    with store.write() as session:
        draft = _resume(session, attendance_id, phase)
        audit.record(session, "draft resumed", f"attendance {attendance_id}", "reflection station")
        return draft


def record_consent(
    store: Store,
    attendance_id: int,
    *,
    quote: bool,
    contact: bool,
    wording: ConsentWording = CONSENT,
    now: datetime | None = None,
) -> None:
    """Keep both consent answers with the time they were given and the words that were shown."""
    now = _now(now)
    with store.write() as session:
        attendance = _attendance(session, attendance_id)
        attendance.consent_quote = quote
        attendance.consent_quote_at = now
        attendance.consent_contact = contact
        attendance.consent_contact_at = now
        attendance.consent_wording = json.dumps(
            {"quote": wording.quote, "contact": wording.contact}, ensure_ascii=False
        )


def _check_value(question: Question, value: AnswerValue) -> None:
    if question.kind is QuestionKind.RATING:
        if not (isinstance(value, int) and 1 <= value <= 5):
            raise ValueError(f"{question.key}: a rating is a whole number from 1 to 5")
    elif not isinstance(value, str):
        raise ValueError(f"{question.key}: this answer is text")


def _store_answers(
    session: Session,
    attendance_id: int,
    phase: Phase,
    answers: Mapping[str, AnswerValue],
    state: ReflectionState,
    now: datetime,
) -> Reflection:
    _attendance(session, attendance_id)
    questions = reflection_questions()
    reflection = _reflection(session, attendance_id, phase)
    _refuse_if_sent(reflection)
    if reflection is None:
        reflection = Reflection(
            attendance_id=attendance_id,
            phase=phase,
            question_set_version=questions.version,
            started_at=now,
        )
        session.add(reflection)
    existing = {answer.question_key: answer for answer in reflection.answers}
    for key, value in answers.items():
        question = questions.by_key(key)
        if value is None or value == "":
            if key in existing:
                reflection.answers.remove(existing[key])
            continue
        _check_value(question, value)
        answer = existing.get(key)
        if answer is None:
            answer = Answer(question_key=key)
            reflection.answers.append(answer)
        # Text is kept exactly as typed: spaces and line breaks are the writer's own.
        answer.rating = value if isinstance(value, int) else None
        answer.text = value if isinstance(value, str) else None
    reflection.state = state
    reflection.updated_at = now
    return reflection


def save_draft(
    store: Store,
    attendance_id: int,
    phase: Phase,
    answers: Mapping[str, AnswerValue],
    now: datetime | None = None,
) -> None:
    """Save answers while they are being typed (empty ones are removed)."""
    with store.write() as session:
        _store_answers(session, attendance_id, phase, answers, ReflectionState.DRAFT, _now(now))


def save_drafts(
    store: Store,
    phase: Phase,
    drafts: Sequence[tuple[int, Mapping[str, AnswerValue]]],
    now: datetime | None = None,
) -> list[UserError | None]:
    """Save the drafts of many people at once, in one unit of work (one flush to disk).

    Phones send answers many at a time; saving them together keeps every phone quick. One
    person's refusal (a reflection already sent) is returned in their place and does not stop
    the others; a problem with the disk stops them all (StorageError).
    """
    now = _now(now)
    problems: list[UserError | None] = []
    with store.write() as session:
        for attendance_id, answers in drafts:
            try:
                with session.begin_nested():
                    _store_answers(
                        session, attendance_id, phase, answers, ReflectionState.DRAFT, now
                    )
            except UserError as problem:
                problems.append(problem)
            else:
                problems.append(None)
    return problems


def mark_incomplete(
    store: Store,
    attendance_id: int,
    phase: Phase,
    answers: Mapping[str, AnswerValue],
    now: datetime | None = None,
) -> None:
    """Keep what someone wrote before they walked away; the facilitator can let them finish."""
    with store.write() as session:
        _store_answers(
            session, attendance_id, phase, answers, ReflectionState.INCOMPLETE, _now(now)
        )


def submit(
    store: Store,
    attendance_id: int,
    phase: Phase,
    answers: Mapping[str, AnswerValue],
    now: datetime | None = None,
) -> None:
    """Send the reflection. When this returns it is on disk (SQLite synchronous=FULL)."""
    now = _now(now)
    with store.write() as session:
        reflection = _store_answers(
            session, attendance_id, phase, answers, ReflectionState.SUBMITTED, now
        )
        reflection.submitted_at = now
        # Anyone can pick any name, so a reflection alone never marks someone present: the
        # facilitator confirms them from the review list.
        review.flag_unconfirmed(session, attendance_id)


@dataclass(frozen=True)
class StoredReflection:
    """A reflection as saved, for the facilitator's checks and for tests."""

    state: ReflectionState
    answers: Mapping[str, AnswerValue]
    submitted_at: datetime | None


def stored_reflection(store: Store, attendance_id: int, phase: Phase) -> StoredReflection | None:
    with store.read() as session:
        reflection = _reflection(session, attendance_id, phase)
        if reflection is None:
            return None
        answers: dict[str, AnswerValue] = {
            a.question_key: a.rating if a.rating is not None else a.text for a in reflection.answers
        }
        return StoredReflection(reflection.state, answers, reflection.submitted_at)
