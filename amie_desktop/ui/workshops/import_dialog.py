"""The import preview: which column holds what, what each row will do, and the rows left out.

Nothing is saved until Import is pressed; the import then runs off the GUI thread, with a
progress bar and Cancel, and saves every usable row together or none.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import register_import
from amie_desktop.services.errors import UserError
from amie_desktop.services.register_import import (
    ColumnMapping,
    CsvFile,
    Field,
    ImportPlan,
)
from amie_desktop.store import Store
from amie_desktop.ui.jobs import hold_collections, release_collections
from amie_desktop.ui.settings.text_table import TextTableModel, text_table
from amie_desktop.ui.widgets.forms import buddy, error_label

log = logging.getLogger(__name__)


class _ImportSignals(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)  # ImportPlan
    failed = Signal(str)


class ImportJob(QRunnable):
    """Saves the import in a worker thread; cancel() stops it and nothing is saved."""

    def __init__(
        self, store: Store, workshop_id: int, source: CsvFile, mapping: ColumnMapping
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _ImportSignals()
        self._args = (store, workshop_id, source, mapping)
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def _progress(self, done: int, total: int) -> bool:
        self.signals.progressed.emit(done, total)
        return not self._cancelled.is_set()

    def start(self) -> None:
        """Run on the thread pool, with collections held until it has finished."""
        hold_collections()
        QThreadPool.globalInstance().start(self)

    def run(self) -> None:
        try:
            plan = register_import.apply_import(*self._args, progress=self._progress)
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            # Still in one transaction, so nothing was saved; the trainer must hear of it.
            log.exception("register import failed")
            self.signals.failed.emit(
                f"The register could not be saved ({exc}). Nothing was imported; try again."
            )
        else:
            self.signals.finished.emit(plan)
        finally:
            release_collections()


# A model, not a QTableWidget: PySide6 6.12's QTableWidget.setItem drops a reference to None
# on every call, and a preview of a few thousand cells then crashes the app.
def _table(name: str, headers: tuple[str, ...]) -> QTableView:
    table = text_table(name, TextTableModel(headers))
    table.setWordWrap(False)
    return table


def _fill(table: QTableView, rows: list[tuple[str, ...]]) -> None:
    model = table.model()
    assert isinstance(model, TextTableModel)
    # Line breaks inside a cell are shown as a mark, so every row stays one line high.
    model.set_rows([tuple(value.replace("\n", " ⏎ ") for value in row) for row in rows])


class ImportPreviewDialog(QDialog):
    def __init__(
        self,
        store: Store,
        workshop_id: int,
        source: CsvFile,
        file_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._workshop_id = workshop_id
        self._source = source
        self._job: ImportJob | None = None
        self.plan: ImportPlan | None = None
        self.mapping = register_import.guess_mapping(source.headers)
        self.setWindowTitle("Import a register")
        self.setAccessibleName("Import a register")

        self.intro = QLabel(
            f"{file_name}: {source.encoding}, {source.delimiter_name} separated, "
            f"{len(source.rows)} rows after the header. Check which column holds what; "
            "nothing is saved until you press Import."
        )
        self.intro.setWordWrap(True)
        self.columns: dict[Field, QComboBox] = {}
        form = QFormLayout()
        for field in Field:
            combo = QComboBox()
            combo.addItem("Not in this file", None)
            for index, header in enumerate(source.headers):
                combo.addItem(f"Column {index + 1}: {header or '(no heading)'}", index)
            chosen = self.mapping.column(field)
            combo.setCurrentIndex(0 if chosen is None else chosen + 1)
            combo.currentIndexChanged.connect(self._on_column_changed)
            self.columns[field] = combo
            form.addRow(buddy(field.label, combo), combo)

        self.preview = _table(
            "Rows to import", ("Line", "Name", "Email", "Organisation", "What happens")
        )
        self.rejects = _table("Rows left out", ("Line", "Reason", "Row in the file"))
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("What the import will do")
        self.problem = error_label()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button: QPushButton = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addWidget(self.preview, 3)
        self.rejects.setMinimumHeight(self.rejects.fontMetrics().lineSpacing() * 6)
        self.rejects_label = QLabel("Rows left out, with the reason:")
        layout.addWidget(self.rejects_label)
        layout.addWidget(self.rejects, 2)
        layout.addWidget(self.problem)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(860, 640)
        self._update_preview()

    def _on_column_changed(self, _index: int) -> None:
        mapping = ColumnMapping()
        for field, combo in self.columns.items():
            mapping = mapping.with_column(field, combo.currentData())
        self.mapping = mapping
        self._update_preview()

    def _update_preview(self) -> None:
        try:
            plan = register_import.plan_import(
                self._store, self._workshop_id, self._source, self.mapping
            )
        except UserError as exc:
            self.problem.setText(str(exc))
            self.counts.clear()
            _fill(self.preview, [])
            _fill(self.rejects, [])
            self.import_button.setEnabled(False)
            return
        self.problem.clear()
        _fill(
            self.preview,
            [(str(r.line), r.name, r.email, r.organisation, r.describe()) for r in plan.rows],
        )
        _fill(self.rejects, [(str(r.line), r.reason, r.text) for r in plan.rejects])
        self.rejects.setVisible(bool(plan.rejects))
        self.rejects_label.setVisible(bool(plan.rejects))
        self.counts.setText(plan.summary())
        self.import_button.setEnabled(plan.added > 0 or plan.updated > 0)

    def _on_buttons_accepted(self) -> None:
        if self._job is not None:
            return
        self._job = ImportJob(self._store, self._workshop_id, self._source, self.mapping)
        self._job.signals.progressed.connect(self._on_job_progressed)
        self._job.signals.finished.connect(self._on_job_finished)
        self._job.signals.failed.connect(self._on_job_failed)
        for combo in self.columns.values():
            combo.setEnabled(False)
        self.import_button.setEnabled(False)
        self.progress.setRange(0, max(1, len(self._source.rows)))
        self.progress.setValue(0)
        self.progress.show()
        self._job.start()

    def reject(self) -> None:
        # Cancel, Escape and closing the window all come here. While the import runs, the
        # dialog stays open until the job says whether it stopped in time, so the trainer is
        # never told nothing was saved while it is still being saved.
        if self._job is not None:
            self._job.cancel()  # the job reports back as failed, with nothing saved
            return
        super().reject()

    def _on_job_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_job_finished(self, plan: ImportPlan) -> None:
        self._job = None
        self.plan = plan
        self.accept()

    def _on_job_failed(self, message: str) -> None:
        self._job = None
        self.progress.hide()
        for combo in self.columns.values():
            combo.setEnabled(True)
        self._update_preview()
        self.problem.setText(message)

    @classmethod
    def ask(
        cls,
        store: Store,
        workshop_id: int,
        source: CsvFile,
        file_name: str,
        parent: QWidget | None = None,
    ) -> ImportPlan | None:
        """What was imported, or None when the trainer cancelled (then nothing was saved)."""
        dialog = cls(store, workshop_id, source, file_name, parent)
        dialog.exec()
        return dialog.plan
