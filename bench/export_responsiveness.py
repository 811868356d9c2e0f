"""Measure how long the GUI thread is ever kept waiting during an export, an import and a backup.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/export_responsiveness.py [ATTENDEES]
     [--only export|import|backup] [--watchdog]

Each activity runs through the window's own widgets while a 10 ms QTimer ticks on the GUI
thread; the longest gap between ticks is how long the window was frozen. Target: under 50 ms.

- export: certificates (merged), session summary and CSV for ATTENDEES people (default 1,000),
  from the Exports page.
- import: a 5,000-row register CSV read as the register tab reads it, previewed in the import
  dialog, one column mapping changed, then imported.
- backup: Settings > Data > Back up now, of a database of 5,000 workshops and 150,000
  attendances (built as bench/workshops_scale.py builds it).

--watchdog re-arms a faulthandler timer on every tick, so a stall longer than 50 ms dumps
what every thread (the GUI thread too) was doing to stderr.
"""

from __future__ import annotations

import argparse
import faulthandler
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from datetime import time as clock
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workshops_scale import ATTENDANCES, WORKSHOPS, build

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import demo, organisation, register_import, workshops
from amie_desktop.services.register_import import Field
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Attendance, Person, Workshop
from amie_desktop.ui.exports.page import ExportsPage
from amie_desktop.ui.settings.data_tab import DataTab
from amie_desktop.ui.workshops.import_dialog import ImportPreviewDialog

TARGET_MS = 50.0
TICK_MS = 10
IMPORT_ROWS = 5_000
WATCHDOG_S = TARGET_MS / 1000


class GuiWatch:
    """Ticks every 10 ms on the GUI thread and keeps the gaps between ticks."""

    def __init__(self, watchdog: bool) -> None:
        self.gaps: list[float] = []
        self._watchdog = watchdog
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now
        if self._watchdog:
            faulthandler.dump_traceback_later(WATCHDOG_S, exit=False)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()
        if self._watchdog:
            faulthandler.dump_traceback_later(WATCHDOG_S, exit=False)

    def stop(self) -> None:
        self._timer.stop()
        if self._watchdog:
            faulthandler.cancel_dump_traceback_later()

    def report(self, label: str, took: float) -> bool:
        longest = max(self.gaps, default=0.0) * 1000
        over = sum(g * 1000 > TARGET_MS for g in self.gaps)
        verdict = "ok" if longest < TARGET_MS else "OVER TARGET"
        print(
            f"{label:<58} {took:5.1f} s   longest GUI-thread wait {longest:4.0f} ms   "
            f"ticks over {TARGET_MS:.0f} ms: {over:3d} of {len(self.gaps):4d}   "
            f"(target < {TARGET_MS:.0f} ms) {verdict}"
        )
        sys.stdout.flush()
        return longest < TARGET_MS


def run_watched(
    app: QApplication, watchdog: bool, begin: Callable[[Callable[[], None]], None]
) -> tuple[GuiWatch, float]:
    """Start the ticks, call begin(finish) on the GUI thread, run until finish() is called."""
    watch = GuiWatch(watchdog)
    finished: list[float] = []

    def finish() -> None:
        finished.append(time.perf_counter())
        app.quit()

    watch.start()
    started = time.perf_counter()
    QTimer.singleShot(0, lambda: begin(finish))
    app.exec()
    watch.stop()
    return watch, finished[0] - started


def poll_until(condition: Callable[[], bool], then: Callable[[], None]) -> None:
    """Call then() on the GUI thread once condition() holds, checking every 5 ms."""
    timer = QTimer(QApplication.instance())
    timer.setInterval(5)

    def check() -> None:
        if condition():
            timer.stop()
            timer.deleteLater()
            then()

    timer.timeout.connect(check)
    timer.start()


def new_workshop(store: Store) -> int:
    organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    return workshops.create_from_template(
        store, builtin_template("introduction-to-heard"), on=date(2026, 11, 25),
        start=clock(9, 30),
    )  # fmt: skip


