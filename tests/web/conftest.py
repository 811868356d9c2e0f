"""A workshop with a known register, and a phone station open for it on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest

from amie_desktop.domain.content import builtin_templates
from amie_desktop.domain.values import Phase
from amie_desktop.services import organisation, reflections, register, workshops
from amie_desktop.store import Store
from amie_desktop.web.server import PhoneStation

PIN = "2468"
REGISTER = (
    ("Łukasz Wiśniewski", "lukasz@school.example"),
    ("Олександра Коваль", "oleksandra@school.example"),
    ("Priya Patel", "priya@school.example"),
    ("Priya Shah", "pshah@school.example"),
    ("தமிழ்செல்வி இராமன்", "tamil@school.example"),
)


@pytest.fixture
def room(store: Store) -> tuple[Store, int]:
    organisation.set_up(store, "Northfield Music Hub", PIN, PIN)
    workshop_id = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 12, 6), start=time(10, 0)
    )
    for name, email in REGISTER:
        register.add_person(store, workshop_id, name, email)
    return store, workshop_id


@pytest.fixture
def station(room: tuple[Store, int]) -> Iterator[PhoneStation]:
    store, workshop_id = room
    info = reflections.station_info(store, workshop_id, Phase.AFTER)
    opened = PhoneStation(store, info, host="127.0.0.1")
    opened.start()
    yield opened
    opened.stop()
