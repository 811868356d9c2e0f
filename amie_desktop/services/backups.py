"""Backups: copies made with SQLite's backup API, checked, kept on a rotation; checked restores."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from amie_desktop.services import audit
from amie_desktop.services.errors import UserError
from amie_desktop.services.progress import Progress
from amie_desktop.store import Store
from amie_desktop.store.database import (
    BACKUP_FOLDER,
    head_revision,
    install_database,
    is_known_revision,
    migrate_file,
)
from amie_desktop.store.files import integrity_ok, private_dir, sqlite_copy
from amie_desktop.store.integrity import (
    describe_file,
    looks_like_sqlite,
    os_error_message,
    storage_message,
)
from amie_desktop.store.location import folder_warning
from amie_desktop.store.models import Organisation

KEEP_LAST = 10
KEEP_DAYS = 7
KEEP_WEEKS = 8
SECOND_FOLDER_NAME = "AMIE Workshop Companion backups"
# A temp file this old is from a copy that was cut short (power lost, app killed): tidy it.
STALE_PART_AGE = timedelta(minutes=10)
_STAMP = re.compile(r"(\d{8}-\d{6})(?:-(\d{6}))?")

REASONS = {
    "start-up": "when the app started",
    "automatic": "automatic, every 30 minutes",
    "manual": "made by hand",
    "before-restore": "before a restore",
    "before-upgrade": "before an upgrade",
}


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime
    reason: str
    size_bytes: int

    @property
    def describe_reason(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class BackupResult:
    backup: Backup
    removed: tuple[Path, ...]
    second_copy: Path | None
    second_copy_problem: str  # empty when the second copy was made or none was asked for


@dataclass(frozen=True)
class BackupCheck:
    """A file that passed every check and can be restored."""

    path: Path
    revision: str
    workshops: int
    people: int
    needs_upgrade: bool
    holds_data: bool = True


@dataclass(frozen=True)
class RestoreResult:
    check: BackupCheck
    safety_backup: Backup


# Listing and rotation -------------------------------------------------------------------------


def _parse(path: Path) -> Backup | None:
    if path.name.startswith(".") or path.suffix != ".sqlite3" or not path.is_file():
        return None
    match = _STAMP.search(path.stem)
    if match is None:
        return None
    text = match.group(1) + (match.group(2) or "000000")
    try:
        made = datetime.strptime(text, "%Y%m%d-%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:
        return None
    reason = path.stem[match.end() :].lstrip("-") or path.stem[: match.start()].rstrip("-")
    if reason.startswith("before-upgrade"):
        reason = "before-upgrade"
    return Backup(path, made, reason, path.stat().st_size)


def list_backups(folder: Path) -> list[Backup]:
    """The finished backups in folder, newest first (copies still being written never show)."""
    if not folder.is_dir():
        return []
    found = [b for b in (_parse(p) for p in folder.iterdir()) if b is not None]
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def backups(store: Store) -> list[Backup]:
    return list_backups(store.backup_dir)


def choose_kept(made: Sequence[datetime], now: datetime) -> set[int]:
    """Indexes of the backups to keep: the last 10, the newest of each of the last 7 days, and
    the newest of each of the last 8 weeks."""
    order = sorted(range(len(made)), key=lambda i: made[i], reverse=True)
    keep = set(order[:KEEP_LAST])
    days: set[object] = set()
    weeks: set[object] = set()
    today = now.date()
    for index in order:
        day = made[index].date()
        age_days = (today - day).days
        if age_days < KEEP_DAYS and day not in days:
            days.add(day)
            keep.add(index)
        week = day.isocalendar()[:2]
        if age_days < KEEP_WEEKS * 7 and week not in weeks:
            weeks.add(week)
            keep.add(index)
    return keep


def rotate(folder: Path, now: datetime | None = None) -> list[Path]:
    """Delete backups the rotation no longer needs, and copies cut short long ago."""
    now = now or datetime.now(UTC)
    found = list_backups(folder)
    keep = choose_kept([b.made_at for b in found], now)
    removed = [b.path for i, b in enumerate(found) if i not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    # Also the journal SQLite keeps beside a copy being written (".part-journal").
    for part in folder.glob(".*.part*"):
        age = now - datetime.fromtimestamp(part.stat().st_mtime, UTC)
        if age > STALE_PART_AGE:
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


# Making backups -------------------------------------------------------------------------------


def _live_database(store: Store) -> Path:
    if store.database_path is None:
        raise UserError(
            "This app is using the organisation's database server, so backups are made on the "
            "server (with pg_dump) by whoever runs it, not by the app."
        )
    return store.database_path


def backup_name(reason: str, now: datetime) -> str:
    return f"amie-{now.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite3"


def _copy(
    source: Path,
    target: Path,
    what: str,
    progress: Progress | None = None,
    checked: bool = True,
    data_dir: Path | None = None,
) -> None:
    """A checked copy; with data_dir (the source is the live database), a copy that fails its
    check because the database itself is damaged says what to do about it."""
    try:
        sqlite_copy(source, target, progress, checked)
    except OSError as exc:
        raise UserError(os_error_message(exc, what)) from exc
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        known = storage_message(sqlite_code=code, what=what) if isinstance(code, int) else None
        if known is not None:
            raise UserError(known) from exc
        if data_dir is not None and not integrity_ok(source):
            raise DamagedInUseError(_damaged_advice(data_dir)) from exc
        raise UserError(
            f"The copy for {what} failed its integrity check, so it was thrown away. The "
            f"database itself was not changed. ({exc})"
        ) from exc


class DamagedInUseError(UserError):
    """The database in use fails SQLite's full check; the message says what to do."""


