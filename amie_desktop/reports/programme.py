"""The programme report for funders: workshops delivered over a period, reach and change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from amie_desktop.domain.heard import CREDIT
from amie_desktop.reports.certificate import long_date
from amie_desktop.reports.charts import RatingBar, RatingChart
from amie_desktop.reports.document import build_report
from amie_desktop.reports.styles import MUTED
from amie_desktop.reports.summary import (
    PrincipleRatings,
    ScriptText,
    attendance_rate,
    data_table,
    mean_text,
    paragraph_styles,
)


@dataclass(frozen=True)
class WorkshopLine:
    on: date
    title: str
    venue: str
    booked: int
    attended: int
    cpd_hours: float
    mean_change: float | None  # mean after minus before, over every paired principle rating
    facilitators: str = ""
    laptop: str = ""  # where it was planned: "Ruth's laptop (B)", "This laptop"


@dataclass(frozen=True)
class ProgrammeData:
    organisation: str
    start: date
    end: date
    workshops: tuple[WorkshopLine, ...]
    people_reached: int  # different people who attended at least one workshop
    ratings: tuple[PrincipleRatings, ...]
    paper_size: str = "A4"
    show_laptops: bool = False  # the workshops came from more than one laptop

    @property
    def booked(self) -> int:
        return sum(w.booked for w in self.workshops)

    @property
    def attended(self) -> int:
        return sum(w.attended for w in self.workshops)

    @property
    def workshop_hours(self) -> float:
        return sum(w.cpd_hours for w in self.workshops)

    @property
    def attendee_hours(self) -> float:
        return sum(w.cpd_hours * w.attended for w in self.workshops)


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


class ProgrammeRenderer:
    def __init__(self, data: ProgrammeData) -> None:
        self.data = data
        self.styles = paragraph_styles()

    def render(self) -> bytes:
        d = self.data
        period = f"{long_date(d.start)} to {long_date(d.end)}"
        return build_report(
            self.story(),
            paper_size=d.paper_size,
            side_margin=18 * mm,
            title=f"Programme report: {period}",
            author=d.organisation,
            subject=f"HEARD workshops delivered by {d.organisation}, {period}",
            keywords="HEARD, CPD, programme report, musically inclusive practice",
            footer=f"Programme report · {d.organisation}",
        )

    def story(self) -> list[Flowable]:
        d, s = self.data, self.styles
        story: list[Flowable] = [
            Paragraph("Programme report", s["small"]),
            ScriptText(d.organisation, 20, bold=True),
            Paragraph(f"{long_date(d.start)} to {long_date(d.end)}", s["body"]),
            Paragraph("At a glance", s["h2"]),
        ]
        people = "person" if d.people_reached == 1 else "people"
        glance: list[list[object]] = [
            ["Measure", "Figure"],
            ["Workshops delivered", str(len(d.workshops))],
            [f"Different {people} reached", str(d.people_reached)],
            ["Attendances (people can come to more than one workshop)", str(d.attended)],
            [
                "Attendance rate (attended of all on the registers)",
                attendance_rate(d.attended, d.booked),
            ],
            ["CPD hours delivered (length of the workshops)", f"{d.workshop_hours:g}"],
            ["CPD hours gained by attendees (hours × attendees)", f"{d.attendee_hours:g}"],
        ]
        story.append(data_table(glance, [125 * mm, 35 * mm]))
        if not d.workshops:
            story.append(Spacer(1, 8))
            story.append(Paragraph("No workshops were delivered in this period.", s["body"]))
        story += self._change()
        story += self._workshops()
        story += [Spacer(1, 14), Paragraph(CREDIT, s["small"])]
        return story

    def _change(self) -> list[Flowable]:
        d, s = self.data, self.styles
        if not any(r.paired for r in d.ratings):
            return []
        out: list[Flowable] = [
            Paragraph("Change in confidence, per HEARD principle", s["h2"]),
            Paragraph(
                "Attendees rated their own confidence in each principle from 1 to 5 before and "
                "after each workshop. Means over every answer in the period; the change counts "
                "only people who rated both times.",
                s["body"],
            ),
            Spacer(1, 6),
        ]
        bars = [
            RatingBar(
                r.principle, r.before_mean, r.after_mean, f"{r.moved_up} of {r.paired} moved up"
            )
            for r in d.ratings
        ]
        out.append(KeepTogether([RatingChart(bars, 170 * mm)]))
        rows: list[list[object]] = [["Principle", "Before", "After", "Rated both", "Moved up"]]
        for r in d.ratings:
            share = f" ({100 * r.moved_up / r.paired:.0f}%)" if r.paired else ""
            rows.append(
                [
                    r.principle.label,
                    mean_text(r.before_mean),
                    mean_text(r.after_mean),
                    str(r.paired),
                    f"{r.moved_up}{share}",
                ]
            )
        out += [Spacer(1, 6), data_table(rows, [45 * mm, 25 * mm, 25 * mm, 30 * mm, 35 * mm])]
        return out

    def _workshops(self) -> list[Flowable]:
        d, s = self.data, self.styles
        if not d.workshops:
            return []
        who = "Facilitator and laptop" if d.show_laptops else "Facilitator"
        rows: list[list[object]] = [
            ["Date", "Workshop", who, "Attended", "Rate", "CPD\nhours", "Mean\nchange"]
        ]
        for w in d.workshops:
            title = ScriptText(w.title + (f" ({w.venue})" if w.venue else ""), 8.5)
            ran: list[Flowable] = [ScriptText(w.facilitators or "–", 8.5)]
            if d.show_laptops:
                ran.append(ScriptText(w.laptop, 7.5, colour=MUTED))
            rows.append(
                [
                    long_date(w.on),
                    title,
                    ran,
                    f"{w.attended} of {w.booked}",
                    attendance_rate(w.attended, w.booked),
                    f"{w.cpd_hours:g}",
                    _signed(w.mean_change),
                ]
            )
        # "30 September 2026" fits the first column; the figures' headings take two lines.
        widths = [32 * mm, 47 * mm, 38 * mm, 18 * mm, 12 * mm, 12 * mm, 15 * mm]
        table = data_table(rows, widths, text_columns=3)
        return [Paragraph("Workshop by workshop", s["h2"]), table]
