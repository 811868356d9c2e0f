"""Shared form pieces: labels that show their whole text and name their field."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from amie_desktop.ui.widgets.forms import buddy


def test_a_short_label_has_room_for_every_glyph_it_draws(qtbot: QtBot) -> None:
    # The "o" of "To" is drawn a pixel past its advance; without room it lost its edge.
    field = QLineEdit()
    qtbot.addWidget(field)
    label = buddy("&To", field)
    qtbot.addWidget(label)
    drawn = label.fontMetrics().boundingRect("To")
    assert label.sizeHint().width() >= drawn.width() + drawn.x()
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
