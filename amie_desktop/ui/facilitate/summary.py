"""How it went: planned against actual time for every step, once the workshop is finished."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.timing import difference_text, minutes_text, spent_text
from amie_desktop.services.facilitate import HowItWent
from amie_desktop.ui.facilitate.run_view import local_clock
from amie_desktop.ui.widgets.flow import FlowLayout

COLUMNS = (
    "Step", "Principle", "Planned", "Took", "Against plan", "Started", "Ended", "Group notes",
)  # fmt: skip
TIMES = (2, 3)  # Planned and Took, right-aligned
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NOTES_SHOWN, STEP_SHOWN = 16, 14  # characters of group notes shown; of a step's title at least


class HowItWentView(QWidget):
    """The end of a run: a line per step, and the whole workshop against its plan."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("How it went")
        self.heading = QLabel("How it went")
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName("Whole workshop against its plan")
        self.table = QTreeWidget()
        self.table.setAccessibleName("Planned and actual time per step")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        # Times are right-aligned under right-aligned headings, so a heading never hangs over
        # the gap between one column's figures and the next.
        heading = self.table.headerItem()
        for column in TIMES:
            heading.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Every figure whole: the times fit their contents, group notes show their start (the
        # tooltip has them all) and the step's title takes the room left. The figures come
        # straight after the step and the principle after them, so at large text the step's
        # times stay in view and what scrolls off is the least needed.
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.moveSection(header.visualIndex(1), header.visualIndex(6))
        self.table.viewport().installEventFilter(self)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Room either side of every cell, so "Took" (right-aligned) and "Against plan" beside
        # it never read as one figure.
        # (in ems, so the room grows with the text).
        self.table.setStyleSheet(
            "QTreeWidget::item, QHeaderView::section { padding-left: 0.6em; padding-right: 0.6em; }"
        )

        self.reopen_button = QPushButton("◀ &Back to the last step (Page Up)")
        self.reopen_button.setAccessibleName("Back to the last step")
        self.reopen_button.setAutoDefault(True)
        self.station_after = QPushButton("Open reflections (&after)")
        self.station_after.setAccessibleName("Open reflections (after)")
        self.station_after.setAutoDefault(True)
        self.leave_button = QPushButton("&Choose another workshop")
        self.leave_button.setAccessibleName("Choose another workshop")
        self.leave_button.setAutoDefault(True)
        # Wraps onto a second line at large text rather than widening the page.
        self.buttons = QWidget()
        buttons = FlowLayout(self.buttons)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.station_after)
        buttons.addWidget(self.leave_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.set_station_available(False)

    def set_station_available(self, available: bool) -> None:
        self.station_after.setVisible(available)

    def apply_text_size(self, point_size: float) -> None:
        """A little larger than the rest of the app, to read while standing."""
        self.setStyleSheet(
            f"QTreeWidget, QHeaderView::section, QLabel, QPushButton "
            f"{{ font-size: {round(point_size * 1.3, 1)}pt; }}"
            f"QLabel[role='heading'] {{ font-size: {round(point_size * 2, 1)}pt; }}"
        )
        self._fit_columns()

    def show_summary(self, summary: HowItWent, reopen_possible: bool) -> None:
        self.heading.setText(f"How it went: {summary.title}")
        span = ""
        if summary.started_at and summary.ended_at:
            span = (
                f"Ran from {local_clock(summary.started_at)} to {local_clock(summary.ended_at)}. "
            )
        over = summary.used_seconds - summary.planned_seconds
        self.totals.setText(
            f"{span}Planned {minutes_text(summary.planned_seconds)}, took "
            f"{minutes_text(summary.used_seconds)}: {difference_text(over).lower()}."
        )
        self.table.clear()
        for step in summary.steps:
            if not step.reached:
                took, against = "Not reached", ""
            elif step.skipped:
                took, against = f"Skipped after {spent_text(step.used(summary.now))}", ""
            else:
                took = spent_text(step.used(summary.now))
                against = difference_text(step.difference(summary.now))
            item = QTreeWidgetItem([
                f"{step.position + 1}. {step.plan.title}",
                step.plan.principle.label if step.plan.principle else "",
                spent_text(step.planned_seconds),
                took,
                against,
                local_clock(step.started_at) if step.started_at else "",
                local_clock(step.ended_at) if step.ended_at else "",
                " ".join(step.group_notes.split()),
            ])  # fmt: skip
            item.setToolTip(0, f"{step.position + 1}. {step.plan.title}")  # when cut short
            if step.group_notes.strip():
                item.setToolTip(len(COLUMNS) - 1, step.group_notes)
            for column in TIMES:
                item.setTextAlignment(column, RIGHT)
            self.table.addTopLevelItem(item)
        self.reopen_button.setVisible(reopen_possible)
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the step's title takes the room the table now has
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Each column as wide as what it holds (the notes up to NOTES_SHOWN characters); the
        step's title gets the room left, and at least STEP_SHOWN characters."""
        table, notes = self.table, len(COLUMNS) - 1
        char = table.fontMetrics().averageCharWidth()
        for column in range(1, len(COLUMNS)):
            table.resizeColumnToContents(column)
        table.setColumnWidth(notes, min(table.columnWidth(notes), char * NOTES_SHOWN))
        others = sum(table.columnWidth(column) for column in range(1, len(COLUMNS)))
        table.resizeColumnToContents(0)
        room = table.viewport().width() - others
        table.setColumnWidth(0, max(min(table.columnWidth(0), room), char * STEP_SHOWN))

    def row_texts(self) -> list[list[str]]:
        """The table as text, row by row (for checks and for reading aloud)."""
        rows = []
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            assert item is not None
            rows.append([item.text(column) for column in range(len(COLUMNS))])
        return rows
