"""Shared form pieces: labels that show their whole text and name their field."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from amie_desktop.ui.widgets.forms import buddy


def test_a_short_label_has_room_for_every_glyph_it_draws(qtbot: QtBot) -> None:
    # The shortcut's underline makes Qt draw "To" unkerned, wider than a kerned size hint,
    # and the "o" lost its right side ("Tc"). The label is sized as it is drawn.
    from PySide6.QtGui import QFontMetrics

    field = QLineEdit()
    qtbot.addWidget(field)
    label = buddy("&To", field)
    qtbot.addWidget(label)
    unkerned = QFont(label.font())
    unkerned.setKerning(False)
    drawn = QFontMetrics(unkerned).boundingRect("To")
    assert label.sizeHint().width() >= drawn.width() + drawn.x()
    # As drawn: no ink in the label's last column of pixels, so nothing ran off its edge.
    label.resize(label.sizeHint())
    image = label.grab().toImage()
    last = image.width() - 1
    assert all(image.pixelColor(last, y).lightness() > 160 for y in range(image.height()))
    assert field.accessibleName() == "To"


def test_number_and_time_fields_get_arrows_the_style_sheet_can_find() -> None:
    # Styling the fields hides Fusion's own arrows; without these images the up and down
    # buttons of the time, date and hours fields drew as blank dashes.
    import re
    from pathlib import Path

    from amie_desktop.ui.theme import LIGHT, style_sheet

    images = re.findall(r"url\(([^)]+)\)", style_sheet(LIGHT))
    assert any(name.endswith("arrow-up.svg") for name in images)
    assert any(name.endswith("arrow-down.svg") for name in images)
    assert all(Path(name).is_file() for name in images)
