"""Sync between this laptop's database and the organisation's: push what changed, pull the rest.

The rules (docs/organisation.md says them in plain words):

- Rows meet by UUID. The later edit wins per row; ties go to the device id that sorts last.
- Two rows that are the same thing under different UUIDs (people with the same email, one
  person's two places at one workshop, one place's two "after" reflections) become one: the
  smaller UUID stays, the other becomes an alias, and everything that pointed at it follows.
- A submitted reflection is never replaced by a draft; an anonymised attendance or person
  (the retention rule) and a revoked certificate stay so.
- A deleted, erased or retention-removed row leaves a tombstone (its UUID only): it is deleted
  everywhere it arrives, and nothing that arrives later can bring it back.
- Public signing keys (the organisation's and each laptop's, with endorsements and
  withdrawals) travel whole on every sync: there are a handful. A database keeps the first
  organisation key it holds and the laptop keys that key endorsed; a withdrawal reaches
  every copy. Private keys are files, never rows, so they never travel.
- The organisation's list of laptops (id, letter, name; no one's personal data) travels whole
  to every laptop, so a laptop's own reports can say which laptop planned a workshop. A
  laptop keeps it in its device table as a copy, replaced whole when it changes, and drops
  it when it leaves.
- Each side keeps a change counter; a sync sends the rows changed since the last one. Both
  halves (push, then pull) are single transactions that can be interrupted and rerun: a row
  already there with the same version is left alone, so a second run changes nothing.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    CursorResult,
    Delete,
    Insert,
    Table,
    Update,
    any_,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from amie_desktop.domain.values import ReflectionState
from amie_desktop.services import signing
from amie_desktop.services.errors import UserError
from amie_desktop.services.privacy import ANONYMOUS_NAME
from amie_desktop.store import DatabaseError, NewerDatabaseError, Store, open_store
from amie_desktop.store.changes import note_changes
from amie_desktop.store.models import Base, Device, SyncState
from amie_desktop.store.tracking import next_stamp

Progress = Callable[[str], None]
CHUNK = 500  # values in one IN (...) on SQLite, which allows 32,766 at most
PG_CHUNK = 20_000  # values in one = ANY(array) on PostgreSQL: one parameter, however many
SKIPPED = frozenset({"id", "change_seq"})


@dataclass(frozen=True)
class Kind:
    """A synced table, the parents its rows point at, and what makes two rows the same thing."""

    table: str
    parents: tuple[tuple[str, str], ...] = ()  # (foreign key column, parent table)
    same_thing: tuple[str, ...] = ()  # columns that name one thing, besides the UUID

    @property
    def foreign_keys(self) -> frozenset[str]:
        return frozenset(column for column, _ in self.parents)


KINDS = (
    Kind("workshop"),
    Kind("workshop_step", (("workshop_id", "workshop"),)),
    Kind("person", (), ("email",)),
    Kind("attendance", (("workshop_id", "workshop"), ("person_id", "person")),
         ("workshop_id", "person_id")),
    Kind("reflection", (("attendance_id", "attendance"),), ("attendance_id", "phase")),
    Kind("certificate_look", (), ("sha256",)),
    Kind("certificate", (("attendance_id", "attendance"),)),
)  # fmt: skip
BY_TABLE = {kind.table: kind for kind in KINDS}
ANSWER_COLUMNS = ("question_key", "rating", "text")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _same_version(table: Table) -> dict[str, Any]:
    """Keeps updated_at as it is in an UPDATE (its column default would make it now)."""
    return {"updated_at": table.c.updated_at} if "updated_at" in table.c else {}


@dataclass
class ChangeSet:
    """Rows changed in one database since a point in its change counter, ready for another."""

    device_id: str
    upto: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tombstones: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    # Every public signing key (a handful): sent whole each time, not counted in size.
    keys: list[dict[str, Any]] = field(default_factory=list)
    # From the organisation's database only: its laptops (device id, letter, name), whole.
    laptops: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(map(len, self.rows.values())) + len(self.tombstones) + len(self.aliases)


@dataclass
class Applied:
    """What applying a change set did to the database it was applied to."""

    written: int = 0
    merged: int = 0
    removed: int = 0

    @property
    def changed(self) -> int:
        return self.written + self.merged + self.removed


# Reading ----------------------------------------------------------------------------------


def _state(connection: Connection) -> tuple[str, int]:
    state = _table("sync_state")
    device, counter = connection.execute(
        select(state.c.device_id, state.c.change_counter).where(state.c.id == 1)
    ).one()
    return str(device), int(counter)


def read_changes(session: Session, since: int, exclude_device: str = "") -> ChangeSet:
    """Every synced row, tombstone and alias changed after `since` (and not by exclude_device)."""
    options = {}
    if not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        # One snapshot for every table read, as SQLite's read transaction gives anyway.
        options = {"isolation_level": "REPEATABLE READ"}
    connection = session.connection(execution_options=options)
    device, upto = _state(connection)
    changes = ChangeSet(device_id=device, upto=upto)
    for kind in KINDS:
        table = _table(kind.table)
        columns: list[Any] = [
            c for c in table.c if c.name not in SKIPPED and c.name not in kind.foreign_keys
        ]
        joined: Any = table
        for column, parent_name in kind.parents:
            parent = _table(parent_name).alias(f"parent_{column}")
            joined = joined.outerjoin(parent, table.c[column] == parent.c.id)
            columns.append(parent.c.uuid.label(column))
        query = (
            select(*columns)
            .select_from(joined)
            .where(table.c.change_seq > since, table.c.change_seq <= upto)
            .order_by(table.c.id)
        )
        if exclude_device:
            query = query.where(table.c.updated_by != exclude_device)
        changes.rows[kind.table] = _dicts(connection.execute(query))
    _attach_answers(connection, changes.rows["reflection"], since, upto, exclude_device)
    tombstone = _table("tombstone")
    query = select(*(c for c in tombstone.c if c.name not in SKIPPED)).where(
        tombstone.c.change_seq > since, tombstone.c.change_seq <= upto
    )
    if exclude_device:
        query = query.where(tombstone.c.deleted_by != exclude_device)
    changes.tombstones = _dicts(connection.execute(query))
    alias = _table("alias")
    query = select(*(c for c in alias.c if c.name not in SKIPPED)).where(
        alias.c.change_seq > since, alias.c.change_seq <= upto
    )
    changes.aliases = _dicts(connection.execute(query.order_by(alias.c.id)))
    key = _table("signing_key")
    keys = select(*(c for c in key.c if c.name != "id")).order_by(key.c.id)
    changes.keys = _dicts(connection.execute(keys))
    changes.laptops = _laptops(connection)
    return changes


LAPTOP_COLUMNS = ("device_id", "serial_prefix", "name")


def _laptops(connection: Connection) -> list[dict[str, Any]]:
    """On the organisation's database, its laptops as a laptop keeps them; on a laptop (whose
    device table is a copy of the organisation's), none: the list only ever flows outwards."""
    state = _table("sync_state")
    if connection.scalar(select(state.c.org_device_id).where(state.c.id == 1)):
        return []
    return _device_list(connection)


