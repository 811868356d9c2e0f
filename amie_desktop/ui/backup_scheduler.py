"""Automatic backups: one at start-up, then every 30 minutes while data has changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from amie_desktop.services import backups
from amie_desktop.services.backups import BackupResult
from amie_desktop.store import BACKUPS, Changes, Store
from amie_desktop.ui.jobs import Job, Progress, running_jobs

INTERVAL_MS = 30 * 60 * 1000
# The start-up backup waits until the window has been drawn, so it does not slow the start.
# (A backup before a migration is made earlier still, as the database is opened.)
START_UP_DELAY_MS = 2000


class BackupScheduler(QObject):
    """Makes backups off the GUI thread; says what happened through its signals."""

    backup_made = Signal(str)
    backup_failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._backed_up_at: int | None = None
        self._commits_at_start = 0
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """Make the start-up backup in a moment, then check every 30 minutes."""
        self.timer.start()
        QTimer.singleShot(START_UP_DELAY_MS, self, lambda: self.back_up("start-up"))

    @property
    def busy(self) -> bool:
        return running_jobs().busy(self)

    def _on_timer_timeout(self) -> None:
        if self._store.commits != self._backed_up_at:
            self.back_up("automatic")

    def back_up(self, reason: str) -> None:
        if self.busy or self._store.database_path is None:
            return
        self._commits_at_start = self._store.commits
        store = self._store

        def work(progress: Progress) -> BackupResult:
            result = backups.make_backup(store, reason, progress)
            if reason == "start-up":  # the retention rule runs at start-up, after the backup
                from amie_desktop.services import privacy  # not needed to draw the window

                privacy.run_retention_if_due(store)
            return result

        job = Job(work)
        job.signals.succeeded.connect(self._on_job_succeeded)
        job.signals.failed.connect(self.backup_failed)
        job.start(self)

    def _on_job_succeeded(self, result: object) -> None:
        assert isinstance(result, BackupResult)
        self._backed_up_at = self._commits_at_start
        self._store.changes.publish(Changes.of(BACKUPS))  # a page listing backups shows it
        message = f"Backup made and checked ({result.backup.describe_reason})."
        if result.second_copy_problem:
            message += " " + result.second_copy_problem
        self.backup_made.emit(message)
