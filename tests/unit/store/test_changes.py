"""Every unit of work that writes tells its listeners what it changed, once it is committed."""

from __future__ import annotations

import threading
from datetime import date, time

import pytest
from sqlalchemy import delete, select

from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import backups, register, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.changes import ChangeFeed, Changes
from amie_desktop.store.models import AuditEvent, Workshop
from tests.reports.helpers import workshop_with


def heard(store: Store) -> list[Changes]:
    told: list[Changes] = []
    store.changes.subscribe(told.append)
    return told


def test_a_new_workshop_is_told_with_its_table_and_id(store: Store) -> None:
    told = heard(store)
    workshop_id = workshops.create_workshop(
        store,
        workshops.WorkshopDraft(
            title="Singing together", on=date(2026, 12, 1), start=time(10), venue="Hall"
        ),
        (),
    )
    assert len(told) == 1
    assert told[0].touches({"workshop"})
    assert workshop_id in told[0].ids("workshop")
    assert not told[0].touches({"attendance", "person"})


def test_marking_attendance_tells_the_attendance_and_nothing_else(store: Store) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    row = register.list_register(store, workshop)[0]
    told = heard(store)
    register.mark(store, row.attendance_id, AttendanceStatus.ABSENT)
    assert [c.tables for c in told] == [frozenset({"attendance"})]
    assert told[0].ids("attendance") == {row.attendance_id}


def test_a_deleted_row_and_a_bulk_delete_are_told(store: Store) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    told = heard(store)
    with store.write() as session:
        session.execute(delete(AuditEvent))
    with store.write() as session:
        session.delete(session.get(Workshop, workshop))
    assert told[0].tables == {"audit_event"}
    assert "workshop" in told[1].tables and workshop in told[1].ids("workshop")


def test_nothing_is_told_for_a_rollback_a_read_or_a_write_that_changed_nothing(
    store: Store,
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    told = heard(store)
    with pytest.raises(UserError), store.write() as session:
        session.get(Workshop, workshop).title = "Never saved"  # type: ignore[union-attr]
        session.flush()
        raise UserError("changed my mind")
    with store.read() as session:
        session.scalars(select(Workshop)).all()
    with store.write() as session:
        session.scalars(select(Workshop)).all()
    assert told == []


@pytest.mark.sqlite_only(reason="backups and restores are of the SQLite file")
def test_a_restored_database_is_told_as_everything(store: Store) -> None:
    workshop_with(store, ("Zoë Ó Briain",))
    made = backups.make_backup(store).backup
    told = heard(store)
    backups.restore(store, made.path)
    replaced = [c for c in told if c.everything]
    assert len(replaced) == 1 and replaced[0].touches({"workshop", "person"})


def test_a_listener_that_fails_does_not_stop_the_others_or_the_write(store: Store) -> None:
    told: list[Changes] = []

    def broken(_changes: Changes) -> None:
        raise RuntimeError("listener bug")

    store.changes.subscribe(broken)
    store.changes.subscribe(told.append)
    workshop_with(store, ("Zoë Ó Briain",))
    assert told and workshops.list_workshops(store)


def test_unsubscribed_listeners_hear_no_more() -> None:
    feed = ChangeFeed()
    told: list[Changes] = []
    stop = feed.subscribe(told.append)
    feed.publish(Changes.of("workshop"))
    stop()
    feed.publish(Changes.of("person"))
    feed.publish(Changes())  # nothing changed: nobody is told
    assert told == [Changes.of("workshop")]


def test_changes_combine() -> None:
    both = Changes.of("workshop") | Changes(frozenset({"person"}), frozenset({("person", 7)}))
    assert both.tables == {"workshop", "person"} and both.ids("person") == {7}
    assert not Changes() and (Changes() | Changes.all()).everything


def test_writes_from_another_thread_are_told_on_that_thread(store: Store) -> None:
    threads: list[str] = []
    store.changes.subscribe(lambda _c: threads.append(threading.current_thread().name))
    worker = threading.Thread(target=workshop_with, args=(store, ("Zoë",)), name="worker")
    worker.start()
    worker.join()
    assert threads and set(threads) == {"worker"}
