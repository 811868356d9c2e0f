"""SQLAlchemy 2 models (DeclarativeBase, Mapped); Alembic owns the schema."""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, date, datetime, time
from enum import Enum as PyEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from amie_desktop.domain.text import fold, search_key
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState, WorkshopStatus

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (SQLite keeps none) and hands back zone-aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _enum(kind: type[PyEnum]) -> Enum:
    return Enum(
        kind,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class HasUuid:
    """Rows that can leave a laptop carry a UUID, so data from several laptops can merge."""

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Synced:
    """Rows that travel between laptops and the organisation's database (services/sync.py).

    Every write stamps the row (store/tracking.py): updated_at and the device that wrote it say
    which edit is later; change_seq, a number that only grows in this database, says which
    rows changed since the last sync.
    """

    updated_by: Mapped[str] = mapped_column(String(36), default="", server_default="")
    change_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)


class Organisation(HasUuid, Timestamps, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_name: Mapped[str] = mapped_column(String(200), default="")
    certificate_wording: Mapped[str] = mapped_column(Text, default="")
    default_cpd_hours: Mapped[float] = mapped_column(Float, default=3.0)
    pin_hash: Mapped[str] = mapped_column(String(255))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked_until: Mapped[datetime | None] = mapped_column()
    retention_months: Mapped[int] = mapped_column(Integer, default=24)
    paper_size: Mapped[str] = mapped_column(String(10), default="A4")
    certificate_accent: Mapped[str] = mapped_column(String(7), default="#1F5F8B")
    certificate_secondary: Mapped[str] = mapped_column(String(7), default="#8A3B12")
    idle_seconds: Mapped[int] = mapped_column(Integer, default=90)
    # A second place for every backup (a USB stick, say); empty when not used.
    second_backup_folder: Mapped[str] = mapped_column(Text, default="")
    # Set when an admin has seen the first retention preview and agreed; runs are automatic after.
    retention_confirmed_at: Mapped[datetime | None] = mapped_column()
    # Key for certificate check codes; never leaves this installation.
    certificate_secret: Mapped[bytes] = mapped_column(LargeBinary(64))


class Template(HasUuid, Timestamps, Base):
    __tablename__ = "template"

    id: Mapped[int] = mapped_column(primary_key=True)
    builtin_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    cpd_hours: Mapped[float] = mapped_column(Float, default=3.0)

    steps: Mapped[list[TemplateStep]] = relationship(
        back_populates="template",
        order_by="TemplateStep.position",
        cascade="all, delete-orphan",
    )


class StepFields:
    """The agenda fields a template step and a workshop step share."""

    position: Mapped[int] = mapped_column(Integer)
    principle: Mapped[str | None] = mapped_column(String(1))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str] = mapped_column(Text, default="")
    activity: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")


class TemplateStep(StepFields, Base):
    __tablename__ = "template_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("template.id", ondelete="CASCADE"), index=True
    )
    template: Mapped[Template] = relationship(back_populates="steps")


