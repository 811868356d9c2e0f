"""Sync by file, for laptops that are never online: the same change sets as sync, encrypted.

A laptop exports what the organisation's database has not yet acknowledged; the office imports
the file into the organisation's database, and exports one back for that laptop (or for every
laptop). Importing applies the changes in one transaction with the same rules as sync
(services/sync.py), so importing a file twice changes nothing the second time, and a file that
is refused changes nothing at all.

The file (format 1), all of it covered by the SHA-256 at its end:

    MAGIC  VERSION  header length (4 bytes, big-endian)  header  ciphertext+tag  SHA-256

- The header is canonical JSON (RFC 8785): who made the file and for whom, the change-counter
  marks that keep the bookkeeping, and the key derivation's parameters. It holds no personal
  data (identities are device UUIDs). It is authenticated as associated data.
- The ciphertext is AES-256-GCM over the zlib-compressed JSON of the change set (sorted keys,
  no spaces: see canonical_json). The key comes from the passphrase through Argon2id (Scrypt
  where the installed cryptography has no Argon2id) with a random salt; a random nonce. The
  key derivation also gives 16 bytes kept in the header, so a wrong passphrase is told apart
  from a damaged file.
- The SHA-256 at the end tells a damaged or cut-short file apart from a wrong passphrase.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum as PyEnum
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import Date, Enum, LargeBinary, Table, Time, select
from sqlalchemy.orm import Session

from amie_desktop.domain.errors import UserError
from amie_desktop.services import sync
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Base, Device, SyncState, UTCDateTime

MAGIC = b"AMIE-BUNDLE\x00"
VERSION = 1
SUFFIX = ".amiebundle"
MIN_PASSPHRASE = 10
# What a file may ask of the key derivation: enough for today's settings, not a memory bomb.
ARGON2 = {"iterations": 3, "lanes": 4, "memory_kib": 64 * 1024}
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
MAX_MEMORY_KIB = 1024 * 1024
FROM_LAPTOP, FROM_ORGANISATION = "laptop", "organisation"
Step = Callable[[str], None]
# What export_bundle and import_bundle tell their step callback, in order.
EXPORT_STEPS = ("Reading the changes", "Locking the file with the passphrase", "Writing the file")
IMPORT_STEPS = ("Checking the file", "Opening the file with the passphrase", "Saving the changes")


class BundleError(UserError):
    """A bundle file that cannot be imported; nothing was changed."""


class NotABundleError(BundleError):
    pass


class DamagedBundleError(BundleError):
    pass


class WrongPassphraseError(BundleError):
    pass


class OtherOrganisationError(BundleError):
    pass


class WrongPlaceError(BundleError):
    """A good file brought to a database it is not meant for (another laptop, its own maker)."""


# The change set as JSON ---------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, PyEnum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _row_to_json(row: dict[str, Any]) -> dict[str, Any]:
    plain = {name: _plain(value) for name, value in row.items() if name != "answers"}
    if "answers" in row:
        plain["answers"] = [{k: _plain(v) for k, v in a.items()} for a in row["answers"]]
    return plain


def _decoder(table: Table, skip: frozenset[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Turns a row's JSON back into the values the table's columns take (unknown names drop)."""
    converters: dict[str, Callable[[Any], Any]] = {}
    kept = frozenset(column.name for column in table.c) - sync.SKIPPED
    for column in table.c:
        kind = column.type
        convert: Callable[[Any], Any] | None = None
        if column.name in skip:
            convert = None
        elif isinstance(kind, UTCDateTime):
            convert = _aware
        elif isinstance(kind, Date):
            convert = date.fromisoformat
        elif isinstance(kind, Time):
            convert = time.fromisoformat
        elif isinstance(kind, Enum) and kind.enum_class is not None:
            convert = kind.enum_class
        elif isinstance(kind, LargeBinary):
            convert = base64.b64decode
        if convert is not None and column.name in kept:
            converters[column.name] = convert

    def decode(row: dict[str, Any]) -> dict[str, Any]:
        values = {name: value for name, value in row.items() if name in kept}
        for name, convert in converters.items():
            value = values.get(name)
            if value is not None:
                values[name] = convert(value)
        return values

    return decode


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment.astimezone(UTC)


