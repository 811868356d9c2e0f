"""Background jobs: results reach the window, and garbage is collectable again afterwards."""

from __future__ import annotations

import gc
import threading

import pytest
from pytestqt.qtbot import QtBot

from amie_desktop.ui.jobs import Job, Progress


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
