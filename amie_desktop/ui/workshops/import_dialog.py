"""The import preview: the file's encoding, which column holds what, what each row will do.

The preview is worked out off the GUI thread each time the columns change (a big file takes a
moment); Import waits until the preview for the chosen columns is shown. Nothing is saved until
Import is pressed; the import then runs off the GUI thread, with a progress bar and Cancel, and
saves every usable row together or none.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import register_import
from amie_desktop.services.register_import import (
    ColumnMapping,
    CsvFile,
    Field,
    ImportCancelled,
    ImportPlan,
)
from amie_desktop.store import Store
from amie_desktop.ui.jobs import Cancelled, Job, Progress
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout
from amie_desktop.ui.widgets.text_table import TextTableModel, text_table


class ImportJob(Job):
    """Saves the import in a worker thread; cancel() stops it and nothing is saved."""

    unexpected_message = (
        "The register could not be saved, so nobody was imported. Please try again; if it "
        "keeps happening, the details are in the log file in the data folder."
    )

    def __init__(
        self, store: Store, workshop_id: int, source: CsvFile, mapping: ColumnMapping
    ) -> None:
        def work(progress: Progress) -> ImportPlan:
            # progress raises ImportCancelled once Cancel has been pressed
            return register_import.apply_import(
                store, workshop_id, source, mapping, progress=progress
            )

        super().__init__(work)

    def cancellation(self) -> ImportCancelled:
        # Still in its one transaction, so nothing was saved.
        return ImportCancelled("The import was cancelled; nobody was added.")


WORKING_OUT = "Working out the preview…"
# The preview is worked out this long after the columns last changed. The window draws what
# changed first, while no worker competes with it for Python (a worker that runs while the
# tables are drawn keeps the window waiting), and quick changes make one preview, not several.
PREVIEW_DELAY_MS = 120
# Columns fit the rows on screen and this many more, not all of a file of thousands: measuring
# every cell kept the window frozen for a tenth of a second each time the preview changed.
MEASURED_ROWS = 50


@dataclass(frozen=True)
class Preview:
    """A plan and its rows as the two tables show them, for one choice of encoding and columns."""

    plan: ImportPlan
    rows: list[tuple[str, ...]]
    rejects: list[tuple[str, ...]]
    source: CsvFile
    mapping: ColumnMapping


def _one_line(*values: str) -> tuple[str, ...]:
    # Line breaks inside a cell are shown as a mark, so every row stays one line high.
    return tuple(value.replace("\n", " ⏎ ") for value in values)


def work_out_preview(
    store: Store,
    workshop_id: int,
    source: CsvFile,
    mapping: ColumnMapping,
    stop: threading.Event | None = None,
    codec: str | None = None,
) -> Preview:
    """The preview for mapping, worked out in a Job; setting stop ends it early (not wanted).

    codec, when it differs from the source's, reads the file again in that encoding first
    (the columns are guessed again if their number changed). The job reports no progress:
    the preview takes a fraction of a second.
    """

    def step(_done: int, _total: int) -> None:
        if stop is not None and stop.is_set():
            raise Cancelled("The preview is no longer wanted.")

    if codec is not None and codec != _codec_choice(source.codec):
        reread = source.read_as(codec)
        if len(reread.headers) != len(source.headers):
            mapping = register_import.guess_mapping(reread.headers)
        source = reread
    plan = register_import.plan_import(store, workshop_id, source, mapping, progress=step)
    return Preview(
        plan,
        [_one_line(str(r.line), r.name, r.email, r.organisation, r.describe()) for r in plan.rows],
        [_one_line(str(r.line), r.reason, r.text) for r in plan.rejects],
        source,
        mapping,
    )


def _codec_choice(codec: str) -> str:
    """The encoding list's entry for the codec a file was read with."""
    return {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(codec, codec)


# A model, not a QTableWidget: PySide6 6.12's QTableWidget.setItem drops a reference to None
# on every call, and a preview of a few thousand cells then crashes the app.
def _table(name: str, headers: tuple[str, ...]) -> QTableView:
    table = text_table(name, TextTableModel(headers))
    table.setWordWrap(False)
    table.horizontalHeader().setResizeContentsPrecision(MEASURED_ROWS)
    return table


def _fill(table: QTableView, rows: list[tuple[str, ...]]) -> None:
    model = table.model()
    assert isinstance(model, TextTableModel)
    model.set_rows(rows)


class ImportPreviewDialog(QDialog):
    preview_shown = Signal()  # the preview for the chosen columns (or why there is none) is up

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
        # The preview being worked out for the chosen columns; None once it is shown.
        self._planning: Job | None = None
        self._planning_stop = threading.Event()  # set to stop the job working it out
        self._planned = 0  # numbers the previews asked for; only the last one is shown
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        self.plan: ImportPlan | None = None
        self.mapping = register_import.guess_mapping(source.headers)
        self.setWindowTitle("Import a register")
        self.setAccessibleName("Import a register")

        self._file_name = file_name
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self._show_intro()
        # The encoding is detected; names that look garbled say to choose another here.
        self.encoding = QComboBox()
        for encoding in register_import.ENCODINGS:
            self.encoding.addItem(encoding.choice, encoding.codec)
        self.encoding.setCurrentIndex(self.encoding.findData(_codec_choice(source.codec)))
        self.encoding.currentIndexChanged.connect(self._on_encoding_changed)
        self.columns: dict[Field, QComboBox] = {}
        form = form_layout()
        form.addRow(buddy("File's &encoding", self.encoding), self.encoding)
        for field in Field:
            combo = QComboBox()
            combo.currentIndexChanged.connect(self._on_column_changed)
            self.columns[field] = combo
            form.addRow(buddy(field.label, combo), combo)
        self._fill_columns()

        self.preview = _table(
            "Rows to import", ("Line", "Name", "Email", "Organisation", "What happens")
        )
        self.rejects = _table("Rows left out", ("Line", "Reason", "Row in the file"))
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("What the import will do")
        # Room for the summary and a word about garbled names, which the tables would take.
        self.counts.setMinimumHeight(self.counts.fontMetrics().lineSpacing() * 3)
        self.problem = error_label()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        # Beside the buttons, with its room kept: starting the import does not lay out and
        # redraw the tables while the import competes with the window for Python.
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
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
        self.rejects_label.hide()  # until a preview has rows left out
        self.rejects.hide()
        layout.addWidget(self.problem)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(860, 640)
        self._work_out_preview()

    def _show_intro(self) -> None:
        source = self._source
        self.intro.setText(
            f"{self._file_name}: {source.encoding}, {source.delimiter_name} separated, "
            f"{len(source.rows)} rows after the header. Check the names and which column "
            "holds what; nothing is saved until you press Import."
        )

    def _fill_columns(self) -> None:
        for field, combo in self.columns.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Not in this file", None)
            for index, header in enumerate(self._source.headers):
                combo.addItem(f"Column {index + 1}: {header or '(no heading)'}", index)
            chosen = self.mapping.column(field)
            combo.setCurrentIndex(0 if chosen is None else chosen + 1)
            combo.blockSignals(False)

    def _on_encoding_changed(self, _index: int) -> None:
        self.problem.clear()
        self._work_out_preview()

    @property
    def preview_pending(self) -> bool:
        """True until the preview for the chosen columns is shown: Import waits for it."""
        return self._preview_timer.isActive() or self._planning is not None

    def _on_column_changed(self, _index: int) -> None:
        mapping = ColumnMapping()
        for field, combo in self.columns.items():
            mapping = mapping.with_column(field, combo.currentData())
        self.mapping = mapping
        self.problem.clear()
        self._work_out_preview()

    def _work_out_preview(self) -> None:
        """Work out the preview for self.mapping in a moment; Import waits until it is shown."""
        self._stop_planning()
        self.counts.setText(WORKING_OUT)
        self.import_button.setEnabled(False)
        self._preview_timer.start()

    def _on_preview_timer_timeout(self) -> None:
        store, workshop_id, source, mapping = (
            self._store, self._workshop_id, self._source, self.mapping
        )  # fmt: skip
        codec = self.encoding.currentData()
        stop = threading.Event()
        self._planning_stop = stop
        job = Job(
            lambda _progress: work_out_preview(store, workshop_id, source, mapping, stop, codec)
        )
        number = self._planned
        job.signals.succeeded.connect(partial(self._on_planning_succeeded, number))
        job.signals.failed.connect(partial(self._on_planning_failed, number))
        self._planning = job
        job.start(self)

    def _stop_planning(self) -> None:
        # What an older job finds would be for columns no longer chosen: stop it, drop it.
        self._preview_timer.stop()
        self._planning_stop.set()
        self._planning = None
        self._planned += 1

    def _on_planning_succeeded(self, number: int, preview: object) -> None:
        if number != self._planned:
            return
        assert isinstance(preview, Preview)
        self._planning = None
        if preview.source is not self._source:  # read again in the encoding chosen
            headers_changed = preview.source.headers != self._source.headers
            self._source, self.mapping = preview.source, preview.mapping
            self._show_intro()
            if headers_changed:
                self._fill_columns()
        plan = preview.plan
        _fill(self.preview, preview.rows)
        _fill(self.rejects, preview.rejects)
        self.rejects.setVisible(bool(plan.rejects))
        self.rejects_label.setVisible(bool(plan.rejects))
        self.counts.setText(plan.summary())
        self.import_button.setEnabled(plan.added > 0 or plan.updated > 0)
        self.preview_shown.emit()

    def _on_planning_failed(self, number: int, message: str) -> None:
        if number != self._planned:
            return
        self._planning = None
        self.problem.setText(message)
        self.counts.clear()
        _fill(self.preview, [])
        _fill(self.rejects, [])
        self.import_button.setEnabled(False)
        self.preview_shown.emit()

    def _on_buttons_accepted(self) -> None:
        # Enter or Alt+I while the preview is worked out: the trainer has not seen what
        # Import would do for these columns yet.
        if self._job is not None or self.preview_pending:
            return
        self._job = ImportJob(self._store, self._workshop_id, self._source, self.mapping)
        self._job.signals.progressed.connect(self._on_job_progressed)
        self._job.signals.succeeded.connect(self._on_job_succeeded)
        self._job.signals.failed.connect(self._on_job_failed)
        self._hold_tables(True)
        for combo in (self.encoding, *self.columns.values()):
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
        self._stop_planning()
        super().reject()

    def _hold_tables(self, held: bool) -> None:
        # The tables do not change while the import runs, so they are not redrawn. Each cell a
        # table draws is a call into Python, and with the import job busy in Python every
        # such call waited its turn: the window froze for as long as the job ran.
        for table in (self.preview, self.rejects):
            table.setUpdatesEnabled(not held)

    def _on_job_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_job_succeeded(self, plan: object) -> None:
        assert isinstance(plan, ImportPlan)
        self._job = None
        self.plan = plan
        self.accept()

    def _on_job_failed(self, message: str) -> None:
        self._job = None
        self._hold_tables(False)
        self.progress.hide()
        for combo in (self.encoding, *self.columns.values()):
            combo.setEnabled(True)
        self._work_out_preview()
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
