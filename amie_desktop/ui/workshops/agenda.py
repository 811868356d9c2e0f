"""The agenda editor: steps in order, reordered by keyboard or drag and drop, with undo.

Every change is saved as it is made, through an AgendaSource (a workshop's or a template's
steps), and goes on a QUndoStack so it can be taken back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import time
from typing import Protocol

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.agenda import MAX_STEP_MINUTES, Step
from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.text import counted
from amie_desktop.domain.timing import Schedule, schedule
from amie_desktop.services import templates, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout, set_read_only
from amie_desktop.ui.widgets.table_model import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex
MIME = "application/x-amie-agenda-step"
COLUMNS = ("Start", "Principle", "Step", "Minutes")


class AgendaSource(Protocol):
    """Where an agenda is kept: a workshop's own steps, or one of the organisation's templates."""

    def steps(self) -> tuple[Step, ...]: ...
    def insert(self, position: int, draft: Step) -> None: ...
    def delete(self, position: int) -> Step: ...
    def move(self, source: int, target: int) -> None: ...
    def update(self, position: int, draft: Step) -> None: ...


@dataclass(frozen=True)
class WorkshopAgenda:
    store: Store
    workshop_id: int

    def steps(self) -> tuple[Step, ...]:
        return workshops.workshop_steps(self.store, self.workshop_id)

    def insert(self, position: int, draft: Step) -> None:
        workshops.insert_step(self.store, self.workshop_id, position, draft)

    def delete(self, position: int) -> Step:
        return workshops.delete_step(self.store, self.workshop_id, position)

    def move(self, source: int, target: int) -> None:
        workshops.move_step(self.store, self.workshop_id, source, target)

    def update(self, position: int, draft: Step) -> None:
        workshops.update_step(self.store, self.workshop_id, position, draft)


@dataclass(frozen=True)
class TemplateAgenda:
    store: Store
    key: str

    def steps(self) -> tuple[Step, ...]:
        return templates.template_steps(self.store, self.key)

    def insert(self, position: int, draft: Step) -> None:
        templates.insert_template_step(self.store, self.key, position, draft)

    def delete(self, position: int) -> Step:
        return templates.delete_template_step(self.store, self.key, position)

    def move(self, source: int, target: int) -> None:
        templates.move_template_step(self.store, self.key, source, target)

    def update(self, position: int, draft: Step) -> None:
        templates.update_template_step(self.store, self.key, position, draft)


def clock(value: time) -> str:
    return value.strftime("%H:%M")


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def principle_name(principle: Principle) -> str:
    return f"{principle.code}  {principle.label}"


class AgendaModel(RowsTableModel[Step]):
    """The steps with their start times; rows are dragged to reorder (the editor saves the move)."""

    move_requested = Signal(int, int)

    def __init__(self) -> None:
        super().__init__(COLUMNS)
        self._rows: tuple[Step, ...] = ()
        self._start: time | None = None
        self._end: time | None = None
        self.timing: Schedule | None = None
        self._letters_only = False  # principles as their letter alone (set_letters_only)

    def set_steps(self, steps: tuple[Step, ...]) -> None:
        self.beginResetModel()
        self._rows = steps
        self._retime()
        self.endResetModel()

    def set_times(self, start: time | None, end: time | None) -> None:
        self._start, self._end = start, end
        self._retime()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_letters_only(self, letters: bool) -> None:
        """Principles shown by their letter alone ("R"), leaving the step's title the room;
        the whole name is still its tooltip and what a screen reader says."""
        if letters != self._letters_only:
            self._letters_only = letters
            if self._rows:
                self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def _retime(self) -> None:
        minutes = [step.minutes for step in self._rows]
        self.timing = None if self._start is None else schedule(self._start, minutes, self._end)

    def step(self, row: int) -> Step:
        return self._rows[row]

    @property
    def planned_end(self) -> time | None:
        return self._end

    @property
    def steps(self) -> tuple[Step, ...]:
        return self._rows

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        step = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return (
                    clock(self.timing.starts[index.row()]) if self.timing else str(index.row() + 1)
                )
            if column == 1:
                if step.principle is None:
                    return ""
                return step.principle.code if self._letters_only else principle_name(step.principle)
            return step.title if column == 2 else str(step.minutes)
        if (
            column == 1
            and step.principle is not None
            and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
        ):
            return principle_name(step.principle)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data.setData(MIME, QByteArray(str(rows[0] if rows else -1).encode()))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(MIME):
            return False
        source = int(bytes(data.data(MIME).data()).decode() or -1)
        if not 0 <= source < len(self._rows):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        target = row - 1 if source < row else row
        target = max(0, min(target, len(self._rows) - 1))
        if target != source:
            self.move_requested.emit(source, target)
        # The editor saves the move and reloads; the view must not remove the source row itself.
        return False


class StepsView(QTableView):
    """The step list; Ctrl+Up/Down move a step, Insert adds one, Delete removes one."""

    move_requested = Signal(int)  # -1 up, +1 down
    insert_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
        elif event.key() == Qt.Key.Key_Insert:
            self.insert_requested.emit()
        elif event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)


# Undoable changes: each one saves through the source, then the editor shows the result.


class _Command(QUndoCommand):
    def __init__(self, editor: AgendaEditor, text: str) -> None:
        super().__init__(text)
        assert editor.source is not None
        self.editor = editor
        self.source = editor.source


class _EditStep(_Command):
    def __init__(
        self, editor: AgendaEditor, position: int, old: Step, new: Step, what: str
    ) -> None:
        super().__init__(editor, f"change {what} of step {position + 1}")
        self.position, self.old, self.new, self.what = position, old, new, what

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing a word is one change to undo, not one per letter.
        if not isinstance(other, _EditStep) or (other.position, other.what) != (
            self.position,
            self.what,
        ):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.editor.apply(lambda: self.source.update(self.position, self.new), self.position)

    def undo(self) -> None:
        self.editor.apply(lambda: self.source.update(self.position, self.old), self.position)


class _InsertStep(_Command):
    def __init__(self, editor: AgendaEditor, position: int, draft: Step) -> None:
        super().__init__(editor, f"add step {position + 1}")
        self.position, self.draft = position, draft

    def redo(self) -> None:
        self.editor.apply(lambda: self.source.insert(self.position, self.draft), self.position)

    def undo(self) -> None:
        self.editor.apply(lambda: self.source.delete(self.position), self.position - 1)


class _DeleteStep(_Command):
    def __init__(self, editor: AgendaEditor, position: int, draft: Step) -> None:
        super().__init__(editor, f"delete step {position + 1}")
        self.position, self.draft = position, draft

    def redo(self) -> None:
        self.editor.apply(lambda: self.source.delete(self.position), self.position)

    def undo(self) -> None:
        self.editor.apply(lambda: self.source.insert(self.position, self.draft), self.position)


class _MoveStep(_Command):
    def __init__(self, editor: AgendaEditor, source: int, target: int) -> None:
        super().__init__(editor, f"move step {source + 1} to {target + 1}")
        self.start, self.target = source, target

    def redo(self) -> None:
        self.editor.apply(lambda: self.source.move(self.start, self.target), self.target)

    def undo(self) -> None:
        self.editor.apply(lambda: self.source.move(self.target, self.start), self.start)


class AgendaEditor(QWidget):
    """Steps on the left, the chosen step's fields on the right; everything saved as typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source: AgendaSource | None = None
        self.undo_stack = QUndoStack(self)
        self.model = AgendaModel()
        self.model.move_requested.connect(self._on_model_move_requested)
        self._typing = False  # True while the step form itself is saving what was typed
        self._read_only = False

        self.view = StepsView()
        self.view.setAccessibleName("Agenda steps")
        self.view.setAccessibleDescription(
            "Ctrl+Up and Ctrl+Down move the chosen step; Insert adds a step; Delete removes it."
        )
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDragEnabled(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.view.viewport().installEventFilter(self)
        self.model.modelReset.connect(self._fit_principles)
        self.view.move_requested.connect(self._on_view_move_requested)
        self.view.insert_requested.connect(self.add_step)
        self.view.delete_requested.connect(self.delete_step)

        self.add_button = self._button(
            "Add &step", "Add a step after the chosen one (Insert)", self.add_step
        )
        self.delete_button = self._button(
            "Delete step", "Delete the chosen step (Delete)", self.delete_step
        )
        self.up_button = self._button(
            "Move u&p",
            "Move the chosen step earlier (Ctrl+Up)",
            lambda: self._on_view_move_requested(-1),
        )
        self.down_button = self._button(
            "Move do&wn",
            "Move the chosen step later (Ctrl+Down)",
            lambda: self._on_view_move_requested(1),
        )
        self.undo_button = self._button(
            "Undo", "Undo the last change to the agenda (Ctrl+Z)", self.undo_stack.undo
        )
        self.redo_button = self._button("Redo", "Redo (Ctrl+Shift+Z)", self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        undo_action = self.undo_stack.createUndoAction(self)
        undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        redo_action = self.undo_stack.createRedoAction(self)
        redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (undo_action, redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addActions([undo_action, redo_action])

        self.total = QLabel()
        self.total.setAccessibleName("Agenda total")
        self.total.setWordWrap(True)
        self.overrun = error_label()
        self.overrun.setAccessibleName("Agenda warning")
        self.problem = error_label()

        buttons = QGridLayout()
        for number, button in enumerate(
            (self.add_button, self.up_button, self.undo_button,
             self.delete_button, self.down_button, self.redo_button)
        ):  # fmt: skip
            buttons.addWidget(button, number // 3, number % 3)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.total)
        left_layout.addWidget(self.overrun)

        self.step_title = QLineEdit()
        self.step_title.setMaxLength(200)
        self.principle = QComboBox()
        self.principle.addItem("No principle", None)
        for principle in PRINCIPLES:
            self.principle.addItem(f"{principle.code} – {principle.label}", principle.code)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_STEP_MINUTES)
        self.minutes.setSuffix(" min")
        self.prompt = QPlainTextEdit()
        self.activity = QPlainTextEdit()
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText("One question on each line")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Only you see these, never the projector")
        for box in (self.prompt, self.activity, self.questions, self.notes):
            box.setTabChangesFocus(True)
            box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_text_boxes()
        form_widget = QWidget()
        form = form_layout(form_widget)
        form.addRow(buddy("Step &title", self.step_title), self.step_title)
        form.addRow(buddy("HEARD pr&inciple", self.principle), self.principle)
        form.addRow(buddy("&Minutes", self.minutes), self.minutes)
        form.addRow(buddy("Pr&ompt", self.prompt), self.prompt)
        form.addRow(buddy("A&ctivity", self.activity), self.activity)
        form.addRow(buddy("&Questions", self.questions), self.questions)
        form.addRow(buddy("Private not&es", self.notes), self.notes)
        form.addRow("", self.problem)
        scroll = QScrollArea()
        scroll.setWidget(form_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.step_title.textEdited.connect(lambda _t: self._on_form_edited("title"))
        self.principle.activated.connect(lambda _i: self._on_form_edited("principle"))
        self.minutes.valueChanged.connect(lambda _v: self._on_form_edited("minutes"))
        self.prompt.textChanged.connect(lambda: self._on_form_edited("prompt"))
        self.activity.textChanged.connect(lambda: self._on_form_edited("activity"))
        self.questions.textChanged.connect(lambda: self._on_form_edited("questions"))
        self.notes.textChanged.connect(lambda: self._on_form_edited("notes"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setFocusProxy(self.view)
        self._show_form(None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_text_boxes()
            self._fit_principles()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_principles()
        return super().eventFilter(watched, event)

    def _fit_principles(self) -> None:
        """Where the step's title would have fewer than about 22 characters beside the whole
        principle names (large text on a laptop: "Welcome and ar…"), principles show their
        letter alone. Measured from the whole names, so the choice never flips back and forth."""
        metrics = self.view.fontMetrics()
        named = [principle_name(s.principle) for s in self.model.steps if s.principle]
        if not named:
            self.model.set_letters_only(False)
            return
        whole = max(map(metrics.horizontalAdvance, named)) + 2 * metrics.averageCharWidth()
        room = self.view.viewport().width() - self.view.columnWidth(0) - self.view.columnWidth(3)
        self.model.set_letters_only(room - whole < 22 * metrics.averageCharWidth())

    def _fit_text_boxes(self) -> None:
        # Three lines of text show whatever the text size, so nothing is read through a slit.
        for box in (self.prompt, self.activity, self.questions, self.notes):
            box.setMinimumHeight(box.fontMetrics().lineSpacing() * 3 + 14)

    def _button(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # Loading ---------------------------------------------------------------------------
    def load(
        self,
        source: AgendaSource | None,
        start: time | None = None,
        end: time | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        """Show an agenda (read_only: to look at, not change); a new one starts a fresh undo."""
        self.source = source
        self._read_only = read_only
        self.undo_stack.clear()
        self.model.set_times(start, end)
        self.model.set_steps(source.steps() if source else ())
        self.problem.clear()
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self._show_form(None)
        self._show_total()
        self.view.setEnabled(source is not None)
        self.add_button.setEnabled(self.editable)
        self.view.setDragEnabled(self.editable)

    @property
    def editable(self) -> bool:
        return self.source is not None and not self._read_only

    def set_times(self, start: time | None, end: time | None) -> None:
        """The workshop's start or planned end changed: recompute the step times."""
        self.model.set_times(start, end)
        self._show_total()

    def current_position(self) -> int | None:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    # Changes -----------------------------------------------------------------------------
    def apply(self, change: Callable[[], object], select: int) -> None:
        """Run a saved change (from an undo command), then show the agenda as it now is."""
        assert self.source is not None
        try:
            change()
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self.model.set_steps(self.source.steps())
        if self.model.rowCount():
            row = max(0, min(select, self.model.rowCount() - 1))
            self.view.selectionModel().blockSignals(True)
            self.view.selectRow(row)
            self.view.selectionModel().blockSignals(False)
            if not self._typing:
                self._show_form(row)
        else:
            self._show_form(None)
        self._show_total()

    def add_step(self) -> None:
        if not self.editable:
            return
        current = self.current_position()
        position = self.model.rowCount() if current is None else current + 1
        self.undo_stack.push(_InsertStep(self, position, Step()))
        self.step_title.setFocus()
        self.step_title.selectAll()

    def delete_step(self) -> None:
        position = self.current_position()
        if not self.editable or position is None:
            return
        self.undo_stack.push(_DeleteStep(self, position, self.model.step(position)))
        self.view.setFocus()

    def _on_view_move_requested(self, step: int) -> None:
        position = self.current_position()
        if not self.editable or position is None:
            return
        target = position + step
        if 0 <= target < self.model.rowCount():
            self.undo_stack.push(_MoveStep(self, position, target))

    def _on_model_move_requested(self, source: int, target: int) -> None:
        if self.editable:
            self.undo_stack.push(_MoveStep(self, source, target))

    def _form_draft(self, old: Step) -> Step:
        code = self.principle.currentData()
        questions = tuple(q.strip() for q in self.questions.toPlainText().splitlines() if q.strip())
        return replace(
            old,
            title=self.step_title.text(),
            principle=Principle(code) if code else None,
            minutes=self.minutes.value(),
            prompt=self.prompt.toPlainText(),
            activity=self.activity.toPlainText(),
            questions=questions,
            notes=self.notes.toPlainText(),
        )

    def _on_form_edited(self, what: str) -> None:
        position = self.current_position()
        if not self.editable or position is None or self._loading_form:
            return
        old = self.model.step(position)
        new = self._form_draft(old)
        if new == old:
            return
        try:
            new.checked()
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self._typing = True
        try:
            self.undo_stack.push(_EditStep(self, position, old, new, what))
        finally:
            self._typing = False

    # Showing -----------------------------------------------------------------------------
    _loading_form = False

    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_form(current.row() if current.isValid() else None)

    def _show_form(self, row: int | None) -> None:
        step = self.model.step(row) if row is not None else Step(title="", minutes=1)
        self._loading_form = True
        try:
            self.step_title.setText(step.title)
            self.principle.setCurrentIndex(
                self.principle.findData(step.principle.code) if step.principle else 0
            )
            self.minutes.setValue(step.minutes)
            self.prompt.setPlainText(step.prompt)
            self.activity.setPlainText(step.activity)
            self.questions.setPlainText("\n".join(step.questions))
            self.notes.setPlainText(step.notes)
        finally:
            self._loading_form = False
        enabled = row is not None and self.editable
        for widget in (self.principle, self.minutes, self.delete_button, self.up_button,
                       self.down_button):  # fmt: skip
            widget.setEnabled(enabled)
        # Text stays readable (and reachable by a screen reader) when it cannot be changed.
        for text in (self.step_title, self.prompt, self.activity, self.questions, self.notes):
            text.setEnabled(row is not None)
            set_read_only(text, not enabled)
        if enabled and row is not None:
            self.up_button.setEnabled(row > 0)
            self.down_button.setEnabled(row < self.model.rowCount() - 1)

    def _show_total(self) -> None:
        steps = self.model.steps
        minutes = sum(step.minutes for step in steps)
        timing = self.model.timing
        text = f"{counted(len(steps), 'step', 'steps')}, {duration(minutes)}"
        if timing is not None and steps:
            text += f", finishing at {clock(timing.finish)}"
        self.total.setText(text)
        end = self.model.planned_end
        if timing is not None and timing.overrun_minutes and end is not None:
            self.overrun.setText(
                f"This agenda runs {duration(timing.overrun_minutes)} past the planned end "
                f"({clock(end)}). Shorten a step or move the planned end."
            )
        else:
            self.overrun.clear()
