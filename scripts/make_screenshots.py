"""Regenerate the user guide's screenshots from the real app on demo data (docs/screenshots/).

Run with `make screenshots`. Every section of the main window is captured, so a new section
appears in the guide's pictures without changing this script.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget

from amie_desktop.domain.values import Phase
from amie_desktop.services import backups, certificates, demo, reflections, workshops
from amie_desktop.store import Store, open_store
from amie_desktop.ui.application import make_application
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.help import TourDialog
from amie_desktop.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1200, 780)
# The pictures show the data folder's path, so it is the same on every run, named as the
# real one is; a fresh temporary folder would change every picture each time.
DATA = Path(tempfile.gettempdir()) / "amie-guide-pictures" / "AMIE Workshop Companion"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _save(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(OUT.parent.parent))


def _today_workshop(store: Store) -> int:
    return next(w.id for w in workshops.list_workshops(store) if w.date == date.today())


def _opened_workshop(window: MainWindow, store: Store) -> None:
    """The demo's Introduction to HEARD opened on its own page: its agenda, then its register."""
    rows = workshops.list_workshops(store)
    intro = next(w.id for w in rows if w.title == "Introduction to HEARD")
    window.show_section(window.section_titles().index("Workshops"))
    page = window.workshops_page
    for tab, name in ((1, "workshop-agenda"), (2, "workshop-register")):
        page.open_workshop(intro, tab=tab)
        _save(window, name)
    page.show_list()


def _tour(window: MainWindow) -> None:
    """The tour on its Workshops page, standing beside the part it frames, as a person sees
    the two together (the tour is a window of its own over the main window)."""
    window.show_section(window.section_titles().index("Workshops"))
    tour = TourDialog(window.tour_pages(), window, window.tour_targets())
    tour.show()
    tour.show_page(1)
    QApplication.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(tour.mapToGlobal(QPoint(0, 0))), tour.grab())
    painter.end()
    picture.save(str(OUT / "tour.png"))
    print("docs/screenshots/tour.png")
    tour.close()


def _running_workshop(window: MainWindow, store: Store) -> None:
    """The facilitator view two steps into today's demo workshop."""
    window.show_section(window.section_titles().index("Facilitate"))
    page = window.facilitate_page
    page.open_workshop(_today_workshop(store))
    page.go_next()
    page.go_next()
    _save(window, "facilitate-running")
    page.leave()


def _station(store: Store) -> None:
    """The reflection station's welcome screen, as the first attendee finds it."""
    from amie_desktop.ui.station.kiosk import StationWindow

    info = reflections.open_station(store, _today_workshop(store), Phase.BEFORE, demo.DEMO_PIN)
    station = StationWindow(store, info)
    station.resize(*SIZE)
    station.show()
    _save(station, "station-welcome")
    station.hide()
    reflections.close_station(store, demo.DEMO_PIN)


def main() -> int:
    app = make_application(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(DATA.parent, ignore_errors=True)
    data = DATA
    try:
        store = open_store(data)
        setup = SetupDialog(store)
        setup.name.setText("Northfield Music Education Hub")
        setup.show()
        _save(setup, "first-run-set-up")
        setup.close()
        # The app reads this computer's clock (the clock, backups, "today's workshop"), so
        # the demo is built around today for the pictures to agree with themselves.
        demo.add_demo(store, today=date.today())
        window = MainWindow(store, QSettings(str(data / "w.ini"), QSettings.Format.IniFormat))
        window.resize(*SIZE)
        window.show()
        for row, title in enumerate(window.section_titles()):
            window.show_section(row)
            _save(window, f"section-{_slug(title)}")
        backups.make_backup(store, "start-up")
        backups.make_backup(store, "manual")
        settings = window.settings_page
        window.show_section(window.section_titles().index("Settings"))
        settings.tabs.setCurrentIndex(1)
        _save(window, "settings-data")
        settings.tabs.setCurrentIndex(0)
        _opened_workshop(window, store)
        _running_workshop(window, store)
        _station(store)
        (OUT / "certificate.png").write_bytes(
            certificates.preview_png(certificates.get_design(store), width_px=1100)
        )
        print("docs/screenshots/certificate.png")
        _tour(window)
        window.close()
        store.close()
    finally:
        shutil.rmtree(DATA.parent, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