def _device_list(connection: Connection) -> list[dict[str, Any]]:
    """The device table's laptops (id, letter, name), in the order of their letters."""
    device = _table("device")
    columns = [device.c[name] for name in LAPTOP_COLUMNS]
    return _dicts(connection.execute(select(*columns).order_by(device.c.serial_prefix)))


def _dicts(result: CursorResult[Any]) -> list[dict[str, Any]]:
    names = list(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result]


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _attach_answers(
    connection: Connection,
    reflections: list[dict[str, Any]],
    since: int,
    upto: int,
    exclude_device: str,
) -> None:
    """Answers travel inside their reflection (they have no UUID of their own).

    One query for the same reflections read_changes picked, rather than one per chunk of them.
    """
    answer, reflection = _table("answer"), _table("reflection")
    by_uuid = {row["uuid"]: row for row in reflections}
    for row in reflections:
        row["answers"] = []
    if not reflections:
        return
    query = (
        select(reflection.c.uuid, *(answer.c[name] for name in ANSWER_COLUMNS))
        .join(answer, answer.c.reflection_id == reflection.c.id)
        .where(reflection.c.change_seq > since, reflection.c.change_seq <= upto)
        .order_by(answer.c.id)
    )
    if exclude_device:
        query = query.where(reflection.c.updated_by != exclude_device)
    for uuid, *values in connection.execute(query):
        into = by_uuid.get(uuid)
        if into is not None:
            into["answers"].append(dict(zip(ANSWER_COLUMNS, values, strict=True)))


# Applying ---------------------------------------------------------------------------------


def _version(row: dict[str, Any]) -> tuple[datetime, str]:
    return row["updated_at"], row["updated_by"] or ""


def _settled(kind: str, row: dict[str, Any]) -> bool | None:
    """Whether a row has reached a state it never leaves (None for kinds without one)."""
    if kind == "reflection":
        return bool(row["state"] is ReflectionState.SUBMITTED)
    if kind == "attendance":
        return row["anonymised_at"] is not None
    if kind == "person":  # anonymised by the retention rule
        return bool(row["name"] == ANONYMOUS_NAME and not row["email"])
    if kind == "certificate":
        return row["revoked_at"] is not None
    return None


