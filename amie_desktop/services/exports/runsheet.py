"""The run sheet PDF: a workshop's agenda, step by step with its times, for the clipboard."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from amie_desktop.domain.timing import schedule
from amie_desktop.reports.runsheet import RunSheetData, RunSheetRenderer
from amie_desktop.services import workshops
from amie_desktop.services.exports.files import existing_folder
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Organisation


def runsheet_data(store: Store, workshop_key: str | int) -> RunSheetData:
    """The workshop's agenda with each step's start, as planned now."""
    detail = workshops.get_workshop(store, workshop_key)
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
    row = detail.row
    timing = schedule(row.start_time, [s.minutes for s in detail.steps])
    return RunSheetData(
        organisation=org.name if org else "",
        title=row.title,
        on=row.date,
        start=row.start_time,
        finish=detail.end_time or timing.finish,
        venue=row.venue,
        facilitators=row.facilitators,
        steps=detail.steps,
        paper_size=org.paper_size if org else "A4",
    )


def export_runsheet(store: Store, workshop_key: str | int, out: Path) -> int:
    """Write the run sheet PDF (atomically); the number of steps on it."""
    out = existing_folder(out)
    data = runsheet_data(store, workshop_key)
    atomic_write_bytes(out, RunSheetRenderer(data).render())
    return len(data.steps)
