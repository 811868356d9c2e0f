"""Workshops: list them in pages with search, filters and sort; plan, duplicate and edit them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from sqlalchemy import ColumnElement, Text, case, cast, func, or_, select
from sqlalchemy.orm import Session

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.content import TemplateContent
from amie_desktop.domain.text import fold
from amie_desktop.domain.timing import default_end
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.domain.workshop_list import ListQuery as ListQuery
from amie_desktop.domain.workshop_list import SortKey as SortKey
from amie_desktop.domain.workshop_list import When as When
from amie_desktop.domain.workshop_list import WorkshopRow as WorkshopRow
from amie_desktop.services import agenda
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.services.name_search import name_matches
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance, Workshop, WorkshopStep

MAX_CPD_HOURS = 100.0


@dataclass(frozen=True)
class WorkshopDraft:
    """The details a trainer fills in for a workshop (its agenda is edited step by step)."""

    title: str
    on: date
    start: time
    end: time | None = None
    venue: str = ""
    facilitators: tuple[str, ...] = ()
    cpd_hours: float = 3.0
    notes: str = ""

    def checked(self) -> WorkshopDraft:
        if not self.title.strip():
            raise UserError("A workshop needs a title.")
        if len(self.title) > 200 or len(self.venue) > 200:
            raise UserError("Titles and venues can be at most 200 characters.")
        if not 0 <= self.cpd_hours <= MAX_CPD_HOURS:
            raise UserError(f"CPD hours should be between 0 and {MAX_CPD_HOURS:g}.")
        if self.end is not None and self.end <= self.start:
            raise UserError("The planned end should be after the start time.")
        return self


@dataclass(frozen=True)
class WorkshopDetail:
    row: WorkshopRow
    cpd_hours: float
    notes: str
    steps: tuple[Step, ...]
    end_time: time | None = None
    template_title: str = ""

    @property
    def planned_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    @property
    def draft(self) -> WorkshopDraft:
        return WorkshopDraft(
            title=self.row.title,
            on=self.row.date,
            start=self.row.start_time,
            end=self.end_time,
            venue=self.row.venue,
            facilitators=self.row.facilitators,
            cpd_hours=self.cpd_hours,
            notes=self.notes,
        )


# Listing ----------------------------------------------------------------------------


def _booked_count() -> ColumnElement[int]:
    return (
        select(func.count(Attendance.id))
        .where(Attendance.workshop_id == Workshop.id)
        .scalar_subquery()
    )


def _attended_count() -> ColumnElement[int]:
    return (
        select(func.count(Attendance.id))
        .where(
            Attendance.workshop_id == Workshop.id,
            Attendance.status == AttendanceStatus.ATTENDED,
        )
        .scalar_subquery()
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: ListQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for word in fold(query.text).split():
        conditions.append(name_matches(Workshop.search_folded, word))
    today = query.today or date.today()
    if query.when is When.UPCOMING:
        conditions.append(Workshop.date >= today)
    elif query.when is When.PAST:
        conditions.append(Workshop.date < today)
    if query.facilitator.strip():
        key = _escape_like(f"|{fold(query.facilitator)}|")
        conditions.append(Workshop.facilitators_folded.like(f"%{key}%", escape="\\"))
    return conditions


def _ordering(query: ListQuery) -> list[Any]:
    keys: dict[SortKey, list[Any]] = {
        SortKey.DATE: [Workshop.date, Workshop.start_time],
        SortKey.TITLE: [func.lower(Workshop.title)],
        SortKey.VENUE: [func.lower(Workshop.venue)],
        SortKey.FACILITATORS: [Workshop.facilitators_folded],
        SortKey.BOOKED: [_booked_count()],
        SortKey.ATTENDED: [_attended_count()],
        SortKey.STATUS: [Workshop.status],
    }
    columns = [*keys[query.sort], Workshop.id]
    return [c.desc() if query.descending else c.asc() for c in columns]


def _counts(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    attended = func.coalesce(
        func.sum(case((Attendance.status == AttendanceStatus.ATTENDED, 1), else_=0)), 0
    )
    query = (
        select(Attendance.workshop_id, func.count(Attendance.id), attended)
        .where(Attendance.workshop_id.in_(ids))
        .group_by(Attendance.workshop_id)
    )
    return {wid: (int(b), int(a)) for wid, b, a in session.execute(query)}


def _rows(session: Session, found: Sequence[Workshop]) -> list[WorkshopRow]:
    counts = _counts(session, [w.id for w in found])
    return [_row(w, *counts.get(w.id, (0, 0))) for w in found]


def count_workshops(store: Store, query: ListQuery) -> int:
    with store.read() as session:
        statement = select(func.count(Workshop.id)).where(*_filtered(query))
        return int(session.scalar(statement) or 0)


def workshops_page(store: Store, query: ListQuery, offset: int, limit: int) -> list[WorkshopRow]:
    """One page of the workshop list, in the asked order, with booked and attended counts."""
    with store.read() as session:
        statement = (
            select(Workshop)
            .where(*_filtered(query))
            .order_by(*_ordering(query))
            .offset(offset)
            .limit(limit)
        )
        return _rows(session, session.scalars(statement).all())


def list_workshops(store: Store) -> list[WorkshopRow]:
    """Every workshop, newest first, with booked and attended counts."""
    with store.read() as session:
        statement = select(Workshop).order_by(*_ordering(ListQuery()))
        return _rows(session, session.scalars(statement).all())


def facilitator_names(store: Store) -> list[str]:
    """Everyone who has facilitated or will facilitate, for the list's filter."""
    with store.read() as session:
        # Compared as text: PostgreSQL has no equality for JSON values.
        texts = session.scalars(select(cast(Workshop.facilitators, Text)).distinct())
        lists = [json.loads(text) for text in texts]
        names = {name.strip() for names in lists for name in names if name.strip()}
    return sorted(names, key=fold)


