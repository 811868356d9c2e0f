"""Dates never follow the machine's language: a Polish desktop gets the same British dates.

Qt sets the C library's locale from LANG when the window starts, and strftime("%B") then spoke
Polish: certificates made from the window said "25 listopada 2026", those from the command line
"25 November 2026". These tests run the window's code under a real pl_PL.UTF-8 locale, compiled
into a temporary folder with localedef, and compare with the command line's.
"""

from __future__ import annotations

import locale
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from amie_desktop.domain.dates import long_date, short_date
from amie_desktop.services import backups
from amie_desktop.store import Store
from amie_desktop.store.database import DATABASE_FILE
from amie_desktop.ui.application import use_british_english
from amie_desktop.ui.exports.page import ExportsPage
from amie_desktop.ui.workshops.page import WorkshopsPage
from tests.reports.helpers import pdf_pages_text

POLISH = "pl_PL.UTF-8"


@pytest.fixture(scope="module")
def polish_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the compiled pl_PL.UTF-8 locale, for LOCPATH."""
    localedef = shutil.which("localedef")
    if localedef is None or not Path("/usr/share/i18n/locales/pl_PL").exists():
        pytest.skip("needs glibc's localedef and locale sources (Debian package: locales)")
    folder = tmp_path_factory.mktemp("locales")
    subprocess.run(
        [localedef, "-i", "pl_PL", "-f", "UTF-8", str(folder / POLISH)],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture
def polish_desktop(
    polish_locale: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """This process as a Polish desktop's window has it: the C locale and Qt's default."""
    env = {"LOCPATH": str(polish_locale), "LANG": POLISH, "LC_ALL": POLISH}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    saved = locale.setlocale(locale.LC_ALL)
    locale.setlocale(locale.LC_ALL, "")  # what QApplication does at start-up
    default = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    # The test means something only if the machine's language really is Polish now.
    assert date(2026, 9, 23).strftime("%B") in ("wrzesień", "września")
    assert QLocale().monthName(9) in ("wrzesień", "września")
    try:
        yield env
    finally:
        locale.setlocale(locale.LC_ALL, saved)
        QLocale.setDefault(default)


def test_a_certificate_from_the_window_matches_the_command_lines_on_a_polish_desktop(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, polish_desktop: dict[str, str]
) -> None:
    # A copy of the database for the command line, so both issue the same first certificates.
    twin = tmp_path / "twin"
    twin.mkdir()
    backups.backup_to_file(demo_store, twin / DATABASE_FILE)

    page = ExportsPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    page.workshop.setCurrentIndex(page.workshop.findData(1))
    for box in (page.merged, page.action_plans, page.summary, page.register_csv):
        box.setChecked(False)
    page.per_person.setChecked(True)
    window_out = tmp_path / "window"
    window_out.mkdir()
    with qtbot.waitSignal(page.export_finished, timeout=60_000):
        page.export_to(window_out)

    cli_out = tmp_path / "cli"
    done = subprocess.run(
        [sys.executable, "-m", "amie_desktop", "--data-dir", str(twin),
         "export", "certificates", "1", "--out", str(cli_out)],
        env={**os.environ, **polish_desktop}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    made = sorted(p.name for p in cli_out.glob("*.pdf"))
    assert made and sorted(p.name for p in window_out.glob("* - *.pdf")) == made
    for name in made:
        window_text = _without_check_code(pdf_pages_text(window_out / name))
        assert window_text == _without_check_code(pdf_pages_text(cli_out / name))
        assert "23 September 2026" in window_text[0] and "Issued on" in window_text[0]
        assert "wrze" not in window_text[0]


def _without_check_code(pages: list[str]) -> list[str]:
    # Each issue of a certificate gets its own check code, so two issues differ in it alone.
    return [re.sub(r"Check code [0-9A-Z-]+", "Check code …", page) for page in pages]


def test_the_window_says_dates_in_british_english_on_a_polish_desktop(
    qtbot: QtBot, demo_store: Store, polish_desktop: dict[str, str]
) -> None:
    use_british_english()  # as start-up does
    page = WorkshopsPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    page.select_workshop(1)
    dates = {page.model.index(row, 0).data() for row in range(page.model.rowCount())}
    assert "Wed 23 Sept 2026" in dates
    assert page.details.date.text() == "Wed 23 Sept 2026"


def test_the_two_date_forms() -> None:
    assert long_date(date(2027, 1, 19)) == "19 January 2027"
    assert short_date(date(2027, 1, 19)) == "Tue 19 Jan 2027"
    assert long_date(date(2026, 4, 1)) == "1 April 2026"
    assert short_date(date(2026, 12, 6)) == "Sun 6 Dec 2026"
    assert short_date(date(2026, 9, 23)) == "Wed 23 Sept 2026"
