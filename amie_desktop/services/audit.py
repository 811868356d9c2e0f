"""The audit log: who did what and when (exports, erasures, restores, PIN failures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from amie_desktop.store import Store
from amie_desktop.store.models import AuditEvent


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    action: str
    actor: str
    detail: str


def record(session: Session, action: str, detail: str = "", actor: str = "") -> None:
    """Add an audit event inside the caller's unit of work.

    Entries hold ids, counts, titles and file names, never a person's name or email.
    """
    session.add(AuditEvent(action=action, detail=_storable(detail), actor=_storable(actor)))


def _storable(text: str) -> str:
    """A file name that is not UTF-8 (its bytes kept as surrogates) stored with a stand-in."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def recent(store: Store, limit: int = 200) -> list[AuditEntry]:
    with store.read() as session:
        rows = session.scalars(
            select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
        )
        return [AuditEntry(r.at, r.action, r.actor, r.detail) for r in rows]
