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
