"""Soak test: kill `amie-desktop sync` with SIGKILL at random moments; nothing is lost or doubled.

Sets up a laptop with its own workshops, people, reflections and certificates, joined to an
organisation database that already holds another laptop's data (some of the same people, so
the sync merges). A run with no kills gives the expected end state. Then, in episodes that each
start again from the same laptop file and organisation database, the sync is started and
killed with SIGKILL after a random time, again and again, and finally left to finish. After
every kill both sides are checked:

- the laptop's file passes PRAGMA integrity_check and foreign_key_check;
- on both sides: no email address belongs to two people, no submitted reflection lost its
  answers, no erased or merged-away row is back, and the laptop's marks of what it sent and
  fetched never run ahead of the change counters;

and after the last, uninterrupted sync of each episode, both sides equal the run with no kills
(a canonical dump) and one more sync changes nothing.

    .venv/bin/python bench/soak_sync.py [--kills 100] [--seed 1] [--workshops 40]

Prints the number of kills, how many landed after the push was saved, the figures of the
uninterrupted run, and the result; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_many import build, issue_certificates  # a sibling bench script

from amie_desktop.domain.values import ReflectionState
from amie_desktop.services import sync
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import (
    Alias,
    Answer,
    Base,
    Person,
    Reflection,
    SyncState,
    Tombstone,
    Workshop,
)
from tests.postgres import Cluster
from tests.sync_helpers import canonical

READY = "ready"
PER_EPISODE = 12  # kills before an episode's sync is left to finish


def child(folder: str, url: str) -> int:
    """`amie-desktop sync --org URL --json` for one laptop, after saying it has loaded."""
    from amie_desktop import app
    from amie_desktop.services import sync as _loaded  # noqa: F401

    print(READY, flush=True)
    return app.main(["--data-dir", folder, "sync", "--org", url, "--json"])


def problems(store: Store) -> list[str]:
    """What is wrong in a database that a sync, however interrupted, must never leave."""
    found = []
    with store.read() as session:
        connection = session.connection()
        if not store.is_postgresql:
            if connection.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
                found.append("the laptop's file fails integrity_check")
            if connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                found.append("the laptop's file has rows pointing at rows that are not there")
        email = func.lower(Person.email)
        twice = session.execute(
            select(email).where(Person.email.is_not(None)).group_by(email).having(func.count() > 1)
        ).first()
        if twice is not None:
            found.append("an email address belongs to two people")
        bare = session.scalar(
            select(func.count())
            .select_from(Reflection)
            .where(
                Reflection.state == ReflectionState.SUBMITTED,
                ~exists().where(Answer.reflection_id == Reflection.id),
            )
        )
        if bare:
            found.append(f"{bare} submitted reflections have lost their answers")
        for kind in sync.KINDS:
            table = Base.metadata.tables[kind.table]
            back = session.scalar(
                select(func.count())
                .select_from(table)
                .where(
                    table.c.uuid.in_(select(Tombstone.uuid))
                    | table.c.uuid.in_(select(Alias.old_uuid))
                )
            )
            if back:
                found.append(f"{back} erased or merged-away {kind.table} rows are back")
        state = session.get(SyncState, 1)
        assert state is not None
        if state.pushed_seq > state.change_counter:
            found.append("the laptop's mark of what it sent is ahead of its changes")
    return found


@dataclass
class Episode:
    kills: int = 0
    after_push: int = 0


class Soak:
    def __init__(self, root: Path, cluster: Cluster, start_db: str, laptop: Path) -> None:
        self.root, self.cluster, self.start_db, self.laptop = root, cluster, start_db, laptop
        self.numbers = iter(range(1, 10_000))

    def fresh(self) -> tuple[Path, str, str]:
        """A copy of the laptop's folder and of the organisation's database, as at the start."""
        number = next(self.numbers)
        folder = self.root / f"run{number}"
        shutil.copytree(self.laptop, folder)
        name = f"soak_{number}"
        return folder, name, self.cluster.create(name, template=self.start_db)

    def start(self, folder: Path, url: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(folder), "--url", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if line != READY:
            raise SystemExit(f"the sync process did not start: {line} {process.stderr}")
        return process

    def finish(self, folder: Path, url: str) -> tuple[dict[str, Any], float]:
        """Sync with no kill: the report, and the seconds from loaded to done."""
        process = self.start(folder, url)
        began = time.perf_counter()
        out, err = process.communicate(timeout=600)
        took = time.perf_counter() - began
        if process.returncode != 0:
            raise SystemExit(f"a sync with no kill failed: {err.strip()[-800:]}")
        return json.loads(out), took


def _states(folder: Path, url: str, root: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    laptop, org = open_store(folder), open_store(root / "check", url)
    try:
        return canonical(laptop), canonical(org)
    finally:
        laptop.close()
        org.close()


def _check(folder: Path, url: str, root: Path) -> tuple[list[str], bool]:
    """What is wrong on either side after a kill, and whether the push had been saved."""
    laptop, org = open_store(folder), open_store(root / "check", url)
    try:
        found = [f"laptop: {p}" for p in problems(laptop)]
        found += [f"organisation: {p}" for p in problems(org)]
        me = sync.status(laptop).device_id
        with org.read() as session:
            pushed = bool(session.scalar(select(func.count()).where(Workshop.created_by == me)))
        return found, pushed
    finally:
        laptop.close()
        org.close()


def prepare(root: Path, cluster: Cluster, workshops: int) -> tuple[str, Path]:
    """The organisation's database with another laptop's data, and this laptop joined to it."""
    start_db, url = cluster.new_database()
    org = open_store(root / "org", url)
    other, laptop = open_store(root / "other"), open_store(root / "laptop")
    try:
        build(other, 2, workshops, 25, seed=7)
        sync.join(other, org, url, name="Laptop 2")
        issue_certificates(other)
        sync.sync(other, org)
        build(laptop, 1, workshops, 25, seed=7)
        sync.join(laptop, org, url, name="Laptop 1")
        issue_certificates(laptop)
    finally:
        for store in (org, other, laptop):
            store.close()
    return start_db, root / "laptop"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workshops", type=int, default=40, help="per laptop, 25 people each")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.url)
    rng = random.Random(args.seed)
    failures: list[str] = []
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        cluster = Cluster()
        cluster.start()
        stack.callback(cluster.stop)
        start_db, laptop = prepare(root, cluster, args.workshops)
        soak = Soak(root, cluster, start_db, laptop)

        folder, name, url = soak.fresh()
        first, took = soak.finish(folder, url)
        again, _ = soak.finish(folder, url)
        expected = _states(folder, url, root)
        cluster.drop(name)
        print(
            f"Uninterrupted: the sync took {took:.2f} s once the program had loaded "
            f"({first['changed_there']:,} changes sent, {first['changed_here']:,} received, "
            f"{first['merged']} merged); the next changed nothing: {again['nothing_changed']}."
        )
        if not again["nothing_changed"]:
            failures.append("a second uninterrupted sync still changed something")

        kills = after_push = episodes = 0
        while kills < args.kills:
            episodes += 1
            folder, name, url = soak.fresh()
            for _ in range(PER_EPISODE):
                process = soak.start(folder, url)
                time.sleep(rng.uniform(0, 0.9 * took))
                if process.poll() is not None:  # it finished first: this episode is done
                    _, err = process.communicate()
                    if process.returncode != 0:
                        failures.append(f"a sync after a kill failed: {err.strip()[-800:]}")
                    break
                os.kill(process.pid, signal.SIGKILL)
                process.communicate()
                kills += 1
                found, pushed = _check(folder, url, root)
                after_push += pushed
                failures += [f"after kill {kills}: {p}" for p in found]
                if kills >= args.kills:
                    break
            soak.finish(folder, url)  # left to finish this time
            last, _ = soak.finish(folder, url)
            if _states(folder, url, root) != expected:
                failures.append(f"episode {episodes} ended unlike the run with no kills")
            if not last["nothing_changed"]:
                failures.append(f"episode {episodes}: a sync after the last one changed something")
            cluster.drop(name)
            shutil.rmtree(folder)
    print(
        f"{kills} SIGKILLs of amie-desktop sync in {episodes} episodes "
        f"({after_push} after the push was saved at the organisation's end)."
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    print("All checks passed." if not failures else f"{len(failures)} checks failed.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