def _row(workshop: Workshop, booked: int, attended: int) -> WorkshopRow:
    return WorkshopRow(
        id=workshop.id,
        uuid=workshop.uuid,
        title=workshop.title,
        date=workshop.date,
        start_time=workshop.start_time,
        venue=workshop.venue,
        facilitators=tuple(workshop.facilitators),
        status=workshop.status,
        booked=int(booked),
        attended=int(attended),
    )


def _find(session: Session, key: str | int) -> Workshop:
    text = str(key).strip()
    condition = Workshop.uuid == text
    # Only ASCII digits, and few enough for a database integer: "１" or "١٢" are not ids.
    if text.isascii() and text.isdigit() and len(text) <= 18:
        condition = or_(condition, Workshop.id == int(text))
    workshop = session.scalars(select(Workshop).where(condition)).first()
    if workshop is None:
        raise NotFoundError(f"There is no workshop with id or uuid {text!r}.")
    return workshop


def resolve_id(store: Store, key: str | int) -> int:
    """The id of the workshop named by an id or uuid (as typed on the command line)."""
    with store.read() as session:
        return _find(session, key).id


def _detail(session: Session, workshop: Workshop) -> WorkshopDetail:
    counts = _counts(session, [workshop.id]).get(workshop.id, (0, 0))
    steps = tuple(agenda.step_of(s) for s in workshop.steps)
    return WorkshopDetail(
        row=_row(workshop, *counts),
        cpd_hours=workshop.cpd_hours,
        notes=workshop.notes,
        steps=steps,
        end_time=workshop.end_time,
        template_title=workshop.template_title,
    )


def get_workshop(store: Store, key: str | int) -> WorkshopDetail:
    with store.read() as session:
        return _detail(session, _find(session, key))


# Planning ---------------------------------------------------------------------------


def _new_steps(steps: Sequence[Step]) -> list[WorkshopStep]:
    rows = []
    for number, step in enumerate(steps):
        row = WorkshopStep(position=number)
        agenda.fill(row, step)
        rows.append(row)
    return rows


def steps_from_template(template: TemplateContent) -> list[WorkshopStep]:
    return _new_steps(template.steps)


def _fill(workshop: Workshop, draft: WorkshopDraft) -> None:
    draft = draft.checked()
    workshop.title = draft.title
    workshop.date = draft.on
    workshop.start_time = draft.start
    workshop.end_time = draft.end
    workshop.venue = draft.venue
    workshop.facilitators = [name.strip() for name in draft.facilitators if name.strip()]
    workshop.cpd_hours = draft.cpd_hours
    workshop.notes = draft.notes


def create_workshop(
    store: Store, draft: WorkshopDraft, steps: Sequence[Step], template_title: str = ""
) -> int:
    """A new planned workshop with its own copy of the given steps; returns its id."""
    with store.write() as session:
        workshop = Workshop(template_title=template_title, steps=_new_steps(steps))
        _fill(workshop, draft)
        session.add(workshop)
        session.flush()
        return workshop.id


