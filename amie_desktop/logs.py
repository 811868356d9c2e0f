"""The app's log: rotating files in the data folder, for details a plain message leaves out.

What attendees type (reflections, names in free text) and PINs are never logged: services log
ids and counts, not content.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

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
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    path.chmod(0o600)
    return path
