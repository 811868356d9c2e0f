"""A picture of a sample certificate: the design's live preview, as PNG bytes."""

from __future__ import annotations

import io
from datetime import date

import pypdfium2 as pdfium

from amie_desktop.domain.heard import PRINCIPLES
from amie_desktop.reports.certificate import (
    CertificateDesign,
    CertificateEvent,
    CertificateHolder,
    CertificateRenderer,
)

SAMPLE_HOLDER = "Zoë Ó Briain"


def sample_certificate_png(design: CertificateDesign, on: date, width_px: int = 900) -> bytes:
    """A PNG picture, width_px wide, of a certificate in this design dated on."""
    event = CertificateEvent(
        title="Introduction to HEARD",
        on=on,
        cpd_hours=3.0,
        facilitators=(design.signature_name or "Ruth Adebayo",),
        principles=PRINCIPLES,
        venue="Northfield Music Centre",
    )
    holder = CertificateHolder(SAMPLE_HOLDER, "CPD-0000-000000", "ABCDE-FGHJK", on)
    data = CertificateRenderer(design, event).render_one(holder)
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        scale = width_px / page.get_width()
        bitmap = page.render(scale=scale)
        out = io.BytesIO()
        bitmap.to_pil().save(out, format="PNG")
        bitmap.close()
        page.close()
    finally:
        pdf.close()
    return out.getvalue()
