"""The session summary: attendance, agenda planned and actual, ratings, commitments, quotes.

Takes plain data that services have already anonymised: quotes come only from attendees who
agreed to be quoted, with names removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from amie_desktop.domain.agenda import StepRun
from amie_desktop.domain.heard import CREDIT, Principle
from amie_desktop.domain.text import counted
from amie_desktop.reports import fonts
from amie_desktop.reports.certificate import hours_text, long_date
from amie_desktop.reports.charts import RatingBar, RatingChart
from amie_desktop.reports.document import build_report
from amie_desktop.reports.styles import INK, MUTED, RULE
from amie_desktop.reports.styles import colour as to_colour


@dataclass(frozen=True)
class PrincipleRatings:
    principle: Principle
    before_mean: float | None
    after_mean: float | None
    before_count: int
    after_count: int
    paired: int  # people who rated this principle both before and after
    moved_up: int  # of those, how many rated themselves higher after


@dataclass(frozen=True)
class CommitmentGroup:
    principle: Principle | None  # the principle people chose to focus on first
    people: int  # everyone who chose it, quoted or not
    quotes: tuple[str, ...]  # words of those who agreed to be quoted, names removed


@dataclass(frozen=True)
class SummaryData:
    organisation: str
    title: str
    on: date
    venue: str
    facilitators: tuple[str, ...]
    cpd_hours: float
    booked: int
    attended: int
    walk_ins: int
    absent: int
    facilitated: bool
    agenda: tuple[StepRun, ...]  # actual time: the clock from a step's start to its end
    ratings: tuple[PrincipleRatings, ...]
    usefulness_mean: float | None
    usefulness_count: int
    responded_after: int
    agreed_to_quote: int
    commitments: tuple[CommitmentGroup, ...]
    barriers: tuple[str, ...]  # quotes, consenting attendees only, names removed
    group_notes: tuple[tuple[str, str], ...]  # (agenda step, notes); empty when left out
    paper_size: str = "A4"


class ScriptText(Flowable):  # type: ignore[misc]
    """Wrapped text in any script (quotes, names, notes), shaped and ordered by fonts.py."""

    def __init__(
        self,
        text: str,
        size: float = 10,
        bold: bool = False,
        indent: float = 0.0,
        colour: object = INK,
    ) -> None:
        super().__init__()
        self.text, self.size, self.bold, self.indent, self.colour = text, size, bold, indent, colour
        self.lines: list[fonts.Line] = []
        self.leading = size * 1.4

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.lines = fonts.wrap(self.text, self.size, available_width - self.indent, self.bold)
        return available_width, self.leading * len(self.lines) + 2

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int((available_height - 2) // self.leading)
        if fit <= 0:
            return []
        if fit >= len(self.lines):
            return [self]
        return [_Lines(self.lines[:fit], self), _Lines(self.lines[fit:], self)]

    def draw(self) -> None:
        _draw_lines(self.canv, self.lines, self)


class _Lines(Flowable):  # type: ignore[misc]
    """Already-wrapped lines of a ScriptText split across pages."""

    def __init__(self, lines: list[fonts.Line], like: ScriptText) -> None:
        super().__init__()
        self.lines, self.like = lines, like

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, self.like.leading * len(self.lines) + 2

    def draw(self) -> None:
        _draw_lines(self.canv, self.lines, self.like)


def _draw_lines(canvas: Canvas, lines: Sequence[fonts.Line], like: ScriptText) -> None:
    canvas.setFillColor(like.colour)
    y = like.leading * len(lines) + 2 - like.size
    for line in lines:
        # Right-to-left paragraphs start at the right-hand margin.
        if line.rtl:
            fonts.draw_line(canvas, like.width, y, line, "right")
        else:
            fonts.draw_line(canvas, like.indent, y, line)
        y -= like.leading


def paragraph_styles() -> dict[str, ParagraphStyle]:
    """The text styles of reports (the Latin faces; other scripts go through ScriptText)."""
    fonts.register_base_fonts()
    return {
        "title": ParagraphStyle(
            "title", fontName=fonts.BOLD, fontSize=22, leading=27, textColor=INK
        ),
        "h2": ParagraphStyle(
            "h2",
            fontName=fonts.BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,  # a heading never ends a page alone
            textColor=to_colour("#1F5F8B"),
        ),
        "body": ParagraphStyle(
            "body", fontName=fonts.REGULAR, fontSize=10, leading=14, textColor=INK
        ),
        "small": ParagraphStyle(
            "small", fontName=fonts.REGULAR, fontSize=8, leading=10, textColor=MUTED
        ),
        "cell": ParagraphStyle("cell", fontName=fonts.REGULAR, fontSize=9, leading=11),
    }


def data_table(rows: list[list[object]], widths: list[float], text_columns: int = 1) -> Table:
    """A plain table: bold header row with a rule, light rules between rows, numbers right.

    The first text_columns columns hold words and read from the left; the rest hold figures,
    right-aligned with their headings above them.
    """
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9),
                ("FONT", (0, 0), (-1, 0), fonts.BOLD, 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (text_columns, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def attendance_rate(attended: int, booked: int) -> str:
    """Attended as a share of the register: "78%", or a dash for an empty register."""
    return f"{100 * attended / booked:.0f}%" if booked else "–"


def mean_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class SummaryRenderer:
    """Builds the session summary PDF from SummaryData."""

    def __init__(self, data: SummaryData) -> None:
        fonts.register_base_fonts()
        self.data = data
        self.styles = paragraph_styles()

    def render(self) -> bytes:
        d = self.data
        return build_report(
            self.story(),
            paper_size=d.paper_size,
            side_margin=20 * mm,
            title=f"Session summary: {d.title}, {long_date(d.on)}",
            author=d.organisation,
            subject=f"Attendance, self-ratings and commitments from {d.title}",
            keywords="HEARD, CPD, session summary, musically inclusive practice",
            footer=f"Session summary · {long_date(d.on)}",
        )

    def story(self) -> list[Flowable]:
        s = self.styles
        story = self._title_page()
        story += self._attendance()
        story += self._agenda()
        story += self._ratings()
        story += self._commitments()
        story += self._barriers()
        story += self._notes()
        story += [Spacer(1, 14), Paragraph(CREDIT, s["small"])]
        return story

    def _sections(self) -> list[str]:
        """The headings that follow, as the title page lists them."""
        d = self.data
        present = [
            ("Attendance", True),
            ("Agenda: planned and actual", bool(d.agenda)),
            ("Self-ratings before and after", True),
            ("What attendees will do differently", True),
            ("What might get in the way", bool(d.barriers)),
            ("Group notes", bool(d.group_notes)),
        ]
        return [heading for heading, shown in present if shown]

    def _title_page(self) -> list[Flowable]:
        """A page of its own: what, when, where and who, the figures at a glance, and what
        follows; the summary itself starts on page 2."""
        d, s = self.data, self.styles
        place = f", {d.venue}" if d.venue else ""
        out: list[Flowable] = [
            Spacer(1, 30 * mm),
            Paragraph("Session summary", s["h2"]),
            ScriptText(d.title, 26, bold=True),
            Spacer(1, 6),
            ScriptText(f"{long_date(d.on)}{place} · {hours_text(d.cpd_hours)} of CPD", 12),
        ]
        if d.facilitators:
            label = "Facilitator" if len(d.facilitators) == 1 else "Facilitators"
            out.append(ScriptText(f"{label}: {', '.join(d.facilitators)}", 11))
        out += [ScriptText(d.organisation, 11, colour=MUTED), Spacer(1, 16 * mm)]
        rate = attendance_rate(d.attended, d.booked)
        glance: list[list[object]] = [
            ["At a glance", ""],
            ["Attended", f"{d.attended} of {d.booked} ({rate})"],
            ["Walk-ins", str(d.walk_ins)],
            ["Reflected after the workshop", str(d.responded_after)],
            ["Agreed to be quoted", str(d.agreed_to_quote)],
        ]
        if d.usefulness_count:
            glance.append(
                ["How useful (1 to 5)", f"{mean_text(d.usefulness_mean)} from {d.usefulness_count}"]
            )
        out += [data_table(glance, [80 * mm, 50 * mm]), Spacer(1, 12 * mm)]
        out.append(Paragraph("<b>In this summary</b>", s["body"]))
        out += [Paragraph(f"• {_escape(heading)}", s["body"]) for heading in self._sections()]
        out.append(PageBreak())
        return out

    def _table(self, rows: list[list[object]], widths: list[float]) -> Table:
        return data_table(rows, widths)

    def _attendance(self) -> list[Flowable]:
        d, s = self.data, self.styles
        rate = attendance_rate(d.attended, d.booked)
        rows: list[list[object]] = [
            ["Who", "People"],
            ["On the register (booked and walk-ins)", str(d.booked)],
            ["Attended", str(d.attended)],
            ["of whom walk-ins", str(d.walk_ins)],
            ["Did not come", str(d.absent)],
            ["Attendance rate", rate],
        ]
        return [Paragraph("Attendance", s["h2"]), self._table(rows, [110 * mm, 30 * mm])]

    def _agenda(self) -> list[Flowable]:
        d, s = self.data, self.styles
        if not d.agenda:
            return []
        out: list[Flowable] = [Paragraph("Agenda: planned and actual", s["h2"])]
        if not d.facilitated:
            out.append(
                Paragraph(
                    "The workshop was not run in Facilitate mode, so only the plan is shown.",
                    s["body"],
                )
            )
        rows: list[list[object]] = [["Step", "Principle", "Planned", "Actual", "Difference"]]
        planned_total = actual_total = 0
        for step in d.agenda:
            planned, taken = step.plan.minutes, step.clock_minutes
            planned_total += planned
            actual = "–" if taken is None else f"{taken} min"
            diff = "–"
            if taken is not None:
                actual_total += taken
                diff = f"{taken - planned:+d} min"
            rows.append(
                [
                    Paragraph(_escape(step.plan.title), s["cell"]),
                    step.plan.principle.label if step.plan.principle else "",
                    f"{planned} min",
                    actual,
                    diff,
                ]
            )
        ran = any(step.clock_minutes is not None for step in d.agenda)
        rows.append(
            [
                "Total",
                "",
                f"{planned_total} min",
                f"{actual_total} min" if ran else "–",
                f"{actual_total - planned_total:+d} min" if ran else "–",
            ]
        )
        table = data_table(rows, [70 * mm, 28 * mm, 22 * mm, 22 * mm, 24 * mm], text_columns=2)
        table.setStyle(TableStyle([("FONT", (0, -1), (-1, -1), fonts.BOLD, 9)]))
        out.append(table)
        return out

    def _ratings(self) -> list[Flowable]:
        d, s = self.data, self.styles
        out: list[Flowable] = [Paragraph("Self-ratings before and after", s["h2"])]
        if not any(r.before_count or r.after_count for r in d.ratings):
            return [*out, Paragraph("Nobody has rated themselves yet.", s["body"])]
        out.append(
            Paragraph(
                "Each attendee rated their own confidence in each HEARD principle from 1 (not "
                "yet) to 5 (very confident), before and after the workshop. These are "
                "self-assessments, not test scores.",
                s["body"],
            )
        )
        bars = [
            RatingBar(
                r.principle,
                r.before_mean,
                r.after_mean,
                f"{r.moved_up} of {r.paired} moved up" if r.paired else "no pairs yet",
            )
            for r in d.ratings
        ]
        chart = RatingChart(bars, 170 * mm)
        rows: list[list[object]] = [
            ["Principle", "Before", "After", "Answers before / after", "Rated both", "Moved up"]
        ]
        for r in d.ratings:
            rows.append(
                [
                    r.principle.label,
                    mean_text(r.before_mean),
                    mean_text(r.after_mean),
                    f"{r.before_count} / {r.after_count}",
                    str(r.paired),
                    str(r.moved_up),
                ]
            )
        table = self._table(rows, [34 * mm, 18 * mm, 18 * mm, 42 * mm, 26 * mm, 24 * mm])
        # The heading and its explanation move to the next page with the chart, never alone.
        # A table of six rows moves whole rather than leaving its heading row behind.
        out = [KeepTogether([*out, Spacer(1, 6), chart]), Spacer(1, 6), KeepTogether([table])]
        if d.usefulness_count:
            out.append(Spacer(1, 6))
            out.append(
                Paragraph(
                    f"How useful the session was, on average: {d.usefulness_mean:.1f} out of 5 "
                    f"({d.usefulness_count} answers).",
                    s["body"],
                )
            )
        return out

    def _commitments(self) -> list[Flowable]:
        d, s = self.data, self.styles
        out: list[Flowable] = [Paragraph("What attendees will do differently", s["h2"])]
        if not d.commitments:
            return [*out, Paragraph("No after-workshop reflections yet.", s["body"])]
        reflected = counted(d.responded_after, "person", "people")
        out.append(
            Paragraph(
                f"{reflected} of the {d.attended} who attended reflected after the workshop, "
                f"and {d.agreed_to_quote} agreed to be quoted. The words below are only from "
                "those who agreed, with names taken out.",
                s["body"],
            )
        )
        for group in d.commitments:
            heading = group.principle.label if group.principle else "No principle chosen"
            people = counted(group.people, "person", "people")
            title = Paragraph(
                f"<b>{_escape(heading)}</b>: {people} will focus on this first",
                s["body"],
            )
            quotes = [ScriptText(f"“{quote}”", 9.5, indent=12) for quote in group.quotes]
            # A principle's heading never ends a page without at least one of its quotes.
            out += [KeepTogether([title, *quotes[:1]]), *quotes[1:], Spacer(1, 5)]
        return out

    def _barriers(self) -> list[Flowable]:
        d, s = self.data, self.styles
        if not d.barriers:
            return []
        out: list[Flowable] = [Paragraph("What might get in the way", s["h2"])]
        out += [ScriptText(f"“{quote}”", 9.5, indent=12) for quote in d.barriers]
        return out

    def _notes(self) -> list[Flowable]:
        d, s = self.data, self.styles
        if not d.group_notes:
            return []
        out: list[Flowable] = [Paragraph("Group notes", s["h2"])]
        for step, notes in d.group_notes:
            out.append(ScriptText(step, 10, bold=True))
            out.append(ScriptText(notes, 9.5, indent=12))
            out.append(Spacer(1, 4))
        return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
