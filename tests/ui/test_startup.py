"""Start-up stays quick: opening the window loads only what the workshop list needs.

bench/startup.py measures the time; this guards the cause cheaply. Each module below takes
tens of milliseconds to import (or builds a page nobody asked for), and start-up once loaded
them all before the list could show.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, time
from pathlib import Path
from time import monotonic

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from amie_desktop.domain.values import Phase
from amie_desktop.services import organisation, reflections, workshops
from amie_desktop.services.workshops import WorkshopDraft
from amie_desktop.store import DamagedDatabaseError, DatabaseError, Store, open_store
from amie_desktop.store.first_look import FirstLook, first_look
from amie_desktop.store.late import LateStore
from amie_desktop.ui.application import finish_opening, run_window, show_first_look, show_window
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.recovery import RecoveryDialog
from amie_desktop.ui.workshops.model import PAGE_SIZE
from tests.ui.station_helpers import PIN, today_workshop

# The steps of `amie-desktop` up to the shown window, as bench/startup.py takes them: what
# the window shows and which modules were loaded to show it; then the same once the store is
# open behind it, as the event loop's first turn does in the app.
_OPEN_WINDOW = """
import json, sys
from amie_desktop.app import _first_look, _open, build_parser
from amie_desktop.store.late import LateStore
from amie_desktop.ui.application import finish_opening, make_application, show_first_look
args = build_parser().parse_args(["--data-dir", sys.argv[1]])
app = make_application(sys.argv[:1])
late = LateStore(lambda: _open(args))
window = show_first_look(late, _first_look(args, args.data_dir))
page = window.workshops_page
while not (page.table.isVisible() and page.model.rowCount()):
    app.processEvents()
def seen():
    titles = [page.model.index(row, 1).data() for row in range(page.model.rowCount())]
    return {"titles": titles, "window": window.windowTitle(), "modules": sorted(sys.modules)}
first = seen()
finish_opening(window, late)
app.processEvents()
print(json.dumps({"first": first, "opened": seen(), "store_open": late.opened is not None}))
late.opened.close()
"""

# Loaded when first wanted: PDFs, migrations, the organisation's server, keys and the phone
# station; the register import's text detection; the other sections and a workshop's tabs.
NOT_AT_START = (
    "sqlalchemy",
    "amie_desktop.store.database",
    "amie_desktop.store.models",
    "amie_desktop.services.workshops",
    "amie_desktop.services.organisation",
    "reportlab",
    "PIL",
    "pypdfium2",
    "alembic",
    "psycopg",
    "cryptography",
    "argon2",
    "keyring",
    "aiohttp",
    "starlette",
    "uvicorn",
    "charset_normalizer",
    "anyascii",
    "amie_desktop.reports.certificate",
    "amie_desktop.services.exports",
    "amie_desktop.services.register",
    "amie_desktop.services.sync",
    "amie_desktop.services.bundle",
    "amie_desktop.ui.dialogs",
    "amie_desktop.ui.recovery",
    "amie_desktop.ui.facilitate",
    "amie_desktop.ui.station",
    "amie_desktop.ui.exports",
    "amie_desktop.ui.settings",
    "amie_desktop.ui.workshops.agenda",
    "amie_desktop.ui.workshops.details",
    "amie_desktop.ui.workshops.register",
    "amie_desktop.ui.workshops.templates",
)


def test_opening_the_window_shows_the_list_without_loading_what_it_does_not_need(
    demo_store: Store,
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    (demo_store.data_dir / "window.ini").write_text("[tour]\nseen=true\n")
    done = subprocess.run(
        [sys.executable, "-c", _OPEN_WINDOW, str(demo_store.data_dir)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    first, opened = seen["first"], seen["opened"]
    assert len(first["titles"]) == 6  # the demo's workshops, all on screen
    assert first["titles"][0] == "HEARD taster for hub partners"  # the newest first
    assert first["window"].startswith("Northfield Music Education Hub (demo) – ")
    # Once the store is open behind the window, the same list, read through it.
    assert seen["store_open"]
    assert opened["titles"] == first["titles"]
    assert opened["window"] == first["window"]
    assert "sqlalchemy" in opened["modules"]
    loaded = [
        module
        for module in first["modules"]
        for name in NOT_AT_START
        if module == name or module.startswith(f"{name}.")
    ]
    assert loaded == []


def test_a_station_open_when_the_app_stopped_comes_back_locked_at_start_up(
    qtbot: QtBot, demo_store: Store
) -> None:
    """Start-up builds the station's page only for this; it must still do it."""
    reflections.open_station(demo_store, today_workshop(demo_store), Phase.AFTER, PIN)
    (demo_store.data_dir / "window.ini").write_text("[tour]\nseen=true\n")
    window = show_window(demo_store)
    assert window is not None
    qtbot.addWidget(window)
    station = window.station_page.station
    assert station is not None
    qtbot.addWidget(station)
    qtbot.waitExposed(station)
    assert station.isFullScreen() and not window.isVisible()
    assert station.current_screen() is station.pin_screen


