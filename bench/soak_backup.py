"""Soak test: kill the app with SIGKILL at random moments while it saves and backs up.

Each run starts a child process that commits rows one by one (printing each committed
number) and makes a backup now and then (printing when it starts and ends). After a random
wait the child is killed with SIGKILL, then the parent checks:

- the database opens and passes PRAGMA integrity_check;
- every row the child said was committed is there;
- every backup in the rotation passes PRAGMA integrity_check (a copy cut short must never
  show up as a backup).

Usage: python bench/soak_backup.py [--runs 200] [--seed 1]
Prints the number of kills (how many landed during a backup) and the result; exits 1 on any
failure.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from amie_desktop.domain.text import fold
from amie_desktop.services import backups
from amie_desktop.store import DatabaseError, open_store
from amie_desktop.store.files import integrity_ok
from amie_desktop.store.models import Person

PREFIX = "soak row "
PADDING_PEOPLE = 4000  # about 10 MB, so a backup takes long enough to be killed part-way


def _child(data_dir: Path, seed: int) -> None:
    store = open_store(data_dir)
    rng = random.Random(seed)
    with store.read() as session:
        number = session.scalar(select(func.count()).select_from(Person)) or 0
    print("R", flush=True)
    while True:
        if rng.random() < 0.2:
            print("S", flush=True)
            backups.make_backup(store, "automatic")
            print("B", flush=True)
        name = f"{PREFIX}{number}"
        with store.write() as session:
            session.add(Person(name=name, name_folded=fold(name), organisation="x" * 500))
        print(f"C {number}", flush=True)
        number += 1


def _prepare(data_dir: Path) -> None:
    store = open_store(data_dir)
    with store.write() as session:
        for n in range(PADDING_PEOPLE):
            session.add(Person(name=f"padding {n}", name_folded=f"padding {n}", role="y" * 2500))
    store.close()


class _Lines:
    """Collects a child's stdout lines on a thread, so the parent never blocks reading."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.strip())
            if line.startswith("R"):
                self.ready.set()

    def join(self) -> None:
        self._thread.join(timeout=10)


def _check(data_dir: Path, committed: set[int], seen: dict[str, float]) -> list[str]:
    problems = []
    try:
        store = open_store(data_dir)
    except DatabaseError as exc:
        return [f"the database did not open: {exc}"]
    try:
        with store.read() as session:
            names = set(session.scalars(select(Person.name).where(Person.name.startswith(PREFIX))))
    finally:
        store.close()
    database = data_dir / "amie.sqlite3"
    if not integrity_ok(database):
        problems.append("the database failed its integrity check")
    missing = [n for n in committed if f"{PREFIX}{n}" not in names]
    if missing:
        problems.append(f"{len(missing)} committed rows are missing, e.g. {sorted(missing)[:5]}")
    for backup in backups.list_backups(data_dir / "backups"):
        key = f"{backup.path.name}:{backup.size_bytes}"
        if key in seen:
            continue
        if not integrity_ok(backup.path):
            problems.append(f"backup {backup.path.name} in the rotation is damaged or incomplete")
        seen[key] = time.monotonic()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.seed)
        return 0

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="amie-soak-") as folder:
        data_dir = Path(folder) / "data"
        _prepare(data_dir)
        committed: set[int] = set()
        seen: dict[str, float] = {}
        during_backup = during_write = before_ready = failures = 0
        started = time.perf_counter()
        for run in range(args.runs):
            child = subprocess.Popen(
                [sys.executable, __file__, "--child", str(data_dir), "--seed", str(run)],
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            lines = _Lines(child.stdout)
            # Mostly kill while saving; sometimes while the app is still starting up.
            if rng.random() < 0.9:
                lines.ready.wait(timeout=30)
            time.sleep(rng.uniform(0.0, 0.6))
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            lines.join()
            assert child.stdout is not None
            child.stdout.close()
            output = lines.lines
            committed.update(int(line[2:]) for line in output if line.startswith("C "))
            last = next((line for line in reversed(output) if line[:1] in "SBC"), "")
            if not lines.ready.is_set():
                before_ready += 1
            elif last == "S":
                during_backup += 1
            else:
                during_write += 1
            problems = _check(data_dir, committed, seen)
            if problems:
                failures += 1
                print(f"run {run + 1}: " + "; ".join(problems), flush=True)
        leftovers = len(list((data_dir / "backups").glob(".*.part")))
        elapsed = time.perf_counter() - started

    kills = during_backup + during_write + before_ready
    print(
        f"{kills} SIGKILLs in {elapsed:.0f} s: {during_backup} during a backup, "
        f"{during_write} during writes, {before_ready} during start-up. "
        f"{len(committed)} committed rows checked after every kill; "
        f"{len(seen)} backups checked; {leftovers} cut-short copies left outside the rotation."
    )
    if failures:
        print(f"FAILED: {failures} of {kills} runs found a problem.")
        return 1
    print("All checks passed: integrity ok, no committed row lost, no broken backup listed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