def bench_export(app: QApplication, folder: Path, count: int, watchdog: bool) -> bool:
    store = open_store(folder / "export-data")
    workshop_id = new_workshop(store)
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
    out = folder / "out"
    out.mkdir()

    def begin(finish: Callable[[], None]) -> None:
        page.export_finished.connect(lambda _message: finish())
        page.export_to(out)

    watch, took = run_watched(app, watchdog, begin)
    store.close()
    return watch.report(f"export: {count:,} certificates (merged), summary and CSV", took)


def register_csv(path: Path, known: list[tuple[str, str]]) -> None:
    """A booking site's export: 5,000 rows, a fifth of them people already in the database."""
    lines = ["Order,First name,Surname,Email,Organisation,Job title,Access needs"]
    for n in range(IMPORT_ROWS):
        if n % 5 == 0 and n // 5 < len(known):
            given, family = known[n // 5]
            email = f"{given.lower()}@example.org"
        else:
            given, family, email = f"Person{n}", f"Number {n}", f"p{n}@example.org"
        lines.append(f'{1000 + n},{given},{family},{email},Hub {n % 9},Teacher,"Step-free, please"')
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")


def bench_import(app: QApplication, folder: Path, watchdog: bool) -> bool:
    store = open_store(folder / "import-data")
    workshop_id = new_workshop(store)
    known = [(f"Known{n}", f"Person {n}") for n in range(IMPORT_ROWS // 5)]
    with store.write() as session:
        for given, family in known:
            name = f"{given} {family}"
            email = f"{given.lower()}@example.org"
            session.add(Person(name=name, name_folded=fold(name), email=email))
    csv_file = folder / "bookings.csv"
    register_csv(csv_file, known)
    held: list[ImportPreviewDialog] = []

    def begin(finish: Callable[[], None]) -> None:
        # As the register tab does once the file is chosen: read it, then show the preview.
        source = register_import.read_csv_file(csv_file)
        dialog = ImportPreviewDialog(store, workshop_id, source, csv_file.name)
        held.append(dialog)
        dialog.accepted.connect(finish)
        dialog.show()

        def change_a_column() -> None:
            organisation_box = dialog.columns[Field.ORGANISATION]
            organisation_box.setCurrentIndex(0)  # "Not in this file"
            poll_until(lambda: not dialog.preview_pending, dialog.import_button.click)

        poll_until(lambda: not dialog.preview_pending, change_a_column)

    watch, took = run_watched(app, watchdog, begin)
    dialog = held[0]
    assert dialog.plan is not None and dialog.plan.saved, "the import must have been saved"
    assert dialog.plan.added == IMPORT_ROWS, dialog.plan.summary()
    dialog.deleteLater()
    store.close()
    label = f"import: {IMPORT_ROWS:,}-row register, previewed, a column changed, imported"
    return watch.report(label, took)


def bench_backup(app: QApplication, folder: Path, watchdog: bool) -> bool:
    store = open_store(folder / "backup-data")
    build(store, random.Random(2026))
    tab = DataTab(store)
    tab.refresh()
    tab.resize(900, 700)
    tab.show()
    size = (store.database_path.stat().st_size if store.database_path else 0) / 1e6

    def begin(finish: Callable[[], None]) -> None:
        tab.job_finished.connect(lambda _message: finish())
        tab.back_up_now.click()

    watch, took = run_watched(app, watchdog, begin)
    message = tab.message.text() or tab.problem.text()
    assert "Backup made and checked" in message, message
    store.close()
    label = f"backup: {WORKSHOPS:,} workshops, {ATTENDANCES:,} attendances ({size:.0f} MB)"
    return watch.report(label, took)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("attendees", nargs="?", type=int, default=1000)
    parser.add_argument("--only", choices=("export", "import", "backup"))
    parser.add_argument("--watchdog", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    results = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.only in (None, "export"):
            results.append(bench_export(app, folder, args.attendees, args.watchdog))
        if args.only in (None, "import"):
            results.append(bench_import(app, folder, args.watchdog))
        if args.only in (None, "backup"):
            results.append(bench_backup(app, folder, args.watchdog))
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
