"""Second backup folder, retention consent and anonymised attendances

Revision ID: 0701
Revises: 0401
Create Date: 2026-11-25 10:55:23.352970
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0701"
down_revision: str | None = "0401"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("second_backup_folder", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("retention_confirmed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("retention_confirmed_at")
        batch_op.drop_column("second_backup_folder")

    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
