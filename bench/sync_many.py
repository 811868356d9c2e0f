"""Ten laptops syncing at once against one organisation database: all finish, nothing twice.

Builds N laptop databases, each with its own workshops (run by its own trainer), its own
people and a pool of people every laptop has booked (the same emails), submitted reflections
and issued certificates. Joins each to one PostgreSQL database on 127.0.0.1 (a throwaway
cluster, or --org URL of an empty database), then starts N `amie-desktop sync` processes at
the same moment, three rounds: the first sends everything, the second brings each laptop what
the others sent, the third must change nothing anywhere. Then checks, against what it built:

- every process finished with success;
- the organisation's database holds every workshop, attendance, reflection and certificate
  once, and each email address once (people booked on several laptops merged);
- certificate numbers are unique, each with its laptop's letter;
- every laptop holds exactly what the organisation's database holds (a canonical dump).

    .venv/bin/python bench/sync_many.py [--laptops 10] [--workshops 12] [--per-workshop 25]
        [--org postgresql+psycopg://USER@HOST/DATABASE]

Prints each round's wall time and its slowest process; exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState, WorkshopStatus
from amie_desktop.services import certificates, organisation, sync
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import (
    Answer,
    Attendance,
    Person,
    Reflection,
    Workshop,
    facilitators_key,
    new_uuid,
    workshop_search_text,
)
from amie_desktop.store.tracking import next_stamp
from tests.sync_helpers import canonical

SHARED_PEOPLE = 10  # booked on every laptop, under the same email
OWN_PEOPLE = 20  # on one laptop only
QUESTIONS = ("rating.H", "rating.E", "rating.A", "rating.R", "rating.D")
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Built:
    """What one laptop holds, to check the organisation's totals against."""

    workshops: int
    attendances: int
    emails: frozenset[str]


def build(store: Store, number: int, workshops: int, per_workshop: int, seed: int) -> Built:
    """One laptop's own data, written through Core and stamped as one unit of work."""
    rng = random.Random(seed * 1000 + number)
    organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    people = [(f"Shared Person {n}", f"shared{n}@example.org") for n in range(SHARED_PEOPLE)]
    people += [
        (f"Laptop{number} Person {n}", f"laptop{number}.person{n}@example.org")
        for n in range(OWN_PEOPLE)
    ]
    per_workshop = min(per_workshop, len(people))
    with store.write() as session:
        connection = session.connection()
        seq, device = next_stamp(connection)
        stamp = {"change_seq": seq, "updated_by": device, "updated_at": NOW}
        trainer = [f"Trainer {number}"]
        workshop_rows = []
        for n in range(workshops):
            title, venue = f"Laptop {number} workshop {n}", f"Venue {n % 7}"
            workshop_rows.append(
                {"uuid": new_uuid(), "title": title, "date": date(2026, 1, 5) + timedelta(n),
                 "start_time": clock(9, 30), "venue": venue, "facilitators": trainer,
                 "cpd_hours": 3.0, "status": WorkshopStatus.DONE, "notes": "",
                 "template_title": "", "search_folded": workshop_search_text(title, venue, trainer),
                 "facilitators_folded": facilitators_key(trainer), "created_by": device, **stamp}
            )  # fmt: skip
        connection.execute(insert(Workshop.__table__), workshop_rows)
        person_rows = [
            {"uuid": new_uuid(), "name": name, "name_folded": fold(name), "email": email,
             "organisation": "", "role": "", **stamp}
            for name, email in people
        ]  # fmt: skip
        connection.execute(insert(Person.__table__), person_rows)
        ids = dict(connection.execute(Workshop.__table__.select().with_only_columns(
            Workshop.uuid, Workshop.id)).all())  # fmt: skip
        person_ids = dict(connection.execute(Person.__table__.select().with_only_columns(
            Person.uuid, Person.id)).all())  # fmt: skip
        attendance_rows = [
            {"uuid": new_uuid(), "workshop_id": ids[w["uuid"]], "person_id": person_ids[p["uuid"]],
             "status": AttendanceStatus.ATTENDED, "walk_in": False, "consent_quote": False,
             "consent_contact": False, "consent_wording": "", **stamp}
            for w in workshop_rows
            for p in rng.sample(person_rows, k=per_workshop)
        ]  # fmt: skip
        connection.execute(insert(Attendance.__table__), attendance_rows)
        attendance_ids = list(connection.scalars(Attendance.__table__.select().with_only_columns(
            Attendance.id)))  # fmt: skip
        reflection_rows = [
            {"uuid": new_uuid(), "attendance_id": attendance_id, "phase": phase,
             "state": ReflectionState.SUBMITTED, "question_set_version": 1, "started_at": NOW,
             "submitted_at": NOW, **stamp}
            for attendance_id in attendance_ids
            for phase in (Phase.BEFORE, Phase.AFTER)
        ]  # fmt: skip
        connection.execute(insert(Reflection.__table__), reflection_rows)
        reflection_ids = list(connection.scalars(Reflection.__table__.select().with_only_columns(
            Reflection.id)))  # fmt: skip
        connection.execute(
            insert(Answer.__table__),
            [
                {"reflection_id": reflection_id, "question_key": key, "rating": rng.randint(1, 5)}
                for reflection_id in reflection_ids
                for key in QUESTIONS
            ],
        )
    return Built(workshops, workshops * per_workshop, frozenset(email for _, email in people))


