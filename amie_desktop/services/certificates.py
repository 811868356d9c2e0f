"""Issuing certificates (serials, signatures, reissues), checking and revoking them, their design.

Each certificate's statement is signed by this laptop's key (see services/signing.py), so
anyone with the organisation's public key file can check it, offline. The short printed check
code is derived from the signature and looked up in the records. Issuing again for unchanged
facts gives the same certificate; a changed name, title, date, hours or principles gives a
reissue with the same serial, a new signature and check code, and the date of the reissue.
Certificates issued before signing keep their keyed (HMAC) check codes, which still check here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import rfc8785
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from amie_desktop.domain.contrast import contrast_ratio
from amie_desktop.domain.dates import long_date
from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.reports import preview
from amie_desktop.reports.certificate import (
    ActionPlan,
    CertificateDesign,
    CertificateEvent,
    CertificateHolder,
)
from amie_desktop.reports.styles import PAPER_SIZES
from amie_desktop.services import audit, keys, signing
from amie_desktop.services.errors import UserError
from amie_desktop.services.signing import Verdict, Verification
from amie_desktop.services.workshops import _find as find_workshop
from amie_desktop.store import Store
from amie_desktop.store.models import (
    Attendance,
    Certificate,
    CertificateLook,
    Organisation,
    Person,
    Reflection,
    SyncState,
    Workshop,
)

__all__ = [
    "CertificateBatch",
    "CertificateDesign",
    "CertificateRecord",
    "IssuedCertificate",
    "Verdict",
    "Verification",
    "attendees",
    "certificates_for",
    "covered_principles",
    "event_for",
    "get_design",
    "is_signed",
    "issue",
    "make_check_code",
    "normalise_code",
    "preview_png",
    "record_hashes",
    "revoke",
    "save_design",
    "statement_of",
    "verify",
]  # fmt: skip

CODE_LENGTH = 10
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MIN_CONTRAST = 4.5  # WCAG AA for text, against white


def long_day(day: date) -> str:
    return long_date(day)


def local_day(moment: datetime) -> date:
    """The calendar day of a stored UTC time on this computer's clock (what people expect)."""
    return moment.astimezone().date()


# Check codes -------------------------------------------------------------------------------
def _facts(serial: str, name: str, title: str, on: date, hours: float) -> bytes:
    fields = (serial, unicodedata.normalize("NFC", name), title, on.isoformat(), f"{hours:g}")
    return "\x1f".join(fields).encode("utf-8")