def changes_to_json(changes: sync.ChangeSet, *, consume: bool = False) -> dict[str, Any]:
    """The change set as JSON-able values; consume empties it as it goes, to save memory."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for kind in list(changes.rows):
        found = changes.rows.pop(kind) if consume else changes.rows[kind]
        rows[kind] = [_row_to_json(r) for r in found]
        del found
    return {
        "device_id": changes.device_id,
        "upto": changes.upto,
        "rows": rows,
        "tombstones": [_row_to_json(t) for t in changes.tombstones],
        "aliases": [_row_to_json(a) for a in changes.aliases],
        "keys": [_row_to_json(k) for k in changes.keys],
        "laptops": [_row_to_json(laptop) for laptop in changes.laptops],
    }


def changes_from_json(data: dict[str, Any]) -> sync.ChangeSet:
    """The change set a file carried; KeyError, TypeError or ValueError if it is not one.

    Empties data["rows"] as it goes, so the file's values and the change set are not both held
    whole at once.
    """
    changes = sync.ChangeSet(device_id=str(data["device_id"]), upto=int(data["upto"]))
    tables = Base.metadata.tables
    answers = _decoder(tables["answer"], frozenset())
    for kind in sync.KINDS:
        decode = _decoder(tables[kind.table], kind.foreign_keys)
        rows = []
        for found in data["rows"].pop(kind.table, []):
            row = decode(found)
            for column in kind.foreign_keys:
                row[column] = found[column]
            if kind.table == "reflection":
                row["answers"] = [answers(a) for a in found["answers"]]
            if not isinstance(row.get("uuid"), str):
                raise ValueError("a row without its identity")
            rows.append(row)
        changes.rows[kind.table] = rows
    stones, aliases = (
        _decoder(tables["tombstone"], frozenset()),
        _decoder(tables["alias"], frozenset()),
    )
    changes.tombstones = [stones(t) for t in data["tombstones"]]
    changes.aliases = [aliases(a) for a in data["aliases"]]
    public_key = _decoder(tables["signing_key"], frozenset())
    changes.keys = [public_key(k) for k in data.get("keys", [])]
    changes.laptops = [
        {name: str(laptop[name]) for name in sync.LAPTOP_COLUMNS}
        for laptop in data.get("laptops", [])
    ]
    return changes


# Sealing and opening -----------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: str, kdf: dict[str, Any]) -> tuple[bytes, bytes]:
    """(AES key, passphrase check) from the passphrase and the header's KDF parameters."""
    secret = passphrase.encode("utf-8")
    salt = base64.b64decode(kdf["salt"])
    if kdf["name"] == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        derived = Argon2id(
            salt=salt, length=48, iterations=int(kdf["iterations"]), lanes=int(kdf["lanes"]),
            memory_cost=int(kdf["memory_kib"]),
        ).derive(secret)  # fmt: skip
    else:
        derived = Scrypt(
            salt=salt, length=48, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])
        ).derive(secret)
    return derived[:32], derived[32:]


def _new_kdf() -> dict[str, Any]:
    salt = _b64(os.urandom(16))
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8)
        return {"name": "argon2id", "salt": salt, **ARGON2}
    except (ImportError, UnsupportedAlgorithm):
        return {"name": "scrypt", "salt": salt, **SCRYPT}


def _kdf_allowed(kdf: Any) -> bool:
    try:
        if kdf["name"] == "argon2id":
            return bool(
                1 <= int(kdf["iterations"]) <= 16 and 1 <= int(kdf["lanes"]) <= 16
                and 8 * int(kdf["lanes"]) <= int(kdf["memory_kib"]) <= MAX_MEMORY_KIB
            )  # fmt: skip
        if kdf["name"] == "scrypt":
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            return bool(2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4)
    except (KeyError, TypeError, ValueError):
        return False
    return False


def canonical_json(payload: dict[str, Any]) -> bytes:
    """The change set as JSON with sorted keys and no spaces: one text for one change set.

    For what a change set holds (strings, integers, booleans, hours such as 1.5) these are the
    bytes of RFC 8785 except that a whole number of hours is written 3.0 rather than 3; it is
    four times faster than the rfc8785 package on a big laptop's first file (53,000 changes:
    2 s instead of 8 s). The header, small, is RFC 8785 itself.
    """
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def seal(header: dict[str, Any], payload: dict[str, Any], passphrase: str) -> bytes:
    """The bytes of a bundle file: header in clear (authenticated), payload encrypted."""
    kdf = _new_kdf()
    key, check = _derive(passphrase, kdf)
    nonce = os.urandom(12)
    full = {**header, "format": VERSION, "kdf": kdf, "nonce": _b64(nonce), "check": _b64(check)}
    header_bytes = rfc8785.dumps(full)
    front = MAGIC + bytes([VERSION]) + struct.pack(">I", len(header_bytes)) + header_bytes
    secret = AESGCM(key).encrypt(nonce, zlib.compress(canonical_json(payload), 6), front)
    body = front + secret
    return body + hashlib.sha256(body).digest()


