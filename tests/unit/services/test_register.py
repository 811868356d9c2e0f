"""The register: adding people and walk-ins, attendance, sign-in times, consents, search."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from amie_desktop.domain.content import builtin_templates
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import register, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Person


def _workshop(store: Store, title: str = "Taster") -> int:
    return workshops.create_from_template(
        store, builtin_templates()[0], title=title, on=date(2026, 11, 25), start=time(10)
    )


def _people(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count(Person.id))) or 0)


def test_a_person_at_several_workshops_is_one_person(store: Store) -> None:
    first, second = _workshop(store, "One"), _workshop(store, "Two")
    register.add_person(store, first, "Zoë Ó Briain", "Zoe@Example.org", "Northfield")
    again = register.add_person(store, second, "Zoe O'Brien", "zoe@example.org", role="Tutor")
    assert _people(store) == 1
    # Matched by email whatever the case; blanks filled in, nothing overwritten.
    assert again.person.name == "Zoë Ó Briain"
    assert (again.person.organisation, again.person.role) == ("Northfield", "Tutor")
    by_name = register.add_person(store, _workshop(store, "Three"), "ZOË Ó BRIAIN")
    assert by_name.person.id == again.person.id
    # Booked twice is still one booking, not an error.
    twice = register.add_person(store, first, "Zoë Ó Briain")
    assert [r.attendance_id for r in register.list_register(store, first)] == [twice.attendance_id]


def test_a_booked_person_walking_in_is_marked_here_not_refused(store: Store) -> None:
    wid = _workshop(store)
    booked = register.add_person(store, wid, "Björn Svensson", "bjorn@example.org")
    assert booked.status is AttendanceStatus.BOOKED
    arrived = register.add_walk_in(store, wid, "bjorn svensson")
    assert arrived.attendance_id == booked.attendance_id
    assert arrived.status is AttendanceStatus.ATTENDED and arrived.signed_in_at is not None
    assert not arrived.walk_in  # they had booked
    again = register.book_person(store, wid, booked.person.id)
    assert again.status is AttendanceStatus.ATTENDED  # booking again changes nothing
    assert len(register.list_register(store, wid)) == 1


def test_namesakes_and_shared_emails_are_found_before_a_new_person_is_made(
    store: Store,
) -> None:
    wid = _workshop(store)
    register.add_person(store, wid, "Björn Svensson", "bjorn@example.org")
    register.add_person(store, wid, "Ann Lee")
    assert [p.name for p in register.similar_people(store, "BJORN  svensson")] == ["Björn Svensson"]
    assert [p.name for p in register.similar_people(store, "B. Svensson", "Bjorn@Example.org")] == [
        "Björn Svensson"
    ]
    assert register.similar_people(store, "bjorn") == []  # part of a name is a search, not a twin
    # Asked, and told it is someone new: a second Ann Lee.
    register.add_person(store, wid, "Ann Lee", "ann.lee@example.org", as_new=True)
    assert [r.name for r in register.list_register(store, wid)].count("Ann Lee") == 2
    with pytest.raises(UserError, match="already belongs"):
        register.add_person(store, wid, "Someone Else", "bjorn@example.org", as_new=True)


def test_same_name_with_a_different_email_is_someone_else(store: Store) -> None:
    wid = _workshop(store)
    register.add_person(store, wid, "Sam Jones", "sam@one.org")
    register.add_person(store, wid, "Sam Jones", "sam@two.org")
    assert [r.person.email for r in register.list_register(store, wid)] == [
        "sam@one.org", "sam@two.org"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [(" ", "", "no name"), ("Ann", "ann@", "not an email"), ("x" * 201, "", "longer than 200")],
)
def test_unusable_people_are_refused_with_the_reason(
    store: Store, name: str, email: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        register.add_person(store, _workshop(store), name, email)
    assert _people(store) == 0


def test_a_walk_in_is_attended_and_signed_in_now(store: Store) -> None:
    wid = _workshop(store)
    before = datetime.now(UTC)
    row = register.add_walk_in(store, wid, "Kwame Mensah")
    assert row.walk_in and row.status is AttendanceStatus.ATTENDED
    assert row.signed_in_at is not None and before <= row.signed_in_at <= datetime.now(UTC)
    assert workshops.get_workshop(store, wid).row.attended == 1


def test_marking_attendance_keeps_the_first_sign_in_time(store: Store) -> None:
    row = register.add_person(store, _workshop(store), "Priya Patel")
    assert row.status is AttendanceStatus.BOOKED and row.signed_in_at is None
    came = register.mark(store, row.attendance_id, AttendanceStatus.ATTENDED)
    again = register.mark(store, row.attendance_id, AttendanceStatus.ATTENDED)
    assert came.signed_in_at is not None and again.signed_in_at == came.signed_in_at
    gone = register.mark(store, row.attendance_id, AttendanceStatus.ABSENT)
    assert gone.signed_in_at is None
    paper = datetime(2026, 11, 25, 9, 55, tzinfo=UTC)
    fixed = register.set_signed_in_at(store, row.attendance_id, paper)
    assert (fixed.status, fixed.signed_in_at) == (AttendanceStatus.ATTENDED, paper)


def test_consents_are_recorded_separately(store: Store) -> None:
    row = register.add_person(store, _workshop(store), "Chidi Okafor")
    assert not row.consent_quote and not row.consent_contact
    quoted = register.set_consents(store, row.attendance_id, quote=True)
    assert quoted.consent_quote and not quoted.consent_contact
    both = register.set_consents(store, row.attendance_id, contact=True)
    assert both.consent_quote and both.consent_contact
    withdrawn = register.set_consents(store, row.attendance_id, quote=False)
    assert not withdrawn.consent_quote and withdrawn.consent_contact


def test_people_are_found_in_any_script_without_accents(demo_store: Store) -> None:
    def names(text: str) -> list[str]:
        return [p.name for p in register.search_people(demo_store, text)]

    assert names("lukasz") == ["Łukasz Wiśniewski"]
    assert names("zoe") == ["Zoë Ó Briain"]
    assert names("MULLER") == ["Jürgen Müller"]
    assert names("wisniewski LUKASZ") == ["Łukasz Wiśniewski"]
    assert names("王芳") == ["王芳"]
    assert names("ольга") == ["Ольга Иванова"]
    assert names("  ") == [] and names("%") == []


def test_correcting_a_person_and_removing_from_a_register(store: Store) -> None:
    wid = _workshop(store)
    ann = register.add_person(store, wid, "Ann Lee", "ann@example.org")
    bo = register.add_person(store, wid, "Bo Chen")
    fixed = register.update_person(store, bo.person.id, "Bo Chén", "bo@example.org", "Hub", "")
    assert register.search_people(store, "chen")[0] == fixed
    with pytest.raises(UserError, match="already belongs to Ann Lee"):
        register.update_person(store, bo.person.id, "Bo", "ANN@example.org", "", "")
    register.remove_from_register(store, ann.attendance_id)
    assert [r.name for r in register.list_register(store, wid)] == ["Bo Chén"]
    assert _people(store) == 2
