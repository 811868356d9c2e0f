"""Pages show data changed anywhere: one signal from the store, whoever wrote and on any thread."""

from __future__ import annotations

import threading
from datetime import date, time

from pytestqt.qtbot import QtBot

from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import backups, organisation, register, workshops
from amie_desktop.store import Changes, Store
from amie_desktop.ui.changes import DataChanges
from tests.ui.conftest import make_window


def plan(store: Store, title: str) -> int:
    draft = workshops.WorkshopDraft(
        title=title, on=date(2026, 12, 3), start=time(10), venue="Riverside Hall"
    )
    return workshops.create_workshop(store, draft, ())


def in_workshop_list(window: object, title: str) -> bool:
    page = window.workshops_page  # type: ignore[attr-defined]
    return any(page.model.row_at(n).title == title for n in range(page.model.rowCount()))


def test_a_workshop_saved_by_background_work_appears_in_the_list_on_show(
    qtbot: QtBot, demo_store: Store
) -> None:
    # As sync or an import would: rows land from another thread, and nobody navigates.
    window = make_window(qtbot, demo_store)
    assert not in_workshop_list(window, "Songs from the Valleys")
    worker = threading.Thread(target=plan, args=(demo_store, "Songs from the Valleys"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: in_workshop_list(window, "Songs from the Valleys"))
    assert window.workshops_page.count.text() == "7 workshops"


def test_pages_not_on_show_catch_up_when_they_are_shown(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    titles = window.section_titles()
    for title in ("Exports", "Reflection station", "Workshops"):  # built, then left
        window.show_section(titles.index(title))
    plan(demo_store, "Songs from the Valleys")
    window.show_section(titles.index("Exports"))
    exports = [window.exports_page.workshop.itemText(n)
               for n in range(window.exports_page.workshop.count())]  # fmt: skip
    assert any("Songs from the Valleys" in text for text in exports)
    window.show_section(titles.index("Reflection station"))
    station = window.station_page.workshop
    assert any("Songs from the Valleys" in station.itemText(n) for n in range(station.count()))


def test_attendance_marked_elsewhere_updates_the_counts_on_show(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    first = page.model.row_at(0)
    booked = [r for r in register.list_register(demo_store, first.id)
              if r.status is not AttendanceStatus.ATTENDED]  # fmt: skip
    assert booked, "the demo's newest workshop has people still to sign in"
    register.mark(demo_store, booked[0].attendance_id, AttendanceStatus.ATTENDED)
    qtbot.waitUntil(lambda: page.model.row_at(0).attended == first.attended + 1)


def test_a_restored_backup_is_shown_everywhere_with_its_name(
    qtbot: QtBot, demo_store: Store
) -> None:
    made = backups.make_backup(demo_store).backup
    window = make_window(qtbot, demo_store)
    plan(demo_store, "Planned after the backup")
    organisation.rename(demo_store, "Riverside Music Hub")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Riverside Music Hub"))
    assert in_workshop_list(window, "Planned after the backup")
    backups.restore(demo_store, made.path)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Northfield"))
    assert not in_workshop_list(window, "Planned after the backup")
    assert window.workshops_page.count.text() == "6 workshops"


def test_a_burst_of_writes_reaches_the_window_as_a_few_signals(qtbot: QtBot, store: Store) -> None:
    # A thousand units of work from a job must not mean a thousand page refreshes.
    changes = DataChanges(store)
    heard: list[Changes] = []
    changes.data_changed.connect(heard.append)

    def many() -> None:
        for number in range(200):
            plan(store, f"Workshop {number}")

    worker = threading.Thread(target=many)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(heard))
    qtbot.wait(50)
    # All of them arrived while the window's thread was busy: one signal says all of it.
    assert len(heard) == 1 and heard[0].tables == {"workshop"}
    assert len(heard[0].ids("workshop")) == 200