@dataclass(frozen=True)
class Sealed:
    """A bundle file read and checked for damage, not yet opened with its passphrase."""

    header: dict[str, Any]
    front: bytes
    secret: bytes

    @property
    def made_by(self) -> str:
        return str(self.header["kind"])


def _damaged(name: str) -> DamagedBundleError:
    return DamagedBundleError(
        f"The file {name} is damaged or incomplete (it may have been cut short while being "
        "copied). Nothing was changed. Copy it again from where it was made, or export a new one."
    )


def read_sealed(path: Path) -> Sealed:
    """Read a bundle file and check that it is whole; nothing about the passphrase yet."""
    name = path.name
    try:
        with path.open("rb") as handle:  # a big file that is not a bundle is not read whole
            data = handle.read(len(MAGIC))
            if data == MAGIC:
                data += handle.read()
    except FileNotFoundError:
        raise BundleError(f"There is no file {path}. Nothing was changed.") from None
    except IsADirectoryError:
        raise NotABundleError(
            f"{path} is a folder, not a bundle file. Nothing was changed."
        ) from None
    if not data.startswith(MAGIC):
        raise NotABundleError(
            f"The file {name} is not a bundle of changes from this app (bundle files are made "
            "by amie-desktop bundle export). Nothing was changed."
        )
    body, digest = data[:-32], data[-32:]
    fixed = len(MAGIC) + 1 + 4
    if len(data) < fixed + 32 or not hmac.compare_digest(hashlib.sha256(body).digest(), digest):
        raise _damaged(name)
    if body[len(MAGIC)] != VERSION:
        raise NotABundleError(
            f"The file {name} was made by a newer version of this app. Update the app on this "
            "computer, then import it. Nothing was changed."
        )
    (length,) = struct.unpack(">I", body[len(MAGIC) + 1 : fixed])
    front = body[: fixed + length]
    try:
        header = json.loads(front[fixed:].decode("utf-8"))
        if header["kind"] not in (FROM_LAPTOP, FROM_ORGANISATION) or not _kdf_allowed(
            header["kdf"]
        ):
            raise ValueError("unknown kind or key derivation")
        for key in ("organisation", "device", "for_device", "serial_prefix", "created_at"):
            if not isinstance(header[key], str):
                raise ValueError(key)
        for key in ("since", "upto", "pulled", "acknowledged", "changes"):
            if not isinstance(header[key], int):
                raise ValueError(key)
        for secret in (header["check"], header["nonce"], header["kdf"]["salt"]):
            base64.b64decode(secret, validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise _damaged(name) from None
    return Sealed(header=header, front=front, secret=body[len(front) :])


def open_sealed(sealed: Sealed, passphrase: str, name: str) -> sync.ChangeSet:
    """The change set inside, or WrongPassphraseError / DamagedBundleError."""
    key, check = _derive(passphrase, sealed.header["kdf"])
    if not hmac.compare_digest(check, base64.b64decode(sealed.header["check"])):
        raise WrongPassphraseError(
            f"That passphrase does not open {name}. Check it with the person who made the file "
            "(capitals and spaces count). Nothing was changed."
        )
    nonce = base64.b64decode(sealed.header["nonce"])
    try:
        plain = zlib.decompress(AESGCM(key).decrypt(nonce, sealed.secret, sealed.front))
        data = json.loads(plain)
        del plain
        return changes_from_json(data)
    except (InvalidTag, zlib.error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise _damaged(name) from None


# Export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    changes: int
    made_by: str
    for_laptop: str  # the laptop's serial prefix, "" for every laptop or from a laptop

    def words(self) -> str:
        counted = "1 change" if self.changes == 1 else f"{self.changes} changes"
        if self.made_by == FROM_LAPTOP:
            where = "Take it to the office to import into the organisation's database"
        elif self.for_laptop:
            where = f"Import it on laptop {self.for_laptop}"
        else:
            where = "Import it on any of the organisation's laptops"
        return (
            f"Wrote {counted} to {self.path}, locked with the passphrase. {where}, and give the "
            "passphrase separately (by phone, not in the same email)."
        )


def _state(session: Session) -> SyncState:
    state = session.get(SyncState, 1)
    assert state is not None
    return state


def _is_organisation(session: Session, state: SyncState) -> bool:
    """A database that laptops joined (or sent files to), and that is not a laptop itself."""
    if state.org_device_id:
        return False
    return session.scalar(select(Device.id).limit(1)) is not None


def laptops(store: Store) -> list[tuple[str, str]]:
    """On the organisation's database, its laptops (letter, name); on a laptop, none."""
    with store.read() as session:
        if not _is_organisation(session, _state(session)):
            return []
        found = session.execute(
            select(Device.serial_prefix, Device.name).order_by(Device.serial_prefix)
        )
        return [(str(letter), str(name)) for letter, name in found]


def find_laptop(session: Session, given: str) -> Device:
    """A laptop known to the organisation's database, by its letter, name or id (the start)."""
    wanted = given.strip()
    devices = list(session.scalars(select(Device).order_by(Device.serial_prefix)))
    tests: list[Callable[[Device], bool]] = [
        lambda d: d.serial_prefix.upper() == wanted.upper(),
        lambda d: bool(d.name) and d.name.casefold() == wanted.casefold(),
        lambda d: len(wanted) >= 4 and d.device_id.startswith(wanted.lower()),
    ]
    for test in tests:
        found = [device for device in devices if test(device)]
        if len(found) == 1:
            return found[0]
    raise UserError(
        f"No laptop here answers to {given!r}. Give its letter; the laptops known here: "
        f"{_known(session)}."
    )


def _known(session: Session) -> str:
    devices = session.scalars(select(Device).order_by(Device.serial_prefix))
    named = [f"{d.serial_prefix} ({d.name})" if d.name else d.serial_prefix for d in devices]
    return ", ".join(named) or "none yet"


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE} characters (three or four "
            "unrelated words are easy to say and hard to guess): the file holds personal data."
        )


def export_bundle(
    store: Store,
    out: Path,
    passphrase: str,
    *,
    everything: bool = False,
    laptop: str = "",
    step: Step | None = None,
) -> ExportResult:
    """Write the changes the other side has not acknowledged (or all) to an encrypted file."""
    say = step or (lambda _text: None)
    check_passphrase(passphrase)
    say(EXPORT_STEPS[0])
    with store.read() as session:
        state = _state(session)
        organisation = _is_organisation(session, state)
        if laptop and not organisation:
            raise UserError(
                "--laptop is for the organisation's database: a laptop's file always goes to "
                "the organisation. Give the organisation's database with --database-url."
            )
        if organisation and not (laptop or everything):
            raise UserError(
                "This is the organisation's database: say which laptop the file is for "
                "(--laptop LETTER: the letter in its certificate numbers, as B in "
                "CPD-2026-B-000001), or give --all for a file that any laptop can import. "
                f"The laptops known here: {_known(session)}."
            )
        header: dict[str, Any] = {
            "device": state.device_id, "for_device": "", "serial_prefix": "",
            "created_at": datetime.now(UTC).isoformat(), "pulled": 0, "acknowledged": 0,
        }  # fmt: skip
        if organisation:
            device = find_laptop(session, laptop) if laptop else None
            since = -1 if everything or device is None else device.pulled_seq
            exclude = device.device_id if device is not None and not everything else ""
            changes = sync.read_changes(session, since, exclude_device=exclude)
            header |= {"kind": FROM_ORGANISATION, "organisation": state.device_id}
            if device is not None:
                header |= {
                    "for_device": device.device_id, "serial_prefix": device.serial_prefix,
                    "acknowledged": device.pushed_seq,
                }  # fmt: skip
        else:
            since = -1 if everything else state.pushed_seq
            changes = sync.read_changes(session, since)
            header |= {
                "kind": FROM_LAPTOP, "organisation": state.org_device_id,
                "pulled": state.pulled_seq,
            }  # fmt: skip
    header |= {"since": since, "upto": changes.upto, "changes": changes.size}
    say(EXPORT_STEPS[1])
    data = seal(header, changes_to_json(changes, consume=True), passphrase)
    say(EXPORT_STEPS[2])
    atomic_write_bytes(out, data)
    return ExportResult(
        path=out,
        changes=header["changes"],
        made_by=header["kind"],
        for_laptop=header["serial_prefix"],
    )


# Import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    received: int
    applied: sync.Applied = field(default_factory=sync.Applied)
    made_by: str = FROM_LAPTOP
    serial_prefix: str = ""
    new_prefix: bool = False  # this laptop was given its letter by this file

    @property
    def nothing_changed(self) -> bool:
        return not self.applied.changed

    def words(self) -> str:
        source = "a laptop" if self.made_by == FROM_LAPTOP else "the organisation's database"
        letter = (
            f" Certificates from this laptop are now numbered CPD-YEAR-{self.serial_prefix}-NNNNNN."
            if self.new_prefix
            else ""
        )
        if self.nothing_changed:
            return (
                f"Nothing new: everything in this file from {source} was already here "
                f"({self.received} changes checked).{letter}"
            )
        return (
            f"Imported {self.received} changes from {source}: {self.applied.written} records "
            f"new or updated here, {self.applied.merged} merged, {self.applied.removed} "
            f"removed.{letter}"
        )

    def as_dict(self) -> dict[str, int | str | bool]:
        return {
            "from": self.made_by,
            "received": self.received,
            "written": self.applied.written,
            "merged": self.applied.merged,
            "removed": self.applied.removed,
            "nothing_changed": self.nothing_changed,
        }


def _check_place(session: Session, sealed: Sealed, name: str) -> None:
    """Refuse a file brought to the wrong database, before anything is written."""
    header, state = sealed.header, _state(session)
    if header["device"] == state.device_id:
        raise WrongPlaceError(
            f"The file {name} was exported from this database itself; there is nothing in it "
            "to import here. Nothing was changed."
        )
    other = OtherOrganisationError(
        f"The file {name} belongs to another organisation's database, not the one this "
        "database works with. Nothing was changed."
    )
    if sealed.made_by == FROM_LAPTOP:
        if state.org_device_id:
            raise WrongPlaceError(
                f"The file {name} comes from a laptop: import it into the organisation's "
                "database (amie-desktop --database-url URL bundle import FILE), not into another "
                "laptop. Nothing was changed."
            )
        if header["organisation"] not in ("", state.device_id):
            raise other
        return
    if _is_organisation(session, state):
        raise WrongPlaceError(
            f"The file {name} comes from an organisation's database: import it on a laptop. "
            "Nothing was changed."
        )
    if state.org_device_id and header["organisation"] != state.org_device_id:
        raise other
    if header["for_device"] not in ("", state.device_id):
        raise WrongPlaceError(
            f"The file {name} was made for another laptop. Ask the office for one made for "
            "this laptop (or for every laptop). Nothing was changed."
        )


def check_bundle(store: Store, path: Path) -> Sealed:
    """Read a file and check that it can be imported here, before asking for its passphrase."""
    sealed = read_sealed(path)
    with store.read() as session:
        _check_place(session, sealed, path.name)
    return sealed


def import_bundle(
    store: Store,
    path: Path,
    passphrase: str,
    *,
    sealed: Sealed | None = None,
    step: Step | None = None,
) -> ImportResult:
    """Apply a bundle file's changes here in one transaction; on any refusal nothing changes."""
    say = step or (lambda _text: None)
    say(IMPORT_STEPS[0])
    sealed = sealed or check_bundle(store, path)
    say(IMPORT_STEPS[1])
    changes = open_sealed(sealed, passphrase, path.name)
    header = sealed.header
    say(IMPORT_STEPS[2])
    with store.write() as session:
        _check_place(session, sealed, path.name)
        state = _state(session)
        new_prefix = False
        if sealed.made_by == FROM_LAPTOP:
            device = sync.register_device(session, header["device"])
            session.flush()
            applied = sync.apply_changes(session, changes, stamp=True)
            # The laptop exports from the mark this database acknowledged (by file or sync),
            # so after this file this database holds everything up to the file's end.
            device.pushed_seq = max(device.pushed_seq, header["upto"])
            device.pulled_seq = max(device.pulled_seq, header["pulled"])
            prefix = device.serial_prefix
        else:
            applied = sync.apply_changes(session, changes, stamp=False)
            before = state.serial_prefix
            state.org_device_id = state.org_device_id or header["organisation"]
            if header["for_device"] == state.device_id:
                state.serial_prefix = header["serial_prefix"] or state.serial_prefix
                state.pushed_seq = max(state.pushed_seq, header["acknowledged"])
            if header["since"] <= state.pulled_seq:  # no file from the office was skipped
                state.pulled_seq = max(state.pulled_seq, header["upto"])
            prefix = state.serial_prefix
            new_prefix = prefix != before
    if applied.removed:  # erased elsewhere: leave no trace in this file's free space either
        store.compact()
    return ImportResult(
        received=changes.size, applied=applied, made_by=sealed.made_by, serial_prefix=prefix,
        new_prefix=new_prefix,
    )  # fmt: skip
