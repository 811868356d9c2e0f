"""How quickly the workshop list shows and a name search answers, at programme scale.

Builds a database of 5,000 workshops and 150,000 attendances (30,000 people) in a temporary
folder, then prints median timings against the targets in docs/architecture.md:
the workshop list shown in under 150 ms, a name search answered in under 50 ms, and the
app's peak memory on that database (every page of the list loaded) under 300 MB.

    .venv/bin/python bench/workshops_scale.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert

from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.services import register, workshops
from amie_desktop.services.workshops import ListQuery, SortKey, When
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import (
    Attendance,
    Person,
    Workshop,
    facilitators_key,
    new_uuid,
    workshop_search_text,
)

WORKSHOPS = 5_000
ATTENDANCES = 150_000
PEOPLE = 30_000
LIST_TARGET_MS = 150.0
SEARCH_TARGET_MS = 50.0
MEMORY_TARGET_MB = 300.0

# A fresh process, as a trainer would start the app on this database: the window's list
# scrolled to the very end (every page loaded), searches, and a large register opened; then
# its peak resident memory. The parent's figure would count building the database too.
MEMORY_CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication
from amie_desktop.services import register, workshops
from amie_desktop.store import open_store
from amie_desktop.ui.workshops.page import WorkshopsPage
app = QApplication(sys.argv[:1])
store = open_store(Path(sys.argv[1]))
page = WorkshopsPage(store)
page.resize(1100, 720)
page.show()
page.refresh()
while page.model.canFetchMore(QModelIndex()):
    page.model.fetchMore(QModelIndex())
    app.processEvents()
rows = page.model.rowCount()
for text in ("lukasz", "muller", "zoe", "a"):
    register.search_people(store, text)
busiest = max(workshops.list_workshops(store), key=lambda row: row.booked)
page.select_workshop(busiest.id)
app.processEvents()
store.close()
# VmHWM, not ru_maxrss: ru_maxrss keeps the parent's peak across fork and exec.
status = Path("/proc/self/status").read_text()
peak_mb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1]) / 1024
print(rows, busiest.booked, round(peak_mb, 1))
"""

GIVEN = ("Zoë", "Łukasz", "Jürgen", "Aoife", "Chidi", "Priya", "Siobhán", "Kwame", "Ana María",
         "Björn", "Ayşe", "Oluwaseun", "Hannah", "Declan", "Rhiannon", "Samir", "Grace", "Tomasz",
         "Fatima", "Nguyễn", "Ольга", "Δημήτρης", "王", "佐藤", "محمد")  # fmt: skip
FAMILY = ("Müller", "Wiśniewski", "Ó Briain", "Okafor", "Patel", "Mensah", "Svensson",
          "Yılmaz", "Adeyemi", "Goldberg", "Price", "Haddad", "Achieng", "Kowalczyk", "Benali",
          "Thị Lan", "Иванова", "Παπαδόπουλος", "芳", "花子", "عبد الله")  # fmt: skip
TOWNS = ("Northfield", "Riverside", "Eastgate", "Harbour", "Hillside", "Valleys", "Westbrook")
TOPICS = ("Introduction to HEARD", "HEARD taster", "Equitable practice in schools",
          "Youth voice and the Authentic principle", "Diverse repertoire")  # fmt: skip
STATUSES = (AttendanceStatus.ATTENDED,) * 3 + (AttendanceStatus.ABSENT, AttendanceStatus.BOOKED)
FACILITATORS = ("Ruth Adebayo", "Tom Ellison", "Meera Chaudhry", "Gareth Jones", "Leila Nasser")


