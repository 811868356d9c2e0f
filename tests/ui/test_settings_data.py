"""Settings > Data as an admin uses it: backups, restore, retention, a person's data, audit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QLabel, QScrollArea
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from amie_desktop.services import audit, backups, demo, organisation, privacy, workshops
from amie_desktop.store import Store
from amie_desktop.ui.main_window import FIRST_SIZE, MainWindow, window_settings
from amie_desktop.ui.settings import data_tab as data_tab_module
from amie_desktop.ui.settings.data_tab import DataTab
from amie_desktop.ui.settings.dialogs import AuditLogDialog, PinDialog, RetentionPreviewDialog
from tests.ui.conftest import clipped_labels, unnamed_controls
from tests.unit.services.test_backups import flip_bytes


@pytest.fixture
def admin_says_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Confirmations and the PIN are answered yes; the questions asked are recorded."""
    asked: list[str] = []

    def confirm(_parent: object, title: str, _text: str, _yes: str) -> bool:
        asked.append(title)
        return True

    def pin(_cls: object, _store: Store, action: str, _parent: object = None) -> bool:
        asked.append(f"PIN: {action}")
        return True

    monkeypatch.setattr(data_tab_module, "confirm", confirm)
    monkeypatch.setattr(PinDialog, "ask", classmethod(pin))
    return asked


def make_window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, window_settings(store.data_dir))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_section(window.section_titles().index("Settings"))
    window.settings_page.show_data_tab()
    return window


def run_and_wait(qtbot: QtBot, tab: DataTab, button: object) -> str:
    with qtbot.waitSignal(tab.job_finished, timeout=20_000) as finished:
        button.click()  # type: ignore[attr-defined]
    return str(finished.args[0])