def create_from_template(
    store: Store,
    template: TemplateContent,
    *,
    title: str | None = None,
    on: date,
    start: time,
    venue: str = "",
    facilitators: tuple[str, ...] = (),
) -> int:
    """A new planned workshop holding its own copy of the template's steps; returns its id."""
    draft = WorkshopDraft(
        title=title or template.title,
        on=on,
        start=start,
        end=default_end(start, template.minutes),
        venue=venue,
        facilitators=facilitators,
        cpd_hours=template.cpd_hours,
    )
    return create_workshop(store, draft, template.steps, template_title=template.title)


def duplicate_workshop(store: Store, workshop_id: int, on: date, title: str | None = None) -> int:
    """A new planned workshop like an earlier one: same details and agenda, nobody registered."""
    detail = get_workshop(store, workshop_id)
    draft = replace(detail.draft, on=on, title=title or detail.row.title)
    return create_workshop(store, draft, detail.steps, template_title=detail.template_title)


def update_workshop(store: Store, workshop_id: int, draft: WorkshopDraft) -> None:
    """Save the details as typed; a problem (no title, end before start) saves nothing."""
    with store.write() as session:
        _fill(_find(session, workshop_id), draft)


def delete_workshop(store: Store, workshop_id: int) -> None:
    with store.write() as session:
        workshop = _find(session, workshop_id)
        if any(a.reflections for a in workshop.attendances):
            raise UserError(
                "This workshop has attendees' reflections, so it cannot be deleted here."
            )
        session.delete(workshop)


@dataclass(frozen=True)
class Withdrawn:
    """What cancelling or deleting a workshop did, with what undoing it needs."""

    workshop_id: int  # the id it had; a deleted workshop comes back under a new one
    title: str
    deleted: bool  # True: removed outright; False: kept, marked cancelled
    draft: WorkshopDraft
    steps: tuple[Step, ...]
    template_title: str = ""


def withdraw_workshop(store: Store, workshop_id: int) -> Withdrawn:
    """Take a planned workshop off: deleted if it holds nothing (nobody on the register, never
    run), otherwise kept and marked cancelled, so attendance and reflections stay on record."""
    detail = get_workshop(store, workshop_id)
    with store.write() as session:
        workshop = _find(session, workshop_id)
        if workshop.status is WorkshopStatus.RUNNING:
            raise UserError(f"“{workshop.title}” is running. Finish it in Facilitate first.")
        if workshop.status is WorkshopStatus.DONE:
            raise UserError(f"“{workshop.title}” has already happened, so it stays on record.")
        empty = not workshop.attendances and workshop.run_started_at is None
        if empty:
            session.delete(workshop)
        else:
            workshop.status = WorkshopStatus.CANCELLED
    return Withdrawn(
        workshop_id=workshop_id,
        title=detail.row.title,
        deleted=empty,
        draft=detail.draft,
        steps=detail.steps,
        template_title=detail.template_title,
    )


def undo_withdraw(store: Store, withdrawn: Withdrawn) -> int:
    """Put a cancelled or deleted workshop back as planned; its id (new if it was deleted)."""
    if withdrawn.deleted:
        return create_workshop(
            store, withdrawn.draft, withdrawn.steps, template_title=withdrawn.template_title
        )
    with store.write() as session:
        workshop = _find(session, withdrawn.workshop_id)
        if workshop.status is WorkshopStatus.CANCELLED:
            workshop.status = WorkshopStatus.PLANNED
    return withdrawn.workshop_id


# Agenda -----------------------------------------------------------------------------


def workshop_steps(store: Store, workshop_id: int) -> tuple[Step, ...]:
    with store.read() as session:
        workshop = _find(session, workshop_id)
        return tuple(agenda.step_of(s) for s in workshop.steps)


def insert_step(store: Store, workshop_id: int, position: int, step: Step) -> None:
    with store.write() as session:
        workshop = _find(session, workshop_id)
        agenda.insert(session, workshop.steps, position, step, WorkshopStep(position=position))


def delete_step(store: Store, workshop_id: int, position: int) -> Step:
    """Remove a step; returns what it held, so it can be put back."""
    with store.write() as session:
        workshop = _find(session, workshop_id)  # held: the step list needs its owner alive
        return agenda.delete(session, workshop.steps, position)


def move_step(store: Store, workshop_id: int, source: int, target: int) -> None:
    with store.write() as session:
        workshop = _find(session, workshop_id)
        agenda.move(session, workshop.steps, source, target)


def update_step(store: Store, workshop_id: int, position: int, step: Step) -> None:
    with store.write() as session:
        workshop = _find(session, workshop_id)
        agenda.update(workshop.steps, position, step)
