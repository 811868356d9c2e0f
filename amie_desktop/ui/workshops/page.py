"""Workshops section: every workshop with search, and the chosen one's agenda and counts."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.text import fold
from amie_desktop.services import workshops
from amie_desktop.store import Store
from amie_desktop.ui.workshops.model import ID_ROLE, SEARCH_ROLE, WorkshopTableModel


class _SearchProxy(QSortFilterProxyModel):
    """Filters on the folded title, venue and facilitators, so accents and case never matter."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(Qt.ItemDataRole.EditRole)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterKeyColumn(0)

    def set_needle(self, text: str) -> None:
        self.setFilterFixedString(fold(text))


class WorkshopsPage(QWidget):
    """Lists workshops; selecting one shows its agenda."""

    workshop_selected = Signal(int)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self.model = WorkshopTableModel()
        self.proxy = _SearchProxy()
        self.proxy.setSourceModel(self.model)

        heading = QLabel("Workshops")
        heading.setProperty("role", "heading")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by title, venue or facilitator")
        self.search.setAccessibleName("Search workshops")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)

        self.table = QTableView()
        self.table.setAccessibleName("Workshops")
        self.table.setAccessibleDescription("Every workshop, newest first. Choose one to see it.")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Columns fit their contents and the table scrolls sideways, so no column is squeezed
        # to nothing at large text; the last column takes any spare width.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

        self.detail_title = QLabel()
        self.detail_title.setProperty("role", "heading")
        self.detail_title.setWordWrap(True)
        self.detail_meta = QLabel()
        self.detail_meta.setWordWrap(True)
        self.detail_meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.agenda = QTreeWidget()
        self.agenda.setAccessibleName("Agenda")
        self.agenda.setColumnCount(4)
        self.agenda.setHeaderLabels(["Start", "Principle", "Step", "Minutes"])
        self.agenda.setRootIsDecorated(False)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.agenda.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_meta)
        detail_layout.addWidget(self.agenda, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.table)

    def refresh(self) -> None:
        self.model.set_rows(workshops.list_workshops(self._store))
        if self.proxy.rowCount():
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def selected_workshop_id(self) -> int | None:
        index = self.table.currentIndex()
        return int(index.data(ID_ROLE)) if index.isValid() else None

    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.set_needle(text)
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        workshop_id = int(current.data(ID_ROLE)) if current.isValid() else None
        self._show_detail(workshop_id)
        if workshop_id is not None:
            self.workshop_selected.emit(workshop_id)

    def _show_detail(self, workshop_id: int | None) -> None:
        self.agenda.clear()
        if workshop_id is None:
            self.detail_title.setText("No workshop chosen")
            self.detail_meta.setText("")
            return
        detail = workshops.get_workshop(self._store, workshop_id)
        row = detail.row
        self.detail_title.setText(row.title)
        end_minutes = row.start_time.hour * 60 + row.start_time.minute + detail.planned_minutes
        self.detail_meta.setText(
            f"{row.date.strftime('%A %d %B %Y')}, {row.start_time.strftime('%H:%M')} to "
            f"{end_minutes // 60 % 24:02d}:{end_minutes % 60:02d} · {row.venue or 'No venue yet'}\n"
            f"Facilitators: {', '.join(row.facilitators) or 'none yet'} · "
            f"{detail.cpd_hours:g} CPD hours · {row.booked} booked, {row.attended} attended · "
            f"{row.status.value.capitalize()}"
        )
        clock = row.start_time.hour * 60 + row.start_time.minute
        for step in detail.steps:
            principle = f"{step.principle.code}  {step.principle.label}" if step.principle else ""
            item = QTreeWidgetItem(
                [f"{clock // 60 % 24:02d}:{clock % 60:02d}", principle, step.title,
                 str(step.minutes)]
            )  # fmt: skip
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.agenda.addTopLevelItem(item)
            clock += step.minutes
