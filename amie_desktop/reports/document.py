"""Shared set-up of flowing reports: page size and margins, PDF metadata, the page footer."""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from amie_desktop.reports import fonts
from amie_desktop.reports.styles import MUTED, paper

LANGUAGE = "en-GB"
CREATOR = "AMIE Workshop Companion"


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, so each can say "Page N of M"."""

    def __init__(self, *args: Any, right_margin: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._right_margin = right_margin
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # ReportLab calls it by this name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFillColor(MUTED)
            self.setFont(fonts.REGULAR, 7.5)
            number = f"Page {self._pageNumber} of {total}"
            self.drawRightString(self._pagesize[0] - self._right_margin, 10 * mm, number)
            self.restoreState()
            super().showPage()
        super().save()


def build_report(
    story: list[Flowable],
    *,
    paper_size: str,
    side_margin: float,
    title: str,
    author: str,
    subject: str,
    keywords: str,
    footer: str,
) -> bytes:
    """The PDF of story, with real metadata (for screen readers and search) and "Page N of M"."""

    def draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.drawString(doc.leftMargin, 10 * mm, footer)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=paper(paper_size),
        leftMargin=side_margin,
        rightMargin=side_margin,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        subject=subject,
        creator=CREATOR,
        keywords=keywords,
        lang=LANGUAGE,
        # A report is made now, and says so in its properties (certificates, which must come
        # out the same byte for byte, carry their date of issue instead).
        invariant=False,
    )
    doc.build(
        story,
        onFirstPage=draw_footer,
        onLaterPages=draw_footer,
        canvasmaker=partial(_NumberedCanvas, right_margin=side_margin),
    )
    return buffer.getvalue()
