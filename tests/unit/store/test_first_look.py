"""The first look at the database: the list's first page as the workshops service reads it,
taken only when nothing at start-up needs the ordinary way; and the Store opened behind it."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest

from amie_desktop.services import organisation, register, workshops
from amie_desktop.services.workshops import ListQuery, WorkshopDraft
from amie_desktop.store import DamagedDatabaseError, Store, open_store
from amie_desktop.store.first_look import FirstLook, first_look
from amie_desktop.store.late import LateStore

pytestmark = pytest.mark.sqlite_only("the first look reads the data folder's SQLite file")


def _looked_as_the_service_reads(store: Store, size: int) -> FirstLook:
    """The first look, checked against the list's first page as the workshops service reads
    it: the same rows in the same order, the same count and the same filter names."""
    look = first_look(store.data_dir, size)
    assert look is not None
    first = ListQuery()
    assert list(look.rows) == workshops.workshops_page(store, first, 0, size)
    assert look.total == workshops.count_workshops(store, first)
    assert list(look.facilitators) == workshops.facilitator_names(store)
    return look


def test_the_demo_list_reads_as_the_workshops_service_reads_it(demo_store: Store) -> None:
    look = _looked_as_the_service_reads(demo_store, 100)
    assert look.total == 6
    assert look.organisation == "Northfield Music Education Hub (demo)"
    assert look.database_path == demo_store.database_path
    assert look.rows[0].title == "HEARD taster for hub partners"  # the newest first
    assert look.folder_warning is None


def test_the_first_page_follows_the_list_s_order_through_ties_and_counts(
    demo_store: Store,
) -> None:
    # More workshops than a page, many on one day at one time (ties broken by id, newest
    # first), with bookings and attendance on one of them.
    made = [
        workshops.create_workshop(
            demo_store,
            WorkshopDraft(
                title=f"Clinic {number:02d}",
                on=date(2027, 3, 1 + number % 3),
                start=time(9 + number % 2),
                facilitators=(" Zoë Ng ", "ruth adebayo") if number % 4 == 0 else (),
            ),
            [],
        )
        for number in range(30)
    ]
    register.add_person(demo_store, made[2], "Ada Okafor")
    register.add_walk_in(demo_store, made[2], "Bo Li")
    look = _looked_as_the_service_reads(demo_store, 20)
    assert look.total == 36
    assert len(look.rows) == 20
    assert "Zoë Ng" in look.facilitators  # trimmed, as the filter lists it
    counted = next(row for row in look.rows if row.id == made[2])
    assert (counted.booked, counted.attended) == (2, 1)


def test_no_database_or_no_organisation_yet_takes_the_ordinary_way(
    data_dir: Path, store: Store
) -> None:
    assert first_look(data_dir / "elsewhere", 100) is None
    assert organisation.get_settings(store) is None
    assert first_look(data_dir, 100) is None  # first-run set-up comes first


@pytest.mark.parametrize(
    "beside",
    ["station-open.json", "amie.sqlite3.cleanup-due", "amie-damaged-20261206-101500.sqlite3"],
)
def test_what_start_up_must_deal_with_first_takes_the_ordinary_way(
    demo_store: Store, beside: str
) -> None:
    assert first_look(demo_store.data_dir, 100) is not None
    (demo_store.data_dir / beside).write_text("{}")
    assert first_look(demo_store.data_dir, 100) is None


def test_a_database_from_another_version_takes_the_ordinary_way(demo_store: Store) -> None:
    path = demo_store.database_path
    assert path is not None
    demo_store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0901_org_sync'")
    connection.close()
    assert first_look(path.parent, 100) is None


def test_a_file_that_is_not_a_database_takes_the_ordinary_way(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "amie.sqlite3").write_bytes(b"not a database at all" * 100)
    assert first_look(data_dir, 100) is None


def test_the_look_changes_nothing_in_the_file(demo_store: Store) -> None:
    path = demo_store.database_path
    assert path is not None
    demo_store.close()
    before = path.read_bytes()
    assert first_look(path.parent, 100) is not None
    assert path.read_bytes() == before
    open_store(path.parent).close()  # and it opens as usual afterwards


def test_a_late_store_opens_once_and_keeps_a_failure() -> None:
    opened: list[int] = []

    def opener() -> Store:
        opened.append(1)
        raise DamagedDatabaseError(Path("amie.sqlite3"), Path("amie-damaged-1.sqlite3"))

    late = LateStore(opener)
    assert late.opened is None and opened == []  # nothing is opened until asked
    for _ in range(3):  # e.g. a click, then the event loop's first turn
        with pytest.raises(DamagedDatabaseError):
            late.open()
    # Once: a second open would find the damaged file moved aside and start an empty one.
    assert opened == [1]
    assert late.opened is None


def test_a_late_store_stands_in_for_the_store_it_opens(demo_store: Store) -> None:
    late = LateStore(lambda: demo_store)
    assert late.where == demo_store.where  # any attribute opens it
    assert late.opened is demo_store
    assert late.open() is demo_store
