"""A first look at the data folder's database, read with the standard sqlite3 module.

Opening the window draws the workshop list before SQLAlchemy (about twice a bare window's
start-up to import) is loaded: this reads the organisation's name and the list's first page,
in the list's first order, straight from the file; the Store is opened just after the window
is on screen and the list read again through the workshops service.

The look is taken only when nothing at start-up needs more than the list: a current schema,
set-up done, no damaged copy or unfinished clean-up beside the file, no station left open.
Anything else (or any error at all) gives None, and start-up takes the ordinary way, where
each of those cases is handled and explained.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, WorkshopStatus
from amie_desktop.domain.workshop_list import WorkshopRow
from amie_desktop.store.location import CLEANUP_DUE, DATABASE_FILE, STATION_NOTE, folder_warning
from amie_desktop.store.revisions import schema_revisions

# The list's first order (ListQuery's default): newest first, as services/workshops.py sorts.
_FIRST_PAGE = """
SELECT w.id, w.uuid, w.title, w.date, w.start_time, w.venue, w.facilitators, w.status,
       (SELECT count(*) FROM attendance a WHERE a.workshop_id = w.id),
       (SELECT count(*) FROM attendance a WHERE a.workshop_id = w.id AND a.status = ?)
FROM workshop w
ORDER BY w.date DESC, w.start_time DESC, w.id DESC
LIMIT ?
"""


@dataclass(frozen=True)
class FirstLook:
    """What the window shows first: the organisation, the list's first page, the filter's
    names, and a warning about where the folder is (a cloud-sync folder or network drive)."""

    database_path: Path
    organisation: str
    rows: tuple[WorkshopRow, ...]
    total: int
    facilitators: tuple[str, ...]
    folder_warning: str | None


def first_look(data_dir: Path, page_size: int) -> FirstLook | None:
    """The first look at data_dir's database, or None when start-up should open it as usual."""
    database = data_dir / DATABASE_FILE
    if not database.is_file() or _needs_attention(database):
        return None
    try:
        connection = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, database, page_size)
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None  # whatever it is, opening the store says it plainly
    finally:
        connection.close()


def _needs_attention(database: Path) -> bool:
    """Something start-up must deal with before showing the list."""
    beside = (
        database.with_name(f"{database.name}{CLEANUP_DUE}"),  # an erasure's clean-up is due
        database.with_name(STATION_NOTE),  # a station comes back, locked, instead
    )
    if any(path.exists() for path in beside):
        return True
    return any(database.parent.glob(f"{database.stem}-damaged-*{database.suffix}"))


def _read(connection: sqlite3.Connection, database: Path, page_size: int) -> FirstLook | None:
    (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision != schema_revisions().head:
        return None  # older (a migration runs first) or newer (refused): the ordinary way
    organisation = connection.execute("SELECT name FROM organisation LIMIT 1").fetchone()
    if organisation is None:
        return None  # first-run set-up
    found = connection.execute(_FIRST_PAGE, (AttendanceStatus.ATTENDED.value, page_size))
    rows = tuple(_row(*values) for values in found)
    (total,) = connection.execute("SELECT count(*) FROM workshop").fetchone()
    lists = connection.execute("SELECT DISTINCT facilitators FROM workshop").fetchall()
    names = {name.strip() for (text,) in lists for name in json.loads(text) if name.strip()}
    return FirstLook(
        database_path=database.absolute(),
        organisation=str(organisation[0]),
        rows=rows,
        total=int(total),
        facilitators=tuple(sorted(names, key=fold)),
        folder_warning=folder_warning(database.parent),
    )


def _row(
    id_: int,
    uuid: str,
    title: str,
    on: str,
    start: str,
    venue: str,
    facilitators: str,
    status: str,
    booked: int,
    attended: int,
) -> WorkshopRow:
    return WorkshopRow(
        id=int(id_),
        uuid=str(uuid),
        title=str(title),
        date=date.fromisoformat(on),
        start_time=time.fromisoformat(start),
        venue=str(venue),
        facilitators=tuple(json.loads(facilitators)),
        status=WorkshopStatus(status),
        booked=int(booked),
        attended=int(attended),
    )