class Workshop(HasUuid, Timestamps, Synced, Base):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    facilitators: Mapped[list[str]] = mapped_column(JSON, default=list)
    cpd_hours: Mapped[float] = mapped_column(Float, default=3.0)
    status: Mapped[WorkshopStatus] = mapped_column(
        _enum(WorkshopStatus), default=WorkshopStatus.PLANNED
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    template_title: Mapped[str] = mapped_column(String(200), default="")
    # Facilitate mode: where the running workshop is, so a restart comes back to the same place.
    current_position: Mapped[int | None] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    run_started_at: Mapped[datetime | None] = mapped_column()
    run_ended_at: Mapped[datetime | None] = mapped_column()
    # When the workshop should finish; the agenda editor warns when the steps run past it.
    end_time: Mapped[time | None] = mapped_column(Time)
    # fold() of title, venue and facilitators, kept by _fold_workshop for quick search.
    search_folded: Mapped[str] = mapped_column(Text, default="")
    # "|ruth adebayo|tom ellison|": each facilitator folded, for the facilitator filter.
    facilitators_folded: Mapped[str] = mapped_column(Text, default="")
    # The device (laptop) the workshop was planned on, for organisation-wide reports.
    created_by: Mapped[str] = mapped_column(String(36), default="", server_default="")

    steps: Mapped[list[WorkshopStep]] = relationship(
        back_populates="workshop",
        order_by="WorkshopStep.position",
        cascade="all, delete-orphan",
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan"
    )


def workshop_search_text(title: str, venue: str, facilitators: list[str]) -> str:
    # Facilitators' names also in Latin letters, as people's names are (search_key).
    return " / ".join((fold(f"{title} {venue}"), *(search_key(name) for name in facilitators)))


def facilitators_key(facilitators: list[str]) -> str:
    return "|" + "".join(f"{fold(name)}|" for name in facilitators if name.strip())


@event.listens_for(Workshop, "before_insert")
@event.listens_for(Workshop, "before_update")
def _fold_workshop(_mapper: Any, _connection: Any, workshop: Workshop) -> None:
    # Kept here so every writer (planning, demo, imports) leaves the search columns true.
    facilitators = list(workshop.facilitators or [])
    workshop.search_folded = workshop_search_text(
        workshop.title, workshop.venue or "", facilitators
    )
    workshop.facilitators_folded = facilitators_key(facilitators)


class WorkshopStep(HasUuid, StepFields, Synced, Base):
    __tablename__ = "workshop_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    group_notes: Mapped[str] = mapped_column(Text, default="")
    # Time used on this step before running_since; while its timer runs, add now - running_since.
    used_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    running_since: Mapped[datetime | None] = mapped_column()
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="steps")


