"""How it went: planned against actual time for every step, once the workshop is finished."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
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

COLUMNS = (
    "Step", "Principle", "Planned", "Took", "Against plan", "Started", "Ended", "Group notes",
)  # fmt: skip


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
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Room either side of every cell, so "Took" (right-aligned) and "Against plan" beside
        # it never read as one figure.
        self.table.setStyleSheet("QTreeWidget::item { padding-left: 12px; padding-right: 12px; }")

        self.reopen_button = QPushButton("◀ &Back to the last step (Page Up)")
        self.reopen_button.setAccessibleName("Back to the last step")
        self.reopen_button.setAutoDefault(True)
        self.station_after = QPushButton("Open reflections (&after)")
        self.station_after.setAccessibleName("Open reflections (after)")
        self.station_after.setAutoDefault(True)
        self.leave_button = QPushButton("&Choose another workshop")
        self.leave_button.setAccessibleName("Choose another workshop")
        self.leave_button.setAutoDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.station_after)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
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
            if step.group_notes.strip():
                item.setToolTip(len(COLUMNS) - 1, step.group_notes)
            for column in (2, 3):
                item.setTextAlignment(
                    column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            self.table.addTopLevelItem(item)
        self.reopen_button.setVisible(reopen_possible)

    def row_texts(self) -> list[list[str]]:
        """The table as text, row by row (for checks and for reading aloud)."""
        rows = []
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            assert item is not None
            rows.append([item.text(column) for column in range(len(COLUMNS))])
        return rows
