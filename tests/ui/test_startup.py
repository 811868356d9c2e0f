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

from pytestqt.qtbot import QtBot

from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.store import Store
from amie_desktop.ui.application import show_window
from tests.ui.station_helpers import PIN, today_workshop

# The steps of `amie-desktop` up to the shown window, as bench/startup.py takes them; then
# what the window shows and which modules were loaded to show it.
_OPEN_WINDOW = """
import json, sys
from amie_desktop.store import open_store
from amie_desktop.ui.application import make_application, show_window
app = make_application(sys.argv[:1])
store = open_store(sys.argv[1])
window = show_window(store)
page = window.workshops_page
while not (page.table.isVisible() and page.model.rowCount()):
    app.processEvents()
shown = [page.model.index(row, 1).data() for row in range(page.model.rowCount())]
print(json.dumps({"titles": shown, "modules": sorted(sys.modules)}))
store.close()
"""

# Loaded when first wanted: PDFs, migrations, the organisation's server, keys and the phone
# station; the register import's text detection; the other sections and a workshop's tabs.
NOT_AT_START = (
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
    assert len(seen["titles"]) == 6  # the demo's workshops, all on screen
    assert "HEARD taster for hub partners" in seen["titles"]
    loaded = [
        module
        for module in seen["modules"]
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
