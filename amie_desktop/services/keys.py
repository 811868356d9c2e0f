"""This laptop's signing key, the organisation's key that endorses it, and the public key file.

Private keys are files in the data folder's keys/ folder, readable by their owner only, and
never in the database (which is shared with the organisation's server). Public keys and
endorsements are rows, so they travel with the rest of the organisation's data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amie_desktop.reports import qr
from amie_desktop.services import audit, signing
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes, private_dir
from amie_desktop.store.models import Certificate, Organisation, SigningKey

KEYS_FOLDER = "keys"
ORGANISATION_KEY_FILE = "organisation-signing-key.pem"
LAPTOP_KEY_FILE = "laptop-signing-key.pem"
ORGANISATION = "organisation"
LAPTOP = "laptop"


@dataclass(frozen=True)
class Signer:
    """What issuing needs: this laptop's private key and its id."""

    key: Ed25519PrivateKey
    key_id: str


def _keys_dir(store: Store) -> Path:
    return private_dir(store.data_dir / KEYS_FOLDER)


def _load_or_make(path: Path) -> tuple[Ed25519PrivateKey, bool]:
    if path.exists():
        return signing.load_private(path), False
    key = Ed25519PrivateKey.generate()
    atomic_write_bytes(path, signing.private_pem(key))  # written 0600
    return key, True


def _organisation_row(session: Session) -> SigningKey | None:
    return session.scalars(select(SigningKey).where(SigningKey.kind == ORGANISATION)).first()


def _organisation_key(store: Store, session: Session) -> Ed25519PrivateKey | None:
    """The organisation's private key if this laptop holds it; made on first use if no
    organisation key exists anywhere yet (this laptop set the organisation up)."""
    path = _keys_dir(store) / ORGANISATION_KEY_FILE
    row = _organisation_row(session)
    if row is None:
        key, _ = _load_or_make(path)
        public = signing.public_bytes(key.public_key())
        session.add(SigningKey(kind=ORGANISATION, key_id=signing.key_id(public), public_key=public))
        audit.record(session, "organisation signing key made", signing.key_id(public))
        return key
    if not path.exists():
        return None
    key = signing.load_private(path)
    if signing.public_bytes(key.public_key()) != row.public_key:
        raise UserError(
            f"The organisation key file in {path.parent} does not belong to this organisation. "
            "Move it away and ask whoever holds the organisation's key to endorse this laptop."
        )
    return key


def _laptop(store: Store, session: Session) -> tuple[Ed25519PrivateKey, SigningKey | None]:
    """This laptop's key, and its endorsed row (endorsed now if this laptop can)."""
    organisation_key = _organisation_key(store, session)
    laptop_key, _ = _load_or_make(_keys_dir(store) / LAPTOP_KEY_FILE)
    public = signing.public_bytes(laptop_key.public_key())
    row = session.scalars(
        select(SigningKey).where(SigningKey.key_id == signing.key_id(public))
    ).first()
    if row is None and organisation_key is not None:
        row = endorse(session, organisation_key, public)
    return laptop_key, row


def laptop_signer(store: Store, session: Session) -> Signer:
    """This laptop's endorsed signing key; made (and endorsed) on first use where possible."""
    laptop_key, row = _laptop(store, session)
    if row is None:
        raise UserError(
            "This laptop cannot sign certificates yet: its key has not been endorsed by "
            "the organisation. Ask whoever holds the organisation's key to endorse it."
        )
    if row.revoked_at is not None:
        raise UserError(
            "This laptop's signing key has been withdrawn by the organisation, so it cannot "
            "issue certificates."
        )
    return Signer(laptop_key, row.key_id)


def endorse(
    session: Session, organisation_key: Ed25519PrivateKey, laptop_public: bytes
) -> SigningKey:
    """Vouch for a laptop's public key with the organisation's key (at set-up or join)."""
    today = datetime.now(UTC).date()
    organisation_public = signing.public_bytes(organisation_key.public_key())
    message = signing.endorsement_bytes(organisation_public, laptop_public, today)
    row = SigningKey(
        kind=LAPTOP,
        key_id=signing.key_id(laptop_public),
        public_key=laptop_public,
        endorsement=signing.b64(organisation_key.sign(message)),
        endorsed_on=today,
    )
    session.add(row)
    audit.record(session, "laptop signing key endorsed", row.key_id)
    session.flush()
    return row


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def keyring(session: Session) -> signing.Keyring:
    """The organisation's keys and revocations as this laptop knows them (no private key)."""
    org = session.scalars(select(Organisation).limit(1)).first()
    root = _organisation_row(session)
    if org is None or root is None:
        raise UserError(
            "This organisation has not issued signed certificates yet, so it has no public key."
        )
    laptops = []
    for row in session.scalars(select(SigningKey).where(SigningKey.kind == LAPTOP)):
        assert row.endorsed_on is not None
        kept: frozenset[str] = frozenset()
        if row.revoked_at is not None:
            kept = frozenset(
                session.scalars(
                    select(Certificate.serial).where(
                        Certificate.signer_key_id == row.key_id,
                        Certificate.issued_at < row.revoked_at,
                    )
                )
            )
        laptops.append(
            signing.LaptopKey(
                public_key=row.public_key,
                endorsed_on=row.endorsed_on,
                endorsement=signing.unb64(row.endorsement),
                revoked_on=_day(row.revoked_at),
                kept_serials=kept,
            )
        )
    revoked = tuple(
        signing.Revocation(row.serial, row.revoked_at.date(), row.revocation_reason)
        for row in session.scalars(
            select(Certificate)
            .where(Certificate.revoked_at.is_not(None))
            .order_by(Certificate.serial)
        )
        if row.revoked_at is not None
    )
    return signing.Keyring(
        organisation=org.name,
        public_key=root.public_key,
        laptops=tuple(laptops),
        revoked=revoked,
        published_on=datetime.now(UTC).date(),
    )


