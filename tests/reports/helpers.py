"""Shared helpers for PDF tests: a workshop with a chosen register, and reading PDFs back."""

from __future__ import annotations

import unicodedata
from collections import Counter
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
    store: Store,
    names: tuple[str, ...],
    *,
    title: str = "Introduction to HEARD",
    status: WorkshopStatus = WorkshopStatus.DONE,
) -> int:
    """A workshop on 25 November 2026 (finished, unless told) where everyone named attended."""
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
        workshop.status = status
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


# Names read back from a PDF ------------------------------------------------------------
INVISIBLE = frozenset("\u200c\u200d\ufe0e\ufe0f")


def as_read_back(name: str) -> str:
    """The name as it is printed: spaces at the ends dropped and runs of spaces made one."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def visible_text(text: str) -> str:
    """Text without the invisible characters a PDF reader may or may not hand back.

    Characters beyond the Basic Multilingual Plane (𠮷, emoji) go too: they are in the PDF's
    text (its ActualText), but pdfium's text reading drops them.
    """
    return "".join(ch for ch in text if ch not in INVISIBLE and ord(ch) <= 0xFFFF)


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


# pdfium mirrors brackets in right-to-left text as it reorders it: ")" may come back as "(".
_MIRRORED = str.maketrans(")]}>»›", "([{<«‹")


def holds_name(text: str, name: str) -> bool:
    """Whether the text read back from a PDF holds the name, as a reader sees it.

    Both are compared after whitespace is made single spaces (ends trimmed), in Unicode
    compatibility form, without the invisible joiners and variation selectors (and without
    characters beyond the Basic Multilingual Plane, which pdfium leaves out). pdfium reorders
    right-to-left text it reads back, piece by piece between such invisible characters, and
    mirrors brackets, so for a name with right-to-left letters every character must be there
    (decomposed, so that an accent moved off its letter still counts; a bracket as either of
    its pair), as often as in the name; any other name must be there as one run, in either
    reading order.
    """
    shown = " ".join(visible_text(as_read_back(name)).split())
    if not _right_to_left(shown):
        return contains_name(visible_text(text), shown)
    found = Counter(unicodedata.normalize("NFKD", visible_text(text)).translate(_MIRRORED))
    wanted = Counter(unicodedata.normalize("NFKD", shown).replace(" ", "").translate(_MIRRORED))
    return all(found[ch] >= count for ch, count in wanted.items())