def build(store: Store, rng: random.Random) -> None:
    start = date(2020, 1, 1)
    workshop_rows = []
    for number in range(WORKSHOPS):
        title = f"{rng.choice(TOPICS)} ({rng.choice(TOWNS)})"
        venue = f"{rng.choice(TOWNS)} Music Centre, room {number % 9 + 1}"
        people = rng.sample(FACILITATORS, k=1 + number % 2)
        workshop_rows.append(
            {
                "uuid": new_uuid(), "title": title, "date": start + timedelta(days=number // 2),
                "start_time": clock(9, 30), "end_time": clock(12, 30), "venue": venue,
                "facilitators": people, "cpd_hours": 3.0, "status": WorkshopStatus.DONE,
                "notes": "", "template_title": "",
                "search_folded": workshop_search_text(title, venue, people),
                "facilitators_folded": facilitators_key(people),
            }
        )  # fmt: skip
    person_rows = []
    for number in range(PEOPLE):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {number}"
        person_rows.append(
            {"uuid": new_uuid(), "name": name, "name_folded": fold(name),
             "email": f"person{number}@example.org", "organisation": rng.choice(TOWNS),
             "role": ""}
        )  # fmt: skip
    attendance_rows = []
    per_workshop = ATTENDANCES // WORKSHOPS
    for workshop_id in range(1, WORKSHOPS + 1):
        for person_id in rng.sample(range(1, PEOPLE + 1), k=per_workshop):
            attendance_rows.append(
                {"uuid": new_uuid(), "workshop_id": workshop_id, "person_id": person_id,
                 "status": rng.choice(STATUSES),
                 "walk_in": False, "consent_quote": False, "consent_contact": False,
                 "consent_wording": ""}
            )  # fmt: skip
    with store.write() as session:
        # Core inserts: the ORM's per-object work is not what this measures.
        session.execute(insert(Workshop), workshop_rows)
        session.execute(insert(Person), person_rows)
        session.execute(insert(Attendance), attendance_rows)


def median_ms(action: Callable[[], object], runs: int = 15) -> float:
    action()  # warm the caches once, as a second look at the list would
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def show_list(store: Store) -> Callable[[], object]:
    """The Workshops page built, filled and painted, as a trainer opening the section sees it."""
    from PySide6.QtWidgets import QApplication

    from amie_desktop.ui.workshops.page import WorkshopsPage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    page = WorkshopsPage(store)
    page.resize(1100, 720)
    page.show()

    def refresh() -> None:
        page.refresh()
        page.repaint()
        app.processEvents()

    return refresh


def main() -> int:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        began = time.perf_counter()
        build(store, rng)
        print(f"Built {WORKSHOPS:,} workshops, {PEOPLE:,} people and {ATTENDANCES:,} attendances "
              f"in {time.perf_counter() - began:.1f} s.")  # fmt: skip
        figures = [
            ("workshop list shown (page built, filled, painted)", show_list(store), LIST_TARGET_MS),
            ("  first page of 100, newest first (service)",
             lambda: workshops.workshops_page(store, ListQuery(), 0, 100), LIST_TARGET_MS),
            ("  count of matching workshops (service)",
             lambda: workshops.count_workshops(store, ListQuery()), LIST_TARGET_MS),
            ("  search 'hillside' + past filter (service)",
             lambda: workshops.workshops_page(
                 store, ListQuery(text="hillside", when=When.PAST), 0, 100), LIST_TARGET_MS),
            ("  sorted by booked count (service)",
             lambda: workshops.workshops_page(store, ListQuery(sort=SortKey.BOOKED), 0, 100),
             LIST_TARGET_MS),
            ("name search 'lukasz' answered", lambda: register.search_people(store, "lukasz"),
             SEARCH_TARGET_MS),
            ("name search 'muller 12' answered",
             lambda: register.search_people(store, "muller 12"), SEARCH_TARGET_MS),
            ("name search 'olga' (Latin keyboard, finds Ольга) answered",
             lambda: register.search_people(store, "olga"), SEARCH_TARGET_MS),
            ("name search 'mohammed' (finds محمد) answered",
             lambda: register.search_people(store, "mohammed"), SEARCH_TARGET_MS),
        ]  # fmt: skip
        found = register.search_people(store, "lukasz")
        assert found and all("Łukasz" in p.name for p in found), "search must find Łukasz"
        found = register.search_people(store, "olga")
        assert found and all("Ольга" in p.name for p in found), "search must find Ольга"
        found = register.search_people(store, "mohammed")
        assert found and all("محمد" in p.name for p in found), "search must find محمد"
        failed = False
        for label, action, target in figures:
            ms = median_ms(action)
            verdict = "ok" if ms < target else "OVER TARGET"
            failed |= ms >= target
            print(f"{label:<58} {ms:8.1f} ms   (target < {target:.0f} ms) {verdict}")
        store.close()
        import subprocess

        child = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD, folder],
            capture_output=True, text=True, check=True,
            env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        )  # fmt: skip
        rows, booked, peak_mb = child.stdout.split()
        over = float(peak_mb) >= MEMORY_TARGET_MB
        failed |= over
        label = f"peak memory: all {rows} workshops scrolled, a {booked}-person register"
        print(f"{label:<58} {float(peak_mb):8.1f} MB   (target < {MEMORY_TARGET_MB:.0f} MB) "
              f"{'OVER TARGET' if over else 'ok'}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
