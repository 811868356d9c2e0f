"""Stamping synced rows as the app writes them: which edit is later, what changed since a sync.

Every unit of work that writes synced rows takes the next number of this database's change
counter (one UPDATE of `sync_state`) and stamps it, the device and the time on each row it
inserts or changes; a row it deletes leaves a tombstone. Sync itself writes through Core, not
the ORM, and sets these columns from the incoming rows instead.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction, object_session

from amie_desktop.store.models import (
    Answer,
    Attendance,
    Base,
    Certificate,
    CertificateLook,
    Person,
    Reflection,
    SyncState,
    Tombstone,
    Workshop,
    WorkshopStep,
    utcnow,
)

SYNCED: tuple[type[Any], ...] = (
    Workshop, WorkshopStep, Person, Attendance, Reflection, CertificateLook, Certificate,
)  # fmt: skip
_STAMP = "amie_sync_stamp"


def next_stamp(connection: Connection) -> tuple[int, str]:
    """Take the next change number; (number, this database's device id)."""
    state = Base.metadata.tables[SyncState.__tablename__]
    connection.execute(
        update(state).where(state.c.id == 1).values(change_counter=state.c.change_counter + 1)
    )
    counter, device = connection.execute(
        select(state.c.change_counter, state.c.device_id).where(state.c.id == 1)
    ).one()
    return int(counter), str(device)


def _stamp(session: Session, connection: Connection) -> tuple[int, str, datetime]:
    stamp: tuple[int, str, datetime] | None = session.info.get(_STAMP)
    if stamp is None:
        seq, device = next_stamp(connection)
        stamp = (seq, device, utcnow())
        session.info[_STAMP] = stamp
    return stamp


def _session(target: Any) -> Session | None:
    session = object_session(target)
    if session is None or session.info.get("sync_applying"):
        return None
    return session


def _on_insert(_mapper: Any, connection: Connection, target: Any) -> None:
    session = _session(target)
    if session is None:
        return
    seq, device, now = _stamp(session, connection)
    target.change_seq, target.updated_by, target.updated_at = seq, device, now
    if isinstance(target, Workshop) and not target.created_by:
        target.created_by = device


def _on_update(_mapper: Any, connection: Connection, target: Any) -> None:
    session = _session(target)
    if session is None or not session.is_modified(target, include_collections=False):
        return
    seq, device, now = _stamp(session, connection)
    target.change_seq, target.updated_by, target.updated_at = seq, device, now


def _on_delete(mapper: Any, connection: Connection, target: Any) -> None:
    session = _session(target)
    if session is None:
        return
    seq, device, now = _stamp(session, connection)
    connection.execute(
        insert(Base.metadata.tables[Tombstone.__tablename__]).values(
            uuid=target.uuid,
            kind=mapper.local_table.name,
            deleted_at=now,
            deleted_by=device,
            change_seq=seq,
        )
    )


def install() -> None:
    """Stamp every synced row the ORM writes from now on (once per process)."""
    if event.contains(Session, "before_flush", _answers_change_their_reflection):
        return
    for kind in SYNCED:
        event.listen(kind, "before_insert", _on_insert)
        event.listen(kind, "before_update", _on_update)
        event.listen(kind, "after_delete", _on_delete)
    event.listen(Session, "before_flush", _answers_change_their_reflection)
    event.listen(Session, "after_transaction_end", _forget_stamp)


def _answers_change_their_reflection(session: Session, _context: Any, _instances: Any) -> None:
    """Answers travel inside their reflection, so a changed answer is a changed reflection."""
    if session.info.get("sync_applying"):
        return
    with session.no_autoflush:
        for row in chain(session.new, session.dirty, session.deleted):
            if not isinstance(row, Answer):
                continue
            reflection = row.reflection
            if reflection is None and row.reflection_id is not None:
                reflection = session.get(Reflection, row.reflection_id)
            if reflection is not None and reflection not in session.deleted:
                reflection.updated_at = utcnow()


def _forget_stamp(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_STAMP, None)
