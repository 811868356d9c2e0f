"""How long a laptop's first sync into an empty organisation database takes, and a sync after it.

Builds a laptop database of 500 workshops, 15,000 attendances and 30,000 submitted reflections
(each with five answers), starts a throwaway PostgreSQL cluster on 127.0.0.1 (Debian's
postgresql package; or give --org URL of an empty database), and prints, against the targets:
the first sync under 20 s, a sync with nothing changed under 1 s, peak memory under 300 MB.

    .venv/bin/python bench/sync.py [--org postgresql+psycopg://USER@HOST/DATABASE]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState, WorkshopStatus
from amie_desktop.services import sync
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import (
    Answer,
    Attendance,
    Person,
    Reflection,
    SyncState,
    Workshop,
    facilitators_key,
    new_uuid,
    workshop_search_text,
)

WORKSHOPS = 500
ATTENDANCES = 15_000
PEOPLE = 6_000
FIRST_TARGET_S = 20.0
AGAIN_TARGET_S = 1.0
MEMORY_TARGET_MB = 300.0
QUESTIONS = ("rating.H", "rating.E", "rating.A", "rating.R", "rating.D")


def build(store: Store, rng: random.Random) -> None:
    """The laptop's data, written straight through Core, stamped as changed once."""
    with store.read() as session:
        device = session.scalars(select(SyncState.device_id)).one()
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    stamp = {"change_seq": 1, "updated_by": device, "updated_at": now}
    workshops = []
    for number in range(WORKSHOPS):
        title, venue, people = f"Workshop {number}", f"Venue {number % 17}", ["Ruth Adebayo"]
        workshops.append(
            {"uuid": new_uuid(), "title": title, "date": date(2024, 1, 1) + timedelta(number),
             "start_time": clock(9, 30), "venue": venue, "facilitators": people,
             "cpd_hours": 3.0, "status": WorkshopStatus.DONE, "notes": "", "template_title": "",
             "search_folded": workshop_search_text(title, venue, people),
             "facilitators_folded": facilitators_key(people), "created_by": device, **stamp}
        )  # fmt: skip
    people = [
        {"uuid": new_uuid(), "name": f"Person {n}", "name_folded": fold(f"Person {n}"),
         "email": f"person{n}@example.org", "organisation": "", "role": "", **stamp}
        for n in range(PEOPLE)
    ]  # fmt: skip
    attendances = []
    per_workshop = ATTENDANCES // WORKSHOPS
    for workshop_id in range(1, WORKSHOPS + 1):
        for person_id in rng.sample(range(1, PEOPLE + 1), k=per_workshop):
            attendances.append(
                {"uuid": new_uuid(), "workshop_id": workshop_id, "person_id": person_id,
                 "status": AttendanceStatus.ATTENDED, "walk_in": False, "consent_quote": False,
                 "consent_contact": False, "consent_wording": "", **stamp}
            )  # fmt: skip
    reflections = [
        {"uuid": new_uuid(), "attendance_id": attendance_id, "phase": phase,
         "state": ReflectionState.SUBMITTED, "question_set_version": 1, "started_at": now,
         "submitted_at": now, **stamp}
        for attendance_id in range(1, ATTENDANCES + 1)
        for phase in (Phase.BEFORE, Phase.AFTER)
    ]  # fmt: skip
    answers = [
        {"reflection_id": reflection_id, "question_key": key, "rating": rng.randint(1, 5)}
        for reflection_id in range(1, len(reflections) + 1)
        for key in QUESTIONS
    ]
    with store.write() as session:
        for model, rows in ((Workshop, workshops), (Person, people),
                            (Attendance, attendances), (Reflection, reflections),
                            (Answer, answers)):  # fmt: skip
            session.execute(insert(model), rows)


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", help="an empty organisation database (default: start one)")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = args.org
        if url is None:
            from tests.postgres import Cluster

            cluster = Cluster()
            cluster.start()
            stack.callback(cluster.stop)
            _, url = cluster.new_database()
        laptop = open_store(folder / "laptop")
        stack.callback(laptop.close)
        began = time.perf_counter()
        build(laptop, random.Random(2026))
        took = time.perf_counter() - began
        print(
            f"Built {WORKSHOPS:,} workshops, {ATTENDANCES:,} attendances and "
            f"{2 * ATTENDANCES:,} reflections in {took:.1f} s."
        )
        org = open_store(folder / "org", url)
        stack.callback(org.close)
        sync.join(laptop, org, url)
        began = time.perf_counter()
        first = sync.sync(laptop, org)
        first_s = time.perf_counter() - began
        began = time.perf_counter()
        again = sync.sync(laptop, org)
        again_s = time.perf_counter() - began
        assert first.changed_there >= WORKSHOPS + ATTENDANCES, first
        assert again.nothing_changed, again
        memory = peak_mb()
    rows = [
        ("first sync into an empty organisation database", first_s, FIRST_TARGET_S, "s"),
        ("sync with nothing changed", again_s, AGAIN_TARGET_S, "s"),
        ("peak memory (this process, building included)", memory, MEMORY_TARGET_MB, "MB"),
    ]
    failed = False
    for label, value, target, unit in rows:
        ok = value < target
        failed |= not ok
        print(f"{label:<50} {value:8.2f} {unit:<2} (target < {target:g} {unit}) "
              f"{'ok' if ok else 'MISSED'}")  # fmt: skip
    print(f"first sync sent {first.sent:,} records; the second sent {again.sent} and received "
          f"{again.received}.")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
