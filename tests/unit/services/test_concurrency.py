"""Two writers at once (two windows, two laptops on one server) leave the data as one would."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from amie_desktop.services import certificates
from amie_desktop.services.register_import import apply_import, guess_mapping, read_csv
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Attendance, Certificate, Person
from tests.reports.helpers import workshop_with

PEOPLE = 300


def _csv(with_emails: bool) -> bytes:
    header = "Name,Email\n" if with_emails else "Name\n"
    rows = (
        f"Person Number{n:03d},person{n:03d}@example.org\n"
        if with_emails
        else f"Person Number{n:03d}\n"
        for n in range(PEOPLE)
    )
    return (header + "".join(rows)).encode()


@contextmanager
def _two_stores(data_dir: Path) -> Iterator[tuple[Store, Store]]:
    """Two separately opened stores on the same database, as two processes would have."""
    first, second = open_store(data_dir), open_store(data_dir)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _at_once(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released together; every result (an error raised is re-raised)."""
    start = threading.Barrier(len(jobs))

    def released(job: Callable[[], Any]) -> Any:
        start.wait()
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(released, job) for job in jobs]
        return [future.result(timeout=120) for future in futures]


def _count(store: Store, what: Any) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count(what))) or 0)


def test_two_imports_at_once_of_the_same_people_make_each_person_once(
    store: Store, data_dir: Path
) -> None:
    first_workshop = workshop_with(store, (), title="Morning")
    second_workshop = workshop_with(store, (), title="Afternoon")
    source = read_csv(_csv(with_emails=False))  # names only: matched by name
    mapping = guess_mapping(source.headers)
    with _two_stores(data_dir) as (one, two):
        _at_once(
            lambda: apply_import(one, first_workshop, source, mapping),
            lambda: apply_import(two, second_workshop, source, mapping),
        )
    assert _count(store, Person.id) == 300
    assert _count(store, Attendance.id) == 600


def test_the_same_file_imported_twice_at_once_succeeds_both_times(
    store: Store, data_dir: Path
) -> None:
    workshop = workshop_with(store, (), title="Evening")
    source = read_csv(_csv(with_emails=True))
    mapping = guess_mapping(source.headers)
    with _two_stores(data_dir) as (one, two):
        plans = _at_once(
            lambda: apply_import(one, workshop, source, mapping),
            lambda: apply_import(two, workshop, source, mapping),
        )
    assert all(not plan.rejects for plan in plans)
    assert _count(store, Person.id) == 300
    assert _count(store, Attendance.id) == 300


def test_certificates_issued_at_once_for_two_workshops_never_share_a_serial(
    store: Store, data_dir: Path
) -> None:
    names = tuple(f"Attendee Number{n:02d}" for n in range(40))
    morning = workshop_with(store, names, title="Morning")
    afternoon = workshop_with(store, names, title="Afternoon")
    with _two_stores(data_dir) as (one, two):
        _at_once(
            lambda: certificates.issue(one, morning),
            lambda: certificates.issue(two, afternoon),
        )
    with store.read() as session:
        serials = list(session.scalars(select(Certificate.serial)))
    assert len(serials) == 80
    assert len(set(serials)) == 80
