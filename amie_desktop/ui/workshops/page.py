"""Workshops section: the list (search, filters, sort, loaded in pages) as an overview, and a
workshop opened on its own page with its details, agenda and register, saved as typed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.clock import Clock, local_today, system_clock
from amie_desktop.domain.dates import clock, short_date
from amie_desktop.domain.text import counted
from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.domain.workshop_list import When, WorkshopRow
from amie_desktop.services.errors import UserError
from amie_desktop.store.late import LateStore
from amie_desktop.ui.widgets.flow import FlowLayout
from amie_desktop.ui.workshops.model import COLUMNS, ID_ROLE, WorkshopTableModel

if TYPE_CHECKING:
    from amie_desktop.services import workshops
    from amie_desktop.services.workshops import WorkshopDetail
    from amie_desktop.store import Store
    from amie_desktop.store.first_look import FirstLook
    from amie_desktop.ui.workshops.agenda import AgendaEditor
    from amie_desktop.ui.workshops.details import DetailsForm
    from amie_desktop.ui.workshops.register import RegisterTab

WHEN_CHOICES = (("All dates", When.ALL), ("Upcoming", When.UPCOMING), ("Past", When.PAST))
# The parts of a workshop's own page; the page and their modules are made on first use.
_WORKSHOP_PAGE = frozenset({
    "workshop", "tabs", "details", "agenda", "register", "actions_bar", "actions_row",
    "back_button", "runsheet_button", "duplicate_button", "save_template_button",
    "withdraw_button", "detail_title", "detail_when", "notice",
})  # fmt: skip


def choose_pdf(parent: QWidget, title: str, suggested: str) -> Path | None:
    """Ask where to save a PDF; None if the trainer cancels."""
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(Path.home() / suggested), "PDF files (*.pdf)"
    )
    return Path(name) if name else None


def _scrolling(widget: QWidget) -> QScrollArea:
    """The widget in a scroll area, so the window can be made small (or the text large)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusProxy(widget)
    return area


