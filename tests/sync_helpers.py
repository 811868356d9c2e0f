"""What the sync and bundle tests share: laptops that work offline, and a canonical dump."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.values import AttendanceStatus, Phase
from amie_desktop.services import certificates, organisation, reflections, register, sync
from amie_desktop.services import workshops as workshop_service
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Person

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SHARED = [  # booked on every laptop: each must end up one person
    ("Anwen Price", "anwen@example.org"),
    ("Łukasz Wiśniewski", "lukasz@example.org"),
]


def canonical(store: Store) -> dict[str, Any]:
    """Everything that syncs, by UUID, with local ids and change numbers left out."""
    with store.read() as session:
        changes = sync.read_changes(session, since=-1)
    dump: dict[str, Any] = {}
    for kind, rows in changes.rows.items():
        cleaned = []
        for row in rows:
            row = dict(row)
            if "answers" in row:
                row["answers"] = sorted(row["answers"], key=lambda a: a["question_key"])
            cleaned.append(row)
        dump[kind] = sorted(cleaned, key=lambda r: r["uuid"])
    dump["tombstones"] = sorted(t["uuid"] for t in changes.tombstones)
    return dump


def new_laptop(tmp_path: Path, number: int) -> Store:
    store = open_store(tmp_path / f"laptop{number}")
    organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    return store


def work_offline(laptop: Store, number: int) -> None:
    """Plan a workshop, book people (some booked elsewhere too), reflect, issue certificates."""
    workshop = workshop_service.create_from_template(
        laptop,
        builtin_template("introduction-to-heard"),
        title=f"Introduction to HEARD, laptop {number}",
        on=date(2026, 11, 20 + number),
        start=time(9, 30),
        venue=f"Venue {number}",
        facilitators=(f"Facilitator {number}",),
    )
    people = [*SHARED, (f"Only On Laptop{number}", f"only{number}@example.org")]
    for name, email in people:
        row = register.add_person(laptop, workshop, name, email)
        register.mark(laptop, row.attendance_id, AttendanceStatus.ATTENDED)
        reflections.submit(
            laptop, row.attendance_id, Phase.BEFORE, {"rating.H": number, "rating.E": 3}, NOW
        )
    certificates.issue(laptop, workshop, now=NOW)


def people(store: Store) -> Counter[str]:
    """How many person records each email address has."""
    with store.read() as session:
        return Counter(e or "" for e in session.scalars(select(Person.email)))


def assert_one_body(laptops: list[Store], org: Store) -> dict[str, Any]:
    """Every laptop holds what the organisation holds: three workshops, each person once
    (2 shared + 1 of each laptop's own), nine serials with the three laptops' letters, and
    Anwen's three places all following the one person she became. Returns the dump."""
    expected = canonical(org)
    assert len(expected["workshop"]) == 3
    for laptop in laptops:
        assert canonical(laptop) == expected
    for held in (*laptops, org):
        counts = people(held)
        assert counts["anwen@example.org"] == 1 and counts["lukasz@example.org"] == 1
        assert sum(counts.values()) == 5
    serials = [c["serial"] for c in expected["certificate"]]
    assert len(serials) == 9 and len(set(serials)) == 9
    assert {s.split("-")[2] for s in serials} == {"A", "B", "C"}  # CPD-2026-A-000001
    anwen = next(p for p in expected["person"] if p["email"] == "anwen@example.org")
    assert sum(a["person_id"] == anwen["uuid"] for a in expected["attendance"]) == 3
    return expected
