"""The template library: look through the built-in templates, and keep your own up to date."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import templates
from amie_desktop.services.errors import UserError
from amie_desktop.services.templates import TemplateSummary
from amie_desktop.services.workshops import MAX_CPD_HOURS
from amie_desktop.store import Store
from amie_desktop.ui.dialogs import _FormDialog
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout, set_read_only
from amie_desktop.ui.workshops.agenda import AgendaEditor, TemplateAgenda, duration

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
READ_ONLY_NOTE = (
    "Built-in templates are to read, not to change, so every trainer starts from the same "
    "agenda. “Copy to edit” makes a copy of your own that you can change as you like."
)


class TemplateLibraryDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._loading = False
        self.setWindowTitle("Template library")
        self.setAccessibleName("Template library")

        self.list = QListWidget()
        self.list.setAccessibleName("Templates")
        self.list.setSpacing(4)
        self.list.setWordWrap(True)  # long titles wrap at large text rather than being cut
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.copy_button = QPushButton("Copy to e&dit")
        self.copy_button.setAccessibleName("Copy to edit")
        self.copy_button.setToolTip("Make a copy of this template that you can change")
        self.copy_button.setAutoDefault(False)  # Enter in a field never makes a copy
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(90)
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cpd_hours = QDoubleSpinBox()
        self.cpd_hours.setRange(0, MAX_CPD_HOURS)
        self.cpd_hours.setSingleStep(0.5)
        self.cpd_hours.setDecimals(1)
        self.delete_button = QPushButton("Delete this template")
        self.delete_button.setAccessibleName("Delete this template")
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.problem = error_label()
        self.agenda = AgendaEditor()
        self.title.textEdited.connect(self._on_field_changed)
        self.summary.textChanged.connect(self._on_field_changed)
        self.cpd_hours.valueChanged.connect(self._on_field_changed)

        form = form_layout()
        form.addRow(buddy("&Title", self.title), self.title)
        form.addRow(buddy("S&ummary", self.summary), self.summary)
        form.addRow(buddy("&CPD hours", self.cpd_hours), self.cpd_hours)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(note_row)
        right_layout.addLayout(form)
        right_layout.addWidget(self.problem)
        right_layout.addWidget(self.agenda, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.delete_button)
        right_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1000, 680)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        self.list.clear()
        for summary in templates.list_templates(self._store):
            kind = "built in" if summary.builtin else "yours"
            item = QListWidgetItem(f"{summary.title}\n{duration(summary.minutes)}, {kind}")
            item.setData(KEY_ROLE, summary.key)
            self.list.addItem(item)
            if summary.key == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(KEY_ROLE)) if item is not None else None

    def _on_list_current_item_changed(self, current: QListWidgetItem | None, _old: object) -> None:
        key = str(current.data(KEY_ROLE)) if current is not None else None
        summary = next((t for t in templates.list_templates(self._store) if t.key == key), None)
        self._show(summary)

    def _show(self, summary: TemplateSummary | None) -> None:
        self._loading = True
        try:
            builtin = summary is None or summary.builtin
            shown_builtin = bool(summary and summary.builtin)
            self.note.setText(READ_ONLY_NOTE if shown_builtin else "")
            self.note.setVisible(shown_builtin)
            self.copy_button.setVisible(shown_builtin)
            self.title.setText(summary.title if summary else "")
            self.summary.setPlainText(summary.summary if summary else "")
            self.cpd_hours.setValue(summary.cpd_hours if summary else 0)
            for field in (self.title, self.summary):
                set_read_only(field, builtin)
            self.cpd_hours.setEnabled(not builtin)
            # Buttons that could never act on a built-in are not shown at all.
            for button in (self.delete_button, *self._agenda_buttons()):
                button.setVisible(not builtin)
            self.delete_button.setEnabled(not builtin)
            self.problem.clear()
            source = TemplateAgenda(self._store, summary.key) if summary else None
            self.agenda.load(source, read_only=builtin)
        finally:
            self._loading = False

    def _agenda_buttons(self) -> tuple[QPushButton, ...]:
        agenda = self.agenda
        return (agenda.add_button, agenda.delete_button, agenda.up_button, agenda.down_button,
                agenda.undo_button, agenda.redo_button)  # fmt: skip

    def _on_copy_button_clicked(self) -> None:
        """Copy the built-in template into one of your own, and open it to change."""
        key = self.current_key()
        if key is None:
            return
        try:
            copied = templates.copy_template(self._store, key)
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.refresh(select=copied)
        # Ready to be renamed: the title is chosen, so typing replaces it.
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        self.title.selectAll()

    def _on_field_changed(self, *_args: object) -> None:
        key = self.current_key()
        if self._loading or key is None:
            return
        try:
            saved = templates.update_template(
                self._store, key, self.title.text(), self.summary.toPlainText(),
                self.cpd_hours.value(),
            )  # fmt: skip
        except UserError as exc:
            self.problem.setText(f"{exc} Not saved yet.")
            return
        self.problem.clear()
        item = self.list.currentItem()
        if item is not None:
            item.setText(f"{saved.title}\n{duration(saved.minutes)}, yours")

    def _on_delete_button_clicked(self) -> None:
        key = self.current_key()
        if key is None:
            return
        try:
            templates.delete_template(self._store, key)
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.refresh()

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None) -> None:
        cls(store, parent).exec()


class SaveTemplateDialog(_FormDialog):
    """Save the chosen workshop's agenda as one of the organisation's own templates."""

    def __init__(self, store: Store, workshop_id: int, parent: QWidget | None = None) -> None:
        super().__init__(
            "Save as my template",
            "The workshop's agenda is copied into a new template of your own. Later changes "
            "to the template never change this workshop, and the reverse.",
            self._save,
            parent,
        )
        self._store = store
        self._workshop_id = workshop_id
        self.saved_key: str | None = None
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.summary = QLineEdit()
        self.form.addRow(buddy("&Title", self.title), self.title)
        self.form.addRow(buddy("S&ummary", self.summary), self.summary)

    def _save(self) -> None:
        self.saved_key = templates.save_as_template(
            self._store, self._workshop_id, self.title.text(), self.summary.text()
        )

    @classmethod
    def ask(cls, store: Store, workshop_id: int, parent: QWidget | None = None) -> str | None:
        dialog = cls(store, workshop_id, parent)
        return dialog.saved_key if dialog.exec() == QDialog.DialogCode.Accepted else None
