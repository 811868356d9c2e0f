"""Names searchable from a Latin keyboard: a search key per person, facilitators' names too.

Revision ID: names1101
Revises: certs0801
Create Date: 2026-12-06 11:30:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from amie_desktop.domain.text import fold, search_key

revision: str = "names1101"
down_revision: str | None = "certs0801"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_search", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index("ix_person_name_search", ["name_folded", "id", "name_search"])

    connection = op.get_bind()
    people = connection.execute(sa.text("SELECT id, name FROM person")).fetchall()
    for start in range(0, len(people), BATCH):
        connection.execute(
            sa.text("UPDATE person SET name_search = :key WHERE id = :id"),
            [{"id": pid, "key": search_key(name)} for pid, name in people[start : start + BATCH]],
        )
    rows = connection.execute(sa.text("SELECT id, title, venue, facilitators FROM workshop"))
    for workshop_id, title, venue, facilitators in rows.fetchall():
        names = facilitators if isinstance(facilitators, list) else json.loads(facilitators or "[]")
        # As store.models.workshop_search_text has it from this revision on.
        text = " / ".join((fold(f"{title} {venue or ''}"), *(search_key(n) for n in names)))
        connection.execute(
            sa.text("UPDATE workshop SET search_folded = :search WHERE id = :id"),
            {"id": workshop_id, "search": text},
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_search")
        batch_op.drop_column("name_search")
