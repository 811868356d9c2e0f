"""The run sheet: a workshop's agenda on paper for the trainer's clipboard, step by step with
its times, principle, prompt, activity, questions and private notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.heard import CREDIT
from amie_desktop.domain.timing import schedule
from amie_desktop.reports.certificate import long_date
from amie_desktop.reports.document import build_report
from amie_desktop.reports.styles import MUTED
from amie_desktop.reports.summary import ScriptText, paragraph_styles


@dataclass(frozen=True)
class RunSheetData:
    organisation: str
    title: str
    on: date
    start: time
    finish: time
    venue: str
    facilitators: tuple[str, ...]
    steps: tuple[Step, ...]  # one after another from start
    paper_size: str = "A4"


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def _end(start: time, step: Step) -> str:
    total = start.hour * 60 + start.minute + step.minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


class RunSheetRenderer:
    def __init__(self, data: RunSheetData) -> None:
        self.data = data
        self.styles = paragraph_styles()

    def render(self) -> bytes:
        d = self.data
        return build_report(
            self.story(),
            paper_size=d.paper_size,
            side_margin=16 * mm,
            title=f"Run sheet: {d.title}, {long_date(d.on)}",
            author=d.organisation,
            subject=f"The agenda of {d.title} step by step, for the facilitator",
            keywords="HEARD, run sheet, agenda, workshop",
            footer=f"Run sheet · {d.title} · {long_date(d.on)} · private to the facilitator",
        )

    def story(self) -> list[Flowable]:
        d, s = self.data, self.styles
        where = " · ".join(
            part
            for part in (
                f"{long_date(d.on)}, {_clock(d.start)} to {_clock(d.finish)}",
                d.venue,
                ", ".join(d.facilitators),
            )
            if part
        )
        story: list[Flowable] = [
            Paragraph(
                f"Run sheet · {d.organisation}" if d.organisation else "Run sheet", s["small"]
            ),
            ScriptText(d.title, 20, bold=True),
            ScriptText(where, 10),
            Spacer(1, 6),
        ]
        if not d.steps:
            story.append(Paragraph("This workshop has no agenda steps yet.", s["body"]))
        starts = schedule(d.start, [step.minutes for step in d.steps]).starts
        for start, step in zip(starts, d.steps, strict=True):
            story += self._step(start, step)
        story += [Spacer(1, 14), Paragraph(CREDIT, s["small"])]
        return story

    def _step(self, start: time, step: Step) -> list[Flowable]:
        principle = f" · {step.principle.code} {step.principle.label}" if step.principle else ""
        heading = f"{_clock(start)}–{_end(start, step)} · {step.minutes} min{principle}"
        head: list[Flowable] = [
            Spacer(1, 10),
            ScriptText(heading, 10, bold=True, colour=MUTED),
            ScriptText(step.title, 13, bold=True),
        ]
        sections: list[tuple[list[Flowable], list[Flowable]]] = []  # (kept together, the rest)
        for label, text in (
            ("Prompt", step.prompt),
            ("Activity", step.activity),
            ("Questions", "\n".join(f"• {q}" for q in step.questions)),
            ("Private notes", step.notes),
        ):
            if text.strip():
                lines = [ScriptText(line, 10, indent=6 * mm) for line in _paragraphs(text)]
                label_line = ScriptText(label, 8.5, bold=True, colour=MUTED, indent=6 * mm)
                # A label never ends a page alone: it stays with its first line.
                sections.append(([Spacer(1, 3), label_line, lines[0]], lines[1:]))
        if not sections:
            return [KeepTogether(head)]
        # Nor do the time and title: they stay with the first label and line.
        first, rest = sections[0]
        out: list[Flowable] = [KeepTogether(head + first), *rest]
        for kept, rest in sections[1:]:
            out += [KeepTogether(kept), *rest]
        return out


def _paragraphs(text: str) -> list[str]:
    """Lines as written (blank lines kept as a gap), so lists and paragraphs read as typed."""
    return [line if line.strip() else " " for line in text.strip().splitlines()]
