"""Bundle files: what the organisation's database holds of each laptop, and it of the database

Revision ID: bundle_1501
Revises: 0901_org_sync
Create Date: 2026-12-06 14:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bundle_1501"
down_revision: str | None = "0901_org_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pushed_seq", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("pulled_seq", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("pulled_seq")
        batch_op.drop_column("pushed_seq")
