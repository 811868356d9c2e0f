"""Signed certificates: laptop keys endorsed by the organisation's key, and checks anywhere.

Each laptop signs the certificates it issues with its own Ed25519 key, offline. The
organisation's key (kept on the laptop that set the organisation up) endorses each laptop key,
so a school that holds only the organisation's public key file can check a certificate from
any laptop, and a lost laptop's key can be withdrawn without touching what it issued before.
See docs/certificates.md for the reasons and the formats.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import cbor2
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from amie_desktop.domain.heard import PRINCIPLES
from amie_desktop.reports.certificate import hours_text, long_date
from amie_desktop.services.errors import UserError

__all__ = [
    "QR_PREFIX", "KeyFileError", "Keyring", "LaptopKey", "SignedCertificate", "Statement",
    "Verdict", "Verification", "b45decode", "b45encode", "check", "fingerprint", "key_id",
    "read_key_file", "read_signed", "sign",
]  # fmt: skip

QR_PREFIX = "AMIE1:"  # upper case, so the whole QR text stays in the QR alphanumeric set
STATEMENT_TYPE = "AMIE CPD certificate"
KEY_FILE_FORMAT = "AMIE organisation public key"
CREDENTIAL_FORMAT = "AMIE signed certificate"
_EPOCH = date(2000, 1, 1)  # dates travel in the QR code as days since this day
_SERIAL = re.compile(r"CPD-(\d{4})-(\d{6})")
SIGNER_HINT_BYTES = 4  # the QR code names the signing key by the start of its id
_PRINCIPLE_CODES = "".join(p.code for p in PRINCIPLES)


class KeyFileError(UserError):
    """A public key file or a signed certificate file that cannot be read or trusted."""


# Base45 (RFC 9285): bytes as QR alphanumeric characters, which a QR code packs densely ----
_B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_VALUE = {ch: n for n, ch in enumerate(_B45)}


def b45encode(data: bytes) -> str:
    out: list[str] = []
    for start in range(0, len(data), 2):
        chunk = data[start : start + 2]
        if len(chunk) == 2:
            n = chunk[0] * 256 + chunk[1]
            out += [_B45[n % 45], _B45[n // 45 % 45], _B45[n // 2025]]
        else:
            out += [_B45[chunk[0] % 45], _B45[chunk[0] // 45]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode base45; ValueError for anything that is not valid base45."""
    try:
        values = [_B45_VALUE[ch] for ch in text]
    except KeyError:
        raise ValueError("not base45") from None
    out = bytearray()
    for start in range(0, len(values), 3):
        group = values[start : start + 3]
        if len(group) == 3:
            n = group[0] + group[1] * 45 + group[2] * 2025
            if n > 0xFFFF:
                raise ValueError("not base45")
            out += n.to_bytes(2, "big")
        elif len(group) == 2:
            n = group[0] + group[1] * 45
            if n > 0xFF:
                raise ValueError("not base45")
            out.append(n)
        else:
            raise ValueError("not base45")
    return bytes(out)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# Keys ----------------------------------------------------------------------------------------
def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """A short name for a public key: the first 8 bytes of its SHA-256, as hex."""
    return hashlib.sha256(public).hexdigest()[:16]


