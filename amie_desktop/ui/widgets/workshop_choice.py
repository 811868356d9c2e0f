"""How a workshop is named in every list and choice: its day, start, title and venue, so a
workshop planned again by Duplicate is never mistaken for its twin."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from amie_desktop.domain.dates import clock, short_date
from amie_desktop.domain.workshop_list import WorkshopRow


def workshop_choice(row: WorkshopRow, *more: str) -> str:
    """ "Tue 19 Jan 2027, 09:30 · Introduction to HEARD · Harbour Arts", then any more words
    the screen needs (a status, a count), each after its own dot."""
    parts = [f"{short_date(row.date)}, {clock(row.start_time)}", row.title]
    parts += [row.venue] if row.venue.strip() else []
    parts += [word for word in more if word]
    return " · ".join(parts)


def workshop_combo() -> QComboBox:
    """A choice of workshops as wide as the page allows: a long title never pushes the page
    wider than the window (the open list shows each in full)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo
