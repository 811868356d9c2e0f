"""Exports section: pick a workshop and what to export; it runs in the background."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.text import counted
from amie_desktop.services import exports, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.ui.exports.check_dialog import CheckCertificateDialog
from amie_desktop.ui.exports.design import CertificateDesignPage
from amie_desktop.ui.exports.worker import ExportRunner, ExportWork
from amie_desktop.ui.widgets.date_field import DateField
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout
from amie_desktop.ui.widgets.workshop_choice import workshop_choice, workshop_combo


class ExportsPage(QWidget):
    """Two tabs: exporting a workshop's files, and how certificates look."""

    status_changed = Signal(str)
    export_finished = Signal(str)
    # The workshops with their attended counts, and the organisation's certificate design.
    shows = frozenset({"workshop", "attendance", "organisation"})

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._runner: ExportRunner | None = None
        heading = QLabel("Exports")
        heading.setProperty("role", "heading")

        self.workshop = workshop_combo()
        self.per_person = QCheckBox("&Certificates, one PDF per person")
        self.merged = QCheckBox("One &merged PDF of all certificates, to print")
        self.action_plans = QCheckBox("Add each person's own &action plan as a second page")
        self.summary = QCheckBox("&Session summary (PDF)")
        self.group_notes = QCheckBox("Include the facilitator's &group notes in the summary")
        self.register_csv = QCheckBox("&Register with attendance and ratings (CSV)")
        for box in (self.per_person, self.merged, self.summary, self.register_csv):
            box.setChecked(True)
        for box in (
            self.per_person, self.merged, self.action_plans, self.summary, self.group_notes,
            self.register_csv,
        ):  # fmt: skip
            box.setAccessibleName(box.text().replace("&", ""))
            box.toggled.connect(self._on_choice_toggled)

        self.export = QPushButton("&Export to a folder…")
        self.export.setAccessibleName("Export to a folder")
        self.export.clicked.connect(self._on_export_clicked)
        self.cancel = QPushButton("Cancel export")
        self.cancel.setAccessibleName("Cancel export")
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        # Progress and Cancel show only while an export runs.
        self.progress.hide()
        self.cancel.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Export result")
        self.problem = error_label()
        self.open_folder = QPushButton("&Open the folder")
        self.open_folder.setAccessibleName("Open the folder the files went to")
        self.open_folder.setVisible(False)
        self.open_folder.clicked.connect(self._on_open_folder_clicked)
        self._last_folder: Path | None = None
        self._left_out = ""  # who the last certificate export left out, and why
        self.check = QPushButton("C&heck a certificate…")
        self.check.setAccessibleName("Check a certificate")
        self.check.clicked.connect(self._on_check_clicked)

        today = QDate.currentDate()
        self.period_from = DateField(QDate(today.year() - (today.month() < 4), 4, 1))
        self.period_to = DateField(today)
        for edit in (self.period_from, self.period_to):
            edit.setMaximumWidth(edit.sizeHint().width() * 2)
        self.programme = QPushButton("Export &programme report…")
        self.programme.setAccessibleName("Export programme report")
        self.programme.clicked.connect(self._on_programme_clicked)

        choose = QGroupBox("What to export")
        form = form_layout(choose)
        form.addRow(buddy("&Workshop", self.workshop), self.workshop)
        for box in (
            self.per_person, self.merged, self.action_plans, self.summary, self.group_notes,
            self.register_csv,
        ):  # fmt: skip
            form.addRow("", box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)
        buttons.addWidget(self.check)

        period = QGroupBox("Programme report for funders, over a period")
        period_form = form_layout(period)
        period_form.addRow(buddy("&From", self.period_from), self.period_from)
        period_form.addRow(buddy("&To", self.period_to), self.period_to)
        period_buttons = QHBoxLayout()
        period_buttons.addWidget(self.programme)
        period_buttons.addStretch(1)
        period_form.addRow("", period_buttons)

        export_tab = QWidget()
        export_layout = QVBoxLayout(export_tab)
        export_layout.addWidget(choose)
        export_layout.addLayout(buttons)
        export_layout.addWidget(period)
        export_layout.addWidget(self.progress)
        export_layout.addWidget(self.message)
        export_layout.addWidget(self.problem)
        export_layout.addStretch(1)

        self.design = CertificateDesignPage(store)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Exports tabs")
        # Scrolling, not squashing, when text is large or the window small.
        for widget, title in ((export_tab, "E&xport"), (self.design, "Certificate &design")):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(widget)
            self.tabs.addTab(scroll, title)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.workshop)

    def refresh(self) -> None:
        chosen = self.workshop.currentData()
        self.workshop.clear()
        rows = workshops.list_workshops(self._store)
        for row in rows:
            # Date and venue tell a workshop from its twin planned again by Duplicate.
            self.workshop.addItem(workshop_choice(row, f"{row.attended} attended"), row.id)
        if chosen is None:  # start on the latest workshop that has someone to certify
            chosen = next((row.id for row in rows if row.attended), None)
        index = self.workshop.findData(chosen)
        if index >= 0:
            self.workshop.setCurrentIndex(index)
        self.design.refresh()
        self._on_choice_toggled()

    def unsaved_work(self) -> str | None:
        """What closing the app now would lose (see MainWindow.closeEvent)."""
        problem = self.design.unsaved_work()
        if problem:
            self.tabs.setCurrentIndex(self.tabs.count() - 1)  # the design's tab, the last
        return problem

    def _on_choice_toggled(self, _checked: bool = False) -> None:
        certificates = self.per_person.isChecked() or self.merged.isChecked()
        self.action_plans.setEnabled(certificates)
        self.group_notes.setEnabled(self.summary.isChecked())
        anything = certificates or self.summary.isChecked() or self.register_csv.isChecked()
        self.export.setEnabled(anything and self._runner is None)
        self.programme.setEnabled(self._runner is None)

    # Running ---------------------------------------------------------------------------
    def _on_export_clicked(self) -> None:
        if self.workshop.currentData() is None:
            self.problem.setText(
                "There is no workshop to export yet. Plan one in Workshops, book people in and "
                "run it; its certificates, summary and register are exported from here."
            )
            return
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder for the exports")
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Start exporting the chosen files into folder, in the background."""
        workshop_id = self.workshop.currentData()
        if workshop_id is None or self._runner is not None:
            return
        store = self._store
        per_person, merged = self.per_person.isChecked(), self.merged.isChecked()
        plans, summary = self.action_plans.isChecked(), self.summary.isChecked()
        notes, register = self.group_notes.isChecked(), self.register_csv.isChecked()

        self._left_out = ""

        def job(progress: exports.Progress) -> str:
            detail = workshops.get_workshop(store, workshop_id)
            stem = exports.safe_file_name(f"{detail.row.date.isoformat()} {detail.row.title}", "")
            done: list[str] = []
            if per_person or merged:
                result = exports.export_certificates(
                    store,
                    workshop_id,
                    out_dir=folder if per_person else None,
                    merged=folder / f"{stem} - all certificates.pdf" if merged else None,
                    with_action_plans=plans,
                    progress=progress,
                )
                done.append(counted(result.count, "certificate", "certificates"))
                if result.superseded:  # reissued under a new name: the old file is gone
                    old = len(result.superseded)
                    done[-1] += f" (replacing {old} earlier file{'s' if old > 1 else ''})"
                # Read on the window's thread once the job has succeeded.
                self._left_out = exports.left_out_sentence(result.left_out)
            if summary:
                progress(0, 0)
                exports.export_summary(
                    store, workshop_id, folder / f"{stem} - summary.pdf", include_notes=notes
                )
                done.append("the session summary")
            if register:
                progress(0, 0)
                exports.export_csv(store, workshop_id, folder / f"{stem} - register.csv")
                done.append("the register (CSV)")
            return f"Exported {_and(done)} to {folder}."

        self._last_folder = folder
        self._start(job)

    def _on_programme_clicked(self) -> None:
        try:
            start, end = _day(self.period_from.checked_date()), _day(self.period_to.checked_date())
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        suggested = exports.safe_file_name(f"Programme report {start} to {end}")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the programme report", suggested, "PDF files (*.pdf)"
        )
        if name:
            self.export_programme_to(Path(name), start, end)

    def export_programme_to(self, path: Path, start: date, end: date) -> None:
        """Start writing the programme report for start..end to path, in the background."""
        if self._runner is not None:
            return
        store = self._store

        def job(progress: exports.Progress) -> str:
            progress(0, 0)
            result = exports.export_programme(store, start, end, path)
            return (
                f"Exported the programme report ({result.workshops} workshops, "
                f"{result.people_reached} people reached) to {path}."
            )

        self._last_folder = path.parent
        self._start(job)

    def _start(self, job: ExportWork) -> None:
        self._runner = ExportRunner(job)
        self._runner.signals.progressed.connect(self._on_runner_progressed)
        self._runner.signals.succeeded.connect(self._on_runner_succeeded)
        self._runner.signals.failed.connect(self._on_runner_failed)
        self._runner.signals.cancelled.connect(self._on_runner_cancelled)
        self.message.setText("Exporting…")
        self.problem.clear()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel.setEnabled(True)
        self.cancel.show()
        self.export.setEnabled(False)
        self.programme.setEnabled(False)
        self.open_folder.setVisible(False)
        self._runner.start()

    def _on_cancel_clicked(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            self.message.setText("Stopping after the file being written…")

    def _on_runner_progressed(self, done: int, total: int) -> None:
        if total <= 0:
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finish(self, message: str, problem: str = "") -> None:
        self._runner = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if not problem else 0)
        self.cancel.setEnabled(False)
        self.progress.hide()
        self.cancel.hide()
        self.message.setText(message)
        self.problem.setText(problem)
        self._on_choice_toggled()
        self.status_changed.emit(problem or message)
        self.export_finished.emit(problem or message)

    def _on_runner_succeeded(self, message: str) -> None:
        self._finish(message)
        if self._left_out:  # the others were made; say plainly who was not, and why
            self.problem.setText(self._left_out)
            self.status_changed.emit(self._left_out)
        self.open_folder.setVisible(self._last_folder is not None)

    def _on_runner_failed(self, problem: str) -> None:
        self._finish("", problem)

    def _on_runner_cancelled(self) -> None:
        self._finish("Export cancelled. Files already finished are kept; none is half-written.")

    def _on_open_folder_clicked(self) -> None:
        if self._last_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_folder)))

    def _on_check_clicked(self) -> None:
        CheckCertificateDialog.ask(self._store, self)

    @property
    def busy(self) -> bool:
        return self._runner is not None


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
