"""Settings > Data: backups and restore, a second backup folder, retention, people's data, audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.text import counted
from amie_desktop.services import backups, organisation, privacy
from amie_desktop.services.backups import Backup, BackupResult, RestoreResult
from amie_desktop.services.errors import UserError
from amie_desktop.services.privacy import ErasureReport, PersonMatch, RetentionResult
from amie_desktop.store import Store
from amie_desktop.ui.jobs import Job, Progress, running_jobs
from amie_desktop.ui.recovery import when_text
from amie_desktop.ui.settings.dialogs import (
    AuditLogDialog,
    PinDialog,
    RetentionPreviewDialog,
    confirm,
)
from amie_desktop.ui.widgets.flow import FlowLayout
from amie_desktop.ui.widgets.forms import buddy, error_label
from amie_desktop.ui.widgets.text_table import TextTableModel, text_table


def choose_open_file(parent: QWidget, title: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", "Backups (*.sqlite3);;All files (*)")
    return Path(name) if name else None


def choose_folder(parent: QWidget, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.clicked.connect(slot)
    return button


def _row(*widgets: QWidget) -> QWidget:
    """Widgets side by side at their natural width, from the left; one under another when
    the tab is narrow (large text on a small window)."""
    row = QWidget()
    flow = FlowLayout(row)
    for widget in widgets:
        flow.addWidget(widget)
    return row


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    return label


class DataTab(QWidget):
    """Everything about keeping data safe and handling people's data lawfully."""

    status_changed = Signal(str)
    job_finished = Signal(str)  # the message shown when background work ends (or fails)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._backups: list[Backup] = []
        self._on_done: Callable[[object], str] | None = None

        self.folder_warning = QLabel()
        self.folder_warning.setProperty("role", "warning")
        self.folder_warning.setWordWrap(True)
        self.folder_warning.setAccessibleName("Data folder warning")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Result")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = error_label()

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.cancel = _button("Cancel", self._on_cancel_clicked)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel)
        self.progress.hide()
        self.cancel.hide()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.folder_warning)
        layout.addWidget(self._backups_box())
        layout.addWidget(self._retention_box())
        layout.addWidget(self._people_box())
        layout.addWidget(self._audit_box())
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # One background for the whole tab, not a band of another colour above the scroll area.
        scroll.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        self.message.hide()
        self.problem.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(progress_row)
        outer.addWidget(self.message)
        outer.addWidget(self.problem)
        outer.addWidget(scroll, 1)
        self.setFocusProxy(self.back_up_now)

    # Building ---------------------------------------------------------------------------------
    def _backups_box(self) -> QGroupBox:
        box = QGroupBox("Backups")
        layout = QVBoxLayout(box)
        layout.addWidget(
            _note(
                "A checked copy of the database is made when the app starts and every 30 "
                "minutes while you work. The last 10 are kept, plus one a day for a week and "
                "one a week for 8 weeks."
            )
        )
        self.backups_model = TextTableModel(("Made", "Why", "Size"))
        self.backups_table = text_table("Backups", self.backups_model)
        self.backups_table.setMinimumHeight(150)
        layout.addWidget(self.backups_table)
        self.back_up_now = _button("&Back up now", self._on_back_up_now_clicked)
        self.restore_selected = _button("&Restore the chosen backup…", self._on_restore_selected)
        self.restore_file = _button("Restore from a fi&le…", self._on_restore_file_clicked)
        layout.addWidget(_row(self.back_up_now))
        layout.addWidget(_row(self.restore_selected, self.restore_file))

        self.second_folder = QLabel()
        self.second_folder.setWordWrap(True)
        self.second_folder.setAccessibleName("Second backup folder")
        self.choose_second = _button("Choose a &second folder…", self._on_choose_second_clicked)
        self.stop_second = _button("S&top copying there", self._on_stop_second_clicked)
        layout.addWidget(self.second_folder)
        layout.addWidget(_row(self.choose_second, self.stop_second))
        return box

    def _retention_box(self) -> QGroupBox:
        box = QGroupBox("Keeping personal data")
        layout = QVBoxLayout(box)
        self.retention_months = QSpinBox()
        self.retention_months.setRange(privacy.MIN_RETENTION_MONTHS, privacy.MAX_RETENTION_MONTHS)
        self.retention_months.setSuffix(" months")
        self.retention_months.editingFinished.connect(self._on_retention_months_editing_finished)
        self.retention_months.setAccessibleName("Months to keep personal data")
        label = buddy(
            "&Keep people's names, emails and written answers for this long after a workshop. "
            "After that they are removed; ratings stay, so reports still add up.",
            self.retention_months,
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(_row(self.retention_months))
        self.retention_state = _note("")
        layout.addWidget(self.retention_state)
        self.preview = _button("&Preview what it removes…", self._on_preview_clicked)
        layout.addWidget(_row(self.preview))
        return box

    def _people_box(self) -> QGroupBox:
        box = QGroupBox("A person's data")
        layout = QVBoxLayout(box)
        self.person_search = QLineEdit()
        self.person_search.setPlaceholderText("Type part of a name or an email")
        self.person_search.setClearButtonEnabled(True)
        self.person_search.textChanged.connect(self._on_person_search_text_changed)
        layout.addWidget(buddy("Fi&nd a person", self.person_search))
        layout.addWidget(self.person_search)
        self.people = QListWidget()
        self.people.setAccessibleName("People found")
        self.people.setMaximumHeight(120)
        self.people.currentItemChanged.connect(self._on_people_current_item_changed)
        layout.addWidget(self.people)
        self.export_person = _button("E&xport everything held…", self._on_export_person_clicked)
        self.withdraw_quotes = _button("&Withdraw consent to quote", self._on_withdraw_clicked)
        self.erase = _button("&Erase this person…", self._on_erase_clicked)
        layout.addWidget(_row(self.export_person, self.withdraw_quotes))
        layout.addWidget(_row(self.erase))
        self._on_people_current_item_changed(None, None)
        return box

    def _audit_box(self) -> QGroupBox:
        box = QGroupBox("Audit log")
        layout = QVBoxLayout(box)
        layout.addWidget(
            _note("Exports, erasures, restores, wrong PINs and retention runs are logged.")
        )
        self.show_audit = _button("Show the &audit log…", self._on_show_audit_clicked)
        layout.addWidget(_row(self.show_audit))
        return box

    # Refreshing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        warning = backups.data_folder_warning(self._store)
        self.folder_warning.setText(warning or "")
        self.folder_warning.setVisible(bool(warning))
        self._backups = backups.backups(self._store) if self._store.database_path else []
        self.backups_model.set_rows(
            [
                (
                    when_text(b, short=True),
                    b.describe_reason.capitalize(),
                    backups.file_size_text(b.size_bytes),
                )
                for b in self._backups
            ]
        )
        if self._backups:
            self.backups_table.selectRow(0)
        second = backups.second_folder(self._store)
        self.second_folder.setText(
            f"Second backup folder: {second}"
            if second
            else "Second backup folder: none. Choose one (a USB stick, say) to keep a copy "
            "of every backup off this laptop."
        )
        self.stop_second.setVisible(second is not None)
        settings = organisation.get_settings(self._store)
        if settings is not None:
            self.retention_months.setValue(settings.retention_months)
            self.retention_state.setText(
                "Runs by itself each time the app starts."
                if privacy.retention_confirmed(self._store)
                else "Nothing is anonymised until you have looked at a preview and agreed. "
                "After that it runs by itself each time the app starts."
            )

    def _show(self, message: str, problem: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def _say(self, text: str) -> None:
        self._show(text, "")
        self.status_changed.emit(text)

    def _fail(self, text: str) -> None:
        self._show("", text)

    # Background work --------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return running_jobs().busy(self)

    def _run(
        self,
        work: Callable[[Progress], object],
        on_done: Callable[[object], str],
        doing: str,
        cancellable: bool = False,
    ) -> None:
        if self.busy:
            self._fail("Please wait: the last task is still running.")
            return
        self._on_done = on_done
        self._show(doing, "")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel.setVisible(cancellable)
        job = Job(work)
        job.signals.progressed.connect(self._on_job_progressed)
        job.signals.succeeded.connect(self._on_job_succeeded)
        job.signals.failed.connect(self._on_job_failed)
        job.start(self)

    def _on_job_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish(self) -> None:
        self.progress.hide()
        self.cancel.hide()
        self.refresh()

    def _on_job_succeeded(self, result: object) -> None:
        assert self._on_done is not None
        text = self._on_done(result)
        self._finish()
        self._say(text)
        self.job_finished.emit(text)

    def _on_job_failed(self, text: str) -> None:
        self._finish()
        self._fail(text)
        self.job_finished.emit(text)

    def _on_cancel_clicked(self) -> None:
        running_jobs().cancel(self)

    def _pin(self, action: str) -> bool:
        return PinDialog.ask(self._store, action, self)

    # Backups ----------------------------------------------------------------------------------
    def _on_back_up_now_clicked(self) -> None:
        store = self._store

        def done(result: object) -> str:
            assert isinstance(result, BackupResult)
            text = f"Backup made and checked: {result.backup.path.name}."
            if result.second_copy is not None:
                text += f" A copy is also in {result.second_copy.parent}."
            return f"{text} {result.second_copy_problem}".strip()

        self._run(
            lambda progress: backups.make_backup(store, "manual", progress),
            done,
            "Making a backup…",
            cancellable=True,
        )

    def _restore(self, path: Path) -> None:
        try:
            check = backups.check_backup(path)
        except UserError as exc:
            self._fail(str(exc))
            return
        question = (
            f"Restore {path.name}? It holds {counted(check.workshops, 'workshop', 'workshops')} "
            f"and {counted(check.people, 'person', 'people')}. Everything saved since it was "
            "made will be replaced. The database as it is now is backed up first, so this can "
            "be undone."
        )
        if not confirm(self, "Restore a backup", question, "&Restore"):
            return
        if not self._pin("Restoring a backup"):
            return
        store = self._store

        def done(result: object) -> str:
            assert isinstance(result, RestoreResult)
            return (
                f"Restored {result.check.path.name}. The database as it was before is kept "
                f"as {result.safety_backup.path.name}."
            )

        self._run(
            lambda progress: backups.restore(store, path, progress),
            done,
            "Restoring…",
            cancellable=True,
        )

    def _on_restore_selected(self) -> None:
        row = self.backups_table.currentIndex().row()
        if not 0 <= row < len(self._backups):
            self._fail("Choose a backup in the list first.")
            return
        self._restore(self._backups[row].path)

    def _on_restore_file_clicked(self) -> None:
        path = choose_open_file(self, "Choose a backup to restore")
        if path is not None:
            self._restore(path)

    def _on_choose_second_clicked(self) -> None:
        folder = choose_folder(self, "Choose a second folder for backups")
        if folder is None:
            return
        try:
            backups.set_second_folder(self._store, folder)
        except UserError as exc:
            self._fail(str(exc))
            return
        self.refresh()
        self._say(f"Every backup will also be copied to {folder}.")

    def _on_stop_second_clicked(self) -> None:
        backups.set_second_folder(self._store, None)
        self.refresh()
        self._say("Backups are no longer copied to a second folder.")

    # Retention --------------------------------------------------------------------------------
    def _on_retention_months_editing_finished(self) -> None:
        try:
            months = privacy.set_retention_months(self._store, self.retention_months.value())
        except UserError as exc:
            self._fail(str(exc))
            return
        self._say(f"Personal data is kept for {months} months after a workshop.")

    def _on_preview_clicked(self) -> None:
        try:
            preview = privacy.preview_retention(self._store)
        except UserError as exc:
            self._fail(str(exc))
            return
        if not RetentionPreviewDialog.ask(preview, self):
            return
        if not self._pin("Anonymising personal data"):
            return
        store = self._store

        def done(result: object) -> str:
            assert isinstance(result, RetentionResult)
            return result.message()

        self._run(
            lambda _progress: privacy.apply_retention(store, preview, "Settings > Data"),
            done,
            "Anonymising…",
        )

    # People -----------------------------------------------------------------------------------
    def _on_person_search_text_changed(self, text: str) -> None:
        self.people.clear()
        for match in privacy.search_people(self._store, text):
            places = f"{match.attendances} workshop{'s' if match.attendances != 1 else ''}"
            label = f"{match.name} – {match.email or 'no email'} – {places}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, match)
            self.people.addItem(item)
        if self.people.count():
            self.people.setCurrentRow(0)

    def _on_people_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        for button in (self.export_person, self.withdraw_quotes, self.erase):
            button.setEnabled(current is not None)

    def _chosen_person(self) -> PersonMatch | None:
        item = self.people.currentItem()
        match = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(match, PersonMatch):
            self._fail("Find and choose a person first.")
            return None
        return match

    def _on_export_person_clicked(self) -> None:
        person = self._chosen_person()
        if person is None or not self._pin("Exporting a person's data"):
            return
        folder = choose_folder(self, f"Choose where to save {person.name}'s data")
        if folder is None:
            return
        try:
            json_path, html_path = privacy.export_subject_access(
                self._store, person.uuid, folder, "Settings > Data"
            )
        except UserError as exc:
            self._fail(str(exc))
            return
        self._say(f"Saved everything held about {person.name}: {html_path} and {json_path.name}.")

    def _on_withdraw_clicked(self) -> None:
        person = self._chosen_person()
        if person is None:
            return
        try:
            changed = privacy.withdraw_quote_consent(self._store, person.uuid, "Settings > Data")
        except UserError as exc:
            self._fail(str(exc))
            return
        if changed:
            self._say(
                f"{person.name} is no longer quoted: their words are left out of summaries "
                "made from now on."
            )
        else:
            self._say(f"{person.name} had not agreed to be quoted, so nothing changed.")

    def _on_erase_clicked(self) -> None:
        person = self._chosen_person()
        if person is None:
            return
        question = (
            f"Erase {person.name} ({person.email or 'no email'})? Their places on registers, "
            "reflections and answers are removed for good. Certificates issued to them stay "
            "on record without the name. This cannot be undone, except by restoring a backup."
        )
        if not confirm(self, "Erase a person", question, "&Erase"):
            return
        if not self._pin("Erasing a person"):
            return
        store = self._store
        self.people.clear()
        self.person_search.clear()

        def done(result: object) -> str:
            assert isinstance(result, ErasureReport)
            return result.message()

        self._run(
            lambda _progress: privacy.erase_person(store, person.uuid, "Settings > Data"),
            done,
            f"Erasing {person.name}…",
        )

    # Audit ------------------------------------------------------------------------------------
    def _on_show_audit_clicked(self) -> None:
        if self._pin("The audit log"):
            AuditLogDialog.ask(self._store, self)