def fingerprint(public: bytes) -> str:
    """What people compare by eye: 32 hex digits of the key's SHA-256, in groups of four."""
    digest = hashlib.sha256(public).hexdigest()[:32].upper()
    return " ".join(digest[n : n + 4] for n in range(0, 32, 4))


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def locked_pem(key: Ed25519PrivateKey, passphrase: str) -> bytes:
    """The private key as PEM, encrypted with the passphrase (PKCS#8, the library's best)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def unlock_pem(data: bytes, passphrase: str) -> Ed25519PrivateKey | None:
    """The private key in an encrypted PEM; None if the passphrase or the file is wrong."""
    try:
        key = serialization.load_pem_private_key(data, password=passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PrivateKey) else None


def load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 signing key.")
    return key


def endorsement_bytes(organisation_public: bytes, laptop_public: bytes, on: date) -> bytes:
    """What the organisation's key signs to vouch for one laptop's key."""
    return rfc8785.dumps(
        {
            "endorses": b64(laptop_public),
            "by": b64(organisation_public),
            "on": on.isoformat(),
            "type": "AMIE laptop key endorsement",
        }
    )


# What a certificate states -----------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """Everything a certificate says, as signed."""

    organisation: str
    name: str
    workshop: str
    on: date
    cpd_hours: float
    principles: str  # the HEARD codes covered, in HEARD order, e.g. "HAD"
    serial: str
    issued_on: date
    reissued_on: date | None
    signer: str  # the key id of the laptop key that signed it

    def as_json(self) -> dict[str, Any]:
        return {
            "type": STATEMENT_TYPE,
            "organisation": self.organisation,
            "name": self.name,
            "workshop": self.workshop,
            "date": self.on.isoformat(),
            "cpd_hours": self.cpd_hours,
            "principles": self.principles,
            "serial": self.serial,
            "issued": self.issued_on.isoformat(),
            "reissued": self.reissued_on.isoformat() if self.reissued_on else None,
            "signer": self.signer,
        }

    def canonical(self) -> bytes:
        """The exact bytes signed: the statement as RFC 8785 canonical JSON."""
        return rfc8785.dumps(self.as_json())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Statement:
        reissued = data.get("reissued")
        hours = data["cpd_hours"]
        if data.get("type") != STATEMENT_TYPE or not isinstance(hours, int | float):
            raise ValueError("not a certificate statement")
        return cls(
            organisation=str(data["organisation"]),
            name=str(data["name"]),
            workshop=str(data["workshop"]),
            on=date.fromisoformat(data["date"]),
            cpd_hours=float(hours),
            principles=str(data["principles"]),
            serial=str(data["serial"]),
            issued_on=date.fromisoformat(data["issued"]),
            reissued_on=date.fromisoformat(reissued) if reissued else None,
            signer=str(data["signer"]),
        )


def principle_codes(codes: str) -> str:
    """The covered principles' codes in HEARD order, each once."""
    return "".join(code for code in _PRINCIPLE_CODES if code in codes)


def _days(day: date) -> int:
    return (day - _EPOCH).days


def _day(days: int) -> date:
    return _EPOCH + timedelta(days=days)


