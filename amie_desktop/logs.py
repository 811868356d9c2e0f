"""The app's log: rotating files in the data folder, for details a plain message leaves out.

What attendees type (reflections, names in free text) and PINs are never logged: services log
ids and counts, not content.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sqlite3
import traceback
from pathlib import Path
from typing import Any

LOG_FOLDER = "logs"
LOG_FILE = "amie-desktop.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every log file it starts, the first and each after a rotation, only its owner can read."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        """A log that cannot be written (a full disk, say) must not print a traceback over
        the plain message the user is reading; the record is dropped."""


class PrivateFormatter(logging.Formatter):
    """Tracebacks with where it happened, but without the messages of exceptions that may
    quote data: a database error quotes the row (an email), a decode error the text."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # never a cached traceback that another formatter made
        return super().format(record)

    def formatException(self, ei: Any) -> str:
        return private_traceback(ei[1])


def _describe(error: BaseException) -> str:
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(error, OSError):
        return f"{name}: [Errno {error.errno}] {error.strerror}"  # never the file's name
    if isinstance(error, sqlite3.Error):
        return f"{name}: {error}"  # SQLite's own words name tables and columns, not values
    orig = getattr(error, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return f"{name} ({type(orig).__qualname__}: {orig})"
    return f"{name} (its message is left out: it may hold personal data)"


def private_traceback(error: BaseException | None) -> str:
    """A traceback of error and what caused it, each exception named but not quoted."""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{_describe(error)}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n\nwhich came from:\n".join(parts)


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_FOLDER / LOG_FILE


def set_up_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file (5 files of 1 MB) in the data folder."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger("amie_desktop")
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=4, encoding="utf-8")
    handler.setFormatter(PrivateFormatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    path.chmod(0o600)
    return path
