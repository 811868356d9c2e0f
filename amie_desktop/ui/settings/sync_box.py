"""Settings > Organisation: the organisation's database this laptop syncs with, and Sync now."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton

from amie_desktop.domain.dates import short_date_time
from amie_desktop.services import sync
from amie_desktop.store import Store
from amie_desktop.ui.jobs import Job, Progress
from amie_desktop.ui.widgets.forms import error_label, form_layout


class SyncBox(QGroupBox):
    """Where this laptop syncs, when it last did, and a button that syncs off the GUI thread."""

    synced = Signal(str)  # what the sync did, in words

    def __init__(self, store: Store) -> None:
        super().__init__("Organisation database")
        self._store = store
        self._job: Job | None = None
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setAccessibleName("Organisation database")
        self.last = QLabel()
        self.last.setAccessibleName("Last sync")
        self.sync_now = QPushButton("S&ync now")
        self.sync_now.setAccessibleName("Sync now")
        self.sync_now.clicked.connect(self._on_sync_now_clicked)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Sync result")
        self.problem = error_label()
        form = form_layout(self)
        form.addRow("Syncs with", self.where)
        form.addRow("Last sync", self.last)
        row = QHBoxLayout()
        row.addWidget(self.sync_now)
        row.addStretch(1)
        form.addRow("", row)
        form.addRow("", self.outcome)
        form.addRow("", self.problem)
        self.refresh()

    @property
    def busy(self) -> bool:
        return self._job is not None and not self._job.done.is_set()

    def refresh(self) -> None:
        state = sync.status(self._store)
        if state.joined and state.org_url:
            self.where.setText(state.org_url)
        elif state.joined:  # linked by bundle files: no address to sync with online
            self.where.setText(
                "Bundle files only (no address saved). To sync online too, run "
                "amie-desktop org join URL (see docs/organisation.md)."
            )
        else:
            self.where.setText(
                "Not joined. To share workshops with the rest of the organisation, run "
                "amie-desktop org join URL (see docs/organisation.md)."
            )
        self.last.setText(short_date_time(state.last_sync_at) if state.last_sync_at else "Never")
        self.sync_now.setEnabled(bool(state.joined and state.org_url) and not self.busy)

    def _on_sync_now_clicked(self) -> None:
        if self.busy:
            return
        store = self._store

        def work(_progress: Progress) -> object:
            with sync.open_org(store) as org:
                return sync.sync(store, org)

        self.outcome.setText("Syncing with the organisation's database…")
        self.problem.setText("")
        self.sync_now.setEnabled(False)
        job = Job(work)
        job.signals.succeeded.connect(self._on_job_succeeded)
        job.signals.failed.connect(self._on_job_failed)
        self._job = job.start()

    def _on_job_succeeded(self, report: object) -> None:
        assert isinstance(report, sync.SyncReport)
        self._job = None
        self.outcome.setText(report.words())
        self.refresh()
        self.synced.emit(report.words())

    def _on_job_failed(self, text: str) -> None:
        self._job = None
        self.outcome.setText("")
        self.problem.setText(text)
        self.refresh()
