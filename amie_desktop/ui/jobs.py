"""Background jobs: long work (backups, restores, exports) off the GUI thread, with Cancel.

Every job is started through the registry (`Job.start()`), which holds it until it has
reported back: nobody keeps a Job alive by hand, and a page asks the registry whether work it
started is still running (`running_jobs().busy(self)`) or cancels it (`.cancel(self)`).

Cancelling follows one rule for every service: the work's progress(done, total) raises
`Cancelled` (services/errors.py), or a subclass that says what was kept, once Cancel has
been pressed.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from amie_desktop.services.errors import Cancelled, UserError
from amie_desktop.services.progress import Progress

__all__ = ["Cancelled", "Job", "Progress", "ProgressThrottle", "running_jobs"]

log = logging.getLogger(__name__)


_held = 0
_held_lock = threading.Lock()
_thresholds = gc.get_threshold()
# While work runs, only the young generations are collected. A full collection cannot be
# interrupted, and one over the objects a big job keeps alive (thousands of rows and their
# records) held the window up for 60-100 ms; leftovers wait until the work has finished.
HELD_OLDEST_THRESHOLD = 1_000_000


def hold_collections() -> None:
    """Keep the garbage collector off everything that exists now, while background work runs.

    A full collection scans every tracked object while holding the GIL, so a worker that
    allocates fast can stall the window for hundreds of milliseconds. Frozen objects are
    skipped, and full collections wait, so collections only scan what the work itself has
    just made. Call on the GUI thread as the work is started; release_collections() undoes it
    when the last work has finished.
    """
    global _held, _thresholds
    with _held_lock:
        _held += 1
        if _held == 1:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], HELD_OLDEST_THRESHOLD)
            gc.freeze()


def release_collections() -> None:
    """The pair of hold_collections(): the last one to finish lets garbage be collected again."""
    global _held
    with _held_lock:
        _held = max(0, _held - 1)
        if _held == 0:
            gc.unfreeze()
            gc.set_threshold(*_thresholds)


# How often background work tells the window how far it has got. A signal for every row or
# certificate floods the window's queue faster than it can redraw, and the window then sits
# catching up long after the work is done.
PROGRESS_EVERY_S = 0.05


class ProgressThrottle:
    """Passes progress on at most every PROGRESS_EVERY_S, and always the first and last."""

    def __init__(self, emit: Callable[[int, int], None]) -> None:
        self._emit = emit
        self._last = -PROGRESS_EVERY_S

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total <= 0 or done >= total or now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            self._emit(done, total)


class JobSignals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal(object)  # the Job, after everything else: the registry lets it go


class Job:
    """Runs work(progress) on the thread pool; progress raises Cancelled after cancel().

    Whatever happens, the window hears of it: succeeded with the result, cancelled, or
    failed with a plain message. Subclasses change the words, not the handling.
    """

    unexpected_message = (
        "Something unexpected went wrong, and this was not finished. What was saved before "
        "is safe. Please try again; if it keeps happening, the details are in the log file in "
        "the data folder."
    )

    def __init__(self, work: Callable[[Progress], object]) -> None:
        self.signals = JobSignals()
        self._work = work
        self._cancelled = threading.Event()
        self._report = ProgressThrottle(self.signals.progressed.emit)
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def cancellation(self) -> Cancelled:
        """What progress raises after Cancel."""
        return Cancelled("Cancelled. Nothing was changed.")

    def report_cancelled(self, exc: Exception) -> None:
        """Say the work stopped for Cancel: by default as a failure, in the exception's words."""
        self.signals.failed.emit(str(exc))

    def file_problem(self, exc: OSError) -> str:
        return str(exc)

    def _progress(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise self.cancellation()
        self._report(done, total)

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError:
            # The window that started the work closed while it ran (the app is quitting):
            # its signals are gone and there is nobody left to tell.
            log.info("background job finished after its window had closed")
        finally:
            release_collections()
            self.done.set()
            with contextlib.suppress(RuntimeError):  # see above: the app is quitting
                self.signals.finished.emit(self)

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled as exc:
            self.report_cancelled(exc)
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except OSError as exc:
            self.signals.failed.emit(self.file_problem(exc))
        except Exception:  # the window must hear of it and stay usable
            log.exception("background job failed")
            self.signals.failed.emit(self.unexpected_message)
        else:
            self.signals.succeeded.emit(result)

    def start(self, owner: object = None) -> Job:
        """Run on the thread pool, held by the registry until it has reported back.

        owner (usually the widget that started it) can later ask whether it is still busy or
        cancel it, through running_jobs().
        """
        return running_jobs().start(self, owner)


class JobRegistry(QObject):
    """Owns every running job: holds it until it has reported back, then lets it go.

    Lives on the window's thread. A job runs as a plain callable on Qt's thread pool (a
    QRunnable handed to PySide's pool would be kept alive for ever); its signals belong to
    the registry while it runs and are deleted here, on the window's thread, once the job has
    said it has finished (a queued signal), whichever thread lets the Job itself go last.
    """

    def __init__(self) -> None:
        super().__init__()
        self._running: dict[Job, object] = {}

    def start(self, job: Job, owner: object = None) -> Job:
        self._running[job] = owner
        job.signals.setParent(self)
        job.signals.finished.connect(self._on_job_finished)
        hold_collections()  # collections are held until it has finished
        QThreadPool.globalInstance().start(job.run)
        return job

    def _on_job_finished(self, job: object) -> None:
        assert isinstance(job, Job)
        self._running.pop(job, None)
        job.signals.deleteLater()  # after every signal it sent has been delivered

    def running(self, owner: object = None) -> list[Job]:
        """The jobs not yet finished: all of them, or those started by owner."""
        return [
            job
            for job, started_by in self._running.items()
            if not job.done.is_set() and (owner is None or started_by is owner)
        ]

    def busy(self, owner: object = None) -> bool:
        return bool(self.running(owner))

    def cancel(self, owner: object = None) -> None:
        """Press Cancel on every running job (of owner); each reports back as it stops."""
        for job in self.running(owner):
            job.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for every job to finish (the app is quitting); False if time ran out."""
        return QThreadPool.globalInstance().waitForDone(timeout_ms)


_registry: JobRegistry | None = None


def running_jobs() -> JobRegistry:
    """The one registry of the app's jobs (made on the window's thread on first use)."""
    global _registry
    if _registry is None:
        _registry = JobRegistry()
    return _registry
