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

Usage: python bench/soak_bundle.py [--kills 100] [--workshops 150] [--seed 1]
Prints the figures; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
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


def state_of(data_dir: Path) -> dict[str, Any]:
    store = open_store(data_dir)
    try:
        return canonical(store)
    finally:
        store.close()


def import_command(data_dir: Path, path: Path, key: Path) -> list[str]:
    return [sys.executable, "-m", "amie_desktop", "--data-dir", str(data_dir),
            "bundle", "import", str(path), "--passphrase-file", str(key)]  # fmt: skip


def fresh(data_dir: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    open_store(data_dir).close()


def wal_size(data_dir: Path) -> int:
    wal = data_dir / "amie.sqlite3-wal"
    return wal.stat().st_size if wal.exists() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--workshops", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("AMIE_DATABASE_URL", None)

    with tempfile.TemporaryDirectory(prefix="amie-soak-bundle-") as folder:
        root = Path(folder)
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

        reference_dir, org = root / "reference", root / "org"
        fresh(reference_dir)
        empty = state_of(reference_dir)
        # The uninterrupted import, watched: when it starts writing, and how long it takes.
        started, writing_from = time.perf_counter(), 0.0
        child = subprocess.Popen(
            import_command(reference_dir, path, key),
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        start_wal = wal_size(reference_dir)
        while child.poll() is None:
            if not writing_from and wal_size(reference_dir) > start_wal:
                writing_from = time.perf_counter() - started
            time.sleep(0.005)
        one_import = time.perf_counter() - started
        if child.returncode != 0:
            print("FAILED: the import with no kills did not succeed.")
            return 1
        writing_from = writing_from or one_import * 0.8
        reference = state_of(reference_dir)

        fresh(org)
        kills = during_write = completed = failures = 0
        soak_started = time.perf_counter()
        while kills < args.kills:
            before_wal = wal_size(org)
            child = subprocess.Popen(
                import_command(org, path, key),
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            # Half the kills anywhere, half while the database is being written.
            if rng.random() < 0.5:
                wait = rng.uniform(0.0, one_import * 1.1)
            else:
                wait = rng.uniform(writing_from, one_import)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and child.poll() is None:
                time.sleep(0.01)
            grew = wal_size(org) > before_wal
            finished = child.poll() is not None
            if not finished:
                os.kill(child.pid, signal.SIGKILL)
                kills += 1
                during_write += grew
            child.wait()
            problems = []
            if not integrity_ok(org / "amie.sqlite3"):
                problems.append("the database failed PRAGMA integrity_check")
            try:
                now = state_of(org)
            except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
                problems.append(f"the database did not open: {type(exc).__name__}")
                now = None
            if finished:
                completed += 1
                if child.returncode != 0 or now != reference:
                    problems.append(f"an import that finished (exit {child.returncode}) differs")
            elif now is not None and now not in (empty, reference):
                problems.append("a killed import left part of the file applied")
            if problems:
                failures += 1
                print(f"kill {kills}: " + "; ".join(problems), flush=True)
            if finished or now == reference:
                fresh(org)  # start again, so kills land on an import with work to do
        soak_time = time.perf_counter() - soak_started

        final = subprocess.run(import_command(org, path, key), env=env, capture_output=True,
                               text=True, timeout=600, check=False)  # fmt: skip
        final_ok = final.returncode == 0 and state_of(org) == reference
        again = subprocess.run(import_command(org, path, key), env=env, capture_output=True,
                               text=True, timeout=600, check=False)  # fmt: skip
        again_ok = again.returncode == 0 and again.stdout.startswith("Nothing new")
        again_ok = again_ok and state_of(org) == reference and integrity_ok(org / "amie.sqlite3")

    print(
        f"{kills} SIGKILLs of bundle import in {soak_time:.0f} s ({exported.changes} changes, "
        f"{file_mb:.1f} MB file; one uninterrupted import {one_import:.1f} s, writing from "
        f"{writing_from:.1f} s): "
        f"{during_write} after the import began writing the database file (its log growing), "
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
