"""Shared set-up of flowing reports: page size and margins, PDF metadata, the page footer."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from amie_desktop.reports import fonts
from amie_desktop.reports.styles import MUTED, paper

LANGUAGE = "en-GB"
CREATOR = "AMIE Workshop Companion"


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
    """The PDF of story, with real metadata (for screen readers and search) and "Page N"."""

    def draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, 7.5)
        width, _ = doc.pagesize
        canvas.drawString(doc.leftMargin, 10 * mm, footer)
        canvas.drawRightString(width - doc.rightMargin, 10 * mm, f"Page {doc.page}")
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
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
