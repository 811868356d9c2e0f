"""First-run set-up and the facilitator PIN."""

from __future__ import annotations

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
