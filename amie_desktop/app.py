"""Start-up: parse the command line, open the store, then run a command or build the window."""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from amie_desktop import APP_NAME, __version__, cli
from amie_desktop.logs import log_path, set_up_logging
from amie_desktop.services.errors import UserError
from amie_desktop.store.files import private_dir
from amie_desktop.store.integrity import storage_message
from amie_desktop.store.location import DATABASE_FILE, default_data_dir

if TYPE_CHECKING:
    from amie_desktop.store import Store
    from amie_desktop.store.first_look import FirstLook

# The database layer (SQLAlchemy) and the services are imported where a command needs them:
# opening the window draws the workshop list first, from a first look at the file.

log = logging.getLogger("amie_desktop")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amie-desktop",
        description=f"{APP_NAME}: plan and run HEARD workshops, collect reflections, "
        "export certificates and reports. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="use DIR for all data (default: the platform's app-data folder, or $AMIE_DATA_DIR)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="use another database (default: SQLite in the data folder, or $AMIE_DATABASE_URL)",
    )
    parser.add_argument(
        "--start-empty",
        action="store_true",
        help="after damage, go on with an empty database instead of restoring a backup",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli.add_commands(subparsers)
    return parser


def _open(args: argparse.Namespace) -> Store:
    from amie_desktop.store import open_store

    return open_store(args.data_dir, args.database_url)


def _fail(message: str) -> int:
    print(f"amie-desktop: {message}", file=sys.stderr)
    return 1


def _quoted(path: Path | str) -> str:
    text = str(path)
    return f'"{text}"' if not set(text) & set('"$`\\') else shlex.quote(text)


def _command_prefix(args: argparse.Namespace) -> str:
    """amie-desktop with the same --data-dir and --database-url as this run, to copy and run."""
    from amie_desktop.store.database import redact_url

    parts = ["amie-desktop"]
    if args.data_dir is not None:
        parts += ["--data-dir", _quoted(args.data_dir)]
    if args.database_url:
        parts += ["--database-url", _quoted(redact_url(args.database_url))]
    return " ".join(parts)


def _recovery_hint(data_dir: Path, args: argparse.Namespace) -> str:
    from amie_desktop.services.backups import newest_good_backup

    newest = newest_good_backup(data_dir)
    if newest is None:
        return (
            "No backup holding data was found in the data folder. To restore one kept "
            f"elsewhere, run: {_command_prefix(args)} restore FILE. To start with an empty "
            f"database instead, run: {_command_prefix(args)} --start-empty workshops"
        )
    return (
        f"To restore the newest backup that holds data, run: {_command_prefix(args)} restore "
        f"{_quoted(newest.path)}"
    )


def _run_without_data(args: argparse.Namespace, data_dir: Path) -> int:
    """A command that works on a computer where the app keeps no data (verify): the data
    folder is used only if it already holds a database, and is never created."""
    from amie_desktop.store import DatabaseError

    store: Store | None = None
    try:
        chosen = args.database_url or os.environ.get("AMIE_DATABASE_URL")
        if chosen or (data_dir / DATABASE_FILE).is_file():
            store = _open(args)
        handler: cli.DatalessHandler = args.handler
        return _guarded(lambda: handler(store, args, sys.stdout), args, data_dir)
    except (DatabaseError, UserError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(_file_problem(exc))
    finally:
        if store is not None:
            store.close()


def _file_problem(exc: OSError) -> str:
    known = storage_message(os_errno=exc.errno, what="the file")
    if known is not None:
        return known
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else ""
    shown = name if len(name) <= 120 else f"{name[:60]}…{name[-40:]}"
    where = f": {shown}" if shown else ""
    return f"A file could not be used ({exc.strerror or exc}){where}. Nothing was changed."


def _guarded(run: Callable[[], int], args: argparse.Namespace, data_dir: Path) -> int:
    """Run a command: a user's mistake or a disk problem is one plain line, never a traceback."""
    from amie_desktop.services.backups import DamagedInUseError

    try:
        return run()
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except DamagedInUseError as exc:
        return _fail(f"{exc} {_recovery_hint(data_dir, args)}")
    except UserError as exc:
        return _fail(str(exc))
    except OSError as exc:
        log.exception("command %s failed", args.command)
        return _fail(_file_problem(exc))
    except UnicodeEncodeError:  # bytes that are not UTF-8, typed where a name or id goes
        return _fail(
            "Part of the command is not valid text (it has bytes that are not UTF-8), so it "
            "matches nothing. Nothing was changed."
        )
    except Exception:
        log.exception("command %s failed", args.command)
        return _fail(
            "Something went wrong that the app could not handle. "
            f"Details are in the log: {log_path(data_dir)}"
        )


def _data_missing(store: Store, args: argparse.Namespace) -> str | None:
    """After damage, the empty database that took its place is refused until a restore or an
    explicit --start-empty, so nothing runs (or is backed up) as if no data had ever been."""
    from amie_desktop.services.backups import record_recovery, unfinished_recovery

    moved = unfinished_recovery(store)
    if moved is None or args.command == "restore":
        return None
    if args.start_empty:
        record_recovery(store, None, moved)
        return None
    return (
        f"The data is missing: the damaged database was moved aside to {moved}, and nothing "
        f"has been restored since. {_recovery_hint(store.data_dir, args)}"
    )


def _prepare_streams() -> None:
    """File names that are not UTF-8 print as their own bytes, not as an error after the work."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            utf8 = stream.encoding.lower().replace("-", "") == "utf8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")


def _silence_stdout() -> None:
    """The reader of our output went away (`| head -1`): stop writing to it, quietly."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _start_logging(data_dir: Path) -> str | None:
    """Set up the log; a message when the data folder cannot be written to (None if fine).

    A log that cannot be written while the data folder can is said once, and work goes on.
    """
    try:
        private_dir(data_dir)
    except OSError as exc:
        return f"The data folder {data_dir} cannot be written to ({exc.strerror or exc})."
    try:
        set_up_logging(data_dir)
    except OSError as exc:
        print(
            f"amie-desktop: the log file {log_path(data_dir)} cannot be written "
            f"({exc.strerror or exc}); carrying on without it.",
            file=sys.stderr,
        )
    return None


def _first_look(args: argparse.Namespace, data_dir: Path) -> FirstLook | None:
    """The window's first look at the database (store/first_look.py): only for the data
    folder's own SQLite file, and only when nothing asks for the ordinary way."""
    if args.database_url or os.environ.get("AMIE_DATABASE_URL") or args.start_empty:
        return None
    from amie_desktop.store.first_look import first_look
    from amie_desktop.ui.workshops.model import PAGE_SIZE

    return first_look(data_dir, PAGE_SIZE)


def main(argv: Sequence[str] | None = None) -> int:
    _prepare_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir: Path = (args.data_dir or default_data_dir()).expanduser().absolute()
    if getattr(args, "without_data", False):
        return _run_without_data(args, data_dir)
    problem = _start_logging(data_dir)
    if problem:
        return _fail(problem)
    if args.command is None:
        from amie_desktop.ui.application import run_window  # Qt loads only for the window

        look = _first_look(args, data_dir)
        return run_window(lambda: _open(args), sys.argv[:1], log_path(data_dir), look)
    from amie_desktop.store import DamagedDatabaseError, DatabaseError, NotADatabaseError

    try:
        store = _open(args)
    except (DamagedDatabaseError, NotADatabaseError) as exc:
        folder = exc.moved_to.parent if isinstance(exc, DamagedDatabaseError) else data_dir
        return _fail(f"{exc} {_recovery_hint(folder, args)}")
    except (DatabaseError, UserError) as exc:
        return _fail(str(exc))
    store.on_wait = lambda notice: print(f"amie-desktop: {notice}", file=sys.stderr)

    def run() -> int:
        missing = _data_missing(store, args)
        if missing:
            return _fail(missing)
        handler: cli.Handler = args.handler
        return handler(store, args, sys.stdout)

    try:
        return _guarded(run, args, store.data_dir)
    finally:
        store.close()
