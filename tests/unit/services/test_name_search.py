"""Finding a name from a UK keyboard: accents, other scripts and their Latin spellings."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from amie_desktop.domain.content import builtin_templates
from amie_desktop.domain.text import search_key
from amie_desktop.services import privacy, reflections, register, workshops
from amie_desktop.services.workshops import ListQuery
from amie_desktop.store import Store, open_store
from amie_desktop.store.database import DATABASE_FILE, alembic_config
from amie_desktop.store.models import Person

PEOPLE = (
    "Łukasz Wiśniewski",
    "Олександра Коваленко",
    "נועה כהן",
    "محمد عبد الله",
    "王芳",
    "Δημήτρης Παπαδόπουλος",
    "Zoë Ó Briain",
    "Noah Price",
    "Ann Lee",
)


@pytest.fixture
def people(store: Store) -> int:
    workshop_id = workshops.create_from_template(
        store,
        builtin_templates()[0],
        on=date(2026, 12, 1),
        start=time(10),
        facilitators=("Олександра Коваленко", "Tom Ellison"),
    )
    for name in PEOPLE:
        register.add_person(store, workshop_id, name)
    return workshop_id


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("lukasz", ["Łukasz Wiśniewski"]),  # accents folded, as before
        ("ŁUKASZ", ["Łukasz Wiśniewski"]),
        ("Oleksandra", ["Олександра Коваленко"]),
        ("oleksandra kovalenko", ["Олександра Коваленко"]),
        ("Олекс", ["Олександра Коваленко"]),  # in its own script, as before
        ("Noa", ["Noah Price", "נועה כהן"]),
        ("Mohammed", ["محمد عبد الله"]),
        ("Muhammad", ["محمد عبد الله"]),
        ("wang", ["王芳"]),
        ("Dimitris", ["Δημήτρης Παπαδόπουλος"]),
        ("zoe", ["Zoë Ó Briain"]),
        ("ann", ["Ann Lee"]),
        ("xyz", []),
    ],
)
def test_the_register_search_finds_a_name_typed_on_a_latin_keyboard(
    store: Store, people: int, typed: str, found: list[str]
) -> None:
    assert sorted(p.name for p in register.search_people(store, typed)) == found


def test_the_station_finds_a_name_typed_on_a_latin_keyboard(store: Store, people: int) -> None:
    assert [m.name for m in reflections.find_names(store, people, "Oleksandra")] == [
        "Олександра Коваленко"
    ]
    assert "נועה כהן" in [m.name for m in reflections.find_names(store, people, "Noa")]
    assert [m.name for m in reflections.find_names(store, people, "lukasz")] == [
        "Łukasz Wiśniewski"
    ]


def test_the_workshop_list_finds_a_facilitator_typed_on_a_latin_keyboard(
    store: Store, people: int
) -> None:
    found = workshops.workshops_page(store, ListQuery(text="kovalenko"), 0, 10)
    assert [row.id for row in found] == [people]
    assert workshops.workshops_page(store, ListQuery(text="petrenko"), 0, 10) == []


def test_a_renamed_or_erased_person_leaves_no_old_reading_behind(store: Store, people: int) -> None:
    person = register.search_people(store, "oleksandra")[0]
    register.update_person(store, person.id, "Anna Bell", "", "", "")
    assert register.search_people(store, "oleksandra") == []
    assert [p.name for p in register.search_people(store, "anna")] == ["Anna Bell"]
    noa = next(p for p in register.search_people(store, "noa") if p.name == "נועה כהן")
    privacy.erase_person(store, str(noa.id), actor="test")
    with store.read() as session:
        keys = session.scalars(select(Person.name_search)).all()
    assert not [key for key in keys if "oleksandra" in key or "nvh" in key or "נועה" in key]


def test_the_search_key_holds_the_folded_name_and_its_latin_reading() -> None:
    assert search_key("Łukasz Wiśniewski") == "lukasz wisniewski"
    assert search_key("Олександра") == "олександра / oleksandra"
    assert search_key("Ольга") == "ольга / olga"
    assert search_key("נועה") == "נועה / nvh / ~n~"


def test_migrating_fills_the_search_key_for_people_already_saved(data_dir: Path) -> None:
    from alembic import command

    store = open_store(data_dir)
    wid = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 12, 1), start=time(10),
        facilitators=("Олександра Коваленко",),
    )  # fmt: skip
    register.add_person(store, wid, "Олександра Коваленко")
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "certs0801")
    store.close()
    with sqlite3.connect(data_dir / DATABASE_FILE) as raw:
        # Facilitators' search text as the earlier revision wrote it: folded only.
        raw.execute("UPDATE workshop SET search_folded = 'олександра коваленко'")
    raw.close()

    store = open_store(data_dir)
    assert [p.name for p in register.search_people(store, "oleksandra")] == ["Олександра Коваленко"]
    assert [r.id for r in workshops.workshops_page(store, ListQuery(text="kovalenko"), 0, 5)] == [
        wid
    ]
    store.close()


def test_the_erasure_search_finds_a_name_typed_on_a_latin_keyboard(
    store: Store, people: int
) -> None:
    assert [m.name for m in privacy.search_people(store, "Oleksandra")] == ["Олександра Коваленко"]