def local_keyring(store: Store) -> signing.Keyring:
    with store.read() as session:
        return keyring(session)


@dataclass(frozen=True)
class PublicKey:
    organisation: str
    fingerprint: str
    key_file: str  # the signed public key file's text


def public_key(store: Store) -> PublicKey:
    """The organisation's public key file (signed: laptops endorsed, certificates revoked)."""
    with store.write() as session:
        _laptop(store, session)  # so the file vouches for this laptop from the start
        organisation_key = _organisation_key(store, session)
        if organisation_key is None:
            raise UserError(
                "Only the laptop that holds the organisation's key can publish its public key "
                "file. Export it there."
            )
        session.flush()
        ring = keyring(session)
        return PublicKey(ring.organisation, ring.fingerprint, ring.key_file(organisation_key))


def organisation_fingerprint(store: Store) -> str:
    """The fingerprint people compare by eye; the keys are made now if they do not exist yet."""
    with store.write() as session:
        _laptop(store, session)
        session.flush()
        root = _organisation_row(session)
        assert root is not None
        return signing.fingerprint(root.public_key)


def key_qr_text(store: Store) -> str:
    """What the public key QR picture says: the organisation, its key and its fingerprint."""
    fingerprint = organisation_fingerprint(store)
    with store.read() as session:
        ring = keyring(session)
    return (
        f"{signing.KEY_FILE_FORMAT}: {ring.organisation}. Fingerprint {fingerprint}. "
        f"Key {signing.b64(ring.public_key)}"
    )


def export_public_key_qr(store: Store, out: Path) -> str:
    """Save the public key as a QR picture (PNG) for a website or an email footer."""
    text = key_qr_text(store)
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    try:
        atomic_write_bytes(out, qr.png(text))
    except OSError as exc:
        raise UserError(f"The picture cannot be written to {out} ({exc.strerror}).") from None
    return text


def export_public_key(store: Store, out: Path) -> PublicKey:
    key = public_key(store)
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    try:
        atomic_write_bytes(out, key.key_file.encode("utf-8"))
    except OSError as exc:
        raise UserError(f"The key file cannot be written to {out} ({exc.strerror}).") from None
    return key


# Laptops: asking to be endorsed, endorsing, withdrawing -------------------------------------
REQUEST_FORMAT = "AMIE laptop key request"


@dataclass(frozen=True)
class LaptopRow:
    key_id: str
    endorsed_on: date | None
    withdrawn_on: date | None
    reason: str
    certificates: int
    this_laptop: bool


def laptop_key_request(store: Store, out: Path) -> str:
    """Write this laptop's public key, for the organisation's key holder to endorse."""
    key, _ = _load_or_make(_keys_dir(store) / LAPTOP_KEY_FILE)
    public = signing.public_bytes(key.public_key())
    text = json.dumps(
        {
            "format": REQUEST_FORMAT,
            "public_key": signing.b64(public),
            "key_id": signing.key_id(public),
        },
        indent=2,
    )
    try:
        atomic_write_bytes(Path(out), (text + "\n").encode("utf-8"))
    except OSError as exc:
        raise UserError(f"The file {out} cannot be written ({exc.strerror}).") from None
    return signing.key_id(public)


def endorse_laptop(store: Store, request: Path) -> str:
    """Vouch for another laptop's key (from its request file) with the organisation's key."""
    try:
        body = json.loads(Path(request).read_text(encoding="utf-8"))
        if body.get("format") != REQUEST_FORMAT:
            raise ValueError
        public = signing.unb64(body["public_key"])
        if len(public) != 32:
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise UserError(
            f"{Path(request).name} is not a laptop key request from this app."
        ) from None
    with store.write() as session:
        organisation_key = _organisation_key(store, session)
        if organisation_key is None:
            raise UserError(
                "Only the laptop that holds the organisation's key can endorse laptops."
            )
        ident = signing.key_id(public)
        if session.scalars(select(SigningKey).where(SigningKey.key_id == ident)).first():
            raise UserError(f"The laptop key {ident} is already known to this organisation.")
        endorse(session, organisation_key, public)
    return ident


