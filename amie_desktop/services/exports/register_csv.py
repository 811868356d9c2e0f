"""The register as CSV: attendance, consent and self-ratings, one row per person."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from amie_desktop.domain.dates import iso_date_time
from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.text import fold, spreadsheet_safe
from amie_desktop.domain.values import Phase
from amie_desktop.services import audit
from amie_desktop.services.exports.files import existing_folder
from amie_desktop.services.exports.ratings import RATING_KEYS, submitted_answers
from amie_desktop.services.workshops import _find as find_workshop
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Answer, Attendance, Reflection

CSV_HEADER = (
    "Name", "Email", "Organisation", "Role", "Status", "Walk-in", "Signed in (UTC)",
    "Agreed to be quoted", "Agreed to be contacted",
    *(f"Before: {p.label}" for p in PRINCIPLES), *(f"After: {p.label}" for p in PRINCIPLES),
    "Usefulness (1-5)", "Principle to focus on", "Certificate number",
)  # fmt: skip


@dataclass(frozen=True)
class CsvExport:
    path: Path
    rows: int


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """CSV text with every cell made spreadsheet-safe (no cell can run as a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def register_rows(store: Store, workshop_key: str | int) -> list[list[str]]:
    """The register with attendance and self-ratings, one row per person, by name."""
    with store.read() as session:
        workshop = find_workshop(session, workshop_key)
        attendances = session.scalars(
            select(Attendance)
            .where(Attendance.workshop_id == workshop.id)
            .options(
                selectinload(Attendance.person),
                selectinload(Attendance.certificates),
                selectinload(Attendance.reflections).selectinload(Reflection.answers),
            )
        ).all()
        rows = []
        for a in sorted(attendances, key=lambda a: (fold(a.person.name), a.id)):
            answers = {phase: submitted_answers(a, phase) for phase in Phase}
            before, after = answers[Phase.BEFORE], answers[Phase.AFTER]
            focus = after.get("focus_principle")
            focus_text = focus.text if focus is not None and focus.text else ""
            certificate = max(a.certificates, key=lambda c: c.id, default=None)
            rows.append(
                [
                    a.person.name,
                    a.person.email or "",
                    a.person.organisation,
                    a.person.role,
                    a.status.value,
                    _yes(a.walk_in),
                    iso_date_time(a.signed_in_at) if a.signed_in_at else "",
                    _yes(a.consent_quote),
                    _yes(a.consent_contact),
                    *(_rating(before.get(key)) for key in RATING_KEYS),
                    *(_rating(after.get(key)) for key in RATING_KEYS),
                    _rating(after.get("usefulness")),
                    _principle_name(focus_text),
                    certificate.serial if certificate else "",
                ]
            )
        return rows


def _rating(answer: Answer | None) -> str:
    return "" if answer is None or answer.rating is None else str(answer.rating)


def _principle_name(code: str) -> str:
    try:
        return Principle.from_code(code).label if code else ""
    except ValueError:
        return ""


def export_csv(store: Store, workshop_key: str | int, out: Path) -> CsvExport:
    """Write the register as CSV: UTF-8 with a byte-order mark, so Excel reads accents."""
    out = existing_folder(out)
    rows = register_rows(store, workshop_key)
    atomic_write_bytes(out, csv_text([CSV_HEADER, *rows]).encode("utf-8-sig"))
    with store.write() as session:
        audit.record(session, "register exported as CSV", f"{len(rows)} rows to {out}")
    return CsvExport(out, len(rows))
