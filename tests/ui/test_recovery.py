"""Start-up after damage: the plain message, the offer of a backup, and automatic backups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from amie_desktop.services import audit, backups, organisation, workshops
from amie_desktop.store import DamagedDatabaseError, Store, open_store
from amie_desktop.ui import application
from amie_desktop.ui.backup_scheduler import BackupScheduler
from amie_desktop.ui.recovery import RecoveryChoice, RecoveryDialog
from tests.ui.conftest import unnamed_controls
from tests.unit.services.test_backups import flip_bytes


def damage(demo_store: Store, tmp_path: Path) -> tuple[Path, DamagedDatabaseError]:
    backups.make_backup(demo_store)
    demo_store.close()
    folder = tmp_path / "copy"
    shutil.copytree(demo_store.data_dir, folder)
    flip_bytes(folder / "amie.sqlite3")
    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(folder)
    return folder, caught.value


def test_the_recovery_message_says_what_happened_and_offers_the_backup(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, screenshot_dir: Path
) -> None:
    folder, error = damage(demo_store, tmp_path)
    newest = backups.newest_good_backup(folder)
    dialog = RecoveryDialog(error.moved_to, newest)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.message.text()
    assert "moved aside" in text and str(error.moved_to) in text
    assert "newest good backup was made" in text
    assert dialog.restore_newest.isVisible() and dialog.restore_newest.isDefault()
    assert unnamed_controls(dialog) == []
    dialog.grab().save(str(screenshot_dir / "recovery-message.png"))
    dialog.restore_newest.click()
    assert dialog.choice is RecoveryChoice.RESTORE_NEWEST


def test_with_no_backup_the_message_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RecoveryDialog(tmp_path / "amie-damaged.sqlite3", None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "No good backup" in dialog.message.text()
    assert not dialog.restore_newest.isVisible()


def test_choosing_the_backup_brings_the_workshops_back(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, error = damage(demo_store, tmp_path)
    newest = backups.newest_good_backup(folder)
    assert newest is not None
    monkeypatch.setattr(
        RecoveryDialog,
        "ask",
        classmethod(lambda cls, *a: (RecoveryChoice.RESTORE_NEWEST, newest.path)),
    )
    store = application._recover(lambda: open_store(folder), error)
    assert store is not None
    try:
        assert len(workshops.list_workshops(store)) == 6
        assert audit.recent(store, 1)[0].action == "damaged database moved aside"
    finally:
        store.close()
    assert error.moved_to.exists()


def test_quitting_the_message_offers_the_backup_again_at_the_next_start(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, error = damage(demo_store, tmp_path)
    asked: list[Path] = []

    def ask(_cls: object, moved_to: Path, newest: backups.Backup | None) -> tuple[object, object]:
        asked.append(moved_to)
        if len(asked) == 1:
            return RecoveryChoice.QUIT, None
        assert newest is not None
        return RecoveryChoice.RESTORE_NEWEST, newest.path

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(ask))
    assert application._recover(lambda: open_store(folder), error) is None
    # The next start finds no database, so a new, empty one is made: the way back is offered
    # again, before set-up could begin on it as if nothing had happened.
    store = application._resume_recovery(open_store(folder))
    assert store is not None
    try:
        assert asked == [error.moved_to, error.moved_to]
        assert len(workshops.list_workshops(store)) == 6
        actions = [entry.action for entry in audit.recent(store, 2)]
        assert actions == ["damaged database moved aside", "database restored"]
    finally:
        store.close()

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda *_: pytest.fail("asked")))
    again = application._resume_recovery(open_store(folder))
    assert again is not None
    again.close()


def test_after_choosing_an_empty_database_the_message_is_not_shown_again(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, error = damage(demo_store, tmp_path)
    monkeypatch.setattr(
        RecoveryDialog, "ask", classmethod(lambda *_: (RecoveryChoice.START_EMPTY, None))
    )
    store = application._recover(lambda: open_store(folder), error)
    assert store is not None
    store.close()
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda *_: pytest.fail("asked")))
    again = application._resume_recovery(open_store(folder))
    assert again is not None
    try:
        assert organisation.get_settings(again) is None  # set-up comes next, as chosen
    finally:
        again.close()


def test_automatic_backups_only_run_when_data_changed(qtbot: QtBot, demo_store: Store) -> None:
    scheduler = BackupScheduler(demo_store)
    with qtbot.waitSignal(scheduler.backup_made, timeout=10_000) as made:
        scheduler.start()
    assert "when the app started" in str(made.args[0])
    count = len(backups.backups(demo_store))

    scheduler.timer.timeout.emit()  # thirty minutes later, nothing changed
    qtbot.wait(200)
    assert len(backups.backups(demo_store)) == count and not scheduler.busy

    organisation.rename(demo_store, "Changed Name")
    with qtbot.waitSignal(scheduler.backup_made, timeout=10_000):
        scheduler.timer.timeout.emit()
    assert len(backups.backups(demo_store)) == count + 1
    assert scheduler.timer.interval() == 30 * 60 * 1000
