"""Kill a typing station with SIGKILL at random moments: nothing shown as sent or typed is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import reflections
from amie_desktop.services.workshops import list_workshops
from amie_desktop.store import Store, open_store
from tests.crash.station_typist import PIN, TEXT, TEXT_KEY

ROOT = Path(__file__).resolve().parents[2]
# Each kill takes about 5 s; AMIE_CRASH_RUNS=50 runs a longer soak.
RUNS = int(os.environ.get("AMIE_CRASH_RUNS", "8"))
MAX_LOST_SECONDS = 2.0


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(path)  # a normal open, so the WAL is recovered as the app would
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def _wait_for_typing(log: Path, child: subprocess.Popen[bytes], limit: float = 30.0) -> None:
    """Wait until the station is unlocked and the first letter has been typed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if log.exists() and b"\nT " in log.read_bytes():
            return
        if child.poll() is not None:
            raise AssertionError(f"the station stopped by itself: {child.stderr.read()!r}")  # type: ignore[union-attr]
        time.sleep(0.05)
    raise AssertionError("the station never started typing")


def _check(store: Store, log: Path, killed_at: float) -> tuple[int, int, float]:
    """Check one run; returns reflections sent, drafts left, and the most typing lost (s)."""
    typed: dict[int, list[tuple[int, float]]] = {}
    sent: set[int] = set()
    for line in log.read_text().splitlines():
        kind, *rest = line.split()
        if kind == "T":
            typed.setdefault(int(rest[0]), []).append((int(rest[1]), float(rest[2])))
        elif kind == "S":
            sent.add(int(rest[0]))
    for attendance in sent:
        saved = reflections.stored_reflection(store, attendance, Phase.AFTER)
        assert saved is not None and saved.state is ReflectionState.SUBMITTED, attendance
    drafts = 0
    most_lost = 0.0
    for attendance, letters in typed.items():
        if attendance in sent:
            continue
        saved = reflections.stored_reflection(store, attendance, Phase.AFTER)
        text = "" if saved is None else str(saved.answers.get(TEXT_KEY) or "")
        assert TEXT.startswith(text), f"saved text is not what was typed: {text!r}"
        if saved is not None and saved.state is ReflectionState.SUBMITTED:
            # Killed after the commit but before the thank-you was noted: all of it is there.
            assert len(text) == letters[-1][0]
            continue
        safe = max((n for n, at in letters if at <= killed_at - MAX_LOST_SECONDS), default=0)
        assert len(text) >= safe, (
            f"{safe} letters were typed more than {MAX_LOST_SECONDS} s before the kill, "
            f"but only {len(text)} were saved"
        )
        drafts += 1
        unsaved = [at for n, at in letters if n > len(text)]
        most_lost = max(most_lost, killed_at - min(unsaved, default=killed_at))
    return len(sent), drafts, most_lost


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_shown_or_typed(
    demo_store: Store, data_dir: Path
) -> None:
    workshop = next(w.id for w in list_workshops(demo_store) if "community" in w.title)
    reflections.open_station(demo_store, workshop, Phase.AFTER, PIN)
    demo_store.close()
    database = data_dir / "amie.sqlite3"
    rng = random.Random(5)
    total_sent = total_drafts = 0
    most_lost = 0.0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for run in range(RUNS):
        log = data_dir / f"typist-{run}.log"
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.station_typist", str(data_dir), str(log),
             str(run), str(rng.randrange(1 << 30))],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            _wait_for_typing(log, child)
            time.sleep(rng.uniform(0.3, 4.5))
            killed_at = time.time()
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
            assert child.stderr is not None
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        assert _integrity(database) == "ok"
        store = open_store(data_dir)
        try:
            sent, drafts, lost = _check(store, log, killed_at)
        finally:
            store.close()
        total_sent += sent
        total_drafts += drafts
        most_lost = max(most_lost, lost)
    print(
        f"\n{RUNS} kills: integrity ok every time, {total_sent} sent reflections all there, "
        f"{total_drafts} drafts; at most {most_lost:.2f} s of typing lost"
    )
    # The runs really did send reflections and leave drafts behind.
    assert total_sent >= RUNS // 2
    assert total_drafts >= RUNS // 2
