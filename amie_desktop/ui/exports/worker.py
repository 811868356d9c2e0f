"""Background jobs for long exports: progress, Cancel, and results back on the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from amie_desktop.services.errors import UserError
from amie_desktop.services.exports import ExportCancelled
from amie_desktop.ui.jobs import ProgressThrottle, hold_collections, release_collections

log = logging.getLogger(__name__)

# A job gets a progress function, progress(done, total), which raises ExportCancelled after
# Cancel; it returns the message to show when it has finished.
Job = Callable[[Callable[[int, int], None]], str]


class JobSignals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()


class ExportRunner(QRunnable):
    """Runs one job on the thread pool; signals arrive on the GUI thread (queued)."""

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self._job = job
        self._stop = threading.Event()
        self._report = ProgressThrottle(self.signals.progressed.emit)

    def cancel(self) -> None:
        self._stop.set()

    def _progress(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise ExportCancelled("The export was cancelled. Files already finished are kept.")
        self._report(done, total)

    def start(self) -> ExportRunner:
        """Run on the thread pool, with collections held until it has finished."""
        hold_collections()
        QThreadPool.globalInstance().start(self)
        return self

    def run(self) -> None:
        try:
            message = self._job(self._progress)
        except ExportCancelled:
            self.signals.cancelled.emit()
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except OSError as exc:
            self.signals.failed.emit(
                f"The files could not be written ({exc.strerror or exc}). Earlier files of the "
                "same name are unchanged."
            )
        except Exception:  # the window must hear of it and stay usable
            log.exception("export failed")
            self.signals.failed.emit(
                "Something unexpected went wrong, and the export was not finished. Earlier "
                "files of the same name are unchanged. Please try again; if it keeps happening, "
                "the details are in the log file in the data folder."
            )
        else:
            self.signals.succeeded.emit(message)
        finally:
            release_collections()