class WorkshopsPage(QWidget):
    """Two pages: the list of workshops as an overview, and one workshop opened on a page of
    its own, so its details, agenda and register each have the window's full height."""

    workshop_selected = Signal(int)
    # The workshop's own page (see _build_workshop_page), made the first time it is wanted.
    workshop: QWidget
    tabs: QTabWidget
    details: DetailsForm
    agenda: AgendaEditor
    register: RegisterTab
    actions_bar: QWidget
    actions_row: FlowLayout
    back_button: QPushButton
    runsheet_button: QPushButton
    duplicate_button: QPushButton
    save_template_button: QPushButton
    withdraw_button: QPushButton
    detail_title: QLabel
    detail_when: QLabel
    notice: QLabel
    # The list's rows and counts; the chosen workshop's own tabs show what is typed in them.
    shows = frozenset({"workshop", "attendance"})

    def __init__(
        self, store: Store, *, clock: Clock = system_clock, first_look: FirstLook | None = None
    ) -> None:
        super().__init__()
        self._store = store
        # Shown by the first refresh, before the Store is open (store/first_look.py).
        self._first_look = first_look
        self._clock = clock
        self._detail: WorkshopDetail | None = None  # loaded once the workshop page is built
        self._shown_id: int | None = None  # the workshop chosen in the list
        self._building_workshop = True  # parts of the workshop page are not made yet
        self._keeping: int | None = None  # the workshop refresh() keeps chosen
        self.model = WorkshopTableModel(store)

        # The overview ----------------------------------------------------------------
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
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the chosen workshop")
        self.open_button.setToolTip("Open the chosen workshop (Enter, or double-click it)")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.library_button = QPushButton("&Templates…")
        self.library_button.setAccessibleName("Template library")
        self.library_button.setToolTip("Look through the templates and edit your own")
        self.library_button.clicked.connect(self._on_library_button_clicked)

        self.count = QLabel()
        self.count.setAccessibleName("How many workshops match")
        self.table = QTableView()
        self.table.setAccessibleName("Workshops")
        self.table.setAccessibleDescription(
            "Workshops that match the search. Press Enter on one to open it."
        )
        self.table.setModel(self.model)
        self._content_widths: dict[int, int] = {}  # what each column needs (_fit_columns)
        self._narrow = False  # one column, each workshop on a few lines (_choose_shape)
        self.table.viewport().installEventFilter(self)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.activated.connect(self._on_table_activated)
        self.model.modelReset.connect(self._on_model_model_reset)

        # What to do first, in place of an empty list, until there is a workshop.
        self.empty = QLabel(
            "<p><b>No workshops yet.</b></p><p>Plan your first one from a template: press "
            "<b>New workshop…</b> (Ctrl+N), choose a template, a date and a venue. You can "
            "then change its agenda, book people in and run it from Facilitate.</p>"
        )
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No workshops yet")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.hide()

        # Side by side; when the list is narrow (see _choose_shape), the search above the two
        # choices and the heading above the buttons, and those one above another if need be.
        self._choices = choices = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        choices.addWidget(self.when, 1)
        choices.addWidget(self.facilitator, 1)
        self._filters = filters = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        filters.addWidget(self.search, 3)
        filters.addLayout(choices, 2)
        self._buttons = buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.library_button)
        self._title_row = title_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        title_row.addWidget(heading, 1)
        title_row.addLayout(buttons)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.open_button)
        self.overview = QWidget()
        overview = QVBoxLayout(self.overview)
        overview.setContentsMargins(0, 0, 0, 0)
        overview.addLayout(title_row)
        overview.addLayout(filters)
        overview.addWidget(self.empty)
        overview.addWidget(self.table, 1)
        overview.addLayout(count_row)
        self.overview.setFocusProxy(self.table)

        # Straight after cancelling or deleting, the way back.
        self._withdrawn: workshops.Withdrawn | None = None
        self.undo_note = QLabel()
        self.undo_note.setWordWrap(True)
        self.undo_note.setAccessibleName("What was just done")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_note, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()

        self.pages = QStackedWidget()
        self.pages.addWidget(self.overview)
        layout = QVBoxLayout(self)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.pages, 1)
        self.setFocusProxy(self.table)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self._fit_columns()
        self._building_workshop = False

    # One workshop, on a page of its own: built the first time it is wanted ------------
    if not TYPE_CHECKING:  # (so the type checker still catches a misspelt name)

        def __getattr__(self, name: str) -> Any:
            # Only reached for an attribute not set yet: a part of the workshop's own page,
            # which (with its modules) is built when first used, not while the window opens.
            if name in _WORKSHOP_PAGE and not self.__dict__.get("_building_workshop", True):
                self._workshop_page()
                return self.__dict__[name]
            raise AttributeError(name)

    def _workshop_page(self) -> QWidget:
        """The workshop's own page, built (with the chosen workshop loaded) if not yet."""
        if "workshop" not in self.__dict__:
            self._build_workshop_page()
        return self.workshop

    def _build_workshop_page(self) -> None:
        from amie_desktop.ui.workshops.agenda import AgendaEditor
        from amie_desktop.ui.workshops.details import DetailsForm
        from amie_desktop.ui.workshops.register import RegisterTab

        self._building_workshop = True  # a part asked for while building is a mistake
        self.back_button = QPushButton("← All workshops")
        self.back_button.setAccessibleName("Back to all workshops")
        self.back_button.setToolTip("Back to the list of workshops (Alt+Left)")
        self.back_button.clicked.connect(self.show_list)
        back_action = QAction("Back to all workshops", self)
        back_action.setShortcut(QKeySequence(Qt.KeyboardModifier.AltModifier | Qt.Key.Key_Left))
        back_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back_action.triggered.connect(self.show_list)
        self.duplicate_button = QPushButton("D&uplicate…")
        self.duplicate_button.setAccessibleName("Duplicate workshop")
        self.duplicate_button.setToolTip("Plan this workshop again on another date")
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.save_template_button = QPushButton("Save as my te&mplate…")
        self.save_template_button.setAccessibleName("Save as my template")
        self.save_template_button.setToolTip("Keep this workshop's agenda as a template")
        self.save_template_button.clicked.connect(self._on_save_template_button_clicked)

        self.runsheet_button = QPushButton("Run s&heet (PDF)…")
        self.runsheet_button.setAccessibleName("Save a run sheet")
        self.runsheet_button.setToolTip(
            "The agenda on paper: times, principles, prompts, activities, questions and your notes"
        )
        self.runsheet_button.clicked.connect(self._on_runsheet_button_clicked)

        self.withdraw_button = QPushButton("Cance&l or delete…")
        self.withdraw_button.setAccessibleName("Cancel or delete this workshop")
        self.withdraw_button.setToolTip(
            "Deleted if nobody is booked and it has not run; otherwise marked cancelled"
        )
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.detail_title = QLabel()
        self.detail_title.setProperty("role", "heading")
        self.detail_title.setWordWrap(True)
        self.detail_title.setAccessibleName("Workshop title")
        self.detail_when = QLabel()
        self.detail_when.setWordWrap(True)
        self.detail_when.setAccessibleName("When and where")
        self.notice = QLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.details = DetailsForm(self._store)
        self.details.details_saved.connect(self._on_details_details_saved)
        self.agenda = AgendaEditor()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Workshop")
        self.register = RegisterTab(self._store, clock=self._clock)
        self.tabs.addTab(_scrolling(self.details), "&Details")
        self.tabs.addTab(self.agenda, "&Agenda")
        self.tabs.addTab(self.register, "&Register")
        self.details.setFocusProxy(self.details.title)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        # Wraps onto a second line rather than making the page wider than the window.
        self.actions_bar = QWidget()
        self.actions_row = FlowLayout(self.actions_bar)
        self.actions_row.addWidget(self.back_button)
        self.actions_row.addWidget(self.runsheet_button)
        self.actions_row.addWidget(self.duplicate_button)
        self.actions_row.addWidget(self.save_template_button)
        self.actions_row.addWidget(self.withdraw_button)
        self.workshop = QWidget()
        self.workshop.addAction(back_action)
        one = QVBoxLayout(self.workshop)
        one.setContentsMargins(0, 0, 0, 0)
        one.addWidget(self.actions_bar)
        one.addWidget(self.detail_title)
        one.addWidget(self.detail_when)
        one.addWidget(self.notice)
        one.addWidget(self.tabs, 1)
        self.workshop.setFocusProxy(self.tabs)
        self.pages.addWidget(self.workshop)

        self._load_detail(self._shown_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._choose_shape()

    def _fit_columns(self) -> None:
        """Columns as wide as what they hold (up to about 28 characters for venue and
        facilitators; tooltips show the rest); the title takes what is left."""
        metrics = self.table.fontMetrics()
        for column in range(len(COLUMNS)):
            self._content_widths[column] = self._needs(column)
            if not self._narrow and column != 1:  # the title stretches
                self.table.setColumnWidth(column, self._content_widths[column])
        self._choose_shape()
        self._share_width()
        # Always at least three rows of the list in view; the page scrolls if space is short.
        header = self.table.horizontalHeader()
        row = max(self.table.verticalHeader().defaultSectionSize(), metrics.height() + 8)
        scroll_bar = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setMinimumHeight(header.sizeHint().height() + 3 * row + scroll_bar + 4)

    def _share_width(self) -> None:
        """Date, counts and status keep the width they need; venue and facilitators get up
        to about 28 characters each while the title still has room for its own (or half of
        what is left); when the window is too narrow for both, they give way to the title,
        which is never narrower than either:
        at large text on a laptop it was squeezed to "HEA…" and the counts and status were
        pushed out of sight."""
        average = self.table.fontMetrics().averageCharWidth()
        widths = self._content_widths
        room = self.table.viewport().width() - sum(widths.get(c, 0) for c in (0, 4, 5, 6))
        wanted = {c: min(widths.get(c, 0), average * 28 + 16) for c in (2, 3)}
        title = min(widths.get(1, 0), room // 2)
        if sum(wanted.values()) > room - title:
            # Too narrow for all three (a 1024-pixel projector): venue and facilitators keep
            # ten characters if they can, but never more than the title keeps.
            share = min(max(average * 10, (room - title) // 2), max(0, room - 4) // 3)
            wanted = {c: min(width, share) for c, width in wanted.items()}
        for column, width in wanted.items():
            self.table.setColumnWidth(column, width)

    def _needs(self, column: int) -> int:
        """The width a column needs for its heading and every loaded row, measured from the text
        (the same in either shape, as a hidden column's own size hint is not)."""
        style = self.table.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 2
        metrics = self.table.fontMetrics()
        cells = max(map(metrics.horizontalAdvance, self.model.texts(column)), default=0)
        bold = QFont(self.table.horizontalHeader().font())
        bold.setBold(True)
        heading = QFontMetrics(bold).horizontalAdvance(COLUMNS[column])
        heading += 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
        heading += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)  # the sort arrow
        return max(cells, heading) + margin

    def _choose_shape(self) -> None:
        """Too narrow for the columns (large text on a small screen), the list becomes one
        column with each workshop on a few lines (title; day and venue; facilitators; counts
        and status), and the buttons and filters stand one above another, so nothing scrolls
        sideways: at 200% on an 800-pixel window the counts and status were out of sight and
        "New workshop" was cut off."""
        average = self.table.fontMetrics().averageCharWidth()
        widths = self._content_widths
        # Date, counts and status whole, ten characters of the title and five each of venue
        # and facilitators (the rest of them in tooltips).
        needed = sum(widths.get(c, 0) for c in (0, 4, 5, 6)) + average * 20 + 3 * 16
        needed += 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        layout = self.layout()
        room = (self.parentWidget() or self).width()
        if layout is not None:
            room -= layout.contentsMargins().left() + layout.contentsMargins().right()
        # (What is needed is the same in either shape, and the narrow shape is never shorter, so
        # the page's own scroll bar cannot flip it back and forth.)
        narrow = room < needed
        if narrow != self._narrow:
            self._set_narrow(narrow)
        for pair, first, second in (
            (self._buttons, self.new_button, self.library_button),
            (self._choices, self.when, self.facilitator),
        ):
            beside = first.sizeHint().width() + pair.spacing() + second.sizeHint().width()
            on_top = narrow and room < beside
            pair.setDirection(
                QBoxLayout.Direction.TopToBottom if on_top else QBoxLayout.Direction.LeftToRight
            )

    def _set_narrow(self, narrow: bool) -> None:
        self._narrow = narrow
        for column in (0, 2, 3, 4, 5, 6):
            self.table.setColumnHidden(column, narrow)
        self.table.horizontalHeader().setVisible(not narrow)
        self.table.setWordWrap(narrow)
        self.model.set_narrow(narrow)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
            if narrow
            else QHeaderView.ResizeMode.Interactive
        )
        if not narrow:
            rows.setDefaultSectionSize(rows.defaultSectionSize())  # every row back to one line
            for column in (0, 4, 5, 6):
                self.table.setColumnWidth(column, self._content_widths.get(column, 0))
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        self._title_row.setDirection(direction)
        self._filters.setDirection(direction)

    @property
    def narrow(self) -> bool:
        """Whether the list is in its one-column shape (see _choose_shape)."""
        return self._narrow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._share_width()
        return super().eventFilter(watched, event)

    # Loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list (keeping the chosen workshop when it is still there).

        The chosen workshop's tabs are not reloaded while it stays chosen, so a change saved
        elsewhere never takes away what is being typed here.
        """
        look, self._first_look = self._first_look, None
        if look is not None and isinstance(self._store, LateStore) and not self._store.opened:
            self._fill_facilitators(look.facilitators)
            self.model.show_first(look.rows, look.total)
            return
        keep = self.selected_workshop_id()
        self._fill_facilitators()
        self._keeping = keep
        try:
            self.model.reload()
        finally:
            self._keeping = None
        self.select_workshop(keep)
        row = self.model.row_of(keep) if keep is not None else None
        if self._detail is not None and row is not None:
            # Its heading and what may be done with it follow the status (started in
            # Facilitate, cancelled, finished); the tabs keep what is being typed.
            fresh = self.model.row_at(row)
            self._show_when(fresh)
            self.withdraw_button.setEnabled(fresh.status is WorkshopStatus.PLANNED)

    def _fill_facilitators(self, names: Sequence[str] | None = None) -> None:
        """The filter's names: everyone who facilitates (as read now, unless given)."""
        if names is None:
            from amie_desktop.services import workshops

            names = workshops.facilitator_names(self._store)
        chosen = self.facilitator.currentData() or ""
        self.facilitator.blockSignals(True)
        self.facilitator.clear()
        self.facilitator.addItem("Any facilitator", "")
        for name in names:
            self.facilitator.addItem(name, name)
        self.facilitator.setCurrentIndex(max(0, self.facilitator.findData(chosen)))
        self.facilitator.blockSignals(False)

    def select_workshop(self, workshop_id: int | None) -> None:
        """Choose a workshop in the list (the first if it is not there)."""
        row = self.model.row_of(workshop_id) if workshop_id is not None else None
        if row is None:
            row = 0 if self.model.rowCount() else None
        if row is None:
            self._show_detail(None)
        else:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def open_workshop(self, workshop_id: int | None = None, tab: int | None = None) -> None:
        """Open a workshop (the chosen one if none is named) on its own page."""
        if workshop_id is not None:
            self.select_workshop(workshop_id)
        self._workshop_page()
        if self._detail is None:
            return
        if tab is not None:
            self.tabs.setCurrentIndex(tab)
        self.pages.setCurrentWidget(self.workshop)
        self.setFocusProxy(self.tabs)
        self.tabs.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_tabs_current_changed(self, index: int) -> None:
        # A tab chosen by its shortcut or a click takes the focus into its page (its first
        # field, or the booking form of an empty register), so typing goes there; one chosen
        # with the arrow keys on the tab bar leaves the focus there for the next arrow.
        if self.is_open() and not self.tabs.tabBar().hasFocus():
            chosen = self.tabs.widget(index)
            if chosen is not None:
                chosen.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_list(self) -> None:
        """Back to the overview, on the workshop that was open."""
        self.pages.setCurrentWidget(self.overview)
        self.setFocusProxy(self.table)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def is_open(self) -> bool:
        """True while a workshop has the page to itself."""
        return "workshop" in self.__dict__ and self.pages.currentWidget() is self.workshop

    def shown_undo_stack(self) -> QUndoStack | None:
        """The undo of the opened workshop's tab on show: its details or its agenda."""
        if not self.is_open():
            return None
        shown = self.tabs.currentWidget()
        if shown is self.agenda:
            return self.agenda.undo_stack
        if shown is not None and shown.isAncestorOf(self.details):
            return self.details.undo_stack
        return None

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
        searching = bool(self.model.query.text) or self.model.query.when is not When.ALL
        nothing_at_all = total == 0 and not searching and not self.model.query.facilitator
        self.empty.setVisible(nothing_at_all)
        self.table.setVisible(not nothing_at_all)
        self.open_button.setEnabled(total > 0)
        self._fit_columns()
        if self._keeping is not None and self.model.row_of(self._keeping) is not None:
            return  # refresh() chooses it again
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._show_detail(None)
            self.show_list()

    def _on_search_text_changed(self, _text: str) -> None:
        self._query_changed()

    def _on_filter_changed(self, _index: int) -> None:
        self._query_changed()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.open_workshop()

    def _on_open_button_clicked(self) -> None:
        self.open_workshop()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        workshop_id = int(current.data(ID_ROLE)) if current.isValid() else None
        if workshop_id is not None and workshop_id == self._shown_id:
            return
        self._show_detail(workshop_id)
        if workshop_id is not None:
            self.workshop_selected.emit(workshop_id)

    def _show_detail(self, workshop_id: int | None) -> None:
        """Choose the workshop the workshop page shows: loaded now if that page is built,
        else when it is (so start-up reads no workshop's details)."""
        self._shown_id = workshop_id
        if "workshop" in self.__dict__:
            self._load_detail(workshop_id)

    def _load_detail(self, workshop_id: int | None) -> None:
        from amie_desktop.services import workshops

        detail = workshops.get_workshop(self._store, workshop_id) if workshop_id else None
        self._detail = detail
        self.notice.hide()
        self.duplicate_button.setEnabled(detail is not None)
        self.withdraw_button.setEnabled(
            detail is not None and detail.row.status is WorkshopStatus.PLANNED
        )
        self.save_template_button.setEnabled(detail is not None)
        self.tabs.setEnabled(detail is not None)
        self.details.load(detail)
        self.register.load(detail.row.id if detail else None)
        if detail is None:
            self.detail_title.setText("No workshop chosen")
            self.detail_when.clear()
            self.agenda.load(None)
            return
        self.detail_title.setText(detail.row.title)
        self._show_when(detail.row)
        from amie_desktop.ui.workshops.agenda import WorkshopAgenda

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
        self.open_workshop(workshop_id, tab=0)
        self.details.title.setFocus()
        self.details.title.selectAll()

    def plan_new(self) -> None:
        """Plan a workshop from a template (Ctrl+N anywhere in the window)."""
        from amie_desktop.ui.workshops.dialogs import NewWorkshopDialog

        self._open_new(NewWorkshopDialog.ask(self._store, self, today=local_today(self._clock)))

    def _on_new_button_clicked(self) -> None:
        self.plan_new()

    def _on_duplicate_button_clicked(self) -> None:
        workshop_id = self.selected_workshop_id()
        if workshop_id is not None:
            from amie_desktop.ui.workshops.dialogs import DuplicateDialog

            today = local_today(self._clock)
            self._open_new(DuplicateDialog.ask(self._store, workshop_id, self, today=today))

    def _show_when(self, row: WorkshopRow) -> None:
        parts = [short_date(row.date), clock(row.start_time)]
        parts += [row.venue] if row.venue else []
        parts += [", ".join(row.facilitators)] if row.facilitators else []
        parts += [row.status.value.capitalize()]
        self.detail_when.setText(" · ".join(parts))

    def _on_details_details_saved(self, workshop_id: int) -> None:
        from amie_desktop.services import workshops

        self.model.update_row(workshop_id)
        draft = self.details.draft()
        self.detail_title.setText(draft.title)
        self._show_when(workshops.get_workshop(self._store, workshop_id).row)
        self.agenda.set_times(draft.start, draft.end)

    def _on_runsheet_button_clicked(self) -> None:
        # The PDF code loads when first wanted, not when the window opens.
        from amie_desktop.services.exports.files import safe_file_name
        from amie_desktop.services.exports.runsheet import export_runsheet

        detail = self._detail
        if detail is None:
            return
        suggested = safe_file_name(f"Run sheet {detail.row.title} {detail.row.date:%Y-%m-%d}")
        path = choose_pdf(self, "Save the run sheet", suggested)
        if path is None:
            return
        try:
            steps = export_runsheet(self._store, detail.row.id, path)
        except UserError as exc:
            self._show_notice(str(exc))
            return
        self._show_notice(f"Saved the run sheet ({counted(steps, 'step', 'steps')}) to {path}.")

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def _on_withdraw_button_clicked(self) -> None:
        from amie_desktop.services import workshops

        detail = self._detail
        if detail is None:
            return
        row = detail.row
        when = short_date(row.date)
        if row.booked == 0 and row.status is WorkshopStatus.PLANNED:
            question = (
                f"Delete “{row.title}” on {when}? Nobody is booked on it and it has not run. "
                "You can undo this straight afterwards."
            )
            yes = "&Delete workshop"
        else:
            question = (
                f"Cancel “{row.title}” on {when}? It stays in the list marked Cancelled, with "
                f"its register of {counted(row.booked, 'person', 'people')}, and cannot be run."
            )
            yes = "&Mark cancelled"
        from amie_desktop.ui.settings.dialogs import confirm

        if not confirm(self, "Cancel or delete a workshop", question, yes):
            return
        try:
            withdrawn = workshops.withdraw_workshop(self._store, row.id)
        except UserError as exc:
            self._show_notice(str(exc))
            return
        self._withdrawn = withdrawn
        done = "Deleted" if withdrawn.deleted else "Cancelled"
        self.undo_note.setText(f"{done} “{withdrawn.title}”.")
        self.undo_bar.show()
        self.refresh()
        if withdrawn.deleted:
            self.show_list()
        else:
            self._show_detail(row.id)  # the same workshop, now cancelled
            self.open_workshop(row.id)
        self.undo_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_undo_button_clicked(self) -> None:
        from amie_desktop.services import workshops

        withdrawn, self._withdrawn = self._withdrawn, None
        self.undo_bar.hide()
        if withdrawn is None:
            return
        try:
            workshop_id = workshops.undo_withdraw(self._store, withdrawn)
        except UserError as exc:
            self._show_notice(str(exc))
            return
        self.refresh()
        self.open_workshop(workshop_id)
        self._show_detail(workshop_id)

    def _on_library_button_clicked(self) -> None:
        from amie_desktop.ui.workshops.templates import TemplateLibraryDialog

        TemplateLibraryDialog.ask(self._store, self)

    def _on_save_template_button_clicked(self) -> None:
        from amie_desktop.ui.workshops.templates import SaveTemplateDialog

        workshop_id = self.selected_workshop_id()
        if workshop_id is not None and SaveTemplateDialog.ask(self._store, workshop_id, self):
            self._show_notice("Saved as your own template: plan from it with New workshop.")
