"""Settings > Organisation: sync by file, for laptops that are never online."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from amie_desktop.services import bundle
from amie_desktop.store import Store
from amie_desktop.ui.jobs import Job, Progress
from amie_desktop.ui.widgets.flow import FlowLayout
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout

EVERY_LAPTOP = "Every laptop"
FILE_FILTER = f"Bundle files (*{bundle.SUFFIX});;All files (*)"


class BundleBox(QGroupBox):
    """A passphrase field and two buttons: export to a file, import from one, off the GUI thread."""

    done = Signal(str)  # what the export or import did, in words

    def __init__(self, store: Store) -> None:
        super().__init__("Laptops that are never online")
        self._store = store
        self._job: Job | None = None
        self._steps: tuple[str, ...] = ()
        self._at_office = False  # the organisation's database: files are made per laptop
        about = QLabel(
            "Carry the changes a sync would carry in a file instead (a USB stick, an email to "
            "the office). The file holds personal data, so it is locked with a passphrase: "
            "give the passphrase separately, by phone, never in the same email."
        )
        about.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMaxLength(200)
        self.passphrase.setAccessibleName("Bundle passphrase")
        self.passphrase.setAccessibleDescription(
            f"At least {bundle.MIN_PASSPHRASE} characters; three or four unrelated words are good"
        )
        self.laptop = QComboBox()
        self.laptop.setAccessibleName("For laptop")
        self.export_button = QPushButton("E&xport changes to a file…")
        self.export_button.setAccessibleName("Export changes to a file")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button = QPushButton("I&mport changes from a file…")
        self.import_button.setAccessibleName("Import changes from a file")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Bundle progress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Bundle result")
        self.problem = error_label()

        form = form_layout(self)
        form.addRow(about)
        form.addRow(buddy("Passp&hrase", self.passphrase), self.passphrase)
        self._laptop_label = buddy("For &laptop", self.laptop)
        form.addRow(self._laptop_label, self.laptop)
        buttons = QWidget()  # side by side, one under the other when the tab is narrow
        row = FlowLayout(buttons)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        form.addRow("", buttons)
        form.addRow("", self.progress)
        form.addRow("", self.outcome)
        form.addRow("", self.problem)
        self.refresh()

    @property
    def busy(self) -> bool:
        return self._job is not None and not self._job.done.is_set()

    def refresh(self) -> None:
        """The laptop choice shows on the organisation's database only (a laptop has one way)."""
        chosen = self.laptop.currentData()
        self.laptop.clear()
        known = bundle.laptops(self._store)
        for letter, name in known:
            self.laptop.addItem(f"{letter} ({name})" if name else letter, letter)
        if known:
            self.laptop.addItem(EVERY_LAPTOP, "")
            index = self.laptop.findData(chosen)
            self.laptop.setCurrentIndex(max(index, 0))
        self._at_office = bool(known)
        self.laptop.setVisible(self._at_office)
        self._laptop_label.setVisible(self._at_office)
        self.export_button.setEnabled(not self.busy)
        self.import_button.setEnabled(not self.busy)

    # Export and import ----------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        if self.busy or not self._passphrase_given():
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export changes to a file", str(Path.home() / f"changes{bundle.SUFFIX}"),
            FILE_FILTER,
        )  # fmt: skip
        if name:
            self.export_to(Path(name))

    def _on_import_clicked(self) -> None:
        if self.busy or not self._passphrase_given():
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Import changes from a file", str(Path.home()), FILE_FILTER
        )
        if name:
            self.import_from(Path(name))

    def _passphrase_given(self) -> bool:
        if self.passphrase.text():
            return True
        self.problem.setText("Type the file's passphrase first.")
        self.passphrase.setFocus()
        return False

    def export_to(self, path: Path) -> None:
        store, passphrase = self._store, self.passphrase.text()
        letter = str(self.laptop.currentData() or "") if self._at_office else ""
        everything = self._at_office and not letter

        def work(progress: Progress) -> object:
            def step(text: str) -> None:
                progress(bundle.EXPORT_STEPS.index(text), len(bundle.EXPORT_STEPS))

            return bundle.export_bundle(
                store, path, passphrase, everything=everything, laptop=letter, step=step
            )

        self._start(work, bundle.EXPORT_STEPS, "Exporting changes to a file…")

    def import_from(self, path: Path) -> None:
        store, passphrase = self._store, self.passphrase.text()

        def work(progress: Progress) -> object:
            def step(text: str) -> None:
                progress(bundle.IMPORT_STEPS.index(text), len(bundle.IMPORT_STEPS))

            return bundle.import_bundle(store, path, passphrase, step=step)

        self._start(work, bundle.IMPORT_STEPS, "Importing changes from a file…")

    def _start(self, work: object, steps: tuple[str, ...], words: str) -> None:
        assert callable(work)
        self._steps = steps
        self.outcome.setText(words)
        self.problem.setText("")
        self.progress.setRange(0, len(steps))
        self.progress.setValue(0)
        self.progress.show()
        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        job = Job(work)
        job.signals.progressed.connect(self._on_job_progressed)
        job.signals.succeeded.connect(self._on_job_succeeded)
        job.signals.failed.connect(self._on_job_failed)
        self._job = job.start(self)

    def _on_job_progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        if 0 <= done < len(self._steps):
            self.outcome.setText(f"{self._steps[done]}…")

    def _on_job_succeeded(self, result: object) -> None:
        assert isinstance(result, bundle.ExportResult | bundle.ImportResult)
        self._finish()
        self.passphrase.clear()  # not left on screen for the next person
        self.outcome.setText(result.words())
        self.done.emit(result.words())

    def _on_job_failed(self, text: str) -> None:
        self._finish()
        self.outcome.setText("")
        self.problem.setText(text)

    def _finish(self) -> None:
        self._job = None
        self.progress.hide()
        self.refresh()
