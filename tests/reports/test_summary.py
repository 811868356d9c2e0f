"""The session summary as a funder or trainer reads it: numbers, chart, consent, anonymity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import exports
from amie_desktop.store import Store
from amie_desktop.store.models import Answer, Reflection, Workshop
from tests.reports.helpers import pdf_pages_text, render_png, workshop_with

NAMES = ("Zoë Ó Briain", "Łukasz Wiśniewski", "محمد عبد الله", "Priya Patel")


def _reflect(store: Store, workshop_id: int) -> None:
    """Before/after ratings for everyone; Zoë and محمد agree to be quoted, the others do not."""
    words = {
        "Zoë Ó Briain": "Ask Łukasz to co-plan the spring concert with the youth panel.",
        "Łukasz Wiśniewski": "SECRET-NO-CONSENT: I will stop calling classical proper music.",
        "محمد عبد الله": "سأطلب من الشباب اختيار الموسيقى",
        "Priya Patel": "PRIVATE-NO-CONSENT: use visual scores with every class.",
    }
    start = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    with store.write() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        for number, attendance in enumerate(workshop.attendances):
            name = attendance.person.name
            attendance.consent_quote = name in ("Zoë Ó Briain", "محمد عبد الله")
            before = [Answer(question_key=f"rating.{c}", rating=2) for c in "HEARD"]
            after = [Answer(question_key=f"rating.{c}", rating=2 + number % 2) for c in "HEARD"]
            after += [
                Answer(question_key="do_differently", text=words[name]),
                Answer(question_key="focus_principle", text="A" if number % 2 else "E"),
                Answer(question_key="barriers", text=f"Time, says {name}."),
            ]
            for phase, answers in ((Phase.BEFORE, before), (Phase.AFTER, after)):
                attendance.reflections.append(
                    Reflection(
                        phase=phase, state=ReflectionState.SUBMITTED, answers=answers,
                        submitted_at=start,
                    )
                )  # fmt: skip
        for step in workshop.steps:
            step.started_at = start
            step.ended_at = start + timedelta(minutes=step.minutes + 2)
            start = step.ended_at
        workshop.steps[0].group_notes = "Priya said the room felt welcoming."


@pytest.fixture
def summary_pdf(store: Store, tmp_path: Path) -> Path:
    workshop = workshop_with(store, NAMES)
    _reflect(store, workshop)
    out = tmp_path / "summary.pdf"
    exports.export_summary(store, workshop, out, include_notes=True)
    return out


def test_summary_shows_attendance_agenda_ratings_and_consenting_quotes(
    summary_pdf: Path, screenshot_dir: Path
) -> None:
    text = "\n".join(pdf_pages_text(summary_pdf))
    assert "Introduction to HEARD" in text and "25 November 2026" in text
    assert "Attended\n4" in text.replace("\r", "") or "Attended 4" in " ".join(text.split())
    assert "Agenda: planned and actual" in text and "+2 min" in text
    assert "Self-ratings before and after" in text
    # Two of four rated themselves higher after (every second person).
    assert "2 of 4 moved up" in text
    assert "co-plan the spring concert" in text
    assert "سأطلب" in text or "بلطأس" in text
    for page in range(len(pdf_pages_text(summary_pdf))):
        render_png(summary_pdf, screenshot_dir / f"summary-page-{page + 1}.png", page=page)


def test_quotes_never_come_from_people_who_did_not_agree(summary_pdf: Path) -> None:
    text = "\n".join(pdf_pages_text(summary_pdf))
    assert "SECRET-NO-CONSENT" not in text and "PRIVATE-NO-CONSENT" not in text
    assert "Time, says [name]." in text


def test_names_are_taken_out_of_quotes_and_notes(summary_pdf: Path) -> None:
    text = "\n".join(pdf_pages_text(summary_pdf))
    assert "Ask [name] to co-plan" in text
    assert "[name] said the room felt welcoming" in text
    for name in ("Łukasz", "Priya", "Wiśniewski"):
        assert name not in text


def test_chart_colours_stay_apart_in_greyscale() -> None:
    from amie_desktop.reports.styles import AFTER_COLOUR, BEFORE_COLOUR

    def grey(colour: object) -> float:
        r, g, b = colour.rgb()  # type: ignore[attr-defined]
        return float(0.299 * r + 0.587 * g + 0.114 * b)

    # Light against dark (and the before bars are hatched too).
    assert abs(grey(BEFORE_COLOUR) - grey(AFTER_COLOUR)) > 0.25


def test_cli_export_summary(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workshop = workshop_with(store, NAMES)
    _reflect(store, workshop)
    store.close()
    out = tmp_path / "summary.pdf"
    assert main(["export", "summary", str(workshop), "--out", str(out)]) == 0
    assert "4 attended" in capsys.readouterr().out
    text = "\n".join(pdf_pages_text(out))
    assert "Group notes" not in text  # left out unless asked for


def test_summary_and_programme_carry_metadata(summary_pdf: Path, store: Store) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(summary_pdf)
    meta = pdf.get_metadata_dict()
    pdf.close()
    assert meta["Title"] == "Session summary: Introduction to HEARD, 25 November 2026"
    assert meta["Author"] == "Northfield Music Hub" and "Introduction to HEARD" in meta["Subject"]
    assert b"/Lang (en-GB)" in summary_pdf.read_bytes()
    programme = summary_pdf.with_name("programme.pdf")
    from datetime import date

    exports.export_programme(store, date(2026, 11, 1), date(2026, 11, 30), programme)
    pdf = pdfium.PdfDocument(programme)
    meta = pdf.get_metadata_dict()
    pdf.close()
    assert meta["Title"] == "Programme report: 1 November 2026 to 30 November 2026"
    assert meta["Author"] == "Northfield Music Hub"
    # Properties say when the report was made, not a fixed date in 2000.
    assert meta["CreationDate"].startswith(f"D:{date.today():%Y%m%d}")
    assert b"/Lang (en-GB)" in programme.read_bytes()


def _page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text, without the footer."""
    pages = []
    for text in pdf_pages_text(pdf):
        lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
        pages.append(
            [line for line in lines if not line.startswith(("Session summary ·", "Page "))]
        )
    return pages


