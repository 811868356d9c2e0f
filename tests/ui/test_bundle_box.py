"""Settings > Organisation: a laptop's changes go to the office in a file and come back, off
the GUI thread, with a plain summary; a wrong passphrase is one plain sentence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from amie_desktop.services import sync, workshops
from amie_desktop.store import Store, open_store
from amie_desktop.ui.settings.page import SettingsPage

PASSPHRASE = "blue kettle marching north"


def _page(qtbot: QtBot, store: Store) -> SettingsPage:
    page = SettingsPage(store)
    qtbot.addWidget(page)
    page.resize(900, 1100)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "office")
    yield store
    store.close()


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The file dialogs answer with `path`, as if the trainer had picked it."""
    picked = (str(path), "")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: picked)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: picked)


def _run(qtbot: QtBot, page: SettingsPage, button: str, passphrase: str) -> None:
    box = page.bundle_box
    box.passphrase.setFocus()
    qtbot.keyClicks(box.passphrase, passphrase)
    clicked = box.export_button if button == "export" else box.import_button
    qtbot.mouseClick(clicked, Qt.MouseButton.LeftButton)
    assert not box.export_button.isEnabled() and not box.import_button.isEnabled()
    qtbot.waitUntil(lambda: box.export_button.isEnabled(), timeout=120_000)


def test_a_laptops_changes_reach_the_office_by_file_and_its_letter_comes_back(
    qtbot: QtBot,
    demo_store: Store,
    office: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot_dir: Path,
) -> None:
    laptop_page = _page(qtbot, demo_store)
    box = laptop_page.bundle_box
    assert box.passphrase.echoMode() == box.passphrase.EchoMode.Password
    assert box.laptop.isHidden()  # a laptop's file always goes to the office
    to_office = tmp_path / "usb" / "ruth.amiebundle"
    to_office.parent.mkdir()
    _choose(monkeypatch, to_office)

    _run(qtbot, laptop_page, "export", PASSPHRASE)
    assert box.problem.text() == ""
    assert box.outcome.text().startswith("Wrote ") and "Take it to the office" in box.outcome.text()
    assert box.passphrase.text() == "" and to_office.is_file()
    assert PASSPHRASE not in box.outcome.text()

    office_page = _page(qtbot, office)
    office_box = office_page.bundle_box
    _run(qtbot, office_page, "import", PASSPHRASE)
    assert office_box.outcome.text().startswith("Imported ")
    assert len(workshops.list_workshops(office)) == 6
    # Now the office knows the laptop, and makes files for it (or for every laptop).
    assert not office_box.laptop.isHidden()
    assert [office_box.laptop.itemText(i) for i in range(office_box.laptop.count())] == [
        "A", "Every laptop"
    ]  # fmt: skip
    office_page.grab().save(str(screenshot_dir / "settings-bundle-office.png"))

    back = tmp_path / "usb" / "for-ruth.amiebundle"
    _choose(monkeypatch, back)
    _run(qtbot, office_page, "export", PASSPHRASE)
    assert "Import it on laptop A" in office_box.outcome.text()
    _run(qtbot, laptop_page, "import", PASSPHRASE)
    assert box.outcome.text().startswith("Nothing new")
    assert box.outcome.text().endswith("now numbered CPD-YEAR-A-NNNNNN.")
    assert sync.status(demo_store).serial_prefix == "A"
    laptop_page.grab().save(str(screenshot_dir / "settings-bundle-laptop.png"))
    # Reopened, the laptop says it is linked by files, and offers no Sync now without an address.
    reopened = _page(qtbot, demo_store)
    assert reopened.sync_box.where.text().startswith("Bundle files only")
    assert not reopened.sync_box.sync_now.isEnabled()


def test_a_wrong_passphrase_or_none_is_said_plainly_and_nothing_is_imported(
    qtbot: QtBot,
    demo_store: Store,
    office: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "ruth.amiebundle"
    _choose(monkeypatch, path)
    laptop_page = _page(qtbot, demo_store)
    _run(qtbot, laptop_page, "export", PASSPHRASE)
    laptop_page.close()

    office_page = _page(qtbot, office)
    office_page.activateWindow()
    box = office_page.bundle_box
    qtbot.mouseClick(box.import_button, Qt.MouseButton.LeftButton)  # no passphrase typed
    assert box.problem.text() == "Type the file's passphrase first."
    qtbot.waitUntil(box.passphrase.hasFocus)

    _run(qtbot, office_page, "import", "blue kettle marching south")
    assert box.problem.text().startswith("That passphrase does not open ruth.amiebundle.")
    assert box.outcome.text() == "" and workshops.list_workshops(office) == []
    assert box.passphrase.text() == "blue kettle marching south"  # kept, to correct a typo
