"""Names in every script show in the window and the station, with no empty boxes.

This machine has few fonts of its own (DejaVu), so without the shipped fonts Qt draws Tamil,
Thai, Ethiopic, Chinese and more as boxes. Each check lays the text out exactly as the
widget does (its font, with the fallback chain) and looks for boxes: glyph 0 of a font, or
a run with no font at all.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStringListModel
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.store import Store
from amie_desktop.ui.fonts import install_name_fonts

REGISTER = Path(__file__).resolve().parent.parent / "data" / "names_every_script.csv"


def every_script() -> list[tuple[str, str]]:
    """(script, name) for each name of the register of names in every script."""
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        return [(row["Script"], row["Name"]) for row in csv.DictReader(handle)]


def boxes(text: str, font: QFont) -> list[str]:
    """The characters of text that font (with its fallbacks) draws as missing-glyph boxes."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    missing = []
    for run in layout.glyphRuns():
        raw = run.rawFont()
        if not raw.fontTable("head"):
            # No font at all for this script: Qt draws every character as a box.
            missing.append(f"(no font): {text!r}")
        elif 0 in run.glyphIndexes():  # a font, but without these characters
            missing.append(f"{raw.familyName()}: {text!r}")
    return missing


@pytest.fixture
def name_fonts(qapp: QApplication) -> Iterator[None]:
    """The application font as the app sets it up, put back afterwards."""
    before = QFont(qapp.font())
    install_name_fonts(qapp)
    yield
    qapp.setFont(before)


def test_the_register_has_eighty_names_in_every_script() -> None:
    scripts = {script for script, _ in every_script()}
    assert len(every_script()) >= 80
    for script in (
        "Latin", "Vietnamese", "Yoruba", "Greek polytonic", "Cyrillic", "Armenian", "Georgian",
        "Hebrew", "Arabic", "Persian", "Urdu", "Pashto", "Sorani", "Syriac", "Thaana",
        "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
        "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan", "Ethiopic",
        "Chinese Simplified", "Chinese Traditional", "Japanese", "Korean",
    ):  # fmt: skip
        assert script in scripts


@pytest.mark.usefixtures("name_fonts")
def test_every_name_shows_in_a_line_edit_and_a_list(qtbot: QtBot, screenshot_dir: Path) -> None:
    names = [name for _, name in every_script()]
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    edits = []
    for name in names[::9]:
        edit = QLineEdit(name)
        edit.setAccessibleName("Name")
        layout.addWidget(edit)
        edits.append(edit)
    view = QListView()
    view.setModel(QStringListModel(names, view))
    view.setAccessibleName("Names")
    layout.addWidget(view)
    window.resize(520, 1400)
    window.show()
    qtbot.waitExposed(window)

    missing = [box for name in names for box in boxes(name, edits[0].font())]
    missing += [box for name in names for box in boxes(name, view.font())]
    assert missing == []
    window.grab().save(str(screenshot_dir / "names-every-script-widgets.png"))


# A fresh process, as the app starts: names laid out in the application's font before and
# after make_application() has set it up.
PROBE = """
import csv, json, sys
from PySide6.QtWidgets import QApplication
from amie_desktop.ui.application import make_application
from tests.ui.test_name_fonts import boxes, every_script
app = QApplication(sys.argv)
before = [box for _, name in every_script() for box in boxes(name, app.font())]
make_application(sys.argv)
after = [box for _, name in every_script() for box in boxes(name, app.font())]
print(json.dumps({"before": before, "after": after}))
"""


def _system_fonts_for(language: str) -> str:
    found = subprocess.run(
        ["fc-list", f":lang={language}", "family"], capture_output=True, text=True, check=False
    )
    return found.stdout.strip()


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_the_app_sets_up_the_fonts_at_start_on_a_machine_without_its_own() -> None:
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
        timeout=120,
    )
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["after"] == []
    if not _system_fonts_for("ta") and not _system_fonts_for("am"):
        # Here (a machine with no Tamil or Amharic fonts) the check above could fail.
        assert any("தமிழ்செல்வி" in box for box in found["before"])
        assert any("ሰላም" in box for box in found["before"])


@pytest.mark.usefixtures("name_fonts")
def test_the_register_and_the_station_show_every_name(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    from amie_desktop.domain.values import Phase
    from amie_desktop.services import register
    from tests.ui.conftest import make_window
    from tests.ui.station_helpers import FakeClock, open_station, register_names, today_workshop

    workshop = today_workshop(demo_store)
    names = [name for _, name in every_script()]
    for name in set(names) - set(register_names(demo_store, workshop)):  # some are in the demo
        register.add_walk_in(demo_store, workshop, name)

    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.table.selectRow(
        next(r for r in range(page.model.rowCount()) if page.model.row_at(r).id == workshop)
    )
    page.tabs.setCurrentIndex(2)
    view = page.register.view
    shown = {view.model().index(r, 0).data() for r in range(view.model().rowCount())}
    assert set(names) <= shown
    assert [box for name in names for box in boxes(name, view.font())] == []
    window.resize(1280, 900)
    view.scrollTo(view.model().index(view.model().rowCount() // 2, 0))
    window.grab().save(str(screenshot_dir / "names-every-script-register.png"))
    window.close()

    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    welcome = station.flow.welcome
    pictures = screenshot_dir / "names-every-script-station"
    pictures.mkdir(exist_ok=True)
    for script, name in every_script():
        welcome.search.setText(name[:2])
        listed = [welcome.matches.item(i).text() for i in range(welcome.matches.count())]
        assert name in listed, (script, name)
        assert boxes(welcome.search.text(), welcome.search.font()) == []
        assert [box for text in listed for box in boxes(text, welcome.matches.font())] == []
        if script in ("Tamil", "Ethiopic", "Japanese", "Thaana", "Urdu", "Myanmar"):
            station.grab().save(str(pictures / f"{script}.png"))
