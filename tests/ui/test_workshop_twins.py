"""A workshop planned again by Duplicate is told from its twin in every list and choice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import workshops
from amie_desktop.store import Store
from tests.ui.conftest import make_window


def texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(n) for n in range(combo.count())]


def test_twins_show_their_day_time_and_venue_everywhere_a_workshop_is_chosen(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    (screenshot_dir / "desk").mkdir(exist_ok=True)
    first = workshops.create_from_template(
        demo_store, builtin_templates()[0], title="Singing together", on=date(2027, 1, 19),
        start=time(10), venue="Harbour Arts",
    )  # fmt: skip
    twin = workshops.duplicate_workshop(demo_store, first, date(2027, 1, 26))
    moved = workshops.get_workshop(demo_store, twin).draft
    workshops.update_workshop(demo_store, twin, replace(moved, venue="Eastgate Hall"))

    window = make_window(qtbot, demo_store)
    titles = window.section_titles()
    window.show_section(titles.index("Facilitate"))
    facilitate = texts(window.facilitate_page.workshop_choice)
    assert "Tue 19 Jan 2027, 10:00 · Singing together · Harbour Arts · Planned" in facilitate
    assert "Tue 26 Jan 2027, 10:00 · Singing together · Eastgate Hall · Planned" in facilitate
    window.grab().save(str(screenshot_dir / "desk" / "facilitate-twins.png"))

    window.show_section(titles.index("Reflection station"))
    station = texts(window.station_page.workshop)
    assert "Tue 19 Jan 2027, 10:00 · Singing together · Harbour Arts" in station
    assert "Tue 26 Jan 2027, 10:00 · Singing together · Eastgate Hall" in station

    window.show_section(titles.index("Exports"))
    exports = texts(window.exports_page.workshop)
    assert "Tue 19 Jan 2027, 10:00 · Singing together · Harbour Arts · 0 attended" in exports
    assert "Tue 26 Jan 2027, 10:00 · Singing together · Eastgate Hall · 0 attended" in exports

    # The workshop's own page says when and where in the same words.
    window.show_section(titles.index("Workshops"))
    page = window.workshops_page
    page.open_workshop(twin)
    assert page.detail_when.text().startswith("Tue 26 Jan 2027 · 10:00 · Eastgate Hall · ")
