"""Soak test: SIGKILL `amie-desktop bundle import` at random moments, then check the database.

A laptop database is built (workshops, people, places, submitted reflections with answers,
certificates' worth of rows, one erasure so a tombstone travels) and exported to a bundle file.
An import with no kills into an empty organisation database gives the reference state.

Then, into a fresh organisation database (SQLite), `amie-desktop bundle import` is started as
its own process again and again and killed with SIGKILL after a random wait (from 0 to a bit
longer than an uninterrupted import takes). After every kill:

- the database passes PRAGMA integrity_check and opens;
- it holds either nothing of the file or all of it (the canonical dump equals the empty one or
  the reference): an import is one transaction, never half of one.

An import that finished before its kill is checked against the reference, and the database is
started afresh so the kills keep landing on real work. At the end an uninterrupted import into
the killed-over database must give exactly the reference state, and a second import must change
nothing.

With --postgres the imports go into a throwaway PostgreSQL cluster on 127.0.0.1 instead (a
database per fresh start; the server keeps its own files, so the check there is that the
database opens and holds none or all of the file).

Usage: python bench/soak_bundle.py [--kills 100] [--workshops 150] [--seed 1] [--postgres]
Prints the figures; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState, WorkshopStatus
from amie_desktop.services import bundle, privacy, sync
from amie_desktop.store import Store, open_store
from amie_desktop.store.files import integrity_ok
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

PASSPHRASE = "soak test passphrase, not a secret"
PEOPLE_PER_WORKSHOP = 30
QUESTIONS = ("rating.H", "rating.E", "rating.A", "rating.R", "rating.D", "do_differently")


def build(store: Store, workshops: int, rng: random.Random) -> None:
    """The laptop's data, through Core, stamped as changed once (as the app's writes are)."""
    with store.read() as session:
        device = session.scalars(select(SyncState.device_id)).one()
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    stamp = {"change_seq": 1, "updated_by": device, "updated_at": now}
    people_count = workshops * PEOPLE_PER_WORKSHOP // 2
    rows: dict[Any, list[dict[str, Any]]] = {Workshop: [], Person: [], Attendance: []}
    for number in range(workshops):
        title, venue, who = f"Workshop {number}", f"Venue {number % 7}", ["Ruth Adebayo"]
        rows[Workshop].append(
            {"uuid": new_uuid(), "title": title, "date": date(2025, 1, 1) + timedelta(number),
             "start_time": clock(9, 30), "venue": venue, "facilitators": who, "cpd_hours": 3.0,
             "status": WorkshopStatus.DONE, "notes": "", "template_title": "",
             "search_folded": workshop_search_text(title, venue, who),
             "facilitators_folded": facilitators_key(who), "created_by": device, **stamp}
        )  # fmt: skip
    for n in range(people_count):
        name = f"Soak Person {n}"
        rows[Person].append(
            {"uuid": new_uuid(), "name": name, "name_folded": fold(name),
             "email": f"soak{n}@example.org", "organisation": "", "role": "", **stamp}
        )  # fmt: skip
    for workshop_id in range(1, workshops + 1):
        for person_id in rng.sample(range(1, people_count + 1), k=PEOPLE_PER_WORKSHOP):
            rows[Attendance].append(
                {"uuid": new_uuid(), "workshop_id": workshop_id, "person_id": person_id,
                 "status": AttendanceStatus.ATTENDED, "walk_in": False, "consent_quote": False,
                 "consent_contact": False, "consent_wording": "", **stamp}
            )  # fmt: skip
    with store.write() as session:
        connection = session.connection()
        for model, values in rows.items():
            connection.execute(insert(model), values)
        reflections = [
            {"uuid": new_uuid(), "attendance_id": attendance_id, "phase": phase,
             "state": ReflectionState.SUBMITTED, "question_set_version": 1, "started_at": now,
             "submitted_at": now, **stamp}
            for attendance_id in range(1, len(rows[Attendance]) + 1)
            for phase in (Phase.BEFORE, Phase.AFTER)
        ]  # fmt: skip
        connection.execute(insert(Reflection), reflections)
        answers = [
            {"reflection_id": reflection_id, "question_key": key,
             "rating": None if key == "do_differently" else rng.randint(1, 5),
             "text": "More time to play together" if key == "do_differently" else ""}
            for reflection_id in range(1, len(reflections) + 1)
            for key in QUESTIONS
        ]  # fmt: skip
        connection.execute(insert(Answer), answers)
    privacy.erase_person(store, "soak0@example.org")  # a tombstone travels too


def canonical(store: Store) -> dict[str, Any]:
    with store.read() as session:
        changes = sync.read_changes(session, since=-1)
    dump: dict[str, Any] = {
        kind: sorted(
            (
                {**row, "answers": sorted(row["answers"], key=lambda a: a["question_key"])}
                if "answers" in row
                else row
                for row in rows
            ),
            key=lambda r: r["uuid"],
        )
        for kind, rows in changes.rows.items()
    }
    dump["tombstones"] = sorted(t["uuid"] for t in changes.tombstones)
    return dump


class Target:
    """Where the imports go: a SQLite data folder, or a PostgreSQL database made afresh."""

    def __init__(self, data_dir: Path, cluster: Any = None) -> None:
        self.data_dir, self.cluster = data_dir, cluster
        self.name, self.url = "", ""

    def fresh(self) -> None:
        if self.cluster is not None:
            if self.name:
                self.cluster.drop(self.name)
            self.name, self.url = self.cluster.new_database()
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        open_store(self.data_dir, self.url or None).close()

    def state(self) -> dict[str, Any]:
        store = open_store(self.data_dir, self.url or None)
        try:
            return canonical(store)
        finally:
            store.close()

    def command(self, path: Path, key: Path) -> list[str]:
        where = ["--database-url", self.url] if self.url else []
        return [sys.executable, "-m", "amie_desktop", "--data-dir", str(self.data_dir), *where,
                "bundle", "import", str(path), "--passphrase-file", str(key)]  # fmt: skip

    def integrity_ok(self) -> bool:
        """PRAGMA integrity_check on SQLite; on PostgreSQL the server keeps its own files.
        A file that is gone or cannot be read fails the check."""
        if self.cluster is not None:
            return True
        try:
            return integrity_ok(self.data_dir / "amie.sqlite3")
        except sqlite3.Error:
            return False

    def writing(self, since: int) -> bool:
        """Whether the import has begun writing: SQLite's log grew, or PostgreSQL has a
        transaction open on the database."""
        if self.cluster is None:
            return self.log_size() > since
        import psycopg

        from tests.postgres import USER

        with psycopg.connect(
            host="127.0.0.1", port=self.cluster.port, user=USER, dbname="postgres"
        ) as admin:
            found = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND xact_start IS NOT NULL AND state <> 'idle'",
                (self.name,),
            ).fetchone()
        return bool(found and found[0])

    def log_size(self) -> int:
        wal = self.data_dir / "amie.sqlite3-wal"
        return wal.stat().st_size if self.cluster is None and wal.exists() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--workshops", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres", action="store_true", help="import into a throwaway PostgreSQL instead"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("AMIE_DATABASE_URL", None)

    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="amie-soak-bundle-")))
        cluster = None
        if args.postgres:
            from tests.postgres import Cluster

            cluster = Cluster()
            cluster.start()
            stack.callback(cluster.stop)
        key = root / "passphrase.txt"
        key.write_text(PASSPHRASE, encoding="utf-8")
        laptop = open_store(root / "laptop")
        try:
            build(laptop, args.workshops, rng)
            path = root / f"laptop{bundle.SUFFIX}"
            exported = bundle.export_bundle(laptop, path, PASSPHRASE)
            file_mb = path.stat().st_size / 1_000_000
        finally:
            laptop.close()

        reference_dir, org = Target(root / "reference", cluster), Target(root / "org", cluster)
        reference_dir.fresh()
        empty = reference_dir.state()
        # The uninterrupted import, watched: when it starts writing, and how long it takes.
        started, writing_from = time.perf_counter(), 0.0
        child = subprocess.Popen(
            reference_dir.command(path, key),
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        start_log = reference_dir.log_size()
        while child.poll() is None:
            if not writing_from and reference_dir.writing(start_log):
                writing_from = time.perf_counter() - started
            time.sleep(0.005)
        one_import = time.perf_counter() - started
        if child.returncode != 0:
            print("FAILED: the import with no kills did not succeed.")
            return 1
        writing_from = writing_from or one_import * 0.8
        reference = reference_dir.state()

        org.fresh()
        kills = during_write = completed = failures = 0
        soak_started = time.perf_counter()
        while kills < args.kills:
            before_log = org.log_size()
            said = (root / "said.txt").open("w+", encoding="utf-8")
            child = subprocess.Popen(
                org.command(path, key), env=env, stdout=subprocess.DEVNULL, stderr=said
            )
            # Half the kills anywhere, half while the database is being written.
            if rng.random() < 0.5:
                wait = rng.uniform(0.0, one_import * 1.1)
            else:
                wait = rng.uniform(writing_from, one_import)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and child.poll() is None:
                time.sleep(0.01)
            grew = org.writing(before_log)
            finished = child.poll() is not None
            if not finished:
                os.kill(child.pid, signal.SIGKILL)
                kills += 1
                during_write += grew
            child.wait()
            problems = []
            if not org.integrity_ok():
                problems.append("the database failed PRAGMA integrity_check")
            try:
                now = org.state()
            except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
                problems.append(f"the database did not open: {type(exc).__name__}")
                now = None
            if finished:
                completed += 1
                said.seek(0)
                words = said.read().strip().splitlines()[-1:] or [""]
                if child.returncode != 0 or now != reference:
                    problems.append(
                        f"an import that finished (exit {child.returncode}) differs: {words[0]}"
                    )
            elif now is not None and now not in (empty, reference):
                problems.append("a killed import left part of the file applied")
            said.close()
            if problems:
                failures += 1
                print(f"kill {kills}: " + "; ".join(problems), flush=True)
            if finished or now == reference:
                org.fresh()  # start again, so kills land on an import with work to do
        soak_time = time.perf_counter() - soak_started

        final = subprocess.run(org.command(path, key), env=env, capture_output=True,
                               text=True, timeout=600, check=False)  # fmt: skip
        final_ok = final.returncode == 0 and org.state() == reference
        again = subprocess.run(org.command(path, key), env=env, capture_output=True,
                               text=True, timeout=600, check=False)  # fmt: skip
        again_ok = again.returncode == 0 and again.stdout.startswith("Nothing new")
        again_ok = again_ok and org.state() == reference and org.integrity_ok()

    print(
        f"{kills} SIGKILLs of bundle import into {'PostgreSQL' if cluster else 'SQLite'} in "
        f"{soak_time:.0f} s ({exported.changes} changes, "
        f"{file_mb:.1f} MB file; one uninterrupted import {one_import:.1f} s, writing from "
        f"{writing_from:.1f} s): "
        f"{during_write} after the import began writing the database (SQLite's log growing, or "
        f"a transaction open on PostgreSQL), "
        f"{kills - during_write} before (start-up, key derivation, decryption, the first changes "
        f"in memory); {completed} imports finished before their kill and were checked against "
        "the reference."
    )
    if not final_ok:
        failures += 1
        print("FAILED: the final uninterrupted import did not give the reference state.")
    if not again_ok:
        failures += 1
        print("FAILED: importing the file a second time changed something or failed.")
    if failures:
        print(f"FAILED: {failures} problems.")
        return 1
    print(
        "All checks passed: integrity ok after every kill, never half a file applied, the final "
        "import equals the import with no kills, and a second import changes nothing."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
