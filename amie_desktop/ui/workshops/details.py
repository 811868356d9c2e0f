"""A workshop's details form: saved as typed, with any problem shown beside it."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from amie_desktop.domain.timing import schedule
from amie_desktop.services import workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.workshops import MAX_CPD_HOURS, WorkshopDetail, WorkshopDraft
from amie_desktop.store import Store
from amie_desktop.ui.widgets.date_field import DateField, from_qdate, to_qdate
from amie_desktop.ui.widgets.forms import buddy, error_label
from amie_desktop.ui.widgets.time_field import TimeField


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


class DetailsForm(QWidget):
    details_saved = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._workshop_id: int | None = None
        self._loading = False

        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.date = DateField()
        self.start = TimeField()
        self.end = TimeField()
        self.end.setToolTip("The agenda editor warns when the steps run past this time")
        self.venue = QLineEdit()
        self.venue.setMaxLength(200)
        self.facilitators = QLineEdit()
        self.facilitators.setPlaceholderText("Names, separated by commas")
        self.cpd_hours = QDoubleSpinBox()
        self.cpd_hours.setRange(0, MAX_CPD_HOURS)
        self.cpd_hours.setSingleStep(0.5)
        self.cpd_hours.setDecimals(1)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.problem = error_label()

        form = QFormLayout(self)
        form.addRow(buddy("&Title", self.title), self.title)
        form.addRow(buddy("Dat&e", self.date), self.date)
        form.addRow(buddy("&Starts at", self.start), self.start)
        form.addRow(buddy("&Planned end", self.end), self.end)
        form.addRow(buddy("&Venue", self.venue), self.venue)
        form.addRow(buddy("&Facilitators", self.facilitators), self.facilitators)
        form.addRow(buddy("&CPD hours", self.cpd_hours), self.cpd_hours)
        form.addRow(buddy("Workshop n&otes", self.notes), self.notes)
        form.addRow("", self.problem)

        for line in (self.title, self.venue, self.facilitators):
            line.textEdited.connect(self._on_field_changed)
        self.date.dateChanged.connect(self._on_field_changed)
        self.start.timeChanged.connect(self._on_field_changed)
        self.end.timeChanged.connect(self._on_field_changed)
        for field in (self.date, self.start, self.end):
            field.problem_found.connect(self._on_field_problem_found)
        self.cpd_hours.valueChanged.connect(self._on_field_changed)
        self.notes.textChanged.connect(self._on_field_changed)

    def load(self, detail: WorkshopDetail | None) -> None:
        self._loading = True
        try:
            self._workshop_id = detail.row.id if detail else None
            self.setEnabled(detail is not None)
            self.problem.clear()
            if detail is None:
                return
            draft = detail.draft
            self.title.setText(draft.title)
            self.date.setDate(to_qdate(draft.on))
            self.start.setTime(to_qtime(draft.start))
            end = draft.end
            if end is None:  # shown as when the agenda finishes, saved only if changed
                end = schedule(draft.start, [s.minutes for s in detail.steps]).finish
            self.end.setTime(to_qtime(end))
            self.venue.setText(draft.venue)
            self.facilitators.setText(", ".join(draft.facilitators))
            self.cpd_hours.setValue(draft.cpd_hours)
            self.notes.setPlainText(draft.notes)
        finally:
            self._loading = False

    def draft(self) -> WorkshopDraft:
        return WorkshopDraft(
            title=self.title.text(),
            on=from_qdate(self.date.date()),
            start=from_qtime(self.start.time()),
            end=from_qtime(self.end.time()),
            venue=self.venue.text(),
            facilitators=tuple(n.strip() for n in self.facilitators.text().split(",")),
            cpd_hours=self.cpd_hours.value(),
            notes=self.notes.toPlainText(),
        )

    def _on_field_problem_found(self, problem: str) -> None:
        self.problem.setText(f"{problem} Not saved yet.")

    def _on_field_changed(self, *_args: object) -> None:
        if self._loading or self._workshop_id is None:
            return
        try:
            workshops.update_workshop(self._store, self._workshop_id, self.draft())
        except UserError as exc:
            self.problem.setText(f"{exc} Not saved yet.")
            return
        self.problem.clear()
        self.details_saved.emit(self._workshop_id)
