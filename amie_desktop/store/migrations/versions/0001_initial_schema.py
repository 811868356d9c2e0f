"""Initial schema: the whole first-cut data model.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:37:41.987135
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("signature_png", sa.LargeBinary(), nullable=True),
        sa.Column("signature_name", sa.String(length=200), nullable=False),
        sa.Column("certificate_wording", sa.Text(), nullable=False),
        sa.Column("default_cpd_hours", sa.Float(), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=False),
        sa.Column("pin_failures", sa.Integer(), nullable=False),
        sa.Column("pin_locked_until", sa.DateTime(), nullable=True),
        sa.Column("retention_months", sa.Integer(), nullable=False),
        sa.Column("paper_size", sa.String(length=10), nullable=False),
        sa.Column("idle_seconds", sa.Integer(), nullable=False),
        sa.Column("certificate_secret", sa.LargeBinary(length=64), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_organisation_uuid")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("email", name=op.f("uq_person_email")),
        sa.UniqueConstraint("uuid", name=op.f("uq_person_uuid")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_folded"), ["name_folded"], unique=False)

    op.create_table(
        "template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("builtin_key", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("cpd_hours", sa.Float(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template")),
        sa.UniqueConstraint("builtin_key", name=op.f("uq_template_builtin_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_template_uuid")),
    )
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("facilitators", sa.JSON(), nullable=False),
        sa.Column("cpd_hours", sa.Float(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "running", "done", name="workshopstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("template_title", sa.String(length=200), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop")),
        sa.UniqueConstraint("uuid", name=op.f("uq_workshop_uuid")),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_date"), ["date"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "booked",
                "attended",
                "absent",
                name="attendancestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(), nullable=True),
        sa.Column("consent_quote", sa.Boolean(), nullable=False),
        sa.Column("consent_quote_at", sa.DateTime(), nullable=True),
        sa.Column("consent_contact", sa.Boolean(), nullable=False),
        sa.Column("consent_contact_at", sa.DateTime(), nullable=True),
        sa.Column("consent_wording", sa.Text(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_attendance_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_attendance_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("uuid", name=op.f("uq_attendance_uuid")),
        sa.UniqueConstraint(
            "workshop_id", "person_id", name=op.f("uq_attendance_workshop_id_person_id")
        ),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attendance_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "template_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("principle", sa.String(length=1), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["template.id"],
            name=op.f("fk_template_step_template_id_template"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_step")),
    )
    with op.batch_alter_table("template_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_template_step_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "workshop_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("group_notes", sa.Text(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("principle", sa.String(length=1), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_workshop_step_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_step")),
        sa.UniqueConstraint("uuid", name=op.f("uq_workshop_step_uuid")),
    )
    with op.batch_alter_table("workshop_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_step_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=True),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("check_code", sa.String(length=40), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("reissued_at", sa.DateTime(), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("workshop_title", sa.String(length=200), nullable=False),
        sa.Column("workshop_date", sa.Date(), nullable=True),
        sa.Column("cpd_hours", sa.Float(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_id"],
            ["attendance.id"],
            name=op.f("fk_certificate_attendance_id_attendance"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("check_code", name=op.f("uq_certificate_check_code")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificate_serial")),
        sa.UniqueConstraint("uuid", name=op.f("uq_certificate_uuid")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_attendance_id"), ["attendance_id"], unique=False
        )

    op.create_table(
        "reflection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum("before", "after", name="phase", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "incomplete",
                "submitted",
                name="reflectionstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("question_set_version", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_id"],
            ["attendance.id"],
            name=op.f("fk_reflection_attendance_id_attendance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflection")),
        sa.UniqueConstraint(
            "attendance_id", "phase", name=op.f("uq_reflection_attendance_id_phase")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_reflection_uuid")),
    )
    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reflection_attendance_id"), ["attendance_id"], unique=False
        )

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reflection_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=100), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reflection_id"],
            ["reflection.id"],
            name=op.f("fk_answer_reflection_id_reflection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
        sa.UniqueConstraint(
            "reflection_id", "question_key", name=op.f("uq_answer_reflection_id_question_key")
        ),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_reflection_id"), ["reflection_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_reflection_id"))

    op.drop_table("answer")
    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflection_attendance_id"))

    op.drop_table("reflection")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_attendance_id"))

    op.drop_table("certificate")
    with op.batch_alter_table("workshop_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_step_workshop_id"))

    op.drop_table("workshop_step")
    with op.batch_alter_table("template_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_template_step_template_id"))

    op.drop_table("template_step")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_person_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_date"))

    op.drop_table("workshop")
    op.drop_table("template")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_folded"))

    op.drop_table("person")
    op.drop_table("organisation")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
