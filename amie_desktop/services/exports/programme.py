"""The programme report PDF: workshops delivered in a period, people reached, change by
principle; and its workshop-by-workshop table as CSV.

Run against the organisation's database it covers every laptop's workshops, and says which
laptop each came from (the name it joined with, and its certificate letter) and who ran it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from amie_desktop.domain.heard import PRINCIPLES
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.reports.programme import ProgrammeData, ProgrammeRenderer, WorkshopLine
from amie_desktop.reports.summary import attendance_rate
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
from amie_desktop.services.exports.register_csv import csv_text
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import (
    Attendance,
    Device,
    Organisation,
    Reflection,
    SyncState,
    Workshop,
)

PROGRAMME_CSV_HEADER = (
    "Date", "Workshop", "Venue", "Facilitators", "Laptop", "Booked", "Attended",
    "Attendance rate", "CPD hours", "Mean change",
)  # fmt: skip


@dataclass(frozen=True)
class _Origins:
    """Where workshops were planned: the laptops of this organisation (on a laptop, the copy of
    the organisation's list that sync and the office's files bring)."""

    devices: dict[str, Device]
    here: str  # this database's own device id
    organisation: str  # the organisation's database's device id, on a laptop that joined it
    is_organisation: bool  # laptops have joined this database: it is the organisation's

    def laptop(self, device_id: str) -> str:
        if device_id and device_id == self.here and not self.is_organisation:
            return "This laptop"
        device = self.devices.get(device_id)
        if device is not None:
            letter, named = device.serial_prefix, device.name.strip()
            return f"{named} ({letter})" if named else f"Laptop {letter}"
        if device_id and device_id in (self.here, self.organisation):
            return "Organisation's database"
        return "Another laptop" if device_id else "Not recorded"


def _origins(session: Session) -> _Origins:
    devices = {d.device_id: d for d in session.scalars(select(Device))}
    state = session.scalars(select(SyncState)).first()
    here, organisation = (state.device_id, state.org_device_id) if state else ("", "")
    return _Origins(devices, here, organisation, bool(devices) and not organisation)


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
        origins = _origins(session)
        lines: list[WorkshopLine] = []
        sources: set[str] = set()
        people: set[int] = set()
        everyone: list[Answers] = []
        for workshop in found:
            came = [a for a in workshop.attendances if a.status is AttendanceStatus.ATTENDED]
            if not came and workshop.status is not WorkshopStatus.DONE:
                continue
            people.update(a.person_id for a in came)
            sources.add(workshop.created_by)
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
                    facilitators=", ".join(name for name in workshop.facilitators if name.strip()),
                    laptop=origins.laptop(workshop.created_by),
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
            # A lone laptop's report need not say, on every line, that it came from itself.
            show_laptops=origins.is_organisation or len(sources) > 1,
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


def programme_rows(data: ProgrammeData) -> list[list[str]]:
    """The workshop-by-workshop table, one row per workshop, for a spreadsheet."""
    return [
        [
            w.on.isoformat(),
            w.title,
            w.venue,
            w.facilitators,
            w.laptop,
            str(w.booked),
            str(w.attended),
            attendance_rate(w.attended, w.booked),
            f"{w.cpd_hours:g}",
            "" if w.mean_change is None else f"{w.mean_change:+.1f}",
        ]
        for w in data.workshops
    ]


def export_programme_csv(store: Store, start: date, end: date, out: Path) -> ProgrammeExport:
    """Write the programme report's workshop table as CSV (UTF-8 with a byte-order mark)."""
    out = existing_folder(out)
    data = programme_data(store, start, end)
    rows = [PROGRAMME_CSV_HEADER, *programme_rows(data)]
    atomic_write_bytes(out, csv_text(rows).encode("utf-8-sig"))
    with store.write() as session:
        audit.record(
            session,
            "programme table exported as CSV",
            f"{start} to {end}: {len(data.workshops)} to {out}",
        )
    return ProgrammeExport(out, len(data.workshops), data.people_reached)
