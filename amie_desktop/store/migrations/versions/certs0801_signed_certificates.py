"""Signed certificates: laptop signing keys, signatures on certificates, revocation

Revision ID: certs0801
Revises: 0601
Create Date: 2026-12-06 10:53:15.446779
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "certs0801"
down_revision: str | None = "0601"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("endorsement", sa.String(length=100), nullable=False),
        sa.Column("endorsed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_key")),
        sa.UniqueConstraint("key_id", name=op.f("uq_signing_key_key_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_signing_key_uuid")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        for name, length in (
            ("organisation_name", 200), ("principles", 5), ("signature", 100),
            ("signer_key_id", 16),
        ):  # fmt: skip
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("revocation_reason", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("revocation_reason")
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("signer_key_id")
        batch_op.drop_column("signature")
        batch_op.drop_column("principles")
        batch_op.drop_column("organisation_name")
    op.drop_table("signing_key")
