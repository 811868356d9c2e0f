"""Three laptops working offline and the organisation's PostgreSQL, synced in any order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.values import Phase
from amie_desktop.services import (
    certificates,
    keys,
    organisation,
    privacy,
    reflections,
    register,
    sync,
    verification,
)
from amie_desktop.services import workshops as workshop_service
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Person, SigningKey
from tests.postgres import Cluster
from tests.sync_helpers import NOW, assert_one_body, canonical, new_laptop, people, work_offline


@pytest.fixture
def org(data_dir: Path, postgres_url: str) -> Iterator[Store]:
    store = open_store(data_dir / "org", postgres_url)
    yield store
    store.close()


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[list[Store]]:
    stores = [new_laptop(tmp_path, n) for n in (1, 2, 3)]
    yield stores
    for store in stores:
        store.close()


def _round(laptops: list[Store], org: Store, order: tuple[int, ...]) -> list[sync.SyncReport]:
    return [sync.sync(laptops[i], org) for i in order]


def test_three_laptops_and_the_organisation_end_up_holding_the_same_data(
    laptops: list[Store], org: Store
) -> None:
    for number, laptop in enumerate(laptops, start=1):
        sync.join(laptop, org, "postgresql+psycopg://hub@server/amie", name=f"Laptop {number}")
    prefixes = [sync.status(laptop).serial_prefix for laptop in laptops]
    assert prefixes == ["A", "B", "C"]
    for number, laptop in enumerate(laptops, start=1):
        work_offline(laptop, number)

    _round(laptops, org, (1, 0, 2))
    _round(laptops, org, (2, 1, 0))

    expected = assert_one_body(laptops, org)
    anwen = next(p for p in expected["person"] if p["email"] == "anwen@example.org")

    # A second round changes nothing anywhere.
    again = _round(laptops, org, (0, 1, 2))
    assert [report.nothing_changed for report in again] == [True, True, True]
    assert all(canonical(laptop) == expected for laptop in laptops)

    # An erasure on laptop 2 is gone everywhere after the next round, and stays gone.
    privacy.erase_person(laptops[1], "anwen@example.org")
    _round(laptops, org, (1, 0, 2))
    for store in (*laptops, org):
        assert people(store)["anwen@example.org"] == 0
        dump = canonical(store)
        assert anwen["uuid"] in dump["tombstones"]
        assert "Anwen" not in repr({k: v for k, v in dump.items() if k != "tombstones"})
    assert all(canonical(laptop) == canonical(org) for laptop in laptops)
    assert [r.nothing_changed for r in _round(laptops, org, (0, 1, 2))] == [True, True, True]


def test_an_edit_on_two_laptops_keeps_the_later_one_everywhere(
    laptops: list[Store], org: Store
) -> None:
    first, second = laptops[0], laptops[1]
    for laptop in (first, second):
        sync.join(laptop, org, "postgresql+psycopg://hub@server/amie")
    workshop = workshop_service.create_from_template(
        first, builtin_template("heard-taster"), on=date(2026, 12, 1), start=time(10)
    )
    row = register.add_person(first, workshop, "Anwen Price", "anwen@example.org")
    sync.sync(first, org)
    sync.sync(second, org)
    with second.read() as session:
        there = session.scalars(select(Person).where(Person.email == "anwen@example.org")).one()
    register.update_person(first, row.person.id, "Anwen Price", "anwen@example.org", "Early", "")
    register.update_person(second, there.id, "Anwen Price", "anwen@example.org", "Later", "")
    for laptop in (first, second, first):
        sync.sync(laptop, org)
    for store in (first, second, org):
        with store.read() as session:
            person = session.scalars(select(Person)).one()
            assert person.organisation == "Later"


def test_a_submitted_reflection_is_never_replaced_by_a_draft(
    laptops: list[Store], org: Store
) -> None:
    first, second = laptops[0], laptops[1]
    for laptop in (first, second):
        sync.join(laptop, org, "postgresql+psycopg://hub@server/amie")
    workshop = workshop_service.create_from_template(
        first, builtin_template("heard-taster"), on=date(2026, 12, 1), start=time(10)
    )
    row = register.add_person(first, workshop, "Anwen Price", "anwen@example.org")
    reflections.submit(first, row.attendance_id, Phase.BEFORE, {"rating.H": 5}, NOW)
    sync.sync(first, org)
    sync.sync(second, org)
    with second.write() as session:  # a later draft written over it by hand
        from amie_desktop.store.models import Reflection

        reflection = session.scalars(select(Reflection)).one()
        reflection.state = reflection.state.__class__("draft")
    sync.sync(second, org)
    for store in (first, org):
        saved = reflections.stored_reflection(store, _attendance_id(store), Phase.BEFORE)
        assert saved is not None and saved.state.value == "submitted"


def _attendance_id(store: Store) -> int:
    from amie_desktop.store.models import Attendance

    with store.read() as session:
        return int(session.scalar(select(func.min(Attendance.id))) or 0)


def test_sync_before_joining_or_against_itself_is_refused_plainly(
    laptops: list[Store], org: Store
) -> None:
    with pytest.raises(UserError, match="not joined"):
        sync.sync(laptops[0], org)
    with pytest.raises(UserError, match="own database"):
        sync.join(laptops[0], laptops[0], "sqlite:///x")


def test_a_connection_cut_mid_sync_says_so_plainly_and_the_next_sync_completes(
    laptops: list[Store], org: Store, postgres_cluster: Cluster
) -> None:
    laptop = laptops[0]
    sync.join(laptop, org, "postgresql+psycopg://hub@server/amie")
    work_offline(laptop, 1)
    seen: list[str] = []

    def cut(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Three statements into the push (after the writer's lock): the server ends the session.
        seen.append(statement)
        locked = [n for n, s in enumerate(seen) if "pg_advisory_xact_lock" in s]
        if locked and len(seen) == locked[0] + 3:
            pid = connection.connection.driver_connection.info.backend_pid
            with postgres_cluster._admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    event.listen(org.engine, "before_cursor_execute", cut)
    try:
        with pytest.raises(UserError) as raised:
            sync.sync(laptop, org)
    finally:
        event.remove(org.engine, "before_cursor_execute", cut)
    assert str(raised.value) == (
        "The connection to the organisation's database was lost in the middle of the sync. "
        "Nothing is lost: the next sync finishes what this one started. Check the network, "
        "then sync again."
    )
    assert canonical(org)["workshop"] == []  # the cut push left nothing half-written

    report = sync.sync(laptop, org)
    assert report.changed_there > 0
    assert canonical(org) == canonical(laptop)
    assert len(canonical(org)["workshop"]) == 1
    assert sync.sync(laptop, org).nothing_changed


def test_a_certificate_signed_on_a_laptop_checks_as_genuine_at_the_office_after_sync(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    first, second = laptops[0], laptops[1]
    organisation.set_up(org, "Northfield Music Hub", "2468", "2468")  # the office's own copy
    sync.join(first, org, "postgresql+psycopg://hub@server/amie")
    work_offline(first, 1)  # issues three certificates, signed with this laptop's key
    signed = certificates.issue(first, 1).certificates[0].holder.qr_text  # as its QR code says
    with pytest.raises(UserError, match="has not issued signed certificates yet"):
        verification.verify_anything(org, signed)  # the office knows no key yet

    sync.sync(first, org)
    (result,) = verification.verify_anything(org, signed)
    assert result.genuine and result.message().startswith("Genuine: certificate CPD-2026-A-")
    with org.read() as session:
        kinds = sorted(session.scalars(select(SigningKey.kind)))
    assert kinds == ["laptop", "organisation"]  # public halves only: no private key travels
    assert not list((tmp_path / "org").glob("**/*.pem"))

    # A laptop that joins later learns the organisation's key and whom it vouches for.
    sync.join(second, org, "postgresql+psycopg://hub@server/amie")
    sync.sync(second, org)
    assert keys.local_keyring(second).fingerprint == keys.local_keyring(first).fingerprint
    assert sync.sync(first, org).nothing_changed and sync.sync(second, org).nothing_changed