def incoming_wins(kind: str, incoming: dict[str, Any], current: dict[str, Any]) -> bool:
    """Whether an incoming version of a row replaces the one here."""
    theirs, ours = _settled(kind, incoming), _settled(kind, current)
    if theirs != ours:
        return bool(theirs)
    return _version(incoming) > _version(current)


class _Applier:
    """Applies one change set inside the caller's transaction, through Core for speed."""

    def __init__(self, session: Session, *, stamp: bool) -> None:
        self.connection = session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"
        self.stamp = stamp  # the organisation's database passes changes on; a laptop does not
        self._seq: int | None = None
        self.applied = Applied()
        alias = _table("alias")
        self.aliases: dict[str, str] = {
            str(old): str(new)
            for old, new in self.connection.execute(select(alias.c.old_uuid, alias.c.new_uuid))
        }
        tombstone = _table("tombstone")
        self.stored_tombstones: set[str] = set(self.connection.scalars(select(tombstone.c.uuid)))
        # What no incoming row may write: stored tombstones and those arriving with the rows.
        self.tombstoned: set[str] = set(self.stored_tombstones)
        self.ids: dict[str, dict[str, int]] = {kind.table: {} for kind in KINDS}
        self.touched: set[str] = set()  # tables written, told to the window once committed

    def _write(
        self, statement: Insert | Update | Delete, rows: list[dict[str, Any]] | None = None
    ) -> CursorResult[Any]:
        """Run an INSERT, UPDATE or DELETE, noting its table for the window (store/changes.py)."""
        self.touched.add(statement.table.name)  # type: ignore[union-attr]
        return self.connection.execute(statement, rows)

    def seq(self) -> int:
        """The change number rows written here get: new on the organisation's, 0 on a laptop."""
        if not self.stamp:
            return 0
        if self._seq is None:
            self._seq, _ = next_stamp(self.connection)
        return self._seq

    def bump(self) -> dict[str, int]:
        """Columns that make a changed row travel on from the organisation's database."""
        return {"change_seq": self.seq()} if self.stamp else {}

    def resolve(self, uuid: str) -> str:
        for _ in range(100):  # aliases form chains, never loops; the bound is a guard
            if uuid not in self.aliases:
                break
            uuid = self.aliases[uuid]
        return uuid

    def is_gone(self, uuid: str) -> bool:
        return uuid in self.tombstoned or self.resolve(uuid) in self.tombstoned

    def local_id(self, table_name: str, uuid: str) -> int | None:
        known = self.ids[table_name]
        if uuid not in known:
            table = _table(table_name)
            found = self.connection.scalar(select(table.c.id).where(table.c.uuid == uuid))
            if found is None:
                return None
            known[uuid] = int(found)
        return known[uuid]

    def _among(self, column: ColumnElement[Any], values: Iterable[Any]) -> Iterator[Any]:
        """Conditions "column is one of values", a few thousand values at a time.

        PostgreSQL takes the values as one array parameter (= ANY), so the statement stays
        short and its plan is reused; SQLite takes them as IN (...).
        """
        wanted = sorted(set(values))
        if not self.postgresql:
            for chunk in _chunks(wanted):
                yield column.in_(chunk)
            return
        for chunk in _chunks(wanted, PG_CHUNK):
            yield column == any_(literal(list(chunk), ARRAY(column.type)))

    def _load_ids(self, table_name: str, uuids: Iterable[str]) -> None:
        table, known = _table(table_name), self.ids[table_name]
        wanted = {uuid for uuid in uuids if uuid not in known}
        for condition in self._among(table.c.uuid, wanted):
            query = select(table.c.uuid, table.c.id).where(condition)
            known.update((uuid, int(row_id)) for uuid, row_id in self.connection.execute(query))

    # Aliases and merges -------------------------------------------------------------------

    def record_alias(self, old: str, new: str, kind: str, when: datetime | None = None) -> None:
        if old == new or old in self.aliases:
            return
        self._write(
            insert(_table("alias")).values(
                old_uuid=old, new_uuid=new, kind=kind, merged_at=when or datetime.now(UTC),
                change_seq=self.seq(),
            )
        )  # fmt: skip
        self.aliases[old] = new

    def apply_alias(self, alias: dict[str, Any]) -> None:
        old, kind = alias["old_uuid"], alias["kind"]
        if old in self.aliases:
            return
        self.record_alias(old, alias["new_uuid"], kind, alias["merged_at"])
        if kind not in BY_TABLE:
            return
        old_id = self.local_id(kind, old)
        if old_id is None:
            return
        target = self.resolve(old)
        target_id = self.local_id(kind, target)
        if target_id is None:
            self._rename(kind, old_id, old, target)
        else:
            self._merge(kind, loser_id=old_id, survivor_id=target_id)

    def _rename(self, kind: str, row_id: int, old: str, new: str) -> None:
        table = _table(kind)
        self._write(
            update(table)
            .where(table.c.id == row_id)
            .values(uuid=new, **self.bump(), **_same_version(table))
        )
        self.ids[kind].pop(old, None)
        self.ids[kind][new] = row_id
        self.applied.merged += 1

    def _row(self, kind: str, row_id: int) -> dict[str, Any]:
        table = _table(kind)
        return dict(
            self.connection.execute(select(table).where(table.c.id == row_id)).one()._mapping
        )

    def _merge(self, kind: str, loser_id: int, survivor_id: int) -> None:
        """Make two rows here that are one thing into one: children follow, the loser goes."""
        loser, survivor = self._row(kind, loser_id), self._row(kind, survivor_id)
        if kind == "person":
            self._merge_children("attendance", "person_id", "workshop_id", loser_id, survivor_id)
        elif kind == "attendance":
            self._merge_children("reflection", "attendance_id", "phase", loser_id, survivor_id)
            certificate = _table("certificate")
            self._write(
                update(certificate)
                .where(certificate.c.attendance_id == loser_id)
                .values(attendance_id=survivor_id, **_same_version(certificate))
            )
        table = _table(kind)
        if incoming_wins(kind, loser, survivor):
            fields = {
                name: value
                for name, value in loser.items()
                if name not in SKIPPED | {"uuid"} | BY_TABLE[kind].foreign_keys
                and name not in BY_TABLE[kind].same_thing
            }
            if kind == "reflection":
                answer = _table("answer")
                self._write(delete(answer).where(answer.c.reflection_id == survivor_id))
                self._write(
                    update(answer)
                    .where(answer.c.reflection_id == loser_id)
                    .values(reflection_id=survivor_id)
                )
            if kind == "person":
                fields.pop("email", None)  # the same email, perhaps in other capitals
            self._write(
                update(table).where(table.c.id == survivor_id).values(**fields, **self.bump())
            )
        self._write(delete(table).where(table.c.id == loser_id))
        self.ids[kind].pop(loser["uuid"], None)
        self.record_alias(loser["uuid"], survivor["uuid"], kind)
        self.applied.merged += 1

    def _merge_children(
        self, kind: str, parent_column: str, key: str, loser_id: int, survivor_id: int
    ) -> None:
        table = _table(kind)
        theirs = {
            row._mapping[key]: int(row.id)
            for row in self.connection.execute(
                select(table.c.id, table.c[key]).where(table.c[parent_column] == survivor_id)
            )
        }
        for row in list(
            self.connection.execute(
                select(table.c.id, table.c[key]).where(table.c[parent_column] == loser_id)
            )
        ):
            twin = theirs.get(row._mapping[key])
            if twin is None:
                self._write(
                    update(table)
                    .where(table.c.id == row.id)
                    .values({parent_column: survivor_id, **_same_version(table)})
                )
            else:
                first, second = sorted(
                    (int(row.id), twin), key=lambda i: self._row(kind, i)["uuid"]
                )
                self._merge(kind, loser_id=second, survivor_id=first)

    # Rows ---------------------------------------------------------------------------------

    def apply_rows(self, kind: Kind, rows: list[dict[str, Any]]) -> None:
        table = _table(kind.table)
        for column, parent in kind.parents:
            self._load_ids(parent, (self.resolve(r[column]) for r in rows if r[column]))
        ready: list[tuple[dict[str, Any], list[dict[str, Any]] | None]] = []
        for row in rows:
            values = self._localise(kind, row)
            if values is not None:
                ready.append((values, row.get("answers")))
        current = self._current(table, [values["uuid"] for values, _ in ready])
        matches = self._same_things(kind, [values for values, _ in ready], current)
        new: list[tuple[dict[str, Any], list[dict[str, Any]] | None]] = []
        for values, answers in ready:
            here = current.get(values["uuid"])
            if here is None:
                here = self._meet(kind, values, matches, current)
            if here is None:
                new.append((values, answers))
                continue
            if not incoming_wins(kind.table, values, here):
                continue
            self._write(
                update(table)
                .where(table.c.id == here["id"])
                .values(**values, change_seq=self.seq())
            )
            if answers is not None:
                self._replace_answers(int(here["id"]), answers)
            self.applied.written += 1
        self._insert(kind, new)

    def _localise(self, kind: Kind, row: dict[str, Any]) -> dict[str, Any] | None:
        """The row with UUIDs resolved and parents as ids here; None when it cannot stay."""
        if self.is_gone(row["uuid"]):
            return None
        values = {k: v for k, v in row.items() if k != "answers"}
        values["uuid"] = self.resolve(row["uuid"])
        for column, parent in kind.parents:
            reference = row[column]
            parent_id = None
            if reference is not None and not self.is_gone(reference):
                parent_id = self.local_id(parent, self.resolve(reference))
            if parent_id is None and not _table(kind.table).c[column].nullable:
                return None  # its parent was removed (or never came): the row goes with it
            values[column] = parent_id
        return values

    def _current(self, table: Table, uuids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for condition in self._among(table.c.uuid, uuids):
            for row in self.connection.execute(select(table).where(condition)):
                found[row.uuid] = dict(row._mapping)
        return found

    def _same_things(
        self, kind: Kind, rows: list[dict[str, Any]], current: dict[str, dict[str, Any]]
    ) -> dict[tuple[Any, ...], dict[str, Any]]:
        """Rows here that are the same thing as incoming rows not yet known by UUID."""
        if not kind.same_thing:
            return {}
        table = _table(kind.table)
        unknown = [row for row in rows if row["uuid"] not in current]
        keys = {self._key(kind, row) for row in unknown} - {None}
        # Look up by the key's first column (the leading column of its unique index), then
        # keep the rows whose whole key matches.
        first: ColumnElement[Any] = table.c[kind.same_thing[0]]
        if kind.same_thing == ("email",):
            first = func.lower(first, type_=first.type)
        found: dict[tuple[Any, ...], dict[str, Any]] = {}
        for condition in self._among(first, (key[0] for key in keys if key is not None)):
            for row in self.connection.execute(select(table).where(condition)):
                values = dict(row._mapping)
                key = self._key(kind, values)
                if key is not None and key in keys:
                    found[key] = values
        return found

    @staticmethod
    def _key(kind: Kind, row: dict[str, Any]) -> tuple[Any, ...] | None:
        if not kind.same_thing:
            return None
        if kind.same_thing == ("email",):
            email = (row.get("email") or "").strip().lower()
            return (email,) if email else None
        return tuple(row[name] for name in kind.same_thing)

    def _meet(
        self,
        kind: Kind,
        values: dict[str, Any],
        matches: dict[tuple[Any, ...], dict[str, Any]],
        current: dict[str, dict[str, Any]],
    ) -> dict[str, Any] | None:
        """An incoming row that is a row here under another UUID: the smaller UUID stays."""
        key = self._key(kind, values)
        here = matches.get(key) if key is not None else None
        if here is None or here["uuid"] == values["uuid"]:
            return here
        theirs, ours = values["uuid"], here["uuid"]
        if theirs < ours:
            self._rename(kind.table, int(here["id"]), ours, theirs)
            self.record_alias(ours, theirs, kind.table)
            here["uuid"] = theirs
        else:
            self.record_alias(theirs, ours, kind.table)
            values["uuid"] = ours
            self.applied.merged += 1
        current[here["uuid"]] = here
        return here

    def _replace_answers(self, reflection_id: int, answers: list[dict[str, Any]]) -> None:
        answer = _table("answer")
        self._write(delete(answer).where(answer.c.reflection_id == reflection_id))
        if answers:
            self._write(insert(answer), [{**a, "reflection_id": reflection_id} for a in answers])

    def _insert(
        self, kind: Kind, new: list[tuple[dict[str, Any], list[dict[str, Any]] | None]]
    ) -> None:
        if not new:
            return
        table = _table(kind.table)
        if kind.table == "certificate":
            self._keep_serials_unique([values for values, _ in new])
        seq = self.seq()
        for values, _ in new:  # our own copies (_localise): stamped in place
            values["change_seq"] = seq
        self._bulk_insert(table, (values for values, _ in new))
        self.applied.written += len(new)
        self._load_ids(kind.table, [values["uuid"] for values, _ in new])
        if kind.table == "reflection":
            ids = self.ids["reflection"]
            self._bulk_insert(
                _table("answer"),
                (
                    {**a, "reflection_id": ids[values["uuid"]]}
                    for values, answers in new
                    for a in answers or ()
                ),
            )

    def _bulk_insert(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        """Insert rows that all name the same columns: COPY on PostgreSQL, else executemany.

        COPY sends every row in one stream instead of one statement each (a first sync of a
        big laptop is hundreds of thousands of rows). Values go through each column's own
        conversion first (UTC times, enums, JSON), exactly as an INSERT would send them.
        Rows may come from a generator: they are never all held at once.
        """
        remaining = iter(rows)
        first = next(remaining, None)
        if first is None:
            return
        rows = chain([first], remaining)
        self.touched.add(table.name)
        if not self.postgresql:
            while chunk := list(islice(rows, 2000)):
                self._write(insert(table), chunk)
            return
        dialect = self.connection.dialect
        names = list(first)
        converters = [table.c[name].type._cached_bind_processor(dialect) for name in names]
        quote = dialect.identifier_preparer.quote
        statement = f"COPY {quote(table.name)} ({', '.join(map(quote, names))}) FROM STDIN"
        driver = self.connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        row[name] if convert is None else convert(row[name])
                        for name, convert in zip(names, converters, strict=True)
                    ]
                )

    def _keep_serials_unique(self, rows: list[dict[str, Any]]) -> None:
        """Certificates from before a laptop joined may share a serial: the later one is marked."""
        certificate = _table("certificate")
        serials = [row["serial"] for row in rows]
        taken: set[str] = set()
        for condition in self._among(certificate.c.serial, serials):
            taken.update(self.connection.scalars(select(certificate.c.serial).where(condition)))
        for row in rows:
            while row["serial"] in taken:
                row["serial"] = f"{row['serial']}-{row['uuid'][:4].upper()}"
            taken.add(row["serial"])

    # Tombstones ---------------------------------------------------------------------------

    def apply_tombstones(self, tombstones: list[dict[str, Any]]) -> None:
        table = _table("tombstone")
        for stone in tombstones:
            uuids = {stone["uuid"], self.resolve(stone["uuid"])}
            for uuid in sorted(uuids - self.stored_tombstones):
                self._write(
                    insert(table).values(
                        uuid=uuid, kind=stone["kind"], deleted_at=stone["deleted_at"],
                        deleted_by=stone["deleted_by"], change_seq=self.seq(),
                    )
                )  # fmt: skip
                self.stored_tombstones.add(uuid)
            if stone["kind"] not in BY_TABLE:
                continue
            target = _table(stone["kind"])
            gone = self._write(delete(target).where(target.c.uuid.in_(uuids)))
            self.applied.removed += gone.rowcount
            for uuid in uuids:
                self.ids[stone["kind"]].pop(uuid, None)

    # The organisation's laptops ------------------------------------------------------------

    def copy_laptops(self, laptops: list[dict[str, Any]]) -> None:
        """Replace this laptop's copy of the organisation's list of laptops, when it differs
        (not counted as a change: it is the organisation's, not this laptop's data)."""
        device = _table("device")
        here = _device_list(self.connection)
        wanted = sorted(
            ({name: str(laptop[name] or "") for name in LAPTOP_COLUMNS} for laptop in laptops),
            key=lambda laptop: laptop["serial_prefix"],
        )
        if here == wanted:
            return
        self._write(delete(device))
        self._write(
            insert(device), [{**laptop, "pushed_seq": 0, "pulled_seq": 0} for laptop in wanted]
        )

    # Public signing keys ------------------------------------------------------------------

    def apply_keys(self, keys: list[dict[str, Any]]) -> None:
        """New keys are added; a withdrawal or an endorsement made elsewhere is taken in.

        A database keeps the first organisation key it holds, and takes in only laptop keys
        that key endorsed (a laptop set up on its own signs under a key of its own).
        """
        table = _table("signing_key")
        here = {row.key_id: dict(row._mapping) for row in self.connection.execute(select(table))}
        root = next((k for k in here.values() if k["kind"] == "organisation"), None)
        roots_first = sorted(keys, key=lambda key: key["kind"] != "organisation")
        for key in roots_first:
            mine = here.get(key["key_id"])
            if mine is None:
                if key["kind"] == "organisation":
                    if root is not None:
                        continue
                    root = key
                elif (
                    root is None
                    or not key["endorsed_on"]
                    or not signing.endorsed_by(
                        root["public_key"],
                        key["public_key"],
                        key["endorsed_on"],
                        key["endorsement"],
                    )
                ):
                    continue
                self._write(insert(table).values(**key))
                here[key["key_id"]] = key
                self.applied.written += 1
                continue
            news: dict[str, Any] = {}
            if key["revoked_at"] is not None and mine["revoked_at"] is None:
                news |= {
                    "revoked_at": key["revoked_at"],
                    "revocation_reason": key["revocation_reason"],
                }
            if news:
                self._write(update(table).where(table.c.key_id == key["key_id"]).values(**news))
                self.applied.written += 1


