"""Shared helpers for PDF tests: a workshop with a chosen register, and reading PDFs back."""

from __future__ import annotations

import unicodedata
from datetime import date, time
from pathlib import Path

import pypdfium2 as pdfium

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.services import organisation, workshops
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance, Person, Workshop

# One name in each script a register may hold.
EVERY_SCRIPT = (
    "Zoë Ó Briain", "Łukasz Wiśniewski", "Ŵyn Llewelyn", "Nguyễn Thị Lan", "محمد عبد الله",
    "فاطمہ خان", "প্রিয়াঙ্কা দাস", "अर्जुन शर्मा", "தமிழ்செல்வி இராமன்", "תמר כהן", "王芳",
    "佐藤 花子", "김민준", "Ольга Иванова", "Δημήτρης Παπαδόπουλος",
)  # fmt: skip


def workshop_with(
    store: Store, names: tuple[str, ...], *, title: str = "Introduction to HEARD"
) -> int:
    """A finished workshop on 25 November 2026 where everyone named attended."""
    if organisation.get_settings(store) is None:
        organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    workshop_id = workshops.create_from_template(
        store,
        builtin_template("introduction-to-heard"),
        title=title,
        on=date(2026, 11, 25),
        start=time(9, 30),
        venue="Northfield Music Centre",
        facilitators=("Ruth Adebayo",),
    )
    with store.write() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        workshop.status = WorkshopStatus.DONE
        for name in names:
            person = Person(name=name, name_folded=fold(name))
            session.add(
                Attendance(workshop=workshop, person=person, status=AttendanceStatus.ATTENDED)
            )
    return workshop_id


def pdf_pages_text(path: Path | bytes) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def contains_name(text: str, name: str) -> bool:
    """Whether a name is in extracted text; right-to-left names may come back in either order."""
    text = unicodedata.normalize("NFKC", " ".join(text.split()))
    name = unicodedata.normalize("NFKC", name)
    words = name.split()
    candidates = {name, " ".join(reversed(words)), name[::-1], " ".join(w[::-1] for w in words)}
    return any(candidate in text for candidate in candidates)


def render_png(path: Path | bytes, target: Path, page: int = 0, scale: float = 1.5) -> Path:
    pdf = pdfium.PdfDocument(path)
    try:
        pdf_page = pdf[page]
        bitmap = pdf_page.render(scale=scale)
        bitmap.to_pil().save(target)
        bitmap.close()
        pdf_page.close()
    finally:
        pdf.close()
    return target
