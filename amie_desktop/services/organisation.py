"""The organisation's settings and the facilitator PIN (stored as a salted argon2id hash only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from amie_desktop.domain.text import plain_digits
from amie_desktop.services import audit
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Organisation

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PIN_LENGTH = 4
# Wrong PINs wait longer each time after the first few; the wait survives a restart.
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300


@dataclass(frozen=True)
class OrganisationSettings:
    name: str
    signature_name: str
    certificate_wording: str
    default_cpd_hours: float
    retention_months: int
    paper_size: str
    idle_seconds: int


class PinError(UserError):
    """The PIN was wrong, too short, or asked for too soon after wrong attempts."""


def _hasher() -> PasswordHasher:
    # argon2 loads when a PIN is first set or checked, not while the window starts.
    from argon2 import PasswordHasher

    # OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane.
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_pin(pin: str) -> str:
    return _hasher().hash(pin)


def _pin_matches(pin_hash: str, pin: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def check_new_pin(pin: str, repeated: str) -> str:
    """The new PIN in the digits 0-9 (as typed in any script); PinError if it will not do."""
    pin, repeated = plain_digits(pin), plain_digits(repeated)
    if len(pin) < MIN_PIN_LENGTH or not (pin.isascii() and pin.isdigit()):
        raise PinError(f"The PIN must be at least {MIN_PIN_LENGTH} digits.")
    if pin != repeated:
        raise PinError("The two PINs are not the same. Please type them again.")
    return pin


def _settings(org: Organisation) -> OrganisationSettings:
    return OrganisationSettings(
        name=org.name,
        signature_name=org.signature_name,
        certificate_wording=org.certificate_wording,
        default_cpd_hours=org.default_cpd_hours,
        retention_months=org.retention_months,
        paper_size=org.paper_size,
        idle_seconds=org.idle_seconds,
    )


def _the_organisation(session: Session) -> Organisation:
    org = session.scalars(select(Organisation).limit(1)).first()
    if org is None:
        raise UserError("The organisation has not been set up yet.")
    return org


def get_settings(store: Store) -> OrganisationSettings | None:
    """The organisation's settings, or None before first-run set-up."""
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        return None if org is None else _settings(org)


def set_up(store: Store, name: str, pin: str, repeated_pin: str) -> OrganisationSettings:
    """First-run set-up: the organisation's name and the facilitator PIN."""
    name = " ".join(name.split())
    if not name:
        raise UserError("Please type the name of your organisation.")
    pin = check_new_pin(pin, repeated_pin)
    with store.write() as session:
        if session.scalars(select(Organisation).limit(1)).first() is not None:
            raise UserError("The organisation is already set up.")
        org = Organisation(
            name=name,
            pin_hash=hash_pin(pin),
            certificate_secret=secrets.token_bytes(32),
            certificate_wording=(
                "has taken part in continuing professional development on musically "
                "inclusive practice, built on the five HEARD principles."
            ),
        )
        session.add(org)
        audit.record(session, "organisation set up", name)
        session.flush()
        return _settings(org)


def rename(store: Store, name: str) -> OrganisationSettings:
    name = " ".join(name.split())
    if not name:
        raise UserError("The organisation needs a name.")
    with store.write() as session:
        org = _the_organisation(session)
        org.name = name
        return _settings(org)


def _delay_after(failures: int) -> int:
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS + 1) * 5))


def pin_wait_seconds(store: Store, now: datetime | None = None) -> int:
    """Seconds before another PIN attempt will be accepted (0 when one can be made now)."""
    now = now or datetime.now(UTC)
    with store.read() as session:
        org = _the_organisation(session)
        if org.pin_locked_until is None or org.pin_locked_until <= now:
            return 0
        return int((org.pin_locked_until - now).total_seconds()) + 1


def verify_pin(store: Store, pin: str, now: datetime | None = None, actor: str = "") -> None:
    """Check the facilitator PIN; raise PinError (and log it) when it is wrong or too soon."""
    now = now or datetime.now(UTC)
    pin = plain_digits(pin)
    if len(pin) < MIN_PIN_LENGTH or not (pin.isascii() and pin.isdigit()):
        # Not a PIN at all (an empty press, a stray key): never counted as a wrong attempt,
        # so nobody can lock the facilitator out by pressing Enter.
        raise PinError(f"Please type the whole facilitator PIN (at least {MIN_PIN_LENGTH} digits).")
    with store.write() as session:
        org = _the_organisation(session)
        if org.pin_locked_until is not None and org.pin_locked_until > now:
            wait = int((org.pin_locked_until - now).total_seconds()) + 1
            raise PinError(f"Too many wrong PINs. Please wait {wait} seconds and try again.")
        if _pin_matches(org.pin_hash, pin):
            org.pin_failures = 0
            org.pin_locked_until = None
            return
        org.pin_failures += 1
        delay = _delay_after(org.pin_failures)
        org.pin_locked_until = now + timedelta(seconds=delay) if delay else None
        audit.record(session, "wrong PIN", f"attempt {org.pin_failures}", actor)
        failures = org.pin_failures
    if delay:
        raise PinError(f"That PIN is not right. Please wait {delay} seconds before trying again.")
    raise PinError(f"That PIN is not right ({failures} wrong so far).")


def change_pin(store: Store, current: str, new: str, repeated: str) -> None:
    new = check_new_pin(new, repeated)
    verify_pin(store, current, actor="change PIN")
    with store.write() as session:
        org = _the_organisation(session)
        org.pin_hash = hash_pin(new)
        audit.record(session, "PIN changed")
