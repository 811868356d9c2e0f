"""Issuing certificates (serials, keyed check codes, reissues), checking them, and their design.

A check code is an HMAC of the certificate's facts under this installation's secret, so only
this installation can make or check one, with no network. Issuing again for unchanged facts
gives the same certificate; a changed name, title, date or hours gives a reissue with the same
serial, a new check code and the date of the reissue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from amie_desktop.domain.contrast import contrast_ratio
from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.reports import preview
from amie_desktop.reports.certificate import (
    ActionPlan,
    CertificateDesign,
    CertificateEvent,
    CertificateHolder,
    hours_text,
)
from amie_desktop.reports.styles import PAPER_SIZES
from amie_desktop.services import audit
from amie_desktop.services.errors import UserError
from amie_desktop.services.workshops import _find as find_workshop
from amie_desktop.store import Store
from amie_desktop.store.models import (
    Attendance,
    Certificate,
    Organisation,
    Person,
    Reflection,
    Workshop,
)

__all__ = [
    "CertificateBatch", "CertificateDesign", "CertificateRecord", "IssuedCertificate",
    "Verdict", "Verification", "attendees", "certificates_for", "event_for", "get_design",
    "issue",
    "make_check_code", "normalise_code", "preview_png", "record_hashes", "save_design",
    "verify",
]  # fmt: skip

CODE_LENGTH = 10
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MIN_CONTRAST = 4.5  # WCAG AA for text, against white


class Verdict(Enum):
    GENUINE = "genuine"
    TAMPERED = "tampered"  # the record no longer matches the code it was issued with
    UNKNOWN = "unknown"  # no certificate with this code was issued here
    NAME_REMOVED = "name_removed"  # issued here; the holder was erased or anonymised since


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    code: str
    serial: str = ""
    holder_name: str = ""
    workshop_title: str = ""
    workshop_date: date | None = None
    cpd_hours: float = 0.0
    issued_at: datetime | None = None
    reissued_at: datetime | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict is Verdict.GENUINE

    def message(self) -> str:
        """What the check found, in one or two plain sentences."""
        if self.verdict is Verdict.UNKNOWN:
            return (
                f"Not genuine: no certificate with check code {self.code} was issued by this "
                "installation. Check the code for typing mistakes."
            )
        if self.verdict is Verdict.NAME_REMOVED:
            assert self.workshop_date is not None
            return (
                f"Certificate {self.serial} was issued by this installation for "
                f"{self.workshop_title} on {long_day(self.workshop_date)}, but the holder's name "
                "has since been removed from the records (erased at their request, or at the end "
                "of the data retention period), so this check cannot confirm who it was "
                "issued to."
            )
        if self.verdict is Verdict.TAMPERED:
            return (
                f"Not genuine: the record of certificate {self.serial} has been changed since "
                f"check code {self.code} was issued, so it cannot be trusted."
            )
        assert self.workshop_date is not None and self.issued_at is not None
        text = (
            f"Genuine: certificate {self.serial} was issued to {self.holder_name} for "
            f"{self.workshop_title} on {long_day(self.workshop_date)} "
            f"({hours_text(self.cpd_hours)} of CPD), "
            f"issued on {long_day(local_day(self.issued_at))}"
        )
        if self.reissued_at is not None:
            text += f" and reissued on {long_day(local_day(self.reissued_at))}"
        return text + "."

    def as_json(self) -> dict[str, object]:
        """The stable shape `amie-desktop verify --json` prints."""
        return {
            "verdict": self.verdict.value,
            "genuine": self.genuine,
            "code": self.code,
            "serial": self.serial,
            "holder_name": self.holder_name,
            "workshop_title": self.workshop_title,
            "workshop_date": self.workshop_date.isoformat() if self.workshop_date else None,
            "cpd_hours": self.cpd_hours,
            "issued_at": self.issued_at.isoformat() if self.issued_at else None,
            "reissued_at": self.reissued_at.isoformat() if self.reissued_at else None,
        }


def long_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


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


def verify(store: Store, code: str) -> Verification:
    """Check a certificate's code against this installation's records, offline."""
    code = normalise_code(code)
    with store.read() as session:
        secret = _secret(session)
        row = session.scalars(select(Certificate).where(Certificate.check_code == code)).first()
        if row is None or row.workshop_date is None:
            return Verification(Verdict.UNKNOWN, code)
        expected = make_check_code(
            secret,
            row.serial,
            row.holder_name,
            row.workshop_title,
            row.workshop_date,
            row.cpd_hours,
        )
        verdict = Verdict.GENUINE if hmac.compare_digest(expected, code) else Verdict.TAMPERED
        if not row.holder_name:  # every certificate is issued with a name: it was removed
            verdict = Verdict.NAME_REMOVED
        return Verification(
            verdict,
            code,
            serial=row.serial,
            holder_name=row.holder_name,
            workshop_title=row.workshop_title,
            workshop_date=row.workshop_date,
            cpd_hours=row.cpd_hours,
            issued_at=row.issued_at,
            reissued_at=row.reissued_at,
        )


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


def _event(workshop: Workshop) -> CertificateEvent:
    covered = {step.principle for step in workshop.steps if step.principle}
    return CertificateEvent(
        title=workshop.title,
        on=workshop.date,
        cpd_hours=workshop.cpd_hours,
        facilitators=tuple(workshop.facilitators),
        principles=tuple(p for p in PRINCIPLES if p.code in covered),
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
    """Unused serial numbers, in order, for certificates issued in this unit of work."""
    prefix = f"CPD-{year}-"
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
) -> CertificateBatch:
    """Issue (or find) a certificate for everyone marked as attended at the workshop."""
    now = now or datetime.now(UTC)
    with store.write() as session:
        secret = _secret(session)
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
        attended = list(session.scalars(query))
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
        issued: list[IssuedCertificate] = []
        for attendance in sorted(attended, key=lambda a: (a.person.name.casefold(), a.id)):
            certificate = _issue_one(
                session, secret, workshop, attendance, existing.get(attendance.id), serials, now
            )
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
                f"{workshop.title} ({workshop.date.isoformat()}): {new} new, {reissued} reissued",
            )
        return CertificateBatch(workshop.id, _event(workshop), _design(org), tuple(issued))


def _issue_one(
    session: Session,
    secret: bytes,
    workshop: Workshop,
    attendance: Attendance,
    row: Certificate | None,
    serials: Iterator[str],
    now: datetime,
) -> IssuedCertificate:
    name = unicodedata.normalize("NFC", " ".join(attendance.person.name.split()))
    facts = (name, workshop.title, workshop.date, workshop.cpd_hours)
    new = reissued = False
    if row is None:
        serial = next(serials)
        row = Certificate(
            attendance_id=attendance.id,
            serial=serial,
            issued_at=now,
            check_code=make_check_code(secret, serial, *facts),
            holder_name=name,
            workshop_title=workshop.title,
            workshop_date=workshop.date,
            cpd_hours=workshop.cpd_hours,
        )
        session.add(row)
        new = True
    elif (row.holder_name, row.workshop_title, row.workshop_date, row.cpd_hours) != facts:
        row.holder_name, row.workshop_title = name, workshop.title
        row.workshop_date, row.cpd_hours = workshop.date, workshop.cpd_hours
        row.check_code = make_check_code(secret, row.serial, *facts)
        row.reissued_at = now
        row.pdf_sha256 = ""
        reissued = True
    holder = CertificateHolder(
        name=row.holder_name,
        serial=row.serial,
        check_code=row.check_code,
        issued_on=local_day(row.issued_at),
        reissued_on=local_day(row.reissued_at) if row.reissued_at else None,
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
