"""CPD certificates: one page per person (and an optional action plan page), from plain data.

Everything the certificates of one workshop share (border, logo, wording, workshop, learning
outcomes, signature) is drawn once per document as a PDF form and reused on every page; only
the name, the numbers and the QR code are drawn per person.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO

import pypdfium2 as pdfium
from reportlab.lib.colors import white
from reportlab.lib.pagesizes import landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from amie_desktop.domain import dates
from amie_desktop.domain.heard import CREDIT, Principle
from amie_desktop.reports import fonts, qr
from amie_desktop.reports.document import LANGUAGE
from amie_desktop.reports.reportlab_internals import attach_files
from amie_desktop.reports.styles import DEFAULT_ACCENT, DEFAULT_SECONDARY, INK, MUTED, RULE, paper
from amie_desktop.reports.styles import colour as to_colour

TITLE = "Certificate of CPD"
QR_SIZE = 88.0


@dataclass(frozen=True)
class CertificateDesign:
    """How an organisation's certificates look (from Settings)."""

    organisation: str
    wording: str
    accent: str = DEFAULT_ACCENT
    secondary: str = DEFAULT_SECONDARY
    logo_png: bytes | None = None
    signature_png: bytes | None = None
    signature_name: str = ""
    paper_size: str = "A4"


@dataclass(frozen=True)
class CertificateEvent:
    """The workshop every certificate in one export is for."""

    title: str
    on: date
    cpd_hours: float
    facilitators: tuple[str, ...]
    principles: tuple[Principle, ...]
    venue: str = ""


@dataclass(frozen=True)
class ActionPlan:
    """The attendee's own words from their reflection after the workshop."""

    do_differently: str
    focus: Principle | None
    barriers: str


@dataclass(frozen=True)
class CertificateHolder:
    name: str
    serial: str
    check_code: str
    issued_on: date
    reissued_on: date | None = None
    action_plan: ActionPlan | None = None
    qr_text: str = ""  # the signed statement, compact; empty for a sample
    credential: str = ""  # the signed statement as a JSON file, embedded in the PDF


long_date = dates.long_date  # kept here for the reports and services that import it


def hours_text(hours: float) -> str:
    number = f"{hours:g}"
    return f"{number} hour" if hours == 1 else f"{number} hours"


def signature_caption(signer: str, facilitators: Sequence[str]) -> str:
    """The line under the signer's name: who ran the workshop, never their names twice."""
    if not facilitators:
        return ""
    role = "Facilitator" if len(facilitators) == 1 else "Facilitators"
    if not signer or tuple(facilitators) == (signer,):
        return role  # the name above the line is already the facilitators'
    if signer in facilitators:
        return f"{role}: {', '.join(facilitators)}"
    # Under someone else's signature, say who ran the workshop rather than seem to name the
    # signer as a facilitator.
    return f"Facilitated by {', '.join(facilitators)}"


def qr_payload(holder: CertificateHolder) -> str:
    """What the QR code carries: the signed statement (or, for a sample, number and code)."""
    return holder.qr_text or f"{holder.serial} {holder.check_code}"


def credential_file_name(serial: str) -> str:
    return f"certificate-{serial}.json"


def embed_files(canvas: Canvas, files: Sequence[tuple[str, bytes]]) -> None:
    """Attach files to the PDF (its EmbeddedFiles name tree), as PDF readers list them."""
    attach_files(canvas, files, "application/json", "The signed statement of this certificate")


