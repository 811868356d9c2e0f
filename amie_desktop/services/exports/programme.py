"""The programme report PDF: workshops delivered in a period, people reached, change by
principle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from amie_desktop.domain.heard import PRINCIPLES
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.reports.programme import ProgrammeData, ProgrammeRenderer, WorkshopLine
from amie_desktop.services import audit
from amie_desktop.services.errors import UserError
from amie_desktop.services.exports.files import existing_folder
from amie_desktop.services.exports.ratings import (
    RATING_KEYS,
    Answers,
    before_and_after,
    principle_ratings,
    rating_value,
)
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Attendance, Organisation, Reflection, Workshop


def programme_data(store: Store, start: date, end: date) -> ProgrammeData:
    """Workshops delivered between start and end (inclusive): reach, attendance and change.

    A workshop counts as delivered when it is marked done or anyone attended it.
    """
    if end < start:
        raise UserError("The end date is before the start date.")
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        found = session.scalars(
            select(Workshop)
            .where(Workshop.date >= start, Workshop.date <= end)
            .order_by(Workshop.date, Workshop.start_time)
            .options(
                selectinload(Workshop.attendances).selectinload(Attendance.reflections)
                .selectinload(Reflection.answers)
            )
        ).all()  # fmt: skip
        lines: list[WorkshopLine] = []
        people: set[int] = set()
        everyone: list[Answers] = []
        for workshop in found:
            came = [a for a in workshop.attendances if a.status is AttendanceStatus.ATTENDED]
            if not came and workshop.status is not WorkshopStatus.DONE:
                continue
            people.update(a.person_id for a in came)
            answers = [before_and_after(a) for a in came]
            everyone += answers
            changes = [
                after_value - before_value
                for _, before, after in answers
                for key in RATING_KEYS
                if (before_value := rating_value(before.get(key))) is not None
                and (after_value := rating_value(after.get(key))) is not None
            ]
            lines.append(
                WorkshopLine(
                    on=workshop.date,
                    title=workshop.title,
                    venue=workshop.venue,
                    booked=len(workshop.attendances),
                    attended=len(came),
                    cpd_hours=workshop.cpd_hours,
                    mean_change=sum(changes) / len(changes) if changes else None,
                )
            )
        return ProgrammeData(
            organisation=org.name if org else "",
            start=start,
            end=end,
            workshops=tuple(lines),
            people_reached=len(people),
            ratings=tuple(principle_ratings(p, everyone) for p in PRINCIPLES),
            paper_size=org.paper_size if org else "A4",
        )


@dataclass(frozen=True)
class ProgrammeExport:
    path: Path
    workshops: int
    people_reached: int


def export_programme(store: Store, start: date, end: date, out: Path) -> ProgrammeExport:
    """Write the programme report PDF for a period (atomically)."""
    out = existing_folder(out)
    data = programme_data(store, start, end)
    atomic_write_bytes(out, ProgrammeRenderer(data).render())
    with store.write() as session:
        audit.record(
            session,
            "programme report exported",
            f"{start} to {end}: {len(data.workshops)} to {out}",
        )
    return ProgrammeExport(out, len(data.workshops), data.people_reached)
