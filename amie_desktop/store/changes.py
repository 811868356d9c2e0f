"""What a unit of work changed, told to whoever listens once it is committed.

Every `Store.write()` collects the rows it inserts, updates and deletes (SQLAlchemy's
after_flush and do_orm_execute events) and, after the commit, publishes one frozen `Changes`
to the store's `ChangeFeed`. Nothing is published for a unit of work that changed nothing or
was rolled back. Replacing the whole database (a restore) publishes `Changes.everything`.

Listeners are plain callables, called on the thread that wrote; the window re-emits them as one
Qt signal on its own thread (ui/changes.py). Changes that arrive from elsewhere (sync, an
import) go through `Store.write()` like any other and are told the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SQLAlchemy is loaded by the store that listens, not by who reads Changes
    from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

log = logging.getLogger(__name__)

# Besides tables, what else a page can show: the backup files in the data folder.
BACKUPS = "backups"

# The key in Session.info under which a unit of work gathers what it changed.
_GATHERED = "amie_changes"


@dataclass(frozen=True)
class Changes:
    """Tables whose rows changed, and the ids of the changed rows where they are known.

    A table is named as in the database ("workshop", "attendance", "person" ...), or BACKUPS
    for the backup files (told by whoever made one). `everything`
    means any table may have changed (the database was replaced, or a statement changed rows
    that cannot be told apart).
    """

    tables: frozenset[str] = frozenset()
    rows: frozenset[tuple[str, int]] = field(default=frozenset(), repr=False)
    everything: bool = False

    @classmethod
    def of(cls, *tables: str) -> Changes:
        return cls(tables=frozenset(tables))

    @classmethod
    def all(cls) -> Changes:
        return cls(everything=True)

    def __bool__(self) -> bool:
        return self.everything or bool(self.tables)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.tables | other.tables, self.rows | other.rows, self.everything or other.everything
        )

    def touches(self, tables: Iterable[str]) -> bool:
        """Whether any of these tables may have changed."""
        return self.everything or not self.tables.isdisjoint(tables)

    def ids(self, table: str) -> frozenset[int]:
        """The ids of the changed rows of one table that are known (inserted, updated, deleted)."""
        return frozenset(row_id for name, row_id in self.rows if name == table)


Listener = Callable[[Changes], None]


class ChangeFeed:
    """Listeners told of every committed change; safe to use from any thread."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Tell listener of every change from now on; call the answer to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # one listener's fault must not undo the others' news
                log.exception("a listener failed to take in a change")


# Gathering, for Store.write() ---------------------------------------------------------------
class _Gathered:
    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.rows: set[tuple[str, int]] = set()
        self.everything = False

    def changes(self) -> Changes:
        return Changes(frozenset(self.tables), frozenset(self.rows), self.everything)


def start_gathering(session: Session) -> None:
    """Gather what this session changes from now on (call before the unit of work starts)."""
    session.info[_GATHERED] = _Gathered()


def gathered(session: Session) -> Changes:
    """What the session changed since start_gathering (empty if it never was asked)."""
    found = session.info.get(_GATHERED)
    return found.changes() if isinstance(found, _Gathered) else Changes()


def note_changes(session: Session, tables: Iterable[str]) -> None:
    """Tell the unit of work that these tables changed, for writes made past the session (Core
    statements on its connection, COPY) that the events below cannot see."""
    found = session.info.get(_GATHERED)
    if isinstance(found, _Gathered):
        found.tables.update(tables)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    found = session.info.get(_GATHERED)
    if not isinstance(found, _Gathered):
        return
    for instance in (*session.new, *session.deleted):
        _note(found, instance)
    for instance in session.dirty:
        if session.is_modified(instance, include_collections=False):
            _note(found, instance)


def _note(found: _Gathered, instance: Any) -> None:
    from sqlalchemy import Table

    table = getattr(instance, "__table__", None)
    if not isinstance(table, Table):
        found.everything = True
        return
    found.tables.add(table.name)
    row_id = getattr(instance, "id", None)
    if isinstance(row_id, int):
        found.rows.add((table.name, row_id))


def _on_execute(state: ORMExecuteState) -> None:
    found = state.session.info.get(_GATHERED)
    if not isinstance(found, _Gathered) or state.is_select:
        return
    if state.is_insert or state.is_update or state.is_delete:
        from sqlalchemy import Table

        table = getattr(state.statement, "table", None)
        if isinstance(table, Table):
            found.tables.add(table.name)
            return
    if str(state.statement).lstrip().lower().startswith(("select", "pragma")):
        return  # a look-up written as text
    found.everything = True  # a statement whose target cannot be told


def listen(sessions: Any) -> None:
    """Gather changes in every session of this sessionmaker that start_gathering is called on."""
    from sqlalchemy import event

    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _on_execute)