def test_a_principle_heading_never_ends_a_page_without_its_quotes(
    summary_pdf: Path, store: Store
) -> None:
    from dataclasses import replace

    from amie_desktop.domain.heard import PRINCIPLES
    from amie_desktop.reports.summary import CommitmentGroup, SummaryRenderer

    data = exports.summary_data(store, 1)
    quote = "Plan each term with two young people from the group instead of for them."
    for first_group in range(0, 40, 3):  # moves the later headings down the page, line by line
        groups = tuple(
            CommitmentGroup(p, 3, (quote,) * (first_group if n == 0 else 3))
            for n, p in enumerate(PRINCIPLES)
        )
        pages = _page_lines(SummaryRenderer(replace(data, commitments=groups)).render())
        for lines in pages[:-1]:
            assert not lines[-1].endswith("will focus on this first"), (first_group, lines[-1])
            assert lines[-1] not in (
                "What attendees will do differently",
                "What might get in the way",
            )


def test_summary_says_how_many_reflected_and_agreed_to_be_quoted(summary_pdf: Path) -> None:
    text = " ".join(" ".join(pdf_pages_text(summary_pdf)).split())
    assert "4 people of the 4 who attended reflected after the workshop, and 2 agreed" in text
    assert "Answers before / after" in text


def test_figures_sit_under_their_column_headings(summary_pdf: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(summary_pdf)
    page = pdf[1]  # the attendance table opens page 2, after the title page
    textpage = page.get_textpage()

    def right_edge(text: str) -> float:
        searcher = textpage.search(text, match_case=True, match_whole_word=True)
        start, count = searcher.get_next()
        searcher.close()
        return float(textpage.get_charbox(start + count - 1)[2])

    # The attendance table: "People" above the numbers, right-aligned with them.
    people, rate = right_edge("People"), right_edge("100%")
    textpage.close()
    page.close()
    pdf.close()
    assert abs(people - rate) < 1.5


def test_the_summary_opens_with_a_title_page_of_its_own(summary_pdf: Path) -> None:
    pages = pdf_pages_text(summary_pdf)
    title_page, next_page = pages[0], pages[1]
    assert "Introduction to HEARD" in title_page and "25 November 2026" in title_page
    assert "At a glance" in title_page and "Attended 4 of 4 (100%)" in " ".join(title_page.split())
    # The contents lists the sections that follow, group notes included when they are.
    for heading in ("Attendance", "Self-ratings before and after", "Group notes"):
        assert f"• {heading}" in title_page, heading
    assert "Who People" not in " ".join(title_page.split())  # no table of the summary itself
    assert "Attendance" in next_page and "At a glance" not in next_page
    # Every page says where it stands in the whole.
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