def attached_credentials(data: bytes) -> list[str] | None:
    """The signed statements attached to a certificate PDF; None if data is not a readable PDF."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        found = []
        for number in range(pdf.count_attachments()):
            attachment = pdf.get_attachment(number)
            if attachment.get_name().startswith("certificate-"):
                found.append(bytes(attachment.get_data()).decode("utf-8"))
        return found
    finally:
        pdf.close()


@dataclass
class CertificateRenderer:
    """Draws certificates for one workshop; a new PDF document per render_* call."""

    design: CertificateDesign
    event: CertificateEvent
    _logo: ImageReader | None = field(init=False, default=None)
    _signature: ImageReader | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        fonts.register_base_fonts()
        self.width, self.height = landscape(paper(self.design.paper_size))
        self.accent = to_colour(self.design.accent)
        self.secondary = to_colour(self.design.secondary, DEFAULT_SECONDARY)
        if self.design.logo_png:
            self._logo = ImageReader(io.BytesIO(self.design.logo_png))
        if self.design.signature_png:
            self._signature = ImageReader(io.BytesIO(self.design.signature_png))

    # Documents -------------------------------------------------------------------------
    def render_one(self, holder: CertificateHolder) -> bytes:
        """One person's certificate as PDF bytes (the same bytes every time for the same data)."""
        buffer = io.BytesIO()
        self.render_many([holder], buffer, title=f"{TITLE}: {holder.name}")
        return buffer.getvalue()

    def render_many(
        self,
        holders: Iterable[CertificateHolder],
        out: IO[bytes],
        *,
        title: str | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> int:
        """Write every holder's certificate into one PDF; returns how many were drawn.

        on_page(count) is called after each certificate; it may raise to stop the export.
        """
        canvas = self._canvas(out, title or f"Certificates of CPD: {self.event.title}")
        count = 0
        latest: date | None = None
        attachments: list[tuple[str, bytes]] = []
        for holder in holders:
            self._page(canvas, holder)
            if holder.credential:
                attachments.append(
                    (credential_file_name(holder.serial), holder.credential.encode("utf-8"))
                )
            count += 1
            issued = holder.reissued_on or holder.issued_on
            latest = issued if latest is None else max(latest, issued)
            if on_page is not None:
                on_page(count)
        if latest is not None:
            # The file's creation date is the (latest) day of issue: true, and the same every
            # time the same certificates are exported.
            stamp = f"D:{latest:%Y%m%d}000000+00'00'"
            canvas.setDateFormatter(lambda *_: stamp)
        embed_files(canvas, attachments)
        canvas.save()
        return count

    def _canvas(self, out: IO[bytes], title: str) -> Canvas:
        canvas = Canvas(
            out,
            pagesize=(self.width, self.height),
            invariant=True,
            lang=LANGUAGE,
            pageCompression=1,
        )
        canvas.setTitle(title)
        canvas.setAuthor(self.design.organisation)
        canvas.setSubject(
            f"{TITLE} for {self.event.title}, {long_date(self.event.on)}, "
            f"{hours_text(self.event.cpd_hours)}"
        )
        canvas.setCreator("AMIE Workshop Companion")
        canvas.setKeywords("CPD, certificate, HEARD, musically inclusive practice")
        canvas.beginForm("frame")
        self._draw_frame(canvas)
        canvas.endForm()
        return canvas

    # One page --------------------------------------------------------------------------
    def _page(self, canvas: Canvas, holder: CertificateHolder) -> None:
        canvas.doForm("frame")
        w, h = self.width, self.height
        name_size = 30.0
        line = fonts.layout_line(holder.name, name_size, bold=True)
        if line.width > w - 200:
            line = fonts.layout_line(holder.name, name_size * (w - 200) / line.width, bold=True)
        canvas.setFillColor(self.accent)
        fonts.draw_line(canvas, w / 2, h - 212, line, "centre")

        canvas.setFillColor(INK)
        canvas.setFont(fonts.REGULAR, 8.5)
        canvas.drawString(
            48, 72, f"Certificate number {holder.serial}    Check code {holder.check_code}"
        )
        issued = f"Issued on {long_date(holder.issued_on)}"
        if holder.reissued_on is not None:
            issued = f"Reissued on {long_date(holder.reissued_on)} (first issued on " + (
                f"{long_date(holder.issued_on)})"
            )
        canvas.drawString(48, 60, issued)
        canvas.setFillColor(INK)
        qr.draw(canvas, qr_payload(holder), w - 48 - QR_SIZE, 40, QR_SIZE)
        canvas.showPage()
        if holder.action_plan is not None:
            self._action_plan_page(canvas, holder.name, holder.action_plan)

    def _draw_frame(self, canvas: Canvas) -> None:
        w, h = self.width, self.height
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(3)
        canvas.rect(18, 18, w - 36, h - 36)
        canvas.setStrokeColor(self.secondary)
        canvas.setLineWidth(0.8)
        canvas.rect(26, 26, w - 52, h - 52)

        if self._logo is not None:
            iw, ih = self._logo.getSize()
            scale = min(150 / iw, 56 / ih)
            canvas.drawImage(
                self._logo, 48, h - 48 - ih * scale, iw * scale, ih * scale, mask="auto"
            )
        canvas.setFillColor(MUTED)
        org = fonts.layout_line(self.design.organisation, 11, bold=True)
        fonts.draw_line(canvas, w - 48, h - 62, org, "right")

        canvas.setFillColor(self.accent)
        canvas.setFont(fonts.BOLD, 34)
        canvas.drawCentredString(w / 2, h - 130, TITLE)
        canvas.setFillColor(INK)
        canvas.setFont(fonts.REGULAR, 12)
        canvas.drawCentredString(w / 2, h - 165, "This is to certify that")

        y = h - 246
        for line in fonts.wrap(self.design.wording, 12, w - 280)[:3]:
            fonts.draw_line(canvas, w / 2, y, line, "centre")
            y -= 16
        y -= 10
        canvas.setFillColor(self.secondary)
        for line in fonts.wrap(self.event.title, 18, w - 200, bold=True)[:2]:
            fonts.draw_line(canvas, w / 2, y, line, "centre")
            y -= 22
        canvas.setFillColor(INK)
        where = f", {self.event.venue}" if self.event.venue else ""
        details = f"{long_date(self.event.on)}{where}  ·  {hours_text(self.event.cpd_hours)} of CPD"
        fonts.draw_line(canvas, w / 2, y, fonts.layout_line(details, 12), "centre")

        self._draw_outcomes(canvas, 48, 200)
        # High enough that a long caption stays clear of the QR code and its light margin.
        self._draw_signature(canvas, w - 48 - 210, 136)

        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(48, 88, w - 48 - QR_SIZE - 24, 88)
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, 7)
        canvas.drawString(
            48,
            46,
            f"To check this certificate, scan its QR code: it carries what the certificate "
            f"says, signed by {self.design.organisation}. Or give its check code to them.",
        )
        canvas.drawString(48, 37, CREDIT)

    def _draw_outcomes(self, canvas: Canvas, x: float, top: float) -> None:
        principles = self.event.principles
        if not principles:
            return
        canvas.setFillColor(INK)
        canvas.setFont(fonts.BOLD, 10)
        canvas.drawString(x, top, "Learning outcomes: the HEARD principles covered")
        y = top - 15
        for principle in principles:
            canvas.setFillColor(to_colour(principle.info.colour))
            canvas.roundRect(x, y - 3, 13, 13, 2, stroke=0, fill=1)
            canvas.setFillColor(white)
            canvas.setFont(fonts.BOLD, 8.5)
            canvas.drawCentredString(x + 6.5, y, principle.code)
            canvas.setFillColor(INK)
            canvas.setFont(fonts.BOLD, 8.5)
            canvas.drawString(x + 19, y, principle.label)
            canvas.setFont(fonts.REGULAR, 8.5)
            canvas.drawString(x + 92, y, principle.meaning)
            y -= 16

    def _draw_signature(self, canvas: Canvas, x: float, y: float) -> None:
        width = 210.0
        # A signature picture is the named signer's; with nobody named, the facilitators sign
        # in words, never under someone else's hand.
        if self._signature is not None and self.design.signature_name:
            iw, ih = self._signature.getSize()
            scale = min(width / iw, 46 / ih)
            canvas.drawImage(self._signature, x, y + 26, iw * scale, ih * scale, mask="auto")
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(x, y + 22, x + width, y + 22)
        canvas.setFillColor(INK)
        signer = self.design.signature_name or ", ".join(self.event.facilitators)
        if signer:
            fonts.draw_line(canvas, x, y + 9, fonts.layout_line(signer, 10, bold=True))
        caption = signature_caption(self.design.signature_name, self.event.facilitators)
        if caption:
            canvas.setFillColor(MUTED)
            fonts.draw_line(canvas, x, y - 3, fonts.layout_line(caption, 8))

    def _action_plan_page(self, canvas: Canvas, name: str, plan: ActionPlan) -> None:
        w, h = self.width, self.height
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(3)
        canvas.rect(18, 18, w - 36, h - 36)
        canvas.setFillColor(self.accent)
        canvas.setFont(fonts.BOLD, 24)
        canvas.drawString(56, h - 84, "My HEARD action plan")
        canvas.setFillColor(INK)
        fonts.draw_line(canvas, 56, h - 110, fonts.layout_line(name, 14, bold=True))
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, 10)
        canvas.drawString(
            56, h - 128, f"{self.event.title}, {long_date(self.event.on)}. In my own words."
        )
        y = h - 170
        sections: Sequence[tuple[str, str]] = (
            ("What I will do differently", plan.do_differently),
            (
                "The HEARD principle I will focus on first",
                f"{plan.focus.label}: {plan.focus.meaning}" if plan.focus else "",
            ),
            ("What might get in the way", plan.barriers),
        )
        for heading, text in sections:
            if not text.strip():
                continue
            canvas.setFillColor(self.secondary)
            canvas.setFont(fonts.BOLD, 12)
            canvas.drawString(56, y, heading)
            y -= 20
            canvas.setFillColor(INK)
            for line in fonts.wrap(text, 12, w - 112)[:8]:
                fonts.draw_line(canvas, 56, y, line)
                y -= 17
            y -= 16
        canvas.showPage()