def _damaged_advice(data_dir: Path) -> str:
    newest = newest_good_backup(data_dir)
    if newest is None:
        way_back = (
            "No backup holding data was found in the data folder; if you keep backups "
            "elsewhere, restore one of those (Settings > Data > Restore from a file)."
        )
    else:
        way_back = (
            f"Restore the newest backup that holds data, {newest.path.name} (Settings > Data); "
            "a copy of the damaged database is kept first."
        )
    return (
        "The database failed its full check: part of it is damaged, so no backup was made "
        f"and the older backups were kept. Avoid making changes until it is put right. {way_back}"
    )


def second_folder(store: Store) -> Path | None:
    """The second place backups are copied to (a USB stick, say), or None."""
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        chosen = "" if org is None else org.second_backup_folder
    return Path(chosen) if chosen else None


def set_second_folder(store: Store, folder: Path | None) -> Path | None:
    """Copy every backup to folder as well (None stops it). The folder must be writable now."""
    if folder is not None:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise UserError(f"There is no folder at {folder}. Plug the drive in and try again.")
        probe = folder / f".amie-write-test-{uuid.uuid4().hex}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise UserError(os_error_message(exc, "the test file in that folder")) from exc
    with store.write() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        if org is None:
            raise UserError("The organisation has not been set up yet.")
        org.second_backup_folder = "" if folder is None else str(folder)
        audit.record(session, "second backup folder", "none" if folder is None else str(folder))
    return folder


def _second_copy(store: Store, backup: Path, now: datetime) -> tuple[Path | None, str]:
    chosen = second_folder(store)
    if chosen is None:
        return None, ""
    if not chosen.is_dir():
        return None, (
            f"The second backup folder ({chosen}) is not there, so only the copy in the data "
            "folder was made. Plug the drive in to have both."
        )
    try:
        target_dir = private_dir(chosen / SECOND_FOLDER_NAME)
        target = target_dir / backup.name
        _copy(backup, target, "the copy in the second backup folder")
        rotate(target_dir, now)
    except (UserError, OSError) as exc:
        return None, f"The copy in the second backup folder was not made: {exc}"
    return target, ""


