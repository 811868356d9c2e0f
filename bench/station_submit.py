"""Time the reflection station from Send pressed to the screen ready for the next person.

Run: .venv/bin/python bench/station_submit.py [ATTENDEES]     Target: under 100 ms.

"Ready" means the reflection is committed to disk (SQLite synchronous=FULL), the thank-you
screen is painted, and a fresh, empty welcome screen is built behind it. Pressing
"Next person" is timed too.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from amie_desktop.domain.values import Phase
from amie_desktop.services import demo, reflections, review
from amie_desktop.services.workshops import list_workshops
from amie_desktop.store import open_store
from amie_desktop.ui.station.kiosk import StationWindow


def _report(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, round(len(ms) * 0.95) - 1)]
    print(
        f"{label:<34} median {statistics.median(ms):6.1f} ms   95th {p95:6.1f} ms   "
        f"max {ms[-1]:6.1f} ms"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    app = QApplication([])
    app.setStyle("Fusion")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "data")
        demo.add_demo(store, today=date(2026, 11, 25))
        workshop = next(w.id for w in list_workshops(store) if "community" in w.title)
        info = reflections.open_station(store, workshop, Phase.AFTER, demo.DEMO_PIN)
        station = StationWindow(store, info)
        station.resize(1280, 800)
        station.show()
        app.processEvents()
        submit: list[float] = []
        next_person: list[float] = []
        for number in range(count):
            attendance = review.add_walk_in(store, workshop, f"Bench Attendee {number}")
            flow = station.flow
            flow.choose(attendance, "Bench attendee")
            flow._on_consent_next_pressed()
            for screen in flow.questions:
                if hasattr(screen.answer, "group"):
                    screen.answer.group.button(3).click()
                else:
                    screen.answer.setPlainText(f"Plan the spring term with group {number}.")
            flow._show(flow.review)
            app.processEvents()

            started = time.perf_counter()
            flow.review.send_button.click()
            app.processEvents()
            station.repaint()
            submit.append(time.perf_counter() - started)
            assert station.current_screen() is station.thanks_screen
            assert station.flow is not flow and not station.flow.welcome.search.text()

            started = time.perf_counter()
            station.next_person()
            app.processEvents()
            station.repaint()
            next_person.append(time.perf_counter() - started)
            assert station.current_screen() is station.flow.welcome
        print(f"{count} attendees, {len(info.questions)} questions each, after phase")
        _report("Send pressed -> ready (target 100)", submit)
        _report("Next person -> welcome shown", next_person)
        station._may_close = True
        station.close()
        station.deleteLater()
        QApplication.sendPostedEvents(None, 0)
        store.close()


if __name__ == "__main__":
    main()
