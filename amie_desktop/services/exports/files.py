"""What every export shares: safe file names, the progress callback and its Cancel.

Every file is written through a temp file in the same folder and renamed into place, so a
crash, a full disk or a Cancel never leaves a half-written file, and an earlier export of the
same name survives a failed one.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from amie_desktop.services.errors import Cancelled, UserError
from amie_desktop.services.progress import Progress

__all__ = ["MAX_NAME_BYTES", "ExportCancelled", "Progress", "existing_folder", "safe_file_name"]

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10)),
}  # fmt: skip
MAX_NAME_BYTES = 200  # leaves room for the folder on Windows' 260-character paths


class ExportCancelled(Cancelled):
    """The person asked the export to stop; finished files stay, nothing is half-written."""


def safe_file_name(text: str, suffix: str = ".pdf") -> str:
    """A readable file name that is valid on Windows, macOS and Linux."""
    text = unicodedata.normalize("NFC", text)
    # "Title: subtitle" reads best as "Title - subtitle" once the colon has to go.
    text = re.sub(r"\s*:\s+", " - ", text)
    text = _UNSAFE.sub("-", text)
    text = " ".join(text.split()).strip(" .")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return (text or "export") + suffix


def existing_folder(out: Path) -> Path:
    """out as a Path, once its folder is known to exist (a file is written there next)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    return out
