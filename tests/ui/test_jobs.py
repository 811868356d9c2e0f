"""Background jobs: results reach the window, and garbage is collectable again afterwards."""

from __future__ import annotations

import gc
import threading

import pytest
from pytestqt.qtbot import QtBot

from amie_desktop.ui.jobs import Job, Progress, running_jobs


def test_a_job_freezes_the_collector_while_it_runs_and_releases_it_after(qtbot: QtBot) -> None:
    # Frozen objects are never collected: if a job left them frozen, every export would keep
    # its leftovers for as long as the app stays open.
    may_finish = threading.Event()
    seen_while_running: list[int] = []

    def work(progress: Progress) -> str:
        seen_while_running.append(gc.get_freeze_count())
        may_finish.wait(10)
        return "done"

    before = gc.get_threshold()
    job = Job(work)
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000) as finished:
        job.start()
        qtbot.waitUntil(lambda: bool(seen_while_running))
        assert gc.get_threshold()[2] > before[2]  # no full collection while it runs
        may_finish.set()
    assert finished.args == ["done"]
    assert seen_while_running[0] > 0
    assert job.done.wait(5)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before  # full collections are allowed again


def test_a_failing_job_reports_in_plain_words_and_still_releases_the_collector(
    qtbot: QtBot,
) -> None:
    def work(progress: Progress) -> None:
        raise OSError(28, "No space left on device")

    job = Job(work)
    with qtbot.waitSignal(job.signals.failed, timeout=10_000) as failed:
        job.start()
    assert "No space left on device" in failed.args[0]
    assert job.done.wait(5)
    assert gc.get_freeze_count() == 0


def test_progress_reaches_the_window_in_step_not_as_a_flood(qtbot: QtBot) -> None:
    # A signal per row would queue thousands of redraws, and the window would sit catching up
    # after the work had finished; it hears a few, and always the last.
    def work(progress: Progress) -> str:
        for done in range(1, 20_001):
            progress(done, 20_000)
        return "done"

    job = Job(work)
    heard: list[tuple[int, int]] = []
    job.signals.progressed.connect(lambda done, total: heard.append((done, total)))
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000):
        job.start()
    qtbot.waitUntil(lambda: bool(heard) and heard[-1] == (20_000, 20_000))
    assert len(heard) < 200


def test_an_export_that_fails_unexpectedly_says_so_and_a_cancelled_one_says_cancelled(
    qtbot: QtBot,
) -> None:
    from amie_desktop.ui.exports.worker import ExportRunner

    def broken(progress: Progress) -> str:
        raise RuntimeError("a bug")

    runner = ExportRunner(broken)
    with qtbot.waitSignal(runner.signals.failed, timeout=10_000) as failed:
        runner.start()
    assert "the export was not finished" in failed.args[0]
    assert "a bug" not in failed.args[0]  # details go to the log, not the screen

    def long(progress: Progress) -> str:
        for done in range(1, 1_000_000):
            progress(done, 1_000_000)
        return "finished"

    runner = ExportRunner(long)
    with qtbot.waitSignal(runner.signals.cancelled, timeout=10_000):
        runner.start()
        runner.cancel()
    assert runner.done.wait(5)


def test_work_that_outlives_its_window_finishes_quietly(
    qtbot: QtBot, capfd: pytest.CaptureFixture[str]
) -> None:
    # Quitting while a backup runs: the window (and the job's signals) go first; the work
    # still ends cleanly, collections come back, and nothing is printed as an error.
    import shiboken6

    may_finish = threading.Event()

    def work(progress: Progress) -> str:
        may_finish.wait(10)
        return "done"

    job = Job(work)
    job.start()
    shiboken6.delete(job.signals)
    may_finish.set()
    assert job.done.wait(5)
    assert gc.get_freeze_count() == 0
    assert "Error calling Python override" not in capfd.readouterr().err


def test_a_job_nobody_keeps_still_reports_back_and_is_let_go_after(qtbot: QtBot) -> None:
    # The registry owns running jobs: a page starts one and keeps no reference to it.
    import weakref

    may_finish = threading.Event()
    heard: list[object] = []
    owner = object()

    def work(progress: Progress) -> str:
        may_finish.wait(10)
        return "done"

    job = Job(work)
    job.signals.succeeded.connect(heard.append)
    gone = weakref.ref(job)
    job.start(owner)
    del job
    gc.collect()
    assert gone() is not None and running_jobs().busy(owner)
    may_finish.set()
    qtbot.waitUntil(lambda: heard == ["done"], timeout=10_000)
    assert not running_jobs().busy(owner)

    def let_go() -> bool:
        gc.collect()
        return gone() is None

    qtbot.waitUntil(let_go)  # finished and let go: nothing holds its results any longer


def test_cancel_stops_only_the_work_of_the_one_who_asked(qtbot: QtBot) -> None:
    mine, theirs = object(), object()
    stop_theirs = threading.Event()

    def long(progress: Progress) -> str:
        for done in range(1, 10_000_000):
            progress(done, 10_000_000)
            if stop_theirs.is_set():
                return "theirs finished"
        return "never"

    first, second = Job(long), Job(long)
    outcomes: list[str] = []
    first.signals.failed.connect(outcomes.append)
    second.signals.succeeded.connect(outcomes.append)
    first.start(mine)
    second.start(theirs)
    running_jobs().cancel(mine)
    qtbot.waitUntil(lambda: outcomes == ["Cancelled. Nothing was changed."], timeout=10_000)
    # The registry lets go of a job when its thread ends, just after it reports.
    qtbot.waitUntil(lambda: not running_jobs().busy(mine), timeout=10_000)
    assert running_jobs().busy(theirs) and not running_jobs().busy(mine)
    stop_theirs.set()
    qtbot.waitUntil(lambda: "theirs finished" in outcomes, timeout=10_000)


def test_a_service_stopped_by_cancel_is_told_as_cancelled_whatever_it_names(
    qtbot: QtBot,
) -> None:
    # One rule for services: progress raises Cancelled (or a subclass saying what was kept).
    from amie_desktop.services.exports import ExportCancelled
    from amie_desktop.services.register_import import ImportCancelled

    for cancelled in (ExportCancelled("Export stopped."), ImportCancelled("Nobody was added.")):

        def work(progress: Progress, cancelled: Exception = cancelled) -> str:
            raise cancelled

        job = Job(work)
        with qtbot.waitSignal(job.signals.failed, timeout=10_000) as failed:
            job.start()
        assert failed.args == [str(cancelled)]
