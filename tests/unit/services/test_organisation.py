"""First-run set-up and the facilitator PIN."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from amie_desktop.services import audit, organisation
from amie_desktop.services.errors import UserError
from amie_desktop.services.organisation import PinError
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Organisation


def test_set_up_stores_a_salted_argon2id_hash_never_the_pin(store: Store) -> None:
    organisation.set_up(store, "  Northfield   Hub ", "482913", "482913")
    assert organisation.get_settings(store).name == "Northfield Hub"  # type: ignore[union-attr]
    with store.read() as session:
        org = session.scalars(select(Organisation)).one()
    assert org.pin_hash.startswith("$argon2id$")
    assert "482913" not in org.pin_hash
    if store.database_path is not None:  # SQLite: not in the file's bytes either
        assert b"482913" not in store.database_path.read_bytes()


@pytest.mark.parametrize(
    ("pin", "again", "message"),
    [("12", "12", "at least 4 digits"), ("abcd", "abcd", "at least 4 digits"),
     ("1234", "1243", "not the same"), ("²³⁴⁵", "²³⁴⁵", "at least 4 digits"),
     ("١٢٣٤", "1243", "not the same")],
)  # fmt: skip
def test_set_up_refuses_weak_or_mistyped_pins(
    store: Store, pin: str, again: str, message: str
) -> None:
    with pytest.raises(PinError, match=message):
        organisation.set_up(store, "Hub", pin, again)
    assert organisation.get_settings(store) is None


def test_set_up_needs_a_name(store: Store) -> None:
    with pytest.raises(UserError, match="name of your organisation"):
        organisation.set_up(store, "   ", "1234", "1234")


def test_wrong_pins_are_throttled_logged_and_the_wait_survives_a_restart(
    store: Store, data_dir: Path
) -> None:
    organisation.set_up(store, "Hub", "2468", "2468")
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    for _ in range(organisation.FREE_ATTEMPTS - 1):
        with pytest.raises(PinError, match="not right"):
            organisation.verify_pin(store, "0000", now=now)
    with pytest.raises(PinError, match="wait 10 seconds"):
        organisation.verify_pin(store, "0000", now=now)
    store.close()

    reopened = open_store(data_dir)
    # Even the right PIN waits until the delay is over.
    with pytest.raises(PinError, match="Too many wrong PINs"):
        organisation.verify_pin(reopened, "2468", now=now + timedelta(seconds=2))
    assert organisation.pin_wait_seconds(reopened, now=now) > 0
    organisation.verify_pin(reopened, "2468", now=now + timedelta(seconds=11))
    assert organisation.pin_wait_seconds(reopened, now=now + timedelta(seconds=11)) == 0
    failures = [e for e in audit.recent(reopened) if e.action == "wrong PIN"]
    assert len(failures) == organisation.FREE_ATTEMPTS
    reopened.close()


@pytest.mark.parametrize("press", ["", "1", "123", "١٢٣", "12a4", "²⁴⁶⁸", "    "])
def test_what_is_not_a_whole_pin_never_counts_as_a_wrong_attempt(store: Store, press: str) -> None:
    organisation.set_up(store, "Hub", "2468", "2468")
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    for _ in range(20):
        with pytest.raises(PinError, match="whole facilitator PIN"):
            organisation.verify_pin(store, press, now=now)
    assert organisation.pin_wait_seconds(store, now=now) == 0
    assert [e for e in audit.recent(store) if e.action == "wrong PIN"] == []
    organisation.verify_pin(store, "2468", now=now)


def test_change_pin_needs_the_current_one(store: Store) -> None:
    organisation.set_up(store, "Hub", "1111", "1111")
    with pytest.raises(PinError):
        organisation.change_pin(store, "9999", "2222", "2222")
    organisation.change_pin(store, "1111", "2222", "2222")
    organisation.verify_pin(store, "2222")


@pytest.mark.parametrize(
    ("chosen", "typed"), [("١٢٣٤", "1234"), ("1234", "١٢٣٤"), ("১২৩৪", "১২৩৪")]
)
def test_a_pin_is_the_same_pin_in_any_script_s_digits(
    store: Store, chosen: str, typed: str
) -> None:
    # Chosen on an Arabic or Bengali keyboard, it was stored as typed and then refused as
    # "not a whole PIN" at every station: the facilitator was locked out of their own app.
    organisation.set_up(store, "Hub", chosen, chosen)
    organisation.verify_pin(store, typed)
    organisation.verify_pin(store, "1234")
    organisation.change_pin(store, typed, "٥٦٧٨", "5678")
    organisation.verify_pin(store, "5678")
    with pytest.raises(PinError, match="not right"):
        organisation.verify_pin(store, "1234")


def test_set_up_gives_the_settings_a_new_organisation_starts_with(store: Store) -> None:
    made = organisation.set_up(store, "Northfield Hub", "2468", "2468")
    expected = organisation.OrganisationSettings(
        name="Northfield Hub",
        signature_name="",
        certificate_wording="has taken part in continuing professional development on "
        "musically inclusive practice, built on the five HEARD principles.",
        default_cpd_hours=3.0,
        retention_months=24,
        paper_size="A4",
        idle_seconds=90,
    )
    assert made == expected
    assert organisation.get_settings(store) == expected
    assert organisation.rename(store, "  Northfield   Music  Hub ").name == "Northfield Music Hub"
    set_up = [e for e in audit.recent(store) if e.action == "organisation set up"]
    assert [e.detail for e in set_up] == ["Northfield Hub"]
    with store.read() as session:
        org = session.scalars(select(Organisation)).one()
    # OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
    assert org.pin_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert len(org.certificate_secret) == 32


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: organisation.set_up(s, " ", "2468", "2468"),
         "Please type the name of your organisation."),
        (lambda s: organisation.set_up(s, "Hub", "2468", "2486"),
         "The two PINs are not the same. Please type them again."),
        (lambda s: organisation.set_up(s, "Hub", "246", "246"),
         "The PIN must be at least 4 digits."),
        (lambda s: organisation.rename(s, "Hub"), "The organisation has not been set up yet."),
        (lambda s: organisation.verify_pin(s, "2468"), "The organisation has not been set up yet."),
        (lambda s: organisation.verify_pin(s, "24"),
         "Please type the whole facilitator PIN (at least 4 digits)."),
    ],
)  # fmt: skip
def test_each_refusal_says_exactly_what_to_do(
    store: Store, call: Callable[[Store], object], message: str
) -> None:
    with pytest.raises(UserError) as raised:
        call(store)
    assert str(raised.value) == message


def test_a_second_set_up_and_an_empty_new_name_are_refused(store: Store) -> None:
    organisation.set_up(store, "Hub", "2468", "2468")
    with pytest.raises(UserError) as again:
        organisation.set_up(store, "Other", "1357", "1357")
    assert str(again.value) == "The organisation is already set up."
    with pytest.raises(UserError) as unnamed:
        organisation.rename(store, "   ")
    assert str(unnamed.value) == "The organisation needs a name."
    assert organisation.get_settings(store).name == "Hub"  # type: ignore[union-attr]


def test_wrong_pins_wait_longer_each_time_up_to_five_minutes(store: Store) -> None:
    organisation.set_up(store, "Hub", "2468", "2468")
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    said = []
    for _ in range(9):
        with pytest.raises(PinError) as wrong:
            organisation.verify_pin(store, "0000", now=now, actor="reflection station")
        said.append(str(wrong.value))
        wait = organisation.pin_wait_seconds(store, now=now)
        assert organisation.pin_wait_seconds(store, now=now + timedelta(seconds=wait)) == 0
        now += timedelta(seconds=wait)
    assert said == [
        "That PIN is not right (1 wrong so far).",
        "That PIN is not right (2 wrong so far).",
        "That PIN is not right. Please wait 10 seconds before trying again.",
        "That PIN is not right. Please wait 20 seconds before trying again.",
        "That PIN is not right. Please wait 40 seconds before trying again.",
        "That PIN is not right. Please wait 80 seconds before trying again.",
        "That PIN is not right. Please wait 160 seconds before trying again.",
        "That PIN is not right. Please wait 300 seconds before trying again.",
        "That PIN is not right. Please wait 300 seconds before trying again.",
    ]
    # 30 seconds before the last wait is over (now is a second past it), even the right PIN
    # waits: "31 seconds", the part of a second counted as a whole one.
    with pytest.raises(PinError) as early:
        organisation.verify_pin(store, "2468", now=now - timedelta(seconds=31))
    assert str(early.value) == "Too many wrong PINs. Please wait 31 seconds and try again."
    assert organisation.pin_wait_seconds(store, now=now - timedelta(seconds=31)) == 31
    organisation.verify_pin(store, "2468", now=now)  # right, once the wait is over
    # and the count starts again from nothing
    with pytest.raises(PinError, match=r"^That PIN is not right \(1 wrong so far\)\.$"):
        organisation.verify_pin(store, "0000", now=now)
    logged = [e for e in audit.recent(store) if e.action == "wrong PIN"]
    assert logged[0].detail == "attempt 1" and logged[0].actor == ""
    assert {e.actor for e in logged[1:]} == {"reflection station"}
    assert sorted(e.detail for e in logged[1:]) == sorted(f"attempt {n}" for n in range(1, 10))


def test_changing_the_pin_is_logged_and_the_old_one_no_longer_opens(store: Store) -> None:
    organisation.set_up(store, "Hub", "1111", "1111")
    with pytest.raises(PinError) as mismatch:
        organisation.change_pin(store, "1111", "2222", "2223")
    assert str(mismatch.value) == "The two PINs are not the same. Please type them again."
    organisation.change_pin(store, "1111", "2222", "2222")
    assert [e.action for e in audit.recent(store)].count("PIN changed") == 1
    with pytest.raises(PinError, match=r"^That PIN is not right \(1 wrong so far\)\.$"):
        organisation.verify_pin(store, "1111")
    wrong = [e for e in audit.recent(store) if e.action == "wrong PIN"]
    assert [e.actor for e in wrong] == [""]
    with pytest.raises(PinError, match=r"^That PIN is not right \(2 wrong so far\)\.$"):
        organisation.change_pin(store, "1111", "3333", "3333")  # needs the current PIN
    assert next(e.actor for e in audit.recent(store) if e.action == "wrong PIN") == "change PIN"


def test_the_wait_ends_exactly_when_it_said(store: Store) -> None:
    organisation.set_up(store, "Hub", "2468", "2468")
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    for _ in range(organisation.FREE_ATTEMPTS):
        with pytest.raises(PinError):
            organisation.verify_pin(store, "0000", now=now)
    over = now + timedelta(seconds=10)  # "Please wait 10 seconds"
    assert organisation.pin_wait_seconds(store, now=over - timedelta(microseconds=1)) == 1
    assert organisation.pin_wait_seconds(store, now=over) == 0
    organisation.verify_pin(store, "2468", now=over)
