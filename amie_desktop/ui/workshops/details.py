"""A workshop's details form: saved as typed, with any problem shown beside it, and undo.

Each change goes on a QUndoStack, as the agenda's do: Ctrl+Z (or Undo) saves and shows the
details as they were before it; typing in one field is one change, not one per letter."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from amie_desktop.domain.timing import schedule
from amie_desktop.services import workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.workshops import MAX_CPD_HOURS, WorkshopDetail, WorkshopDraft
from amie_desktop.store import Store
from amie_desktop.ui.widgets.date_field import DateField, from_qdate, to_qdate
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout
from amie_desktop.ui.widgets.time_field import TimeField


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


class _EditDetails(QUndoCommand):
    """One change to the details: redo saves `new`, undo saves `old` (and shows it)."""

    def __init__(self, form: DetailsForm, old: WorkshopDraft, new: WorkshopDraft, what: str):
        super().__init__(f"change the {what}")
        self.form, self.old, self.new, self.what = form, old, new, what
        self._saved = True  # pushed once saved, so the first redo has nothing to do

    def id(self) -> int:
        return 2

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing a word in one field is one change to undo, not one per letter.
        if not isinstance(other, _EditDetails) or other.what != self.what:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        self.form.apply(self.new)

    def undo(self) -> None:
        self.form.apply(self.old)


_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


class DetailsForm(QWidget):
    details_saved = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._workshop_id: int | None = None
        self._loading = False
        self._saved: WorkshopDraft | None = None  # the details as last saved
        self._minutes: list[int] = []  # the agenda's, for an end that was never set
        self.undo_stack = QUndoStack(self)

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
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.setToolTip("Undo the last change to the details (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton("Redo")
        self.redo_button.setAccessibleName("Redo")
        self.redo_button.setToolTip("Redo the change undone last (Ctrl+Y)")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addActions([self.undo_action, self.redo_action])
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_button)
        undo_row.addWidget(self.redo_button)
        undo_row.addStretch(1)

        form = form_layout(self)
        form.addRow(buddy("&Title", self.title), self.title)
        form.addRow(buddy("Dat&e", self.date), self.date)
        form.addRow(buddy("&Starts at", self.start), self.start)
        form.addRow(buddy("&Planned end", self.end), self.end)
        form.addRow(buddy("&Venue", self.venue), self.venue)
        form.addRow(buddy("&Facilitators", self.facilitators), self.facilitators)
        form.addRow(buddy("&CPD hours", self.cpd_hours), self.cpd_hours)
        form.addRow(buddy("Workshop n&otes", self.notes), self.notes)
        form.addRow("", self.problem)
        form.addRow("", undo_row)

        changes = (
            ("title", self.title.textEdited), ("date", self.date.dateChanged),
            ("start", self.start.timeChanged), ("planned end", self.end.timeChanged),
            ("venue", self.venue.textEdited), ("facilitators", self.facilitators.textEdited),
            ("CPD hours", self.cpd_hours.valueChanged), ("notes", self.notes.textChanged),
        )  # fmt: skip
        for what, signal in changes:
            signal.connect(lambda *_args, what=what: self._on_field_changed(what))
        for field in (self.date, self.start, self.end):
            field.problem_found.connect(self._on_field_problem_found)
        # Ctrl+Z undoes the last change to the details wherever the focus is in the form, not
        # only the typing in one box (which a field would otherwise take for itself).
        fields: tuple[QWidget, ...] = (self.title, self.date, self.start, self.end, self.venue,
                                       self.facilitators, self.cpd_hours, self.notes)  # fmt: skip
        for widget in fields:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(keys) for keys in _UNDO_KEYS)
        ):
            return True  # not taken by the field, so the form's own undo runs
        return super().eventFilter(watched, event)

    def load(self, detail: WorkshopDetail | None) -> None:
        """Show a workshop's details (a new one starts a fresh undo)."""
        self.undo_stack.clear()
        self._workshop_id = detail.row.id if detail else None
        self._saved = detail.draft if detail else None
        self._minutes = [s.minutes for s in detail.steps] if detail else []
        self.setEnabled(detail is not None)
        self.problem.clear()
        if detail is not None:
            self._show(detail.draft)

    def _show(self, draft: WorkshopDraft) -> None:
        self._loading = True
        try:
            if self.title.text() != draft.title:
                self.title.setText(draft.title)
            self.date.setDate(to_qdate(draft.on))
            self.start.setTime(to_qtime(draft.start))
            end = draft.end
            if end is None:  # shown as when the agenda finishes, saved only if changed
                end = schedule(draft.start, self._minutes).finish
            self.end.setTime(to_qtime(end))
            for line, text in ((self.venue, draft.venue),
                               (self.facilitators, ", ".join(draft.facilitators))):  # fmt: skip
                if line.text() != text:  # the cursor stays where it was in the field typed in
                    line.setText(text)
            self.cpd_hours.setValue(draft.cpd_hours)
            if self.notes.toPlainText() != draft.notes:
                self.notes.setPlainText(draft.notes)
        finally:
            self._loading = False

    def apply(self, draft: WorkshopDraft) -> None:
        """Save draft (from undo or redo) and show it."""
        if self._workshop_id is None:
            return
        try:
            workshops.update_workshop(self._store, self._workshop_id, draft)
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self._saved = draft
        self._show(draft)
        self.problem.clear()
        self.details_saved.emit(self._workshop_id)

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

    def _on_field_changed(self, what: str) -> None:
        if self._loading or self._workshop_id is None or self._saved is None:
            return
        new = self.draft()
        try:
            workshops.update_workshop(self._store, self._workshop_id, new)
        except UserError as exc:
            self.problem.setText(f"{exc} Not saved yet.")
            return
        old, self._saved = self._saved, new
        self.undo_stack.push(_EditDetails(self, old, new, what))
        self.problem.clear()
        self.details_saved.emit(self._workshop_id)
