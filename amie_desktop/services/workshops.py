"""Workshops: list them with their counts, read one with its agenda, create one from a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from amie_desktop.domain.content import TemplateContent
from amie_desktop.domain.heard import Principle
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.services.errors import NotFoundError
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance, Workshop, WorkshopStep


@dataclass(frozen=True)
class WorkshopRow:
    id: int
    uuid: str
    title: str
    date: date
    start_time: time
    venue: str
    facilitators: tuple[str, ...]
    status: WorkshopStatus
    booked: int
    attended: int

    def as_json(self) -> dict[str, object]:
        """The stable shape `amie-desktop workshops --json` prints."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "title": self.title,
            "date": self.date.isoformat(),
            "start_time": self.start_time.strftime("%H:%M"),
            "venue": self.venue,
            "facilitators": list(self.facilitators),
            "status": self.status.value,
            "booked": self.booked,
            "attended": self.attended,
        }


@dataclass(frozen=True)
class StepView:
    position: int
    principle: Principle | None
    title: str
    minutes: int
    prompt: str
    activity: str
    questions: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class WorkshopDetail:
    row: WorkshopRow
    cpd_hours: float
    notes: str
    steps: tuple[StepView, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


def _counts_query() -> Select[Workshop, int, int]:
    # Booked counts everyone on the register; attended counts those marked present.
    booked = func.count(Attendance.id)
    attended = func.coalesce(
        func.sum(case((Attendance.status == AttendanceStatus.ATTENDED, 1), else_=0)), 0
    )
    return (
        select(Workshop, booked.label("booked"), attended.label("attended"))
        .outerjoin(Attendance, Attendance.workshop_id == Workshop.id)
        .group_by(Workshop.id)
    )


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


def list_workshops(store: Store) -> list[WorkshopRow]:
    """Every workshop, newest first, with booked and attended counts."""
    with store.read() as session:
        query = _counts_query().order_by(Workshop.date.desc(), Workshop.start_time.desc())
        return [_row(w, b, a) for w, b, a in session.execute(query)]


def _find(session: Session, key: str | int) -> Workshop:
    text = str(key).strip()
    condition = Workshop.uuid == text
    if text.isdigit():
        condition = or_(condition, Workshop.id == int(text))
    workshop = session.scalars(select(Workshop).where(condition)).first()
    if workshop is None:
        raise NotFoundError(f"There is no workshop with id or uuid {text!r}.")
    return workshop


def resolve_id(store: Store, key: str | int) -> int:
    """The id of the workshop named by an id or uuid (as typed on the command line)."""
    with store.read() as session:
        return _find(session, key).id


def get_workshop(store: Store, key: str | int) -> WorkshopDetail:
    with store.read() as session:
        workshop = _find(session, key)
        _, booked, attended = session.execute(
            _counts_query().where(Workshop.id == workshop.id)
        ).one()
        steps = tuple(
            StepView(
                position=s.position,
                principle=Principle(s.principle) if s.principle else None,
                title=s.title,
                minutes=s.minutes,
                prompt=s.prompt,
                activity=s.activity,
                questions=tuple(s.questions),
                notes=s.notes,
            )
            for s in workshop.steps
        )
        return WorkshopDetail(
            row=_row(workshop, booked, attended),
            cpd_hours=workshop.cpd_hours,
            notes=workshop.notes,
            steps=steps,
        )


def steps_from_template(template: TemplateContent) -> list[WorkshopStep]:
    return [
        WorkshopStep(
            position=number,
            principle=step.principle.code if step.principle else None,
            title=step.title,
            minutes=step.minutes,
            prompt=step.prompt,
            activity=step.activity,
            questions=list(step.questions),
            notes=step.notes,
        )
        for number, step in enumerate(template.steps)
    ]


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
    with store.write() as session:
        workshop = Workshop(
            title=title or template.title,
            date=on,
            start_time=start,
            venue=venue,
            facilitators=list(facilitators),
            cpd_hours=template.cpd_hours,
            template_title=template.title,
            steps=steps_from_template(template),
        )
        session.add(workshop)
        session.flush()
        return workshop.id
