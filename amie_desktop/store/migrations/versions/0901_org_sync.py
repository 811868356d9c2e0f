"""Sync between laptops and the organisation's database: versions, tombstones, aliases

Revision ID: 0901_org_sync
Revises: station_0801
Create Date: 2026-12-06 11:15:00.000000
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0901_org_sync"
down_revision: str | None = "station_0801"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED = (
    "workshop", "workshop_step", "person", "attendance", "reflection", "certificate",
    "certificate_look",
)  # fmt: skip
EPOCH = "2000-01-01 00:00:00"


def upgrade() -> None:
    for table in SYNCED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("updated_by", sa.String(length=36), nullable=False, server_default="")
            )
            # Rows already here count as changed once, so the first sync takes them along.
            batch_op.add_column(
                sa.Column("change_seq", sa.Integer(), nullable=False, server_default="1")
            )
            if table in ("workshop_step", "certificate", "certificate_look"):
                batch_op.add_column(
                    sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=EPOCH)
                )
            if table == "workshop":
                batch_op.add_column(
                    sa.Column("created_by", sa.String(length=36), nullable=False, server_default="")
                )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("change_seq", server_default="0")
            batch_op.create_index(f"ix_{table}_change_seq", ["change_seq"], unique=False)

    sync_state = op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("change_counter", sa.Integer(), nullable=False),
        sa.Column("serial_prefix", sa.String(length=8), nullable=False),
        sa.Column("org_url", sa.Text(), nullable=False),
        sa.Column("org_device_id", sa.String(length=36), nullable=False),
        sa.Column("pushed_seq", sa.Integer(), nullable=False),
        sa.Column("pulled_seq", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.bulk_insert(
        sync_state,
        [
            {
                "id": 1, "device_id": str(uuid.uuid4()), "change_counter": 1,
                "serial_prefix": "", "org_url": "", "org_device_id": "",
                "pushed_seq": 0, "pulled_seq": 0, "last_sync_at": None,
            }
        ],
    )  # fmt: skip
    op.create_table(
        "device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("serial_prefix", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("device_id", name=op.f("uq_device_device_id")),
        sa.UniqueConstraint("serial_prefix", name=op.f("uq_device_serial_prefix")),
    )
    op.create_table(
        "tombstone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_by", sa.String(length=36), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tombstone")),
        sa.UniqueConstraint("uuid", name=op.f("uq_tombstone_uuid")),
    )
    op.create_index("ix_tombstone_change_seq", "tombstone", ["change_seq"], unique=False)
    op.create_table(
        "alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_uuid", sa.String(length=36), nullable=False),
        sa.Column("new_uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alias")),
        sa.UniqueConstraint("old_uuid", name=op.f("uq_alias_old_uuid")),
    )
    op.create_index("ix_alias_change_seq", "alias", ["change_seq"], unique=False)
    op.create_index("ix_alias_new_uuid", "alias", ["new_uuid"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alias_new_uuid", table_name="alias")
    op.drop_index("ix_alias_change_seq", table_name="alias")
    op.drop_table("alias")
    op.drop_index("ix_tombstone_change_seq", table_name="tombstone")
    op.drop_table("tombstone")
    op.drop_table("device")
    op.drop_table("sync_state")
    for table in reversed(SYNCED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_change_seq")
            batch_op.drop_column("change_seq")
            batch_op.drop_column("updated_by")
            if table in ("workshop_step", "certificate", "certificate_look"):
                batch_op.drop_column("updated_at")
            if table == "workshop":
                batch_op.drop_column("created_by")