def apply_changes(session: Session, changes: ChangeSet, *, stamp: bool) -> Applied:
    """Apply a change set from another database inside the caller's unit of work."""
    applier = _Applier(session, stamp=stamp)
    for alias in changes.aliases:
        applier.apply_alias(alias)
    for stone in changes.tombstones:  # tombstones win: nothing they name is written first
        applier.tombstoned.update({stone["uuid"], applier.resolve(stone["uuid"])})
    for kind in KINDS:
        applier.apply_rows(kind, changes.rows.get(kind.table, []))
    applier.apply_tombstones(changes.tombstones)
    applier.apply_keys(changes.keys)
    if not stamp and changes.laptops:  # a laptop, from the organisation
        applier.copy_laptops(changes.laptops)
    note_changes(session, applier.touched)
    return applier.applied


# Joining and syncing ----------------------------------------------------------------------

PREFIX_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "IO")


def _prefix(number: int) -> str:
    """A, B, ... Z, AA, AB, ...: short, and never read as a digit."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(PREFIX_LETTERS))
        letters = PREFIX_LETTERS[rest] + letters
    return letters


def display_url(url: str) -> str:
    """The URL as it may be saved and shown: never with a password."""
    return make_url(url).render_as_string(hide_password=True).replace(":***@", "@")


@dataclass(frozen=True)
class SyncStatus:
    device_id: str
    serial_prefix: str
    org_url: str
    joined: bool
    last_sync_at: datetime | None


def status(store: Store) -> SyncStatus:
    with store.read() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        return SyncStatus(
            device_id=state.device_id,
            serial_prefix=state.serial_prefix,
            org_url=state.org_url,
            joined=bool(state.org_device_id),
            last_sync_at=state.last_sync_at,
        )


def _same_database(local: Store, org: Store) -> None:
    if status(local).device_id == status(org).device_id:
        raise UserError(
            "That is this laptop's own database, not the organisation's. Give the address of "
            "the organisation's PostgreSQL database."
        )


def register_device(session: Session, device_id: str, name: str = "") -> Device:
    """On the organisation's database: the laptop's record, made with the next free prefix."""
    device = session.scalars(select(Device).where(Device.device_id == device_id)).one_or_none()
    if device is None:
        used = session.scalar(select(func.count(Device.id))) or 0
        taken = set(session.scalars(select(Device.serial_prefix)))
        number = used
        while _prefix(number) in taken:
            number += 1
        device = Device(
            device_id=device_id, serial_prefix=_prefix(number), name=name, pushed_seq=0,
            pulled_seq=0,
        )  # fmt: skip
        session.add(device)
    device.left_at = None
    if name:
        device.name = name
    return device


@dataclass(frozen=True)
class JoinResult:
    serial_prefix: str
    org_url: str


def join(local: Store, org: Store, org_url: str, name: str = "") -> JoinResult:
    """Link this laptop to the organisation's database and give it its serial prefix."""
    _same_database(local, org)
    me = status(local).device_id
    with org.write() as session:
        org_state = session.get(SyncState, 1)
        assert org_state is not None
        device = register_device(session, me, name)
        prefix, org_id = device.serial_prefix, org_state.device_id
    shown = display_url(org_url)
    with local.write() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        if state.org_device_id and state.org_device_id != org_id:
            raise UserError(
                "This laptop already belongs to another organisation's database. Leave it "
                "first (amie-desktop org leave)."
            )
        state.serial_prefix, state.org_url, state.org_device_id = prefix, shown, org_id
    return JoinResult(serial_prefix=prefix, org_url=shown)


