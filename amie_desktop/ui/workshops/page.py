"""Workshops section: the list (search, filters, sort, loaded in pages) and the chosen workshop's
details, agenda and register, all saved as they are typed."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.text import counted
from amie_desktop.services import workshops
from amie_desktop.services.workshops import When, WorkshopDetail
from amie_desktop.store import Store
from amie_desktop.ui.workshops.agenda import AgendaEditor, WorkshopAgenda
from amie_desktop.ui.workshops.details import DetailsForm
from amie_desktop.ui.workshops.dialogs import DuplicateDialog, NewWorkshopDialog
from amie_desktop.ui.workshops.model import ID_ROLE, WorkshopTableModel
from amie_desktop.ui.workshops.register import RegisterTab
from amie_desktop.ui.workshops.templates import SaveTemplateDialog, TemplateLibraryDialog

WHEN_CHOICES = (("All dates", When.ALL), ("Upcoming", When.UPCOMING), ("Past", When.PAST))


def _scrolling(widget: QWidget) -> QScrollArea:
    """The widget in a scroll area, so the window can be made small (or the text large)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusProxy(widget)
    return area


class WorkshopsPage(QWidget):
    """Lists workshops; the chosen one opens in the editor below."""

    workshop_selected = Signal(int)
    # The list's rows and counts; the chosen workshop's own tabs show what is typed in them.
    shows = frozenset({"workshop", "attendance"})

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._detail: WorkshopDetail | None = None
        self._keeping: int | None = None  # the workshop refresh() keeps chosen
        self.model = WorkshopTableModel(store)

        heading = QLabel("Workshops")
        heading.setProperty("role", "heading")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by title, venue or facilitator")
        self.search.setAccessibleName("Search workshops")
        self.search.setClearButtonEnabled(True)
        for button in self.search.findChildren(QToolButton):
            button.setAccessibleName("Clear the search")
        self.search.textChanged.connect(self._on_search_text_changed)
        self.when = QComboBox()
        self.when.setAccessibleName("Show workshops on")
        for text, value in WHEN_CHOICES:
            self.when.addItem(text, value)
        self.when.currentIndexChanged.connect(self._on_filter_changed)
        self.facilitator = QComboBox()
        self.facilitator.setAccessibleName("Facilitator")
        self.facilitator.currentIndexChanged.connect(self._on_filter_changed)
        self.new_button = QPushButton("&New workshop…")
        self.new_button.setAccessibleName("New workshop")
        self.new_button.setToolTip("Plan a workshop from a template (Ctrl+N)")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.duplicate_button = QPushButton("D&uplicate…")
        self.duplicate_button.setAccessibleName("Duplicate workshop")
        self.duplicate_button.setToolTip("Plan the chosen workshop again on another date")
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.library_button = QPushButton("&Templates…")
        self.library_button.setAccessibleName("Template library")
        self.library_button.setToolTip("Look through the templates and edit your own")
        self.library_button.clicked.connect(self._on_library_button_clicked)
        self.save_template_button = QPushButton("Save as my te&mplate…")
        self.save_template_button.setAccessibleName("Save as my template")
        self.save_template_button.setToolTip("Keep this workshop's agenda as a template")
        self.save_template_button.clicked.connect(self._on_save_template_button_clicked)
        new_action = QAction("New workshop", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_action.triggered.connect(self._on_new_button_clicked)
        self.addAction(new_action)

        self.count = QLabel()
        self.count.setAccessibleName("How many workshops match")
        self.table = QTableView()
        self.table.setAccessibleName("Workshops")
        self.table.setAccessibleDescription(
            "Workshops that match the search. Choose one to edit it."
        )
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._fit_columns()
        header.setSortIndicatorShown(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.model.modelReset.connect(self._on_model_model_reset)

        self.detail_title = QLabel()
        self.detail_title.setProperty("role", "heading")
        self.detail_title.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.hide()
        self.details = DetailsForm(store)
        self.details.details_saved.connect(self._on_details_details_saved)
        self.agenda = AgendaEditor()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Workshop")
        self.register = RegisterTab(store)
        self.tabs.addTab(_scrolling(self.details), "&Details")
        self.tabs.addTab(self.agenda, "&Agenda")
        self.tabs.addTab(_scrolling(self.register), "&Register")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.when, 1)
        filters.addWidget(self.facilitator, 1)
        title_row = QHBoxLayout()
        title_row.addWidget(heading, 1)
        title_row.addWidget(self.new_button)
        title_row.addWidget(self.library_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.count)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        # The title has a row to itself: beside the buttons, large text squeezed it to a column.
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.duplicate_button)
        detail_row.addWidget(self.save_template_button)
        detail_row.addStretch(1)
        bottom_layout.addWidget(self.detail_title)
        bottom_layout.addLayout(detail_row)
        bottom_layout.addWidget(self.notice)
        bottom_layout.addWidget(self.tabs, 1)
        # The list and the chosen workshop share the height evenly at first; the trainer can
        # drag the divider, and the window remembers where (MainWindow keeps its state).
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setAccessibleName("Divider between the workshop list and the chosen workshop")
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([1000, 1000])

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.table)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()

    def _fit_columns(self) -> None:
        # Room for about 30 characters of title and 11 of venue and facilitators, whatever the
        # text size, so every column fits the window's first size; at large sizes the list
        # scrolls sideways rather than cutting titles short. Tooltips show what is cut.
        metrics = self.table.fontMetrics()
        character = metrics.averageCharWidth()
        header = self.table.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(True)  # headings are drawn bold
        for column, characters in ((1, 30), (2, 11), (3, 11)):
            heading = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            heading_width = QFontMetrics(bold).horizontalAdvance(heading) + 16
            header.resizeSection(column, max(character * characters + 16, heading_width))
        # Always at least three rows of the list in view; the page scrolls if space is short.
        row = max(self.table.verticalHeader().defaultSectionSize(), metrics.height() + 8)
        scroll_bar = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setMinimumHeight(header.sizeHint().height() + 3 * row + scroll_bar + 4)

    # Loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list (keeping the chosen workshop when it is still there).

        The chosen workshop's tabs are not reloaded while it stays chosen, so a change saved
        elsewhere never takes away what is being typed here.
        """
        keep = self.selected_workshop_id()
        self._fill_facilitators()
        self._keeping = keep
        try:
            self.model.reload()
        finally:
            self._keeping = None
        self.select_workshop(keep)

    def _fill_facilitators(self) -> None:
        chosen = self.facilitator.currentData() or ""
        self.facilitator.blockSignals(True)
        self.facilitator.clear()
        self.facilitator.addItem("Any facilitator", "")
        for name in workshops.facilitator_names(self._store):
            self.facilitator.addItem(name, name)
        self.facilitator.setCurrentIndex(max(0, self.facilitator.findData(chosen)))
        self.facilitator.blockSignals(False)

    def select_workshop(self, workshop_id: int | None) -> None:
        row = self.model.row_of(workshop_id) if workshop_id is not None else None
        if row is None:
            row = 0 if self.model.rowCount() else None
        if row is None:
            self._show_detail(None)
        else:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected_workshop_id(self) -> int | None:
        index = self.table.currentIndex()
        return int(index.data(ID_ROLE)) if index.isValid() else None

    def _query_changed(self) -> None:
        query = replace(
            self.model.query,
            text=self.search.text(),
            when=self.when.currentData(),
            facilitator=self.facilitator.currentData() or "",
        )
        self.model.set_query(query)

    def _on_model_model_reset(self) -> None:
        total = self.model.total
        self.count.setText(counted(total, "workshop", "workshops"))
        if self._keeping is not None and self.model.row_of(self._keeping) is not None:
            return  # refresh() chooses it again
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def _on_search_text_changed(self, _text: str) -> None:
        self._query_changed()

    def _on_filter_changed(self, _index: int) -> None:
        self._query_changed()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        workshop_id = int(current.data(ID_ROLE)) if current.isValid() else None
        if self._detail is not None and workshop_id == self._detail.row.id:
            return
        self._show_detail(workshop_id)
        if workshop_id is not None:
            self.workshop_selected.emit(workshop_id)

    def _show_detail(self, workshop_id: int | None) -> None:
        detail = workshops.get_workshop(self._store, workshop_id) if workshop_id else None
        self._detail = detail
        self.notice.hide()
        self.duplicate_button.setEnabled(detail is not None)
        self.save_template_button.setEnabled(detail is not None)
        self.tabs.setEnabled(detail is not None)
        self.details.load(detail)
        self.register.load(detail.row.id if detail else None)
        if detail is None:
            self.detail_title.setText("No workshop chosen")
            self.agenda.load(None)
            return
        self.detail_title.setText(detail.row.title)
        self.agenda.load(
            WorkshopAgenda(self._store, detail.row.id), detail.row.start_time, detail.end_time
        )

    # Planning --------------------------------------------------------------------------
    def _open_new(self, workshop_id: int | None) -> None:
        if workshop_id is None:
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for combo in (self.when, self.facilitator):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_facilitators()
        self._query_changed()
        self.select_workshop(workshop_id)
        self.tabs.setCurrentIndex(0)
        self.details.title.setFocus()
        self.details.title.selectAll()

    def _on_new_button_clicked(self) -> None:
        self._open_new(NewWorkshopDialog.ask(self._store, self))

    def _on_duplicate_button_clicked(self) -> None:
        workshop_id = self.selected_workshop_id()
        if workshop_id is not None:
            self._open_new(DuplicateDialog.ask(self._store, workshop_id, self))

    def _on_details_details_saved(self, workshop_id: int) -> None:
        self.model.update_row(workshop_id)
        draft = self.details.draft()
        self.detail_title.setText(draft.title)
        self.agenda.set_times(draft.start, draft.end)

    def _on_library_button_clicked(self) -> None:
        TemplateLibraryDialog.ask(self._store, self)

    def _on_save_template_button_clicked(self) -> None:
        workshop_id = self.selected_workshop_id()
        if workshop_id is not None and SaveTemplateDialog.ask(self._store, workshop_id, self):
            self.notice.setText("Saved as your own template: plan from it with New workshop.")
            self.notice.show()
