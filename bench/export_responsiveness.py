"""Measure how long the GUI thread is ever kept waiting while the window exports certificates.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/export_responsiveness.py [ATTENDEES]
Target: the longest gap between 10 ms timer ticks stays under 50 ms during the export.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import demo, organisation, workshops
from amie_desktop.store import open_store
from amie_desktop.store.models import Attendance, Person, Workshop
from amie_desktop.ui.exports.page import ExportsPage


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "data")
        organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
        workshop_id = workshops.create_from_template(
            store, builtin_template("introduction-to-heard"), on=date(2026, 11, 25),
            start=clock(9, 30),
        )  # fmt: skip
        with store.write() as session:
            workshop = session.get(Workshop, workshop_id)
            for n in range(count):
                name = demo.PEOPLE[n % len(demo.PEOPLE)][0]
                session.add(
                    Attendance(
                        workshop=workshop,
                        person=Person(name=name, name_folded=fold(name)),
                        status=AttendanceStatus.ATTENDED,
                    )
                )
        page = ExportsPage(store)
        page.refresh()
        page.workshop.setCurrentIndex(page.workshop.findData(workshop_id))
        page.per_person.setChecked(False)
        out = Path(folder) / "out"
        out.mkdir()
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        page.export_finished.connect(lambda _message: app.quit())
        timer.start()
        started = time.perf_counter()
        page.export_to(out)
        app.exec()
        took = time.perf_counter() - started
        timer.stop()
        store.close()
    print(f"window export of {count} certificates, summary and CSV: {took:.1f} s")
    print(f"  longest wait of the GUI thread: {max(gaps) * 1000:.0f} ms   target < 50 ms")
    print(f"  ticks over 50 ms: {sum(g > 0.05 for g in gaps)} of {len(gaps)}")


if __name__ == "__main__":
    main()
