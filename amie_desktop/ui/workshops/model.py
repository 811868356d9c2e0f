"""Table model of workshops, fed a page at a time by the workshops service (lazy loading)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from amie_desktop.domain.dates import short_date
from amie_desktop.domain.workshop_list import ListQuery, SortKey, WorkshopRow
from amie_desktop.ui.widgets.table_model import RowsTableModel

if TYPE_CHECKING:
    from amie_desktop.store import Store

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Date", "Title", "Venue", "Facilitators", "Booked", "Attended", "Status")
SORT_KEYS = (
    SortKey.DATE, SortKey.TITLE, SortKey.VENUE, SortKey.FACILITATORS,
    SortKey.BOOKED, SortKey.ATTENDED, SortKey.STATUS,
)  # fmt: skip
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 100


class WorkshopTableModel(RowsTableModel[WorkshopRow]):
    """Holds the rows fetched so far; the view asks for more as it scrolls (fetchMore)."""

    def __init__(self, store: Store) -> None:
        super().__init__(COLUMNS)
        self._store = store
        self._query = ListQuery()
        self._rows: list[WorkshopRow] = []
        self._total = 0
        self._loaded = False  # nothing is read until the page first shows (refresh)
        self._narrow = False  # the title's cell holds the whole workshop (set_narrow)

    @property
    def query(self) -> ListQuery:
        return self._query

    @property
    def total(self) -> int:
        """How many workshops match, loaded or not."""
        return self._total

    def set_query(self, query: ListQuery) -> None:
        self.beginResetModel()
        self._query = query
        # The service is loaded when the list is first read through the Store: a window drawn
        # from the first look (store/first_look.py) has not loaded SQLAlchemy yet.
        from amie_desktop.services import workshops

        self._total = workshops.count_workshops(self._store, query)
        self._rows = workshops.workshops_page(self._store, query, 0, PAGE_SIZE)
        self._loaded = True
        self.endResetModel()

    def show_first(self, rows: Sequence[WorkshopRow], total: int) -> None:
        """Show the first page as read at start-up, in the first order, before the Store is
        open; the next reload reads it again through the service."""
        self.beginResetModel()
        self._query = replace(self._query, sort=SortKey.DATE, descending=True)
        self._rows = list(rows)
        self._total = total
        self._loaded = True
        self.endResetModel()

    def texts(self, column: int) -> list[str]:
        """What each loaded row shows in a column as a table, in whichever shape the list is."""
        return [str(_cells(w)[column]) for w in self._rows]

    def set_narrow(self, narrow: bool) -> None:
        """When the list is one column, the title's cell says the whole workshop on a few
        lines: title; day and venue; facilitators; counts and status."""
        self._narrow = narrow
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def reload(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> WorkshopRow:
        return self._rows[row]

    def row_of(self, workshop_id: int) -> int | None:
        """The row showing a workshop, loading further pages until it is found."""
        while True:
            for number, row in enumerate(self._rows):
                if row.id == workshop_id:
                    return number
            if not self.canFetchMore(QModelIndex()):
                return None
            self.fetchMore(QModelIndex())

    def update_row(self, workshop_id: int) -> None:
        """Show a workshop's new details after an edit, without reloading the list."""
        from amie_desktop.services import workshops

        for number, row in enumerate(self._rows):
            if row.id == workshop_id:
                self._rows[number] = workshops.get_workshop(self._store, workshop_id).row
                left = self.index(number, 0)
                self.dataChanged.emit(left, self.index(number, len(COLUMNS) - 1))

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        from amie_desktop.services import workshops

        more = workshops.workshops_page(self._store, self._query, len(self._rows), PAGE_SIZE)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        query = replace(self._query, sort=SORT_KEYS[column], descending=descending)
        if self._loaded:
            self.set_query(query)
        else:  # the view choosing its first order while being built: load once, later
            self._query = query

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        w = self._rows[index.row()]
        column = index.column()
        if (
            self._narrow
            and column == 1
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        ):
            return whole_workshop(w)
        if role == Qt.ItemDataRole.DisplayRole or (
            # The whole title, venue or facilitators, when the column is too narrow to show it.
            role == Qt.ItemDataRole.ToolTipRole and column in (1, 2, 3)
        ):
            return _cells(w)[column]
        if role == ID_ROLE:
            return w.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _cells(w: WorkshopRow) -> tuple[str, str, str, str, int, int, str]:
    return (
        short_date(w.date),
        w.title,
        w.venue,
        ", ".join(w.facilitators),
        w.booked,
        w.attended,
        w.status.value.capitalize(),
    )


def whole_workshop(w: WorkshopRow) -> str:
    """A workshop on a few lines, for the list's one-column shape."""
    where = " · ".join(part for part in (short_date(w.date), w.venue) if part)
    counts = f"{w.booked} booked, {w.attended} attended · {w.status.value.capitalize()}"
    return "\n".join(line for line in (w.title, where, ", ".join(w.facilitators), counts) if line)