class Person(HasUuid, Timestamps, Synced, Base):
    __tablename__ = "person"
    # Name search reads the key from this index in name order, never the table's rows: with
    # 30,000 people, looking each row up in the table made a search take ten times as long.
    __table_args__ = (Index("ix_person_name_search", "name_folded", "id", "name_search"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # fold(name): lower-case, accents removed, for "lukasz" to find "Łukasz".
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    # search_key(name): the folded name and its Latin reading, for "noa" to find "נועה". Kept by
    # _key_person; the default serves inserts made without the ORM.
    name_search: Mapped[str] = mapped_column(
        Text, default=lambda context: search_key(context.get_current_parameters()["name"])
    )
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")

    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _key_person(_mapper: Any, _connection: Any, person: Person) -> None:
    # Every writer (register, station, import, erasure) leaves the search key true to the name.
    person.name_search = search_key(person.name)


class Attendance(HasUuid, Timestamps, Synced, Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("workshop_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        _enum(AttendanceStatus), default=AttendanceStatus.BOOKED
    )
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_in_at: Mapped[datetime | None] = mapped_column()
    consent_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_quote_at: Mapped[datetime | None] = mapped_column()
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_contact_at: Mapped[datetime | None] = mapped_column()
    consent_wording: Mapped[str] = mapped_column(Text, default="")
    # Set when the retention rule has removed this attendance's personal data (ratings stay).
    anonymised_at: Mapped[datetime | None] = mapped_column()

    workshop: Mapped[Workshop] = relationship(back_populates="attendances")
    person: Mapped[Person] = relationship(back_populates="attendances")
    reflections: Mapped[list[Reflection]] = relationship(
        back_populates="attendance", cascade="all, delete-orphan"
    )
    certificates: Mapped[list[Certificate]] = relationship(back_populates="attendance")


class Reflection(HasUuid, Synced, Base):
    __tablename__ = "reflection"
    __table_args__ = (UniqueConstraint("attendance_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("attendance.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[Phase] = mapped_column(_enum(Phase))
    state: Mapped[ReflectionState] = mapped_column(
        _enum(ReflectionState), default=ReflectionState.DRAFT
    )
    question_set_version: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()

    attendance: Mapped[Attendance] = relationship(back_populates="reflections")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="reflection", cascade="all, delete-orphan"
    )


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("reflection_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflection.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    reflection: Mapped[Reflection] = relationship(back_populates="answers")


class ReviewItem(HasUuid, Base):
    """Someone the reflection station added or could not confirm, for the facilitator to check.

    Open while the row exists: accepting, merging or rejecting it removes the row. It holds
    no personal data of its own, only which attendance to look at and why.
    """

    __tablename__ = "review_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("attendance.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attendance: Mapped[Attendance] = relationship()


class Certificate(HasUuid, Synced, Base):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept (anonymised) when a person is erased, so serial numbers stay unique.
    attendance_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendance.id", ondelete="SET NULL"), index=True
    )
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    check_code: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    reissued_at: Mapped[datetime | None] = mapped_column()
    holder_name: Mapped[str] = mapped_column(String(200), default="")
    workshop_title: Mapped[str] = mapped_column(String(200), default="")
    workshop_date: Mapped[date | None] = mapped_column(Date)
    cpd_hours: Mapped[float] = mapped_column(Float, default=0.0)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    # What the signed statement says beyond the fields above, and its Ed25519 signature
    # (base64url) by the laptop key signer_key_id; empty for certificates issued before signing.
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    principles: Mapped[str] = mapped_column(String(5), default="")
    signature: Mapped[str] = mapped_column(String(100), default="")
    signer_key_id: Mapped[str] = mapped_column(String(16), default="")
    revoked_at: Mapped[datetime | None] = mapped_column()
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    # The design it was issued in (CertificateLook.sha256), so exporting it again after the
    # design changed gives the same PDF; empty for certificates issued before this was kept.
    look_sha256: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    attendance: Mapped[Attendance | None] = relationship(back_populates="certificates")


class CertificateLook(HasUuid, Synced, Base):
    """Everything a certificate's page shows besides its facts, as it was when issued."""

    __tablename__ = "certificate_look"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The design and the workshop's facilitators and venue, as JSON; images beside it.
    settings: Mapped[str] = mapped_column(Text)
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SigningKey(HasUuid, Base):
    """The public half of the organisation's key or of a laptop key it endorsed.

    Private keys never enter the database (it is shared with the organisation's server):
    they live in files readable only by their owner in each laptop's data folder.
    """

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "organisation" or "laptop"
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    # The organisation key's signature over the laptop key (base64url); empty for its own row.
    endorsement: Mapped[str] = mapped_column(String(100), default="")
    endorsed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revocation_reason: Mapped[str] = mapped_column(Text, default="")


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class SyncState(Base):
    """This database's own sync facts (one row): who it is, its change counter, where it syncs."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made when the database is created; the organisation's database has one too.
    device_id: Mapped[str] = mapped_column(String(36))
    # Grows by one for every unit of work that changes synced rows; stamped on them.
    change_counter: Mapped[int] = mapped_column(Integer, default=0)
    # Given by the organisation at join; certificate serials carry it so none ever clash.
    serial_prefix: Mapped[str] = mapped_column(String(8), default="")
    # The organisation's database (never with a password) and its device id, once joined.
    org_url: Mapped[str] = mapped_column(Text, default="")
    org_device_id: Mapped[str] = mapped_column(String(36), default="")
    # This database's change_counter up to which the organisation has everything.
    pushed_seq: Mapped[int] = mapped_column(Integer, default=0)
    # The organisation's change_counter up to which this database has everything.
    pulled_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column()


class Device(Base):
    """On the organisation's database: every laptop that joined, and its serial prefix."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), unique=True)
    serial_prefix: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column()
    # Bundle files (laptops that are never online): the laptop's change_counter up to which
    # this database holds all its changes, and this database's change_counter up to which the
    # laptop said (in its last file) that it holds everything.
    pushed_seq: Mapped[int] = mapped_column(Integer, default=0)
    pulled_seq: Mapped[int] = mapped_column(Integer, default=0)


class Tombstone(Base):
    """A synced row that was deleted, erased or removed by retention: it stays gone everywhere.

    Holds the row's UUID and what it was, never a name, an email or an answer.
    """

    __tablename__ = "tombstone"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_by: Mapped[str] = mapped_column(String(36), default="")
    change_seq: Mapped[int] = mapped_column(Integer, default=0, index=True)


class Alias(Base):
    """A UUID that now means another row: two people (or places) found to be the same merged."""

    __tablename__ = "alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    new_uuid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    change_seq: Mapped[int] = mapped_column(Integer, default=0, index=True)