def leave(local: Store) -> None:
    """Unlink this laptop; its data stays, and its serial prefix stays so serials stay unique."""
    with local.write() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        state.org_url, state.org_device_id = "", ""
        state.pushed_seq = state.pulled_seq = 0
        # The copy of the organisation's laptops goes too: a database with laptops and no
        # organisation of its own is taken to be an organisation's.
        session.execute(delete(Device))


@dataclass(frozen=True)
class SyncReport:
    sent: int
    received: int
    changed_there: int
    changed_here: int
    merged: int
    removed: int

    @property
    def nothing_changed(self) -> bool:
        return not (self.changed_there or self.changed_here)

    def words(self) -> str:
        """What the sync did, in one sentence for the window and the command line."""
        if self.nothing_changed:
            return "Up to date: nothing changed here or in the organisation's database."
        return (
            f"Sent {self.sent} changes ({self.changed_there} new to the organisation), "
            f"received {self.received} ({self.changed_here} new here); "
            f"{self.merged} records merged, {self.removed} removed."
        )

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "sent": self.sent,
            "received": self.received,
            "changed_there": self.changed_there,
            "changed_here": self.changed_here,
            "merged": self.merged,
            "removed": self.removed,
            "nothing_changed": self.nothing_changed,
        }


CONNECTION_LOST = (
    "The connection to the organisation's database was lost in the middle of the sync. "
    "Nothing is lost: the next sync finishes what this one started. Check the network, "
    "then sync again."
)