def make_backup(
    store: Store,
    reason: str = "manual",
    progress: Progress | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Copy the live database into the backups folder (checked), then apply the rotation."""
    database = _live_database(store)
    now = now or datetime.now(UTC)
    folder = store.backup_dir
    target = folder / backup_name(reason, now)
    _copy(database, target, "the backup", progress, data_dir=store.data_dir)
    backup = _parse(target)
    assert backup is not None
    removed = rotate(folder, now)
    second, problem = _second_copy(store, target, now)
    return BackupResult(backup, tuple(removed), second, problem)


def backup_to_file(store: Store, out: Path, progress: Progress | None = None) -> Path:
    """A checked copy of the database at out (a file, or a folder to put a dated file in)."""
    database = _live_database(store)
    out = Path(out).expanduser()
    if out.is_dir():
        out = out / backup_name("manual", datetime.now(UTC))
    if not out.parent.is_dir():
        raise UserError(f"There is no folder at {out.parent}.")
    if out.resolve() == database.resolve():
        raise UserError("A backup cannot be written over the database itself.")
    _copy(database, out, "the backup", progress, data_dir=store.data_dir)
    return out


# Checking and restoring -----------------------------------------------------------------------


def check_backup(path: Path) -> BackupCheck:
    """Make sure a file is a healthy database of this app that this version can open."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(f"There is no file at {path}.")
    name = path.name
    if not looks_like_sqlite(path):
        raise UserError(
            f"{name} is not a backup of this app (it is not a database at all). Nothing was "
            "changed."
        )
    try:
        healthy = integrity_ok(path)
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        known = storage_message(sqlite_code=code, what="anything") if code is not None else None
        raise UserError(known or f"{name} cannot be read ({exc}). Nothing was changed.") from exc
    if not healthy:
        raise UserError(
            f"{name} is damaged (it fails SQLite's integrity check), so it cannot be restored. "
            "Nothing was changed. Try an older backup."
        )
    try:
        info = describe_file(path)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{name} cannot be read ({exc}). Nothing was changed.") from exc
    if not info.is_app_database or info.revision is None:
        raise UserError(
            f"{name} is a database, but not one of this app, so it cannot be restored. "
            "Nothing was changed."
        )
    if not is_known_revision(info.revision):
        raise UserError(
            f"{name} was made by a newer version of AMIE Workshop Companion. Install the newer "
            "version to restore it. Nothing was changed."
        )
    return BackupCheck(
        path,
        info.revision,
        info.workshops,
        info.people,
        info.revision != head_revision(),
        info.holds_data,
    )


def _prepare(check: BackupCheck, folder: Path, progress: Progress | None) -> Path:
    """A checked copy of the backup beside the database, brought up to the current schema."""
    prepared = folder / f".restoring-{uuid.uuid4().hex}.sqlite3"
    try:
        _copy(check.path, prepared, "the restored database", progress)
        if check.needs_upgrade:
            migrate_file(prepared)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{prepared}{suffix}").unlink(missing_ok=True)
        raise
    return prepared


def restore(store: Store, path: Path, progress: Progress | None = None) -> RestoreResult:
    """Check the file, back up the current database, then swap the file in."""
    database = _live_database(store)
    check = check_backup(path)
    if Path(path).expanduser().resolve() == database.resolve():
        raise UserError("That file is the database in use; choose a backup instead.")
    with store.only_user():  # another copy of the app would go on writing to the old file
        safety = _safety_copy(store)
        prepared = _prepare(check, database.parent, progress)
        try:
            store.swap_in(prepared)
        except OSError as exc:
            prepared.unlink(missing_ok=True)
            raise UserError(os_error_message(exc, "the restored database")) from exc
    with store.write() as session:
        audit.record(
            session,
            "database restored",
            f"from {check.path.name}; the database before it was kept as {safety.path.name}",
        )
    return RestoreResult(check, safety)


def _safety_copy(store: Store) -> Backup:
    """The database as it was before a restore: a checked backup, or, when it is damaged, a
    plain copy named so that it is never offered as a good backup."""
    try:
        return make_backup(store, "before-restore").backup
    except DamagedInUseError:
        now = datetime.now(UTC)
        target = store.backup_dir / backup_name("before-restore-damaged", now)
        _copy(_live_database(store), target, "the copy of the damaged database", checked=False)
        return Backup(target, now, "before-restore-damaged", target.stat().st_size)


def restore_into_folder(data_dir: Path, database_file: str, path: Path) -> BackupCheck:
    """Put a checked backup in place when no database is open (recovery after damage)."""
    check = check_backup(path)
    folder = private_dir(Path(data_dir))
    database = folder / database_file
    if database.exists():
        raise UserError(
            f"There is already a database at {database}; restore from inside the app instead."
        )
    prepared = _prepare(check, folder, None)
    try:
        install_database(prepared, database)
    except OSError as exc:
        prepared.unlink(missing_ok=True)
        raise UserError(os_error_message(exc, "the restored database")) from exc
    return check


def newest_good_backup(data_dir: Path) -> Backup | None:
    """The newest backup in the data folder that passes every restore check and holds data
    (a copy of the empty database made after damage is no way back)."""
    for backup in list_backups(Path(data_dir) / BACKUP_FOLDER):
        with contextlib.suppress(UserError):
            if check_backup(backup.path).holds_data:
                return backup
    return None


def unfinished_recovery(store: Store) -> Path | None:
    """The damaged database moved aside earlier, when no way back was chosen since.

    That is so when the database in use has never been used (its audit log is empty: set-up,
    a restore and a recovery all write to it) and a damaged copy sits beside it, as after
    quitting the recovery message, or after the command line found the damage first.
    """
    database = store.database_path
    if database is None:
        return None
    moved = sorted(
        database.parent.glob(f"{database.stem}-damaged-*{database.suffix}"),
        key=lambda path: path.stat().st_mtime,
    )
    if not moved or audit.recent(store, 1):
        return None
    return moved[-1]


def record_recovery(store: Store, backup: Path | None, moved_to: Path) -> None:
    """Note in the audit log that a damaged database was moved aside, and what replaced it."""
    replaced = f"restored {backup.name}" if backup else "started with an empty database"
    with store.write() as session:
        audit.record(session, "damaged database moved aside", f"{moved_to.name}; {replaced}")


def data_folder_warning(store: Store) -> str | None:
    """A warning when the database sits in a cloud-sync folder or on a network drive."""
    if store.database_path is None:
        return None
    return folder_warning(store.database_path.parent)


def file_size_text(size: int) -> str:
    """A size as a person reads it: 812 bytes, 3.4 MB."""
    if size < 1024:
        return f"{size} bytes"
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            break
    return f"{amount:.1f} {unit}"