def test_the_data_tab_lists_backups_and_every_control_is_named(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    backups.make_backup(demo_store, "automatic", now=datetime.now(UTC) - timedelta(minutes=30))
    backups.make_backup(demo_store, "start-up")
    window = make_window(qtbot, demo_store)
    window.resize(*FIRST_SIZE)  # the window's first size on a laptop (the test screen is smaller)
    tab = window.settings_page.data_tab
    assert window.settings_page.tabs.tabText(0) == "&Organisation"
    assert tab.backups_model.rowCount() == 2
    assert tab.backups_model.index(0, 1).data() == "When the app started"
    assert tab.backups_model.index(1, 1).data() == "Automatic, every 30 minutes"
    assert tab.retention_months.value() == 24
    assert "looked at a preview" in tab.retention_state.text()
    assert tab.folder_warning.isHidden()
    assert unnamed_controls(tab) == []
    window.grab().save(str(screenshot_dir / "settings-data.png"))
    for _ in range(6):
        window.change_text_size(1)
    qtbot.wait(100)  # let the menu bar and layouts settle at the new size
    window.grab().save(str(screenshot_dir / "settings-data-160pc-text.png"))
    # When, why and size all fit beside each other, with no sideways scrolling.
    assert not tab.backups_table.horizontalScrollBar().isVisible()
    area = tab.findChild(QScrollArea)
    assert area is not None
    scroll = area.verticalScrollBar()
    for place in (0, scroll.maximum() // 2, scroll.maximum()):
        scroll.setValue(place)
        assert clipped_labels(tab) == [], place  # large text wraps and scrolls, never cuts
    window.change_text_size(0)


def _access_keys(window: MainWindow) -> dict[str, list[str]]:
    """Every Alt+letter on screen (menus, tabs, buttons, labels), with what it belongs to."""
    texts = [a.text() for a in window.menuBar().actions()]
    tabs = window.settings_page.tabs
    texts += [tabs.tabText(i) for i in range(tabs.count())]
    texts += [
        w.text()
        for w in window.findChildren(QAbstractButton) + window.findChildren(QLabel)
        if w.isVisibleTo(window)
    ]
    keys: dict[str, list[str]] = {}
    for text in texts:
        found = re.search(r"&([^&])", text)
        if found:
            keys.setdefault(found.group(1).casefold(), []).append(text)
    return keys


def test_each_alt_key_on_the_data_tab_reaches_one_control(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    keys = _access_keys(window)
    assert {key: texts for key, texts in keys.items() if len(texts) > 1} == {}
    tab = window.settings_page.data_tab
    tab.back_up_now.setFocus()
    keys_and_fields = (
        (Qt.Key.Key_N, tab.person_search), (Qt.Key.Key_K, tab.retention_months),
    )  # fmt: skip
    for key, field in keys_and_fields:
        qtbot.keyClick(window.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(field.hasFocus)


def test_back_up_now_adds_a_checked_backup(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    tab = window.settings_page.data_tab
    said = run_and_wait(qtbot, tab, tab.back_up_now)
    assert said.startswith("Backup made and checked")
    assert tab.backups_model.rowCount() == 1 and tab.progress.isHidden()


def test_restoring_the_chosen_backup_brings_the_data_back(
    qtbot: QtBot, demo_store: Store, admin_says_yes: list[str]
) -> None:
    backups.make_backup(demo_store)
    organisation.rename(demo_store, "Renamed After The Backup")
    window = make_window(qtbot, demo_store)
    assert window.windowTitle().startswith("Renamed After The Backup")
    tab = window.settings_page.data_tab
    said = run_and_wait(qtbot, tab, tab.restore_selected)
    assert said.startswith("Restored") and "kept as" in said
    assert window.windowTitle().startswith(demo.DEMO_ORGANISATION)
    assert window.settings_page.name.text() == demo.DEMO_ORGANISATION
    assert admin_says_yes == ["Restore a backup", "PIN: Restoring a backup"]
    assert organisation.get_settings(demo_store).name == demo.DEMO_ORGANISATION  # type: ignore[union-attr]
    assert tab.backups_model.rowCount() == 2  # the safety copy made just before


def test_a_damaged_file_is_refused_before_anything_is_asked(
    qtbot: QtBot, demo_store: Store, admin_says_yes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = backups.make_backup(demo_store).backup.path
    flip_bytes(bad)
    monkeypatch.setattr(data_tab_module, "choose_open_file", lambda *_: bad)
    window = make_window(qtbot, demo_store)
    tab = window.settings_page.data_tab
    tab.restore_file.click()
    assert "damaged" in tab.problem.text() and "Nothing was changed" in tab.problem.text()
    assert admin_says_yes == []


def test_finding_and_erasing_a_person(
    qtbot: QtBot, demo_store: Store, admin_says_yes: list[str], screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    tab = window.settings_page.data_tab
    qtbot.keyClicks(tab.person_search, "lukasz")
    assert tab.people.count() == 1 and "Łukasz Wiśniewski" in tab.people.item(0).text()
    tab.erase.setFocus()
    qtbot.wait(50)  # let the layout settle before scrolling to the end
    area = tab.findChild(QScrollArea)
    assert area is not None
    area.ensureWidgetVisible(tab.show_audit)
    window.grab().save(str(screenshot_dir / "settings-data-people.png"))
    said = run_and_wait(qtbot, tab, tab.erase)
    assert said.startswith("Erased") and "backups" in said
    assert privacy.search_people(demo_store, "lukasz") == []
    assert "PIN: Erasing a person" in admin_says_yes
    assert tab.people.count() == 0


def test_person_buttons_look_unavailable_until_a_person_is_chosen(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    tab = window.settings_page.data_tab
    assert not tab.erase.isEnabled()
    unavailable = tab.erase.grab().toImage()
    qtbot.keyClicks(tab.person_search, "zoe")
    assert tab.erase.isEnabled()
    available = tab.erase.grab().toImage()
    assert unavailable != available  # a greyed-out button must not look like a live one
    middle = available.pixelColor(available.width() // 2, 2)
    assert unavailable.pixelColor(unavailable.width() // 2, 2) != middle


def test_withdrawing_quote_consent_from_the_tab(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    tab = window.settings_page.data_tab
    qtbot.keyClicks(tab.person_search, "zoe")
    tab.withdraw_quotes.click()
    text = tab.message.text()
    assert "Zoë Ó Briain" in text and ("no longer quoted" in text or "had not agreed" in text)
    tab.withdraw_quotes.click()
    assert "had not agreed" in tab.message.text()


def test_retention_preview_then_run(
    qtbot: QtBot,
    demo_store: Store,
    admin_says_yes: list[str],
    monkeypatch: pytest.MonkeyPatch,
    screenshot_dir: Path,
) -> None:
    window = make_window(qtbot, demo_store)
    tab = window.settings_page.data_tab
    tab.retention_months.setValue(1)
    tab.retention_months.editingFinished.emit()
    assert privacy.preview_retention(demo_store).months == 1
    shown: list[int] = []

    def look(_cls: object, preview: privacy.RetentionPreview, parent: object = None) -> bool:
        dialog = RetentionPreviewDialog(preview)
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed_controls(dialog) == []
        dialog.grab().save(str(screenshot_dir / "settings-retention-preview.png"))
        shown.append(dialog.model.rowCount())
        return True

    monkeypatch.setattr(RetentionPreviewDialog, "ask", classmethod(look))
    said = run_and_wait(qtbot, tab, tab.preview)
    assert shown and shown[0] > 0
    assert said.startswith(f"Anonymised {shown[0]} register place")
    assert "Runs by itself" in tab.retention_state.text()
    assert privacy.preview_retention(demo_store).items == ()


def test_the_pin_guards_the_audit_log(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    dialog = PinDialog(demo_store, "The audit log")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    qtbot.keyClicks(dialog.pin, "9999")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "not right" in dialog.problem.text() and dialog.isVisible()
    dialog.pin.clear()
    qtbot.keyClicks(dialog.pin, demo.DEMO_PIN)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)

    log = AuditLogDialog(demo_store)
    qtbot.addWidget(log)
    log.show()
    actions = [log.model.index(r, 1).data() for r in range(log.model.rowCount())]
    assert actions[0] == "wrong PIN"
    assert len(actions) == len(audit.recent(demo_store, 1000))
    log.grab().save(str(screenshot_dir / "settings-audit-log.png"))


def test_a_read_only_folder_keeps_what_was_typed_on_screen(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    window.settings_page.tabs.setCurrentIndex(0)
    event.listen(demo_store.engine, "connect", lambda c, _r: c.execute("PRAGMA query_only = ON"))
    demo_store.engine.dispose()
    field = window.settings_page.name
    field.selectAll()
    qtbot.keyClicks(field, "Harbour Arts Trust")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "cannot be written to" in window.settings_page.problem.text()
    assert field.text() == "Harbour Arts Trust"
    assert window.isVisible()
    assert len(workshops.list_workshops(demo_store)) == 6


def test_a_data_folder_inside_dropbox_gets_a_warning(qtbot: QtBot, tmp_path: Path) -> None:
    from amie_desktop.store import open_store

    store = open_store(tmp_path / "Dropbox" / "AMIE")
    try:
        organisation.set_up(store, "Harbour Arts", "2468", "2468")
        tab = DataTab(store)
        qtbot.addWidget(tab)
        tab.show()
        tab.refresh()
        assert tab.folder_warning.isVisible()
        assert "inside Dropbox" in tab.folder_warning.text()
    finally:
        store.close()
