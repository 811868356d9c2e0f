"""Open Badges 3.0 credentials: one OpenBadgeCredential per person, signed (eddsa-jcs-2022).

The credential is a W3C Verifiable Credential with a Data Integrity proof made with the
eddsa-jcs-2022 cryptosuite: the proof options and the document are each written as RFC 8785
canonical JSON and hashed with SHA-256, and the laptop key signs the two hashes together. The
signing key is named as a did:key, so any Open Badges verifier can check the signature; our
own check also asks whether the organisation endorsed that laptop key, and about revocation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from amie_desktop.domain.heard import PRINCIPLES
from amie_desktop.reports.certificate import hours_text, long_date
from amie_desktop.services import certificates, keys, signing
from amie_desktop.services.errors import UserError
from amie_desktop.services.exports.files import safe_file_name
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Attendance, Certificate, Workshop

__all__ = [
    "BadgeExport", "base58btc_decode", "base58btc_encode", "did_key", "export_badges",
    "public_key_of", "read_badge", "sign_credential", "verify_proof",
]  # fmt: skip

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CRYPTOSUITE = "eddsa-jcs-2022"
_ED25519_PUBLIC = b"\xed\x01"  # the multicodec prefix of an Ed25519 public key
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# Multibase base58btc and did:key ------------------------------------------------------------
def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = _B58[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58.index(ch)  # ValueError for a letter outside base58
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase_key(public: bytes) -> str:
    return "z" + base58btc_encode(_ED25519_PUBLIC + public)


def did_key(public: bytes) -> str:
    return f"did:key:{multibase_key(public)}"


def public_key_of(verification_method: str) -> bytes:
    """The Ed25519 public key a did:key verification method names; ValueError otherwise."""
    multibase = verification_method.split("#", 1)[-1]
    if not multibase.startswith("z"):
        raise ValueError("not a did:key")
    raw = base58btc_decode(multibase[1:])
    if raw[:2] != _ED25519_PUBLIC or len(raw) != 34:
        raise ValueError("not an Ed25519 did:key")
    return raw[2:]


# Data Integrity, eddsa-jcs-2022 -------------------------------------------------------------
def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in options.items() if k != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    proof_hash = hashlib.sha256(rfc8785.dumps(config)).digest()
    return proof_hash + hashlib.sha256(rfc8785.dumps(unsecured)).digest()


def sign_credential(
    document: dict[str, Any], key: Ed25519PrivateKey, verification_method: str, created: str
) -> dict[str, Any]:
    """The document with a DataIntegrityProof (eddsa-jcs-2022) added."""
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in document:
        options["@context"] = document["@context"]
    signature = key.sign(_hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + base58btc_encode(signature)}}


def verify_proof(document: dict[str, Any], public: bytes) -> bool:
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    value = proof.get("proofValue", "")
    try:
        signature = base58btc_decode(value[1:]) if value.startswith("z") else b""
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _hash_data(document, proof))
    except (InvalidSignature, ValueError, TypeError, AttributeError):
        return False  # a malformed proof, or a wrong signature, is simply not a valid proof
    return True


# The credential -----------------------------------------------------------------------------
def _moment(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def credential(
    statement: signing.Statement,
    certificate_uuid: str,
    workshop_uuid: str,
    organisation_public: bytes,
    venue: str = "",
) -> dict[str, Any]:
    """What an OpenBadgeCredential says about one person's certificate (unsigned)."""
    covered = [p for p in PRINCIPLES if p.code in statement.principles]
    principles = "; ".join(f"{p.label} ({p.meaning})" for p in covered)
    where = f" at {venue}" if venue else ""
    narrative = (
        f"Took part in {statement.workshop}{where} on {long_date(statement.on)}, "
        f"{hours_text(statement.cpd_hours)} of continuing professional development in "
        "musically inclusive practice"
        + (f", covering these HEARD principles: {principles}." if covered else ".")
    )
    return {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{certificate_uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificate of CPD {statement.serial}: {statement.workshop}",
        "issuer": {
            "id": did_key(organisation_public),
            "type": ["Profile"],
            "name": statement.organisation,
        },
        "validFrom": _moment(statement.reissued_on or statement.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": statement.name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "activityEndDate": _moment(statement.on),
            "creditsEarned": statement.cpd_hours,
            "achievement": {
                "id": f"urn:uuid:{workshop_uuid}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": statement.workshop,
                "description": (
                    f"A CPD workshop on musically inclusive practice by {statement.organisation}, "
                    "built on HEARD, the framework of the Alliance for a Musically Inclusive "
                    "England (AMIE)."
                ),
                "criteria": {"narrative": narrative},
                "creditsAvailable": statement.cpd_hours,
                "tag": ["HEARD", *(p.label for p in covered)],
            },
        },
    }


@dataclass(frozen=True)
class Badge:
    """What a badge file says, read back, and whether its proof holds for its named key."""

    document: dict[str, Any]
    signer_public: bytes
    proof_valid: bool


def read_badge(text: str) -> Badge | None:
    """An OpenBadgeCredential from its JSON text, or None if the text is not one."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    types = document.get("type") if isinstance(document, dict) else None
    if not isinstance(types, list) or "OpenBadgeCredential" not in types:
        return None
    try:
        public = public_key_of(str(document["proof"]["verificationMethod"]))
    except (KeyError, TypeError, ValueError):
        return Badge(document, b"", False)
    return Badge(document, public, verify_proof(document, public))


def check_badge(badge: Badge, keyring: signing.Keyring) -> signing.Verification:
    """Genuine only if the proof holds, the organisation endorsed the signing laptop key and
    the issuer is the organisation; revoked if its certificate was revoked."""
    try:
        subject = badge.document["credentialSubject"]
        achievement = subject["achievement"]
        (who,) = [i for i in subject["identifier"] if i.get("identityType") == "name"]
        # The certificate number is in the credential's name, which the proof covers.
        serial = str(badge.document["name"]).removeprefix("Certificate of CPD ").split(":")[0]
        issuer = badge.document["issuer"]["id"]

        def found(
            verdict: signing.Verdict, why: signing.Revocation | None = None
        ) -> signing.Verification:
            return signing.Verification(
                verdict,
                serial=serial,
                holder_name=str(who["identityHash"]),
                workshop_title=str(achievement["name"]),
                workshop_date=date.fromisoformat(str(subject["activityEndDate"])[:10]),
                cpd_hours=float(subject["creditsEarned"]),
                issued_on=date.fromisoformat(str(badge.document["validFrom"])[:10]),
                organisation=keyring.organisation,
                revocation_reason=why.reason if why else "",
                revoked_on=why.revoked_on if why else None,
            )

        found(signing.Verdict.TAMPERED)  # every fact can be read
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UserError(
            "This badge file is missing what an Open Badges credential holds."
        ) from None
    laptop = keyring.laptop(signing.key_id(badge.signer_public))
    if laptop is None or (laptop.revoked_on is not None and serial not in laptop.kept_serials):
        return found(signing.Verdict.UNKNOWN_SIGNER)
    if not badge.proof_valid or issuer != did_key(keyring.public_key):
        return found(signing.Verdict.TAMPERED)
    revocation = keyring.revocation(serial)
    if revocation is not None:
        return found(signing.Verdict.REVOKED, revocation)
    return found(signing.Verdict.GENUINE)


# Export -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BadgeExport:
    count: int
    files: tuple[Path, ...]


def export_badges(
    store: Store,
    workshop_key: str | int,
    out_dir: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> BadgeExport:
    """Issue (or find) the workshop's certificates and write one signed badge file per person."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"The folder {out_dir} cannot be made ({exc.strerror}).") from None
    batch = certificates.issue(store, workshop_key)
    ids = [c.attendance_id for c in batch.certificates]
    with store.write() as session:
        signer = keys.laptop_signer(store, session)
        organisation_public = keys.keyring(session).public_key
        workshop = session.get(Workshop, batch.workshop_id)
        assert workshop is not None
        rows = {
            row.attendance_id: row
            for row in session.scalars(
                select(Certificate)
                .join(Attendance, Attendance.id == Certificate.attendance_id)
                .where(Certificate.attendance_id.in_(ids))
            )
        }
        documents = []
        for issued in batch.certificates:
            row = rows[issued.attendance_id]
            statement = certificates.statement_of(row)
            method = f"{did_key(signing.public_bytes(signer.key.public_key()))}#"
            method += multibase_key(signing.public_bytes(signer.key.public_key()))
            unsigned = credential(
                statement, row.uuid, workshop.uuid, organisation_public, workshop.venue
            )
            issued_at = row.reissued_at or row.issued_at
            created = datetime.fromtimestamp(int(issued_at.timestamp()), issued_at.tzinfo)
            stamp = created.isoformat().replace("+00:00", "Z")
            documents.append((statement, sign_credential(unsigned, signer.key, method, stamp)))
    files = []
    for number, (statement, document) in enumerate(documents, start=1):
        name = safe_file_name(
            f"{statement.on.isoformat()} {statement.serial} {statement.name}", ".json"
        )
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        atomic_write_bytes(out_dir / name, text.encode("utf-8"))
        files.append(out_dir / name)
        if progress is not None:
            progress(number, len(documents))
    return BadgeExport(len(files), tuple(files))
