"""Start-up: parse the command line, open the store, then run a command or build the window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from amie_desktop import APP_NAME, __version__, cli
from amie_desktop.logs import log_path, set_up_logging
from amie_desktop.services.backups import newest_good_backup
from amie_desktop.services.errors import UserError
from amie_desktop.store import DamagedDatabaseError, DatabaseError, Store, open_store
from amie_desktop.store.database import DATABASE_FILE, default_data_dir

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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli.add_commands(subparsers)
    return parser


def _open(args: argparse.Namespace) -> Store:
    return open_store(args.data_dir, args.database_url)


def _fail(message: str) -> int:
    print(f"amie-desktop: {message}", file=sys.stderr)
    return 1


def _recovery_hint(data_dir: Path) -> str:
    newest = newest_good_backup(data_dir)
    if newest is None:
        return "No good backup was found; the next start begins with an empty database."
    return f'To restore the newest good backup, run: amie-desktop restore "{newest.path}"'


def _run_without_data(args: argparse.Namespace, data_dir: Path) -> int:
    """A command that works on a computer where the app keeps no data (verify): the data
    folder is used only if it already holds a database, and is never created."""
    store: Store | None = None
    try:
        if args.database_url or (data_dir / DATABASE_FILE).is_file():
            store = _open(args)
        handler: cli.DatalessHandler = args.handler
        return handler(store, args, sys.stdout)
    except UserError as exc:
        return _fail(str(exc))
    except DatabaseError as exc:
        return _fail(str(exc))
    finally:
        if store is not None:
            store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    if getattr(args, "without_data", False):
        return _run_without_data(args, data_dir)
    try:
        set_up_logging(data_dir)
    except OSError as exc:
        return _fail(f"The data folder {data_dir} cannot be written to ({exc.strerror}).")
    if args.command is None:
        from amie_desktop.ui.application import run_window  # Qt loads only for the window

        return run_window(lambda: _open(args), sys.argv[:1], log_path(data_dir))
    try:
        store = _open(args)
    except DamagedDatabaseError as exc:
        return _fail(f"{exc} {_recovery_hint(exc.moved_to.parent)}")
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        handler: cli.Handler = args.handler
        return handler(store, args, sys.stdout)
    except UserError as exc:
        return _fail(str(exc))
    except Exception:
        log.exception("command %s failed", args.command)
        return _fail(
            "Something went wrong that the app could not handle. "
            f"Details are in the log: {log_path(data_dir)}"
        )
    finally:
        store.close()