def make_check_code(
    secret: bytes, serial: str, name: str, title: str, on: date, hours: float
) -> str:
    """A short keyed code for a certificate's facts: ten letters and digits, as XXXXX-XXXXX."""
    digest = hmac.new(secret, _facts(serial, name, title, on, hours), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return f"{text[:5]}-{text[5:]}"


def normalise_code(text: str) -> str:
    """A code as typed or scanned (any case, spaces, dashes, or the whole QR text) in XXXXX-XXXXX.

    Base32 has no 0, 1 or 8, so those are read as the letters O, I and B people mistake them for.
    """
    table = str.maketrans("018", "OIB")
    whole = re.sub(r"[^A-Za-z0-9]", "", text).upper().translate(table)
    if len(whole) != CODE_LENGTH:  # the QR code's text: the serial, then the code
        words = text.strip().split()
        whole = re.sub(r"[^A-Za-z0-9]", "", words[-1] if words else "").upper().translate(table)
    if len(whole) != CODE_LENGTH:
        return text.strip().upper()[:40]
    return f"{whole[:5]}-{whole[5:]}"


def _secret(session: Session) -> bytes:
    org = session.scalars(select(Organisation).limit(1)).first()
    if org is None:
        raise UserError("The organisation has not been set up yet, so no certificates exist.")
    return org.certificate_secret


def statement_of(row: Certificate) -> signing.Statement:
    """What the certificate's record states, as it was signed."""
    assert row.workshop_date is not None
    return signing.Statement(
        organisation=row.organisation_name,
        name=row.holder_name,
        workshop=row.workshop_title,
        on=row.workshop_date,
        cpd_hours=row.cpd_hours,
        principles=row.principles,
        serial=row.serial,
        issued_on=local_day(row.issued_at),
        reissued_on=local_day(row.reissued_at) if row.reissued_at else None,
        signer=row.signer_key_id,
    )


def _signed(row: Certificate) -> signing.SignedCertificate:
    return signing.SignedCertificate(statement_of(row), signing.unb64(row.signature))


def _legacy_check(session: Session, row: Certificate, code: str) -> Verdict:
    """Certificates issued before signing carry a keyed code only this installation can check."""
    assert row.workshop_date is not None
    expected = make_check_code(
        _secret(session),
        row.serial,
        row.holder_name,
        row.workshop_title,
        row.workshop_date,
        row.cpd_hours,
    )
    return Verdict.GENUINE if hmac.compare_digest(expected, code) else Verdict.TAMPERED


def verify(store: Store, text: str) -> Verification:
    """Check a certificate offline: its QR code's text, its file's JSON or its printed code.

    A QR code or a certificate file proves itself against the organisation's keys; a code typed
    by hand is looked up in this laptop's records (which sync brings from the other laptops).
    """
    if is_signed(text):
        local = keys.local_keyring(store)
        return signing.check(signing.read_signed(text, local), local)
    code = normalise_code(text)
    with store.read() as session:
        row = session.scalars(select(Certificate).where(Certificate.check_code == code)).first()
        if row is None or row.workshop_date is None:
            org = session.scalars(select(Organisation).limit(1)).first()
            return Verification(Verdict.UNKNOWN, code, organisation=org.name if org else "")
        if not row.signature:
            verdict = _legacy_check(session, row, code)
            ring: signing.Keyring | None = None
        else:
            ring = keys.keyring(session)
            verdict = signing.check(_signed(row), ring).verdict
        if not row.holder_name:  # every certificate is issued with a name: it was removed
            verdict = Verdict.NAME_REMOVED
        elif verdict is Verdict.GENUINE and row.revoked_at is not None:
            verdict = Verdict.REVOKED
        return Verification(
            verdict,
            code,
            serial=row.serial,
            holder_name=row.holder_name,
            workshop_title=row.workshop_title,
            workshop_date=row.workshop_date,
            cpd_hours=row.cpd_hours,
            issued_on=local_day(row.issued_at),
            reissued_on=local_day(row.reissued_at) if row.reissued_at else None,
            organisation=ring.organisation if ring else (row.organisation_name or ""),
            principles=row.principles,
            revocation_reason=row.revocation_reason if row.revoked_at else "",
            revoked_on=local_day(row.revoked_at) if row.revoked_at else None,
        )


def is_signed(text: str) -> bool:
    text = text.strip()
    return text.upper().startswith(signing.QR_PREFIX) or text.startswith("{")


def revoke(store: Store, serial: str, reason: str, *, now: datetime | None = None) -> Verification:
    """Withdraw a certificate, with a reason; it then checks as revoked everywhere the
    organisation's revocation list (or this laptop's records) reaches."""
    reason = " ".join(reason.split())
    if not reason:
        raise UserError("Please give a reason for revoking the certificate.")
    with store.write() as session:
        row = session.scalars(
            select(Certificate).where(Certificate.serial == serial.strip().upper())
        ).first()
        if row is None:
            raise UserError(f"No certificate numbered {serial.strip()} was issued here.")
        if row.revoked_at is not None:
            raise UserError(f"Certificate {row.serial} was already revoked.")
        row.revoked_at = now or datetime.now(UTC)
        row.revocation_reason = reason
        audit.record(session, "certificate revoked", row.serial)
        code = row.check_code
    return verify(store, code)


# Issuing -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssuedCertificate:
    attendance_id: int
    holder: CertificateHolder
    reissued: bool  # reissued by this call (the facts changed since the last issue)
    new: bool  # first issued by this call


@dataclass(frozen=True)
class CertificateBatch:
    workshop_id: int
    event: CertificateEvent
    design: CertificateDesign
    certificates: tuple[IssuedCertificate, ...]


@dataclass(frozen=True)
class Attendee:
    attendance_id: int
    name: str


def attendees(store: Store, workshop_key: str | int) -> tuple[int, list[Attendee]]:
    """The workshop's id and the people marked as attended, in name order."""
    with store.read() as session:
        workshop = find_workshop(session, workshop_key)
        rows = session.execute(
            select(Attendance.id, Person.name)
            .join(Person, Person.id == Attendance.person_id)
            .where(
                Attendance.workshop_id == workshop.id,
                Attendance.status == AttendanceStatus.ATTENDED,
            )
            .order_by(Attendance.id)
        )
        people = [Attendee(attendance_id, name) for attendance_id, name in rows]
        return workshop.id, sorted(people, key=lambda a: (a.name.casefold(), a.attendance_id))


def covered_principles(workshop: Workshop) -> tuple[Principle, ...]:
    """The HEARD principles a workshop covered, in HEARD order.

    Once it has run, those of the steps it reached, leaving out steps skipped or never reached
    (a workshop finished early covered less than it planned); before it runs, those of every
    step planned. What a certificate, its signed statement and its badge say comes from here.
    """
    ran = any(step.started_at is not None for step in workshop.steps)
    covered = {
        step.principle
        for step in workshop.steps
        if step.principle and (not ran or (step.started_at is not None and not step.skipped))
    }
    return tuple(p for p in PRINCIPLES if p.code in covered)


def _event(workshop: Workshop) -> CertificateEvent:
    return CertificateEvent(
        title=workshop.title,
        on=workshop.date,
        cpd_hours=workshop.cpd_hours,
        facilitators=tuple(workshop.facilitators),
        principles=covered_principles(workshop),
        venue=workshop.venue,
    )


def event_for(store: Store, workshop_key: str | int) -> CertificateEvent:
    """What every certificate of the workshop says about it."""
    with store.read() as session:
        return _event(find_workshop(session, workshop_key))


def _design(org: Organisation) -> CertificateDesign:
    return CertificateDesign(
        organisation=org.name,
        wording=org.certificate_wording,
        accent=org.certificate_accent,
        secondary=org.certificate_secondary,
        logo_png=org.logo_png,
        signature_png=org.signature_png,
        signature_name=org.signature_name,
        paper_size=org.paper_size,
    )


def _action_plan(attendance: Attendance) -> ActionPlan | None:
    after = next(
        (
            r
            for r in attendance.reflections
            if r.phase is Phase.AFTER and r.state is ReflectionState.SUBMITTED
        ),
        None,
    )
    if after is None:
        return None
    answers = {a.question_key: (a.text or "").strip() for a in after.answers}
    if not answers.get("do_differently"):
        return None
    focus = answers.get("focus_principle", "")
    return ActionPlan(
        do_differently=answers["do_differently"],
        focus=Principle(focus) if focus in {p.code for p in PRINCIPLES} else None,
        barriers=answers.get("barriers", ""),
    )


def _serials(session: Session, year: int) -> Iterator[str]:
    """Unused serial numbers, in order, for certificates issued in this unit of work.

    A laptop that joined the organisation puts its own letter in (CPD-2026-B-000001), so two
    laptops issuing offline never give the same number.
    """
    laptop = session.scalar(select(SyncState.serial_prefix).where(SyncState.id == 1)) or ""
    prefix = f"CPD-{year}-{laptop}-" if laptop else f"CPD-{year}-"
    taken = set(
        session.scalars(select(Certificate.serial).where(Certificate.serial.startswith(prefix)))
    )
    number = (session.scalar(select(func.max(Certificate.id))) or 0) + 1
    while True:
        serial = f"{prefix}{number:06d}"
        if serial not in taken:
            yield serial
        number += 1


def issue(
    store: Store,
    workshop_key: str | int,
    *,
    with_action_plans: bool = False,
    now: datetime | None = None,
    leave_out: Collection[int] = (),
) -> CertificateBatch:
    """Issue (or find) a certificate for everyone marked as attended at the workshop.

    Nothing is issued for the attendances in leave_out (names no font can print).
    """
    now = now or datetime.now(UTC)
    with store.write() as session:
        org = session.scalars(select(Organisation).limit(1)).one()
        workshop = find_workshop(session, workshop_key)
        query = (
            select(Attendance)
            .where(
                Attendance.workshop_id == workshop.id,
                Attendance.status == AttendanceStatus.ATTENDED,
            )
            .options(selectinload(Attendance.person))
        )
        if with_action_plans:
            query = query.options(
                selectinload(Attendance.reflections).selectinload(Reflection.answers)
            )
        attended = [a for a in session.scalars(query) if a.id not in leave_out]
        if not attended:
            raise UserError(
                f"Nobody is marked as attended at {workshop.title!r}, so there are no "
                "certificates to export. Mark who came in the register first."
            )
        existing: dict[int, Certificate] = {}
        for row in session.scalars(
            select(Certificate)
            .where(Certificate.attendance_id.in_([a.id for a in attended]))
            .order_by(Certificate.id)
        ):
            assert row.attendance_id is not None
            existing[row.attendance_id] = row  # the latest wins
        serials = _serials(session, workshop.date.year)
        signer = keys.laptop_signer(store, session)
        issued: list[IssuedCertificate] = []
        for attendance in sorted(attended, key=lambda a: (a.person.name.casefold(), a.id)):
            certificate = _issue_one(
                session, signer, org.name, workshop, attendance, existing.get(attendance.id),
                serials, now,
            )  # fmt: skip
            plan = _action_plan(attendance) if with_action_plans else None
            if plan is not None:
                certificate = replace(
                    certificate, holder=replace(certificate.holder, action_plan=plan)
                )
            issued.append(certificate)
        new = sum(c.new for c in issued)
        reissued = sum(c.reissued for c in issued)
        if new or reissued:
            audit.record(
                session,
                "certificates issued",
                f"{workshop.title} ({long_date(workshop.date)}): {new} new, {reissued} reissued",
            )
        changed = {c.holder.serial for c in issued if c.new or c.reissued}
        design, event = _frozen_look(
            session, org, workshop, [c.holder.serial for c in issued], changed
        )
        return CertificateBatch(workshop.id, event, design, tuple(issued))


def _look_settings(design: CertificateDesign, event: CertificateEvent) -> dict[str, Any]:
    return {
        "organisation": design.organisation,
        "wording": design.wording,
        "accent": design.accent,
        "secondary": design.secondary,
        "signature_name": design.signature_name,
        "paper_size": design.paper_size,
        "facilitators": list(event.facilitators),
        "venue": event.venue,
    }


def _look_sha256(settings: dict[str, Any], logo: bytes | None, signature: bytes | None) -> str:
    digest = hashlib.sha256(rfc8785.dumps(settings))
    for image in (logo, signature):
        digest.update(hashlib.sha256(image or b"").digest())
    return digest.hexdigest()


def _frozen_look(
    session: Session,
    org: Organisation,
    workshop: Workshop,
    serials: list[str],
    changed: set[str],
) -> tuple[CertificateDesign, CertificateEvent]:
    """The design and event to draw the workshop's certificates with: as they were when its
    certificates were first issued, so a later design change leaves issued PDFs unchanged.

    Every certificate of one export shares one look (so a merged PDF is all of a piece): the
    look of those kept unchanged, or today's design when every one is new or reissued.
    """
    design, event = _design(org), _event(workshop)
    rows = list(session.scalars(select(Certificate).where(Certificate.serial.in_(serials))))
    kept = sorted(
        (r for r in rows if r.look_sha256 and r.serial not in changed), key=lambda r: r.id
    )
    look = None
    if kept:
        look = session.scalars(
            select(CertificateLook).where(CertificateLook.sha256 == kept[0].look_sha256)
        ).first()
    if look is None:
        settings = _look_settings(design, event)
        sha = _look_sha256(settings, design.logo_png, design.signature_png)
        look = session.scalars(select(CertificateLook).where(CertificateLook.sha256 == sha)).first()
        if look is None:
            look = CertificateLook(
                sha256=sha,
                settings=json.dumps(settings, ensure_ascii=False),
                logo_png=design.logo_png,
                signature_png=design.signature_png,
            )
            session.add(look)
    for row in rows:
        row.look_sha256 = look.sha256
    kept_settings = json.loads(look.settings)
    frozen = CertificateDesign(
        organisation=kept_settings["organisation"],
        wording=kept_settings["wording"],
        accent=kept_settings["accent"],
        secondary=kept_settings["secondary"],
        logo_png=look.logo_png,
        signature_png=look.signature_png,
        signature_name=kept_settings["signature_name"],
        paper_size=kept_settings["paper_size"],
    )
    event = replace(
        event, facilitators=tuple(kept_settings["facilitators"]), venue=kept_settings["venue"]
    )
    return frozen, event


def _facts_of(row: Certificate) -> tuple[object, ...]:
    return (row.holder_name, row.workshop_title, row.workshop_date, row.cpd_hours, row.principles)


def _issue_one(
    session: Session,
    signer: keys.Signer,
    organisation: str,
    workshop: Workshop,
    attendance: Attendance,
    row: Certificate | None,
    serials: Iterator[str],
    now: datetime,
) -> IssuedCertificate:
    name = unicodedata.normalize("NFC", " ".join(attendance.person.name.split()))
    principles = "".join(p.code for p in covered_principles(workshop))
    facts = (name, workshop.title, workshop.date, workshop.cpd_hours, principles)
    new = reissued = False
    if row is None:
        row = Certificate(
            attendance_id=attendance.id,
            serial=next(serials),
            issued_at=now,
            organisation_name=organisation,
        )
        session.add(row)
        new = True
    elif _facts_of(row)[: 5 if row.signature else 4] != facts[: 5 if row.signature else 4]:
        row.reissued_at = now
        row.pdf_sha256 = ""
        reissued = True
    if new or reissued or not row.signature:
        # Certificates from before signing are signed as they stand, keeping their code.
        row.holder_name, row.workshop_title = name, workshop.title
        row.workshop_date, row.cpd_hours, row.principles = workshop.date, *facts[3:]
        row.organisation_name = row.organisation_name or organisation
        row.signer_key_id = signer.key_id
        signed = signing.sign(statement_of(row), signer.key)
        row.signature = signing.b64(signed.signature)
        if new or reissued:
            row.check_code = signed.check_code
    signed = _signed(row)
    holder = CertificateHolder(
        name=row.holder_name,
        serial=row.serial,
        check_code=row.check_code,
        issued_on=local_day(row.issued_at),
        reissued_on=local_day(row.reissued_at) if row.reissued_at else None,
        qr_text=signed.qr_text(),
        credential=signed.credential_json(),
    )
    return IssuedCertificate(attendance.id, holder, reissued=reissued, new=new)


def record_hashes(store: Store, hashes: Iterable[tuple[str, str]]) -> None:
    """Keep the SHA-256 of the PDF issued for each serial."""
    with store.write() as session:
        wanted = dict(hashes)
        rows = session.scalars(select(Certificate).where(Certificate.serial.in_(list(wanted))))
        for row in rows:
            row.pdf_sha256 = wanted[row.serial]


@dataclass(frozen=True)
class CertificateRecord:
    serial: str
    check_code: str
    holder_name: str
    issued_at: datetime
    reissued_at: datetime | None
    pdf_sha256: str


def certificates_for(store: Store, workshop_key: str | int) -> list[CertificateRecord]:
    """The certificates issued for a workshop's attendees, by serial."""
    with store.read() as session:
        workshop = find_workshop(session, workshop_key)
        rows = session.scalars(
            select(Certificate)
            .join(Attendance, Attendance.id == Certificate.attendance_id)
            .where(Attendance.workshop_id == workshop.id)
            .order_by(Certificate.serial)
        )
        return [
            CertificateRecord(
                r.serial, r.check_code, r.holder_name, r.issued_at, r.reissued_at, r.pdf_sha256
            )
            for r in rows
        ]


# Design ------------------------------------------------------------------------------------
def get_design(store: Store) -> CertificateDesign:
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        if org is None:
            raise UserError("The organisation has not been set up yet.")
        return _design(org)


def _check_png(data: bytes | None, what: str) -> None:
    if data is None:
        return
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise UserError(f"The {what} must be a PNG image.")
    if len(data) > MAX_IMAGE_BYTES:
        raise UserError(f"The {what} is larger than 2 MB. Please use a smaller PNG image.")


def save_design(store: Store, design: CertificateDesign) -> CertificateDesign:
    """Save the certificate design; the organisation's name is not changed here."""
    for value, what in ((design.accent, "main colour"), (design.secondary, "second colour")):
        if not _HEX_COLOUR.match(value):
            raise UserError(f"The {what} must be written like #1F5F8B.")
        # The name, title and workshop are printed in these colours on white paper.
        if contrast_ratio(value, "#FFFFFF") < MIN_CONTRAST:
            raise UserError(
                f"The {what} {value} is too pale to read on white paper. Please choose a "
                f"darker one (it needs a contrast of at least {MIN_CONTRAST:g} to 1)."
            )
    if design.paper_size not in PAPER_SIZES:
        raise UserError("The paper size must be A4 or Letter.")
    wording = " ".join(design.wording.split())
    if not wording:
        raise UserError("Please write the wording that follows the person's name.")
    if len(wording) > 300:
        raise UserError("The wording is too long for a certificate: keep it under 300 letters.")
    _check_png(design.logo_png, "logo")
    _check_png(design.signature_png, "signature")
    if design.signature_png and not design.signature_name.strip():
        raise UserError(
            "Please type whose signature the image is under “Signed by”, or remove the "
            "image. With nobody named, each workshop's facilitators sign its certificates."
        )
    with store.write() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        if org is None:
            raise UserError("The organisation has not been set up yet.")
        org.certificate_wording = wording
        org.certificate_accent = design.accent.upper()
        org.certificate_secondary = design.secondary.upper()
        org.logo_png = design.logo_png
        org.signature_png = design.signature_png
        org.signature_name = " ".join(design.signature_name.split())
        org.paper_size = design.paper_size
        audit.record(session, "certificate design changed")
        return _design(org)


def preview_png(design: CertificateDesign, width_px: int = 900) -> bytes:
    """A PNG picture of a sample certificate in this design, dated today (the live preview)."""
    return preview.sample_certificate_png(design, local_day(datetime.now(UTC)), width_px)