def laptops(store: Store) -> list[LaptopRow]:
    this = signing.key_id(
        signing.public_bytes(_load_or_make(_keys_dir(store) / LAPTOP_KEY_FILE)[0].public_key())
    )
    with store.read() as session:
        counts: dict[str, int] = {
            signer: count
            for signer, count in session.execute(
                select(Certificate.signer_key_id, func.count()).group_by(Certificate.signer_key_id)
            )
        }
        return [
            LaptopRow(
                row.key_id,
                row.endorsed_on,
                _day(row.revoked_at),
                row.revocation_reason,
                counts.get(row.key_id, 0),
                row.key_id == this,
            )
            for row in session.scalars(
                select(SigningKey).where(SigningKey.kind == LAPTOP).order_by(SigningKey.id)
            )
        ]


def withdraw_laptop(store: Store, key: str, reason: str) -> LaptopRow:
    """Withdraw a (lost) laptop's key: what it issued before stays genuine, nothing after."""
    reason = " ".join(reason.split())
    if not reason:
        raise UserError("Please give a reason for withdrawing the laptop's key.")
    with store.write() as session:
        if _organisation_key(store, session) is None:
            raise UserError(
                "Only the laptop that holds the organisation's key can withdraw a laptop's key."
            )
        rows = list(
            session.scalars(
                select(SigningKey).where(
                    SigningKey.kind == LAPTOP, SigningKey.key_id.startswith(key.strip().lower())
                )
            )
        )
        if len(rows) != 1 or not key.strip():
            raise UserError(f"No single laptop key starts with {key.strip()!r}. See `org laptops`.")
        (row,) = rows
        if row.revoked_at is not None:
            raise UserError(f"The laptop key {row.key_id} was already withdrawn.")
        row.revoked_at = datetime.now(UTC)
        row.revocation_reason = reason
        audit.record(session, "laptop signing key withdrawn", row.key_id)
        ident = row.key_id
    return next(r for r in laptops(store) if r.key_id == ident)


# A copy of the organisation's key, locked with a passphrase, to keep somewhere safe ---------
MIN_PASSPHRASE = 12


def backup_organisation_key(store: Store, out: Path, passphrase: str) -> str:
    """Write the organisation's private key to out, encrypted with the passphrase; returns its
    fingerprint. Without the key no new laptop can be endorsed, and backups of the data folder
    do not hold it (keys are never in the database)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(
            f"Please use a passphrase of at least {MIN_PASSPHRASE} characters: anyone with "
            "the file and the passphrase can vouch for laptops in your organisation's name."
        )
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    with store.write() as session:
        if (
            _organisation_row(session) is None
            or not (_keys_dir(store) / ORGANISATION_KEY_FILE).exists()
        ):
            raise UserError(
                "This laptop does not hold the organisation's key, so there is nothing to back "
                "up. Run this on the laptop that set the organisation's certificates up."
            )
        key = _organisation_key(store, session)
        assert key is not None  # the file exists and matches (or _organisation_key said why)
        public = signing.public_bytes(key.public_key())
        try:
            atomic_write_bytes(out, signing.locked_pem(key, passphrase))
        except OSError as exc:
            raise UserError(f"The copy cannot be written to {out} ({exc.strerror}).") from None
        audit.record(session, "organisation signing key backed up", signing.key_id(public))
    return signing.fingerprint(public)


def restore_organisation_key(store: Store, source: Path, passphrase: str) -> str:
    """Put the organisation's private key back from a copy made by backup_organisation_key
    (on a new laptop, after the old one was lost); returns its fingerprint."""
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise UserError(f"{Path(source).name} cannot be read ({exc.strerror}).") from None
    key = signing.unlock_pem(data, passphrase)
    if key is None:
        raise UserError(
            f"{Path(source).name} cannot be opened with that passphrase. Check the passphrase, "
            "and that the file is a copy of the organisation's key. Nothing was changed."
        )
    public = signing.public_bytes(key.public_key())
    path = _keys_dir(store) / ORGANISATION_KEY_FILE
    with store.write() as session:
        row = _organisation_row(session)
        if row is None:
            raise UserError(
                "This laptop does not know the organisation's public key yet. Join the "
                "organisation's database (org join) or sync first, then put the key back."
            )
        if row.public_key != public:
            raise UserError(
                f"That is not this organisation's key: its fingerprint is "
                f"{signing.fingerprint(public)}, the organisation's is "
                f"{signing.fingerprint(row.public_key)}. Nothing was changed."
            )
        if path.exists():
            if signing.public_bytes(signing.load_private(path).public_key()) == public:
                return signing.fingerprint(public)  # already here: nothing to do
            raise UserError(
                f"There is another organisation key file in {path.parent}. Move it away "
                "first. Nothing was changed."
            )
        atomic_write_bytes(path, signing.private_pem(key))  # written 0600
        audit.record(session, "organisation signing key put back", signing.key_id(public))
    return signing.fingerprint(public)
