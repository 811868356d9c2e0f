"""Workshop end time, and folded search columns so the list stays quick with thousands.

Revision ID: 0301
Revises: 0701
Create Date: 2026-11-25 10:54:39.835009
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from amie_desktop.domain.text import fold

revision: str = "0301"
down_revision: str | None = "0701"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_time", sa.Time(), nullable=True))
        batch_op.add_column(
            sa.Column("search_folded", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("facilitators_folded", sa.Text(), nullable=False, server_default="")
        )

    # Fill the new columns for workshops that already exist.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, title, venue, facilitators FROM workshop"))
    for workshop_id, title, venue, facilitators in rows.fetchall():
        names = facilitators if isinstance(facilitators, list) else json.loads(facilitators or "[]")
        connection.execute(
            sa.text(
                "UPDATE workshop SET search_folded = :search, facilitators_folded = :people "
                "WHERE id = :id"
            ),
            {
                "id": workshop_id,
                "search": fold(" ".join((title, venue or "", *names))),
                "people": "|" + "".join(f"{fold(n)}|" for n in names if n.strip()),
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("facilitators_folded")
        batch_op.drop_column("search_folded")
        batch_op.drop_column("end_time")