def issue_certificates(store: Store) -> None:
    """Certificates through the app's own issuing, so they carry this laptop's letter."""
    with store.read() as session:
        workshop_ids = list(session.scalars(Workshop.__table__.select().with_only_columns(
            Workshop.id)))  # fmt: skip
    for workshop_id in workshop_ids:
        certificates.issue(store, workshop_id, now=NOW)


TOOK = "sync took "


def child(folder: str) -> int:
    """One laptop's `amie-desktop sync --json`, timed from after the program has loaded."""
    from amie_desktop import app
    from amie_desktop.services import sync as _loaded  # noqa: F401  (loading is not syncing)

    began = time.perf_counter()
    code = app.main(["--data-dir", folder, "sync", "--json"])
    print(f"{TOOK}{time.perf_counter() - began:.3f}", file=sys.stderr)
    return code


@dataclass(frozen=True)
class Round:
    wall_s: float
    slowest_sync_s: float
    reports: list[dict[str, object]]
    failures: list[str]


def sync_all_at_once(folders: list[Path]) -> Round:
    """Start `amie-desktop sync --json` for every laptop at the same moment; wait for all."""
    began = time.perf_counter()
    running = [
        (folder, subprocess.Popen([sys.executable, __file__, "--child", str(folder)], text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        for folder in folders
    ]  # fmt: skip
    reports, failures, slowest = [], [], 0.0
    for folder, process in running:
        out, err = process.communicate(timeout=600)
        if process.returncode != 0:
            failures.append(f"{folder.name}: exit {process.returncode}: {err.strip()[-500:]}")
            continue
        took = [line for line in err.splitlines() if line.startswith(TOOK)]
        slowest = max(slowest, float(took[-1].removeprefix(TOOK)))
        reports.append(json.loads(out))
    return Round(time.perf_counter() - began, slowest, reports, failures)


def check(org: Store, laptops: list[Store], built: list[Built]) -> list[str]:
    """What is wrong with the organisation's data and the laptops' copies (empty: all right)."""
    problems = []
    dump = canonical(org)
    expected = {
        "workshop": sum(b.workshops for b in built),
        "attendance": sum(b.attendances for b in built),
        "reflection": 2 * sum(b.attendances for b in built),
        "certificate": sum(b.attendances for b in built),
        "person": len(frozenset().union(*(b.emails for b in built))),
    }
    for kind, count in expected.items():
        if len(dump[kind]) != count:
            problems.append(f"the organisation holds {len(dump[kind])} {kind} rows, not {count}")
    emails = Counter(p["email"] for p in dump["person"])
    twice = [email for email, n in emails.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} email addresses belong to more than one person")
    serials = [c["serial"] for c in dump["certificate"]]
    if len(set(serials)) != len(serials):
        problems.append("two certificates share a number")
    letters = {serial.split("-")[2] for serial in serials}
    if len(letters) != len(laptops):
        problems.append(f"numbers carry {len(letters)} laptop letters, not {len(laptops)}")
    for number, laptop in enumerate(laptops, start=1):
        if canonical(laptop) != dump:
            problems.append(f"laptop {number} does not hold what the organisation holds")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=10)
    parser.add_argument("--workshops", type=int, default=12, help="per laptop")
    parser.add_argument("--per-workshop", type=int, default=25, help="people at each workshop")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--org", help="an empty organisation database (default: start one)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = args.org
        if url is None:
            from tests.postgres import Cluster

            cluster = Cluster()
            cluster.start()
            stack.callback(cluster.stop)
            _, url = cluster.new_database()
        org = open_store(root / "org", url)
        stack.callback(org.close)
        folders = [root / f"laptop{n}" for n in range(1, args.laptops + 1)]
        laptops, built = [], []
        began = time.perf_counter()
        for number, folder in enumerate(folders, start=1):
            laptop = open_store(folder)
            stack.callback(laptop.close)
            built.append(build(laptop, number, args.workshops, args.per_workshop, args.seed))
            sync.join(laptop, org, url, name=f"Laptop {number}")
            issue_certificates(laptop)
            laptops.append(laptop)
        print(
            f"Built {args.laptops} laptops ({args.workshops} workshops and "
            f"{args.workshops * min(args.per_workshop, SHARED_PEOPLE + OWN_PEOPLE)} attendances "
            f"each, {SHARED_PEOPLE} people booked on every laptop) in "
            f"{time.perf_counter() - began:.1f} s."
        )
        rounds = [sync_all_at_once(folders) for _ in range(3)]
        for number, result in enumerate(rounds, start=1):
            print(
                f"round {number}: {args.laptops} syncs at once: {result.wall_s:6.2f} s from the "
                f"first start to the last exit, the slowest sync {result.slowest_sync_s:.2f} s; "
                f"{sum(int(r['changed_there']) for r in result.reports):,} changes sent, "
                f"{sum(int(r['changed_here']) for r in result.reports):,} received, "
                f"{sum(int(r['merged']) for r in result.reports):,} merged"
            )
        problems = [failure for result in rounds for failure in result.failures]
        if not all(r["nothing_changed"] for r in rounds[2].reports):
            problems.append("the third round still changed something")
        problems += check(org, laptops, built)
        dump = canonical(org)
    print(
        f"organisation: {len(dump['workshop'])} workshops, {len(dump['person'])} people "
        f"(each email once), {len(dump['attendance'])} attendances, "
        f"{len(dump['reflection'])} reflections, {len(dump['certificate'])} certificates "
        "(numbers unique)"
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("All checks passed." if not problems else f"{len(problems)} checks failed.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
