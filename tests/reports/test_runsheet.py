"""The run sheet PDF: every step of the agenda with its times, words and private notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.domain.agenda import Step
from amie_desktop.domain.heard import Principle
from amie_desktop.reports.runsheet import RunSheetRenderer
from amie_desktop.services import workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.exports.runsheet import export_runsheet, runsheet_data
from amie_desktop.store import Store
from tests.reports.helpers import pdf_pages_text, render_png, workshop_with


def _text(path: Path | bytes) -> str:
    return " ".join(" ".join(pdf_pages_text(path)).split())


def test_the_run_sheet_holds_every_step_with_its_times(
    store: Store, out_dir: Path, screenshot_dir: Path
) -> None:
    workshop_id = workshop_with(store, ())
    workshops.update_step(
        store,
        workshop_id,
        2,
        Step(
            title="Holistic: more than the notes",
            minutes=25,
            principle=Principle.HOLISTIC,
            prompt="What changed for someone beyond the music?",
            activity="Pairs share a story, then the room lists outcomes.",
            questions=("Which outcome surprised you?", "Who noticed it first?"),
            notes="Bring the outcomes cards from the blue box.",
        ),
    )
    out = out_dir / "run sheet.pdf"
    assert export_runsheet(store, workshop_id, out) == 9
    text = _text(out)
    assert "Run sheet · Northfield Music Hub Introduction to HEARD" in text
    assert "25 November 2026, 09:30 to 12:30 · Northfield Music Centre · Ruth Adebayo" in text
    # Each step's times follow from the ones before: 15 and 10 minutes, then this one.
    assert "09:30–09:45 · 15 min Welcome and arrival" in text
    assert "09:55–10:20 · 25 min · H Holistic Holistic: more than the notes" in text
    assert "Prompt What changed for someone beyond the music?" in text
    assert "Activity Pairs share a story, then the room lists outcomes." in text
    assert "Questions • Which outcome surprised you? • Who noticed it first?" in text
    assert "Private notes Bring the outcomes cards from the blue box." in text
    assert "12:10–12:30 · 20 min Action planning and close" in text
    assert "Page 1 of" in text
    render_png(out, screenshot_dir / "runsheet-page-1.png")


def test_an_agenda_in_any_script_and_a_long_note_flow_over_pages(store: Store) -> None:
    data = runsheet_data(store, workshop_with(store, ()))
    long_note = "\n".join(f"Line {n} of the notes for the hall staff." for n in range(120))
    first = replace(data.steps[0], title="Приветствие · 歓迎 · স্বাগতম", notes=long_note)
    pdf = RunSheetRenderer(replace(data, steps=(first, *data.steps[1:]))).render()
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 3
    assert "Line 119 of the notes" in " ".join(pages)
    assert "Приветствие" in pages[0]


def test_an_empty_agenda_says_so(store: Store) -> None:
    data = replace(runsheet_data(store, workshop_with(store, ())), steps=(), start=time(10))
    assert "This workshop has no agenda steps yet." in _text(RunSheetRenderer(data).render())


def test_the_command_line_writes_it(
    store: Store, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workshop_id = workshop_with(store, ())
    out = out_dir / "sheet.pdf"
    assert main(["--data-dir", str(store.data_dir), "export", "runsheet", str(workshop_id),
                 "--out", str(out)]) == 0  # fmt: skip
    assert f"Exported the run sheet (9 steps) to {out}." in capsys.readouterr().out
    assert "Welcome and arrival" in _text(out)
    with pytest.raises(UserError, match="does not exist"):
        export_runsheet(store, workshop_id, out_dir / "missing" / "sheet.pdf")