def sync(local: Store, org: Store, progress: Progress | None = None) -> SyncReport:
    """Push this laptop's changes since its last push, then pull everything else new."""
    try:
        return _sync(local, org, progress or (lambda _step: None))
    except DBAPIError as exc:
        if not exc.connection_invalidated:  # the server went away, not a fault in the data
            raise
        raise UserError(CONNECTION_LOST) from exc


def _sync(local: Store, org: Store, say: Progress) -> SyncReport:
    _same_database(local, org)
    mine = status(local)
    with org.read() as session:
        org_id = _state(session.connection())[0]
        org_keys = _key_states(session.connection())
    if not mine.joined or org_id != _org_id(local):
        raise UserError(
            "This laptop has not joined that organisation's database yet. Run "
            "amie-desktop org join URL first."
        )
    with local.read() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        pushed_seq, pulled_seq = state.pushed_seq, state.pulled_seq
        say("Reading this laptop's changes")
        outgoing = read_changes(session, pushed_seq)
    there = Applied()
    # Keys go only when the organisation lacks one or a withdrawal: most syncs need no write.
    keys_news = any(org_keys.get(k["key_id"]) != _key_state(k) for k in outgoing.keys)
    if outgoing.size or keys_news:
        say("Sending changes")
        with org.write() as session:
            there = apply_changes(session, outgoing, stamp=True)
    say("Reading the organisation's changes")
    with org.read() as session:
        incoming = read_changes(session, pulled_seq, exclude_device=mine.device_id)
    say("Saving changes here")
    with local.write() as session:
        here = apply_changes(session, incoming, stamp=False)
        state = session.get(SyncState, 1)
        assert state is not None
        state.pushed_seq = max(state.pushed_seq, outgoing.upto)
        state.pulled_seq = max(state.pulled_seq, incoming.upto)
        state.last_sync_at = datetime.now(UTC)
    if here.removed:  # erased elsewhere: leave no trace in this file's free space either
        local.compact()
    return SyncReport(
        sent=outgoing.size,
        received=incoming.size,
        changed_there=there.changed,
        changed_here=here.changed,
        merged=there.merged + here.merged,
        removed=there.removed + here.removed,
    )


