"""The shipped name fonts in the window and the station: registered with Qt, chained as fallbacks.

The PDFs print names with the fonts in assets/fonts; here Qt gets the same files, and the
application's font lists them after its own family (as does the station's dyslexia-friendly
font), so a name that prints also shows, on a computer with no fonts of its own.
Registering all of them takes 10-40 ms (Qt reads a font's names and coverage, not its
glyphs), so it is done at start-up, before any widget draws text: a font registered later
would not reach text Qt has already laid out.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLoggingCategory
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from amie_desktop.domain.content import asset_folder
from amie_desktop.domain.name_fonts import FACES, FAMILIES

log = logging.getLogger(__name__)

_registered: list[str] = []


def register_name_fonts() -> tuple[str, ...]:
    """Register every name font with Qt, once; the families Qt knows them by, in order."""
    if not _registered:
        folder = asset_folder() / "fonts"
        for face in FACES:
            for file in (face.regular, face.bold):
                if QFontDatabase.addApplicationFont(str(folder / file)) < 0:
                    log.warning("font not loaded: %s", file)
        known = set(QFontDatabase.families())
        _registered.extend(family for family in FAMILIES if family in known)
    return tuple(_registered)


def with_name_fallbacks(font: QFont, family: str | None = None) -> QFont:
    """font drawn in family (or its own) first, then in the name fonts for what that lacks."""
    chained = QFont(font)
    first = family or font.family()
    chained.setFamilies([first, *(f for f in register_name_fonts() if f != first)])
    return chained


def install_name_fonts(app: QApplication) -> None:
    """Give the whole application the name fonts as fallbacks behind its own font."""
    # Qt notes each font in the chain that lacks a script it is asked for: expected here, and
    # a line on the terminal per family and script otherwise.
    QLoggingCategory.setFilterRules("qt.text.font.db.info=false")
    app.setFont(with_name_fallbacks(app.font()))