@dataclass(frozen=True)
class SignedCertificate:
    statement: Statement
    signature: bytes

    @property
    def check_code(self) -> str:
        """The short code printed for typing by hand: ten letters and digits, XXXXX-XXXXX."""
        text = base64.b32encode(hashlib.sha256(self.signature).digest()).decode("ascii")[:10]
        return f"{text[:5]}-{text[5:]}"

    def qr_text(self) -> str:
        """The QR code's text: the statement and signature, compact, without the organisation.

        The organisation's name comes back from its key file when the code is checked (the
        signature covers it all the same), which keeps the code small enough to scan.
        """
        s = self.statement
        mask = sum(1 << n for n, code in enumerate(_PRINCIPLE_CODES) if code in s.principles)
        fields = [
            s.name, s.workshop, _days(s.on), s.cpd_hours, mask, _pack_serial(s.serial),
            _days(s.issued_on), _days(s.reissued_on) if s.reissued_on else None,
            bytes.fromhex(s.signer)[:SIGNER_HINT_BYTES], self.signature,
        ]  # fmt: skip
        return QR_PREFIX + b45encode(cbor2.dumps(fields, canonical=True))

    def credential_json(self) -> str:
        """The full signed certificate as a small JSON file (also embedded in the PDF)."""
        document = {
            "format": CREDENTIAL_FORMAT,
            "statement": self.statement.as_json(),
            "signature": b64(self.signature),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _pack_serial(serial: str) -> str | int:
    """CPD-2026-000123 travels as the number 2026000123; any other serial as it is."""
    found = _SERIAL.fullmatch(serial)
    return int(found[1]) * 10**6 + int(found[2]) if found else serial


def _unpack_serial(value: object) -> str:
    if isinstance(value, int):
        return f"CPD-{value // 10**6:04d}-{value % 10**6:06d}"
    if isinstance(value, str):
        return value
    raise ValueError("not a certificate QR code")


def _from_qr(text: str, keyring: Keyring) -> SignedCertificate:
    fields = cbor2.loads(b45decode(text.strip()[len(QR_PREFIX) :]))
    if not isinstance(fields, list) or len(fields) != 10:
        raise ValueError("not a certificate QR code")
    name, workshop, on, hours, mask, serial, issued, reissued, hint, signature = fields
    if not isinstance(hint, bytes):
        raise ValueError("not a certificate QR code")
    statement = Statement(
        organisation=keyring.organisation,
        name=name,
        workshop=workshop,
        on=_day(on),
        cpd_hours=float(hours),
        principles="".join(c for n, c in enumerate(_PRINCIPLE_CODES) if mask >> n & 1),
        serial=_unpack_serial(serial),
        issued_on=_day(issued),
        reissued_on=_day(reissued) if reissued is not None else None,
        signer=keyring.signer_for(hint.hex()),
    )
    if not isinstance(signature, bytes) or not all(
        isinstance(v, str) for v in (name, workshop, statement.serial)
    ):
        raise ValueError("not a certificate QR code")
    return SignedCertificate(statement, signature)


def sign(statement: Statement, key: Ed25519PrivateKey) -> SignedCertificate:
    return SignedCertificate(statement, key.sign(statement.canonical()))


# Who may sign, and what has been withdrawn ---------------------------------------------------
@dataclass(frozen=True)
class LaptopKey:
    public_key: bytes
    endorsed_on: date
    endorsement: bytes
    revoked_on: date | None = None
    # Certificates the laptop issued before its key was withdrawn: they stay genuine.
    kept_serials: frozenset[str] = frozenset()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


@dataclass(frozen=True)
class Revocation:
    serial: str
    revoked_on: date
    reason: str


@dataclass(frozen=True)
class Keyring:
    """The organisation's public key, the laptop keys it endorsed, and what it withdrew."""

    organisation: str
    public_key: bytes
    laptops: tuple[LaptopKey, ...] = ()
    revoked: tuple[Revocation, ...] = ()
    published_on: date | None = None
    _by_id: dict[str, LaptopKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        vouched = {k.key_id: k for k in self.laptops if self._vouched(k)}
        object.__setattr__(self, "_by_id", vouched)

    def _vouched(self, laptop: LaptopKey) -> bool:
        """True when the organisation's key really endorsed this laptop key."""
        message = endorsement_bytes(self.public_key, laptop.public_key, laptop.endorsed_on)
        return _valid(self.public_key, laptop.endorsement, message)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def signer_for(self, hint: str) -> str:
        """The full id of the laptop key whose id starts with hint (the QR code's short form)."""
        found = [k for k in self._by_id if k.startswith(hint)]
        return found[0] if len(found) == 1 else hint

    def laptop(self, signer: str) -> LaptopKey | None:
        return self._by_id.get(signer)

    def revocation(self, serial: str) -> Revocation | None:
        return next((r for r in self.revoked if r.serial == serial), None)

    # The published file ------------------------------------------------------------------
    def body(self) -> dict[str, Any]:
        return {
            "format": KEY_FILE_FORMAT,
            "version": 1,
            "organisation": self.organisation,
            "public_key": b64(self.public_key),
            "fingerprint": self.fingerprint,
            "published": self.published_on.isoformat() if self.published_on else None,
            "laptops": [
                {
                    "key_id": k.key_id,
                    "public_key": b64(k.public_key),
                    "endorsed": k.endorsed_on.isoformat(),
                    "endorsement": b64(k.endorsement),
                    "withdrawn": k.revoked_on.isoformat() if k.revoked_on else None,
                    "kept_serials": sorted(k.kept_serials),
                }
                for k in sorted(self.laptops, key=lambda k: (k.endorsed_on, k.key_id))
            ],
            "revoked_certificates": [
                {"serial": r.serial, "revoked": r.revoked_on.isoformat(), "reason": r.reason}
                for r in sorted(self.revoked, key=lambda r: r.serial)
            ],
        }

    def key_file(self, organisation_key: Ed25519PrivateKey) -> str:
        """The public key file, with its list of laptops and revocations signed as a whole."""
        if public_bytes(organisation_key.public_key()) != self.public_key:
            raise KeyFileError("The organisation's signing key does not match its public key.")
        body = self.body()
        body["signature"] = b64(organisation_key.sign(rfc8785.dumps(body)))
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def endorsed_by(organisation_public: bytes, laptop_public: bytes, on: date, sig: str) -> bool:
    """True when the organisation's key signed this endorsement (base64url) of the laptop key."""
    try:
        signature = unb64(sig)
    except ValueError:
        return False
    return _valid(
        organisation_public, signature, endorsement_bytes(organisation_public, laptop_public, on)
    )


def _valid(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def parse_key_file(text: str, where: str = "The key file") -> Keyring:
    """Read a published key file; refuse one whose signature does not match what it says."""
    try:
        body = json.loads(text)
        if not isinstance(body, dict) or body.get("format") != KEY_FILE_FORMAT:
            raise ValueError
        signature = unb64(body.pop("signature"))
        public = unb64(body["public_key"])
        signed = _valid(public, signature, rfc8785.dumps(body))
        published = body.get("published")
        keyring = Keyring(
            organisation=str(body["organisation"]),
            public_key=public,
            laptops=tuple(
                LaptopKey(
                    public_key=unb64(k["public_key"]),
                    endorsed_on=date.fromisoformat(k["endorsed"]),
                    endorsement=unb64(k["endorsement"]),
                    revoked_on=date.fromisoformat(k["withdrawn"]) if k["withdrawn"] else None,
                    kept_serials=frozenset(k.get("kept_serials", ())),
                )
                for k in body["laptops"]
            ),
            revoked=tuple(
                Revocation(r["serial"], date.fromisoformat(r["revoked"]), r["reason"])
                for r in body["revoked_certificates"]
            ),
            published_on=date.fromisoformat(published) if published else None,
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise KeyFileError(
            f"{where} is not an organisation's public key file from this app."
        ) from None
    if not signed:
        raise KeyFileError(
            f"{where} has been changed since the organisation published it, so it cannot be "
            "trusted. Ask the organisation for a fresh copy."
        )
    return keyring


def read_key_file(path: Path) -> Keyring:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not a text file"
        raise KeyFileError(f"The key file {path} cannot be read ({reason}).") from None
    return parse_key_file(text, f"The file {Path(path).name}")


# Checking ------------------------------------------------------------------------------------
class Verdict(Enum):
    GENUINE = "genuine"
    TAMPERED = "tampered"  # the statement no longer matches its signature (or the record)
    UNKNOWN = "unknown"  # no certificate with this code was issued here
    UNKNOWN_SIGNER = "unknown_signer"  # signed by a key the organisation does not vouch for
    REVOKED = "revoked"  # genuine, but the organisation has withdrawn it
    NAME_REMOVED = "name_removed"  # issued here; the holder was erased or anonymised since


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    code: str = ""
    serial: str = ""
    holder_name: str = ""
    workshop_title: str = ""
    workshop_date: date | None = None
    cpd_hours: float = 0.0
    issued_on: date | None = None
    reissued_on: date | None = None
    organisation: str = ""
    principles: str = ""
    revocation_reason: str = ""
    revoked_on: date | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict is Verdict.GENUINE

    def _what(self) -> str:
        assert self.workshop_date is not None
        return f"{self.workshop_title} on {long_date(self.workshop_date)}"

    def message(self) -> str:
        """What the check found, in one or two plain sentences."""
        by = self.organisation or "this organisation"
        if self.verdict is Verdict.UNKNOWN:
            return (
                f"Not genuine: no certificate with check code {self.code} was issued by "
                f"{by}. Check the code for typing mistakes."
            )
        if self.verdict is Verdict.UNKNOWN_SIGNER:
            return (
                f"Not confirmed: this certificate was not signed by a key that {by} vouches "
                "for. It may be forged, or the key file you have may be older than the laptop "
                "that issued it: ask the organisation for its latest public key file."
            )
        if self.verdict is Verdict.NAME_REMOVED:
            return (
                f"Certificate {self.serial} was issued by {by} for {self._what()}, but the "
                "holder's name has since been removed from the records (erased at their "
                "request, or at the end of the data retention period), so this check cannot "
                "confirm who it was issued to."
            )
        if self.verdict is Verdict.TAMPERED:
            return (
                f"Not genuine: certificate {self.serial or self.code} has been changed since "
                f"{by} issued it, so it cannot be trusted."
            )
        if self.verdict is Verdict.REVOKED:
            when = f" on {long_date(self.revoked_on)}" if self.revoked_on else ""
            reason = (
                f" The reason given: {self.revocation_reason}" if self.revocation_reason else ""
            )
            return (
                f"Revoked: certificate {self.serial} for {self.holder_name} ({self._what()}) "
                f"was issued by {by} but withdrawn{when}, so it no longer counts.{reason}"
            )
        assert self.issued_on is not None
        text = (
            f"Genuine: certificate {self.serial} was issued by {by} to {self.holder_name} "
            f"for {self._what()} ({hours_text(self.cpd_hours)} of CPD), "
            f"issued on {long_date(self.issued_on)}"
        )
        if self.reissued_on is not None:
            text += f" and reissued on {long_date(self.reissued_on)}"
        return text + "."

    def as_json(self) -> dict[str, object]:
        """The stable shape `amie-desktop verify --json` prints."""
        return {
            "verdict": self.verdict.value,
            "genuine": self.genuine,
            "code": self.code,
            "serial": self.serial,
            "organisation": self.organisation,
            "holder_name": self.holder_name,
            "workshop_title": self.workshop_title,
            "workshop_date": self.workshop_date.isoformat() if self.workshop_date else None,
            "cpd_hours": self.cpd_hours,
            "principles": self.principles,
            # Named as before signed certificates, when these were times; now the days signed.
            "issued_at": self.issued_on.isoformat() if self.issued_on else None,
            "reissued_at": self.reissued_on.isoformat() if self.reissued_on else None,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "revocation_reason": self.revocation_reason,
        }


def described(signed: SignedCertificate, verdict: Verdict, keyring: Keyring) -> Verification:
    s = signed.statement
    revocation = keyring.revocation(s.serial) if verdict is Verdict.REVOKED else None
    return Verification(
        verdict,
        code=signed.check_code,
        serial=s.serial,
        holder_name=s.name,
        workshop_title=s.workshop,
        workshop_date=s.on,
        cpd_hours=s.cpd_hours,
        issued_on=s.issued_on,
        reissued_on=s.reissued_on,
        organisation=keyring.organisation,
        principles=s.principles,
        revocation_reason=revocation.reason if revocation else "",
        revoked_on=revocation.revoked_on if revocation else None,
    )


def check(signed: SignedCertificate, keyring: Keyring) -> Verification:
    """Check a signed certificate against the organisation's keys alone: no database."""
    laptop = keyring.laptop(signed.statement.signer)
    withdrawn = (
        laptop is not None
        and laptop.revoked_on is not None
        and signed.statement.serial not in laptop.kept_serials
    )
    if laptop is None or withdrawn:
        return described(signed, Verdict.UNKNOWN_SIGNER, keyring)
    if signed.statement.organisation != keyring.organisation or not _valid(
        laptop.public_key, signed.signature, signed.statement.canonical()
    ):
        return described(signed, Verdict.TAMPERED, keyring)
    if keyring.revocation(signed.statement.serial) is not None:
        return described(signed, Verdict.REVOKED, keyring)
    return described(signed, Verdict.GENUINE, keyring)


def read_signed(text: str, keyring: Keyring) -> SignedCertificate:
    """A signed certificate from a QR code's text or from a credential file's JSON."""
    stripped = text.strip()
    try:
        if stripped.upper().startswith(QR_PREFIX):
            return _from_qr(stripped, keyring)
        document = json.loads(stripped)
        if isinstance(document, dict) and document.get("format") == CREDENTIAL_FORMAT:
            return SignedCertificate(
                Statement.from_json(document["statement"]), unb64(document["signature"])
            )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, cbor2.CBORError):
        raise KeyFileError(
            "This is not the text of a certificate's QR code, or it was cut short or changed "
            "beyond reading."
        ) from None
    raise KeyFileError("This is not a certificate's QR code text or certificate file.")


def with_organisation(signed: SignedCertificate, organisation: str) -> SignedCertificate:
    return replace(signed, statement=replace(signed.statement, organisation=organisation))
