"""Settings shows and exports the public key; Check a certificate can revoke one."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from amie_desktop.app import main
from amie_desktop.services import certificates, exports
from amie_desktop.store import Store
from amie_desktop.ui.exports import check_dialog
from amie_desktop.ui.exports.check_dialog import CheckCertificateDialog
from amie_desktop.ui.settings.page import SettingsPage
from tests.ui.conftest import unnamed_controls


def _grouped(public_key_b64: str) -> str:
    """The fingerprint as people read it, worked out here from the key itself."""
    raw = base64.urlsafe_b64decode(public_key_b64 + "=" * (-len(public_key_b64) % 4))
    digest = hashlib.sha256(raw).hexdigest()[:32].upper()
    return " ".join(digest[n : n + 4] for n in range(0, 32, 4))


def test_settings_shows_the_fingerprint_and_saves_the_key_as_file_and_qr(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, screenshot_dir: Path
) -> None:
    page = SettingsPage(demo_store)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.refresh()
    page.show()
    qtbot.waitExposed(page)
    assert unnamed_controls(page) == []
    page.grab().save(str(screenshot_dir / "settings-signing-key.png"))

    key_file = tmp_path / "key.json"
    with qtbot.waitSignal(page.status_changed) as said:
        page.save_key_file_to(key_file)
    assert said.args == [f"Public key file saved to {key_file}."]
    published = json.loads(key_file.read_text(encoding="utf-8"))
    assert published["organisation"] == "Northfield Music Education Hub (demo)"
    assert page.fingerprint.text() == _grouped(published["public_key"])

    picture = tmp_path / "key.png"
    page.save_key_qr_to(picture)
    (found,) = zxingcpp.read_barcodes(Image.open(picture))
    assert page.fingerprint.text() in found.text
    assert published["public_key"] in found.text

    # The file checks a certificate on a computer with no data at all.
    exports.export_certificates(demo_store, 1, out_dir=tmp_path / "out")
    page.save_key_file_to(key_file)
    pdf = sorted((tmp_path / "out").glob("*.pdf"))[0]
    demo_store.close()
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "verify", str(pdf), "--public-key", str(key_file)]) == 0


def test_a_key_file_that_cannot_be_written_is_one_plain_message(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = SettingsPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    page.save_key_file_to(tmp_path / "no such folder" / "key.json")
    assert page.key_problem.text() == f"The folder {tmp_path / 'no such folder'} does not exist."


def test_check_dialog_revokes_with_a_reason(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports.export_certificates(demo_store, 1, out_dir=tmp_path)
    record = certificates.certificates_for(demo_store, 1)[0]
    dialog = CheckCertificateDialog(demo_store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.revoke.isEnabled()  # nothing checked yet
    qtbot.keyClicks(dialog.code, record.check_code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.revoke.isEnabled()

    monkeypatch.setattr(check_dialog.RevokeDialog, "ask", classmethod(lambda cls, s, p: None))
    dialog.revoke.click()  # cancelled: nothing changes
    assert certificates.verify(demo_store, record.check_code).genuine

    answer = classmethod(lambda cls, s, p: "Issued to the wrong person")
    monkeypatch.setattr(check_dialog.RevokeDialog, "ask", answer)
    dialog.revoke.click()
    assert dialog.outcome.text().startswith(f"Revoked: certificate {record.serial}")
    assert dialog.outcome.text().endswith("The reason given: Issued to the wrong person")
    assert dialog.outcome.property("role") == "warning" and not dialog.revoke.isEnabled()
    assert not certificates.verify(demo_store, record.check_code).genuine


def test_the_revoke_dialog_wants_a_reason(qtbot: QtBot, screenshot_dir: Path) -> None:
    dialog = check_dialog.RevokeDialog("CPD-2026-000001")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.problem.text() == "Please give a reason: it is shown to whoever checks it."
    qtbot.keyClicks(dialog.reason, "Did not attend")
    dialog.grab().save(str(screenshot_dir / "revoke-certificate.png"))
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
