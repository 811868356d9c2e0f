"""Table model of workshops, fed by the workshops service."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from amie_desktop.domain.text import fold
from amie_desktop.services.workshops import WorkshopRow

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Date", "Title", "Venue", "Facilitators", "Booked", "Attended", "Status")
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class WorkshopTableModel(QAbstractTableModel):
    def __init__(self, rows: list[WorkshopRow] | None = None) -> None:
        super().__init__()
        self._rows: list[WorkshopRow] = rows or []

    def set_rows(self, rows: list[WorkshopRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> WorkshopRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        w = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                w.date.strftime("%a %d %b %Y"),
                w.title,
                w.venue,
                ", ".join(w.facilitators),
                w.booked,
                w.attended,
                w.status.value.capitalize(),
            )[column]
        if role == Qt.ItemDataRole.EditRole:  # sort key
            return (
                w.date.isoformat() + w.start_time.isoformat(),
                fold(w.title),
                fold(w.venue),
                fold(", ".join(w.facilitators)),
                w.booked,
                w.attended,
                w.status.value,
            )[column]
        if role == SEARCH_ROLE:
            return fold(" ".join((w.title, w.venue, *w.facilitators)))
        if role == ID_ROLE:
            return w.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
