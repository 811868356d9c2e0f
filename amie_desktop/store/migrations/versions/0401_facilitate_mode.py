"""Facilitate mode: run position, pause and time used per step

Revision ID: 0401
Revises: 0001
Create Date: 2026-11-25 10:54:23.392189
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0401"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_position", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("paused", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("run_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("run_ended_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("workshop_step", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("used_seconds", sa.Float(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("running_since", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("extra_minutes", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("skipped", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("workshop_step", schema=None) as batch_op:
        batch_op.drop_column("skipped")
        batch_op.drop_column("extra_minutes")
        batch_op.drop_column("running_since")
        batch_op.drop_column("used_seconds")

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("run_ended_at")
        batch_op.drop_column("run_started_at")
        batch_op.drop_column("paused")
        batch_op.drop_column("current_position")