def _key_state(key: Any) -> tuple[bool, str]:
    """What of a public key can change after it is made: withdrawn or not, and why."""
    return key["revoked_at"] is not None, key["revocation_reason"]


def _key_states(connection: Connection) -> dict[str, tuple[bool, str]]:
    key = _table("signing_key")
    query = select(key.c.key_id, key.c.revoked_at, key.c.revocation_reason)
    return {row.key_id: _key_state(row._mapping) for row in connection.execute(query)}


def _org_id(local: Store) -> str:
    with local.read() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        return state.org_device_id


# The organisation's address and password -------------------------------------------------

KEYRING_SERVICE = "AMIE Workshop Companion organisation database"
PASSWORD_VARIABLE = "AMIE_ORG_PASSWORD"


def remember_password(url: str) -> bool:
    """Keep the URL's password in the system keyring; False when there is no keyring."""
    password = make_url(url).password
    if not password:
        return False
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, display_url(url), str(password))
        except KeyringError:
            return False
    except ImportError:
        return False
    return True


def _saved_password(url: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, display_url(url))
        except KeyringError:
            return None
    except ImportError:
        return None


def with_password(url: str) -> str:
    """The URL with its password: as given, else from $AMIE_ORG_PASSWORD, else the keyring."""
    parsed = make_url(url)
    if parsed.password:
        return url
    password = os.environ.get(PASSWORD_VARIABLE) or _saved_password(url)
    if not password:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


@contextmanager
def open_org(local: Store, url: str | None = None) -> Iterator[Store]:
    """The organisation's database: the URL given, else the one this laptop joined."""
    url = url or status(local).org_url
    if not url:
        raise UserError(
            "This laptop has not joined an organisation's database. Run "
            "amie-desktop org join URL first, or give the address with --org URL."
        )
    try:
        org = open_store(local.data_dir, with_password(url))
    except NewerDatabaseError:
        raise
    except DatabaseError as exc:  # unreachable, refused: the message names no password
        raise UserError(
            f"{exc} The password is the one in the address given, else ${PASSWORD_VARIABLE}, "
            "else the one kept in the system keyring when the laptop joined."
        ) from exc
    try:
        yield org
    finally:
        org.close()
