"""Regenerate the user guide's screenshots from the real app on demo data (docs/screenshots/).

Run with `make screenshots`. Every section of the main window is captured, so a new section
appears in the guide's pictures without changing this script.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from amie_desktop.services import demo
from amie_desktop.store import open_store
from amie_desktop.ui.application import make_application
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.help import TourDialog
from amie_desktop.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1200, 780)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _save(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(OUT.parent.parent))


def main() -> int:
    app = make_application(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        store = open_store(data)
        setup = SetupDialog(store)
        setup.name.setText("Northfield Music Education Hub")
        setup.show()
        _save(setup, "first-run-set-up")
        setup.close()
        demo.add_demo(store, today=date(2026, 11, 25))
        window = MainWindow(store, QSettings(str(data / "w.ini"), QSettings.Format.IniFormat))
        window.resize(*SIZE)
        window.show()
        for row, title in enumerate(window.section_titles()):
            window.show_section(row)
            _save(window, f"section-{_slug(title)}")
        tour = TourDialog(window.tour_pages(), window)
        tour.show()
        _save(tour, "tour")
        tour.close()
        window.close()
        store.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
