"""The programme report for funders: the figures match the registers they come from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import exports, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Attendance
from tests.reports.helpers import pdf_pages_text, render_png

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_report_figures_match_the_registers(
    demo_store: Store, tmp_path: Path, screenshot_dir: Path
) -> None:
    out = tmp_path / "programme.pdf"
    result = exports.export_programme(demo_store, *YEAR, out)
    delivered = [
        w for w in workshops.list_workshops(demo_store)
        if YEAR[0] <= w.date <= YEAR[1] and w.attended
    ]  # fmt: skip
    with demo_store.read() as session:
        people = {
            a.person_id
            for a in session.query(Attendance).filter_by(status=AttendanceStatus.ATTENDED)
            if YEAR[0] <= a.workshop.date <= YEAR[1]
        }
    assert result.workshops == len(delivered) and result.people_reached == len(people)
    text = " ".join(" ".join(pdf_pages_text(out)).split())
    assert f"Workshops delivered {len(delivered)}" in text
    assert f"Different people reached {len(people)}" in text
    attended = sum(w.attended for w in delivered)
    booked = sum(w.booked for w in delivered)
    assert f"{round(100 * attended / booked)}%" in text
    for w in delivered:
        assert w.title in text and f"{w.attended} of {w.booked}" in text
    assert "Change in confidence, per HEARD principle" in text
    render_png(out, screenshot_dir / "programme-page-1.png")
    render_png(out, screenshot_dir / "programme-page-2.png", page=1)


def test_an_empty_period_says_so(demo_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "programme.pdf"
    exports.export_programme(demo_store, date(2020, 1, 1), date(2020, 12, 31), out)
    text = " ".join(pdf_pages_text(out))
    assert "No workshops were delivered in this period." in text


def test_dates_the_wrong_way_round_are_refused(demo_store: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="before the start"):
        exports.export_programme(demo_store, YEAR[1], YEAR[0], tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()


def test_cli_export_programme(
    demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_store.close()
    out = tmp_path / "programme.pdf"
    args = ["export", "programme", "--from", "2026-01-01", "--to", "2026-12-31"]
    assert main([*args, "--out", str(out)]) == 0
    assert "Exported the programme report" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["export", "programme", "--from", "next week", "--to", "2026-12-31", "--out", "x"])
    assert usage.value.code == 2
