"""The demo organisation and the workshop list it fills."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from amie_desktop.domain.values import ReflectionState, WorkshopStatus
from amie_desktop.services import demo, organisation, workshops
from amie_desktop.services.errors import NotFoundError
from amie_desktop.store import Store
from amie_desktop.store.models import Person, Reflection


def test_demo_fills_an_organisation_newcomers_can_explore(demo_store: Store) -> None:
    rows = workshops.list_workshops(demo_store)
    assert len(rows) == 6
    assert [r.date for r in rows] == sorted((r.date for r in rows), reverse=True)
    statuses = {r.status for r in rows}
    assert {WorkshopStatus.DONE, WorkshopStatus.PLANNED} <= statuses
    done = [r for r in rows if r.status is WorkshopStatus.DONE]
    assert all(0 < r.attended <= r.booked for r in done)
    assert organisation.get_settings(demo_store) is not None
    organisation.verify_pin(demo_store, demo.DEMO_PIN)


def test_demo_people_come_from_many_scripts(demo_store: Store) -> None:
    with demo_store.read() as session:
        names = session.scalars(select(Person.name)).all()
    scripts = {unicodedata.name(ch).split()[0] for name in names for ch in name if ch.isalpha()}
    assert {"LATIN", "ARABIC", "BENGALI", "DEVANAGARI", "TAMIL", "GREEK", "CYRILLIC",
            "HEBREW", "CJK", "HANGUL"} <= scripts  # fmt: skip


def test_demo_reflections_are_submitted_before_and_after(demo_store: Store) -> None:
    with demo_store.read() as session:
        states = session.execute(
            select(Reflection.phase, Reflection.state, func.count()).group_by(
                Reflection.phase, Reflection.state
            )
        ).all()
    assert {(p.value, s) for p, s, _ in states} == {
        ("before", ReflectionState.SUBMITTED), ("after", ReflectionState.SUBMITTED)
    }  # fmt: skip


def test_demo_is_added_once(demo_store: Store) -> None:
    again = demo.add_demo(demo_store, today=date(2026, 11, 25))
    assert not again.created
    assert len(workshops.list_workshops(demo_store)) == 6


def test_a_workshop_is_found_by_id_or_uuid_and_keeps_its_agenda(demo_store: Store) -> None:
    row = workshops.list_workshops(demo_store)[0]
    by_uuid = workshops.get_workshop(demo_store, row.uuid)
    by_id = workshops.get_workshop(demo_store, str(row.id))
    assert by_uuid == by_id
    assert by_uuid.planned_minutes in (90, 180)
    with pytest.raises(NotFoundError, match="no workshop"):
        workshops.get_workshop(demo_store, "nope")
