"""The session summary PDF: attendance, ratings before and after, commitments and barriers,
with names taken out of every quote and consent respected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.text import NameRemover
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.reports.summary import CommitmentGroup, SummaryData, SummaryRenderer
from amie_desktop.services import agenda, audit
from amie_desktop.services.exports.files import existing_folder
from amie_desktop.services.exports.ratings import (
    answer_text,
    before_and_after,
    principle_ratings,
    rating_value,
)
from amie_desktop.services.workshops import _find as find_workshop
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Attendance, Organisation, Reflection


def summary_data(
    store: Store, workshop_key: str | int, *, include_notes: bool = False
) -> SummaryData:
    """Everything the session summary shows, with quotes anonymised and consent respected."""
    with store.read() as session:
        workshop = find_workshop(session, workshop_key)
        org = session.scalars(select(Organisation).limit(1)).first()
        attendances = session.scalars(
            select(Attendance)
            .where(Attendance.workshop_id == workshop.id)
            .options(
                selectinload(Attendance.person),
                selectinload(Attendance.reflections).selectinload(Reflection.answers),
            )
        ).all()
        steps = list(workshop.steps)
        remove = NameRemover([a.person.name for a in attendances] + list(workshop.facilitators))
        came = [a for a in attendances if a.status is AttendanceStatus.ATTENDED]
        answers = [before_and_after(a) for a in came]
        ratings = tuple(principle_ratings(p, answers) for p in PRINCIPLES)
        usefulness = [r for _, _, after in answers if (r := rating_value(after.get("usefulness")))]
        groups: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        barriers: list[str] = []
        responded = 0
        for attendance, _, after in answers:
            if not after:
                continue
            responded += 1
            focus = answer_text(after.get("focus_principle"))
            focus = focus if focus in {p.code for p in PRINCIPLES} else ""
            counts[focus] = counts.get(focus, 0) + 1
            if not attendance.consent_quote:
                continue
            if commitment := answer_text(after.get("do_differently")):
                groups.setdefault(focus, []).append(remove(commitment))
            if barrier := answer_text(after.get("barriers")):
                barriers.append(remove(barrier))
        order = [p.code for p in PRINCIPLES] + [""]
        commitments = tuple(
            CommitmentGroup(
                Principle(code) if code else None, counts[code], tuple(groups.get(code, ()))
            )
            for code in order
            if code in counts
        )
        runs = tuple(agenda.run_of(s, index) for index, s in enumerate(steps))
        notes = tuple(
            (s.title, remove(s.group_notes))
            for s in steps
            if include_notes and s.group_notes.strip()
        )
        return SummaryData(
            organisation=org.name if org else "",
            title=workshop.title,
            on=workshop.date,
            venue=workshop.venue,
            facilitators=tuple(workshop.facilitators),
            cpd_hours=workshop.cpd_hours,
            booked=len(attendances),
            attended=len(came),
            walk_ins=sum(1 for a in came if a.walk_in),
            absent=len(attendances) - len(came),
            facilitated=any(s.started_at for s in steps),
            agenda=runs,
            ratings=ratings,
            usefulness_mean=sum(usefulness) / len(usefulness) if usefulness else None,
            usefulness_count=len(usefulness),
            responded_after=responded,
            agreed_to_quote=sum(1 for a in came if a.consent_quote),
            commitments=commitments,
            barriers=tuple(barriers),
            group_notes=notes,
            paper_size=org.paper_size if org else "A4",
        )


@dataclass(frozen=True)
class SummaryExport:
    path: Path
    attended: int
    quotes: int


def export_summary(
    store: Store, workshop_key: str | int, out: Path, *, include_notes: bool = False
) -> SummaryExport:
    """Write the session summary PDF (atomically)."""
    out = existing_folder(out)
    data = summary_data(store, workshop_key, include_notes=include_notes)
    atomic_write_bytes(out, SummaryRenderer(data).render())
    quotes = sum(len(g.quotes) for g in data.commitments) + len(data.barriers)
    with store.write() as session:
        audit.record(session, "session summary exported", f"{data.title} to {out}")
    return SummaryExport(out, data.attended, quotes)