def _looked_at(data_dir: Path) -> FirstLook:
    """The first look at a folder whose window has had its tour, as start-up takes it."""
    (data_dir / "window.ini").write_text("[tour]\nseen=true\n")
    look = first_look(data_dir, PAGE_SIZE)
    assert look is not None
    return look


def _drawn_from_a_first_look(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, LateStore]:
    look = _looked_at(data_dir)
    late = LateStore(lambda: open_store(data_dir))
    window = show_first_look(late, look)
    qtbot.addWidget(window)
    return window, late


def _titles(window: MainWindow) -> list[str]:
    model = window.workshops_page.model
    return [str(model.index(row, 1).data()) for row in range(model.rowCount())]


def test_once_its_store_is_open_the_window_hears_every_change(
    qtbot: QtBot, demo_store: Store
) -> None:
    window, late = _drawn_from_a_first_look(qtbot, demo_store.data_dir)
    try:
        assert late.opened is None
        assert len(_titles(window)) == 6
        finish_opening(window, late)
        opened = late.opened
        assert opened is not None
        made = workshops.create_workshop(
            opened,
            WorkshopDraft(title="Saturday sharing", on=date(2027, 6, 5), start=time(10)),
            [],
        )
        qtbot.waitUntil(lambda: "Saturday sharing" in _titles(window), timeout=5000)
        assert window.workshops_page.model.total == 7
        organisation.rename(opened, "Northfield Hub")
        qtbot.waitUntil(lambda: window.windowTitle().startswith("Northfield Hub – "), timeout=5000)
        assert made
    finally:
        window.close()
        if late.opened is not None:
            late.opened.close()


def test_a_workshop_opened_before_the_store_is_opens_the_store_there_and_then(
    qtbot: QtBot, demo_store: Store
) -> None:
    window, late = _drawn_from_a_first_look(qtbot, demo_store.data_dir)
    try:
        page = window.workshops_page
        page.open_workshop()  # Enter on the first row, before the event loop came round
        assert late.opened is not None
        assert page.is_open()
        assert page.details.title.text() == "HEARD taster for hub partners"
    finally:
        window.close()
        if late.opened is not None:
            late.opened.close()


def test_a_store_that_will_not_open_behind_the_window_is_said_plainly(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    look = _looked_at(demo_store.data_dir)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: said.append(text))
    problem = "The database at the office is locked by another program. Nothing was changed."

    def refuse() -> Store:
        raise DatabaseError(problem)

    code = run_window(refuse, ["amie-desktop"], demo_store.data_dir / "amie.log", look)
    assert code == 1
    assert said == [problem]
    assert not any(widget.isVisible() for widget in QApplication.topLevelWidgets())
    # Nothing left behind ends later event loops at once (a stray Quit event did, and every
    # window test after this one failed).
    QApplication.processEvents()
    started = monotonic()
    qtbot.wait(100)
    assert monotonic() - started >= 0.09


def test_after_a_store_that_would_not_open_the_ordinary_way_still_runs_the_window(
    qtbot: QtBot, demo_store: Store
) -> None:
    # The first try fails once the list is drawn (another program held the file a moment);
    # the ordinary way opens it and runs the window, whose event loop must still work.
    look = _looked_at(demo_store.data_dir)
    tries: list[Store] = []

    def open_on_the_second_try() -> Store:
        if not tries:
            tries.append(demo_store)
            raise DatabaseError("The database is busy. Nothing was changed.")
        opened = open_store(demo_store.data_dir)
        tries.append(opened)
        return opened

    seen: list[str] = []

    def close_when_shown() -> None:
        shown = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        if len(tries) < 2 or not shown:  # the window on the second try, not the first look
            QTimer.singleShot(20, close_when_shown)
            return
        seen.append(shown[0].windowTitle())
        shown[0].close()

    QTimer.singleShot(0, close_when_shown)
    code = run_window(open_on_the_second_try, ["amie-desktop"], demo_store.data_dir / "a.log", look)
    assert code == 0
    assert len(tries) == 2
    assert seen and seen[-1].startswith("Northfield Music Education Hub (demo) – ")
    qtbot.wait(10)  # and an event loop after it still runs its course


def test_damage_found_behind_the_drawn_list_is_explained_with_the_way_back(
    qtbot: QtBot, demo_store: Store
) -> None:
    # The store's check finds damage after the list was drawn: the window goes, and the
    # recovery dialog shows (a stray Quit event once ended its loop before it could).
    look = _looked_at(demo_store.data_dir)
    database = demo_store.data_dir / "amie.sqlite3"
    moved = demo_store.data_dir / "amie-damaged-20261206-101500.sqlite3"
    moved.write_bytes(b"")

    def damaged() -> Store:
        raise DamagedDatabaseError(database, moved)

    asked: list[str] = []

    def answer_when_asked() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryDialog):
            QTimer.singleShot(20, answer_when_asked)
            return
        asked.append(dialog.windowTitle())
        dialog.quit.click()

    QTimer.singleShot(0, answer_when_asked)
    code = run_window(damaged, ["amie-desktop"], demo_store.data_dir / "a.log", look)
    assert asked, "the recovery dialog never showed"
    assert code == 0
    assert not any(
        isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
