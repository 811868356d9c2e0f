"""The rows an import left out: read them, copy them, or save them as a CSV file to fix."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.text import counted
from amie_desktop.services import register_import
from amie_desktop.services.errors import UserError
from amie_desktop.services.register_import import ImportPlan
from amie_desktop.ui.widgets.forms import error_label
from amie_desktop.ui.widgets.text_table import TextTableModel, text_table


def choose_rejects_file(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save the rows left out; None if the trainer cancels."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save the rows not imported", str(Path.home() / suggested), "CSV files (*.csv)"
    )
    return Path(name) if name else None


class RejectedRowsDialog(QDialog):
    """Each row left out with its line number, the reason and the row as the file has it."""

    def __init__(self, plan: ImportPlan, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan = plan
        self._file_name = file_name
        self.setWindowTitle("Rows not imported")
        self.setAccessibleName("Rows not imported")
        rows = counted(len(plan.rejects), "row", "rows")
        self.intro = QLabel(
            f"{rows} of {file_name} could not be imported. Put them right in your spreadsheet "
            "and import them again: Save as CSV keeps the file's own columns, with the reason "
            "and the line number at the end. Copy puts them on the clipboard to paste "
            "into a spreadsheet or an email."
        )
        self.intro.setWordWrap(True)
        self.table = text_table(
            "Rows not imported", TextTableModel(register_import.REJECTS_HEADINGS)
        )
        model = self.table.model()
        assert isinstance(model, TextTableModel)
        model.set_rows([(str(r.line), r.reason, r.text) for r in plan.rejects])
        self.table.setWordWrap(False)
        self.note = error_label()
        self.note.setAccessibleName("What was done")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button: QPushButton = self.buttons.addButton(
            "&Copy", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setToolTip("Copy the rows, separated by tabs, to paste elsewhere")
        self.save_button: QPushButton = self.buttons.addButton(
            "&Save as CSV…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setToolTip("Save the rows as a CSV file to put right and import again")
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(820, 420)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if plan.rejects:
            self.table.selectRow(0)

    def _say(self, text: str, role: str) -> None:
        self.note.setProperty("role", role)
        self.note.style().polish(self.note)
        self.note.setText(text)

    def _on_copy_button_clicked(self) -> None:
        QApplication.clipboard().setText(register_import.rejects_as_text(self._plan))
        rows = counted(len(self._plan.rejects), "row", "rows")
        self._say(f"Copied {rows} to the clipboard, separated by tabs.", "note")

    def _on_save_button_clicked(self) -> None:
        stem = Path(self._file_name).stem or "register"
        path = choose_rejects_file(self, f"{stem} - not imported.csv")
        if path is None:
            return
        try:
            written = register_import.save_rejects(self._plan, path)
        except UserError as exc:
            self._say(str(exc), "warning")
            return
        self._say(f"Saved {counted(written, 'row', 'rows')} to {path}.", "note")

    @classmethod
    def ask(cls, plan: ImportPlan, file_name: str, parent: QWidget | None = None) -> None:
        cls(plan, file_name, parent).exec()
