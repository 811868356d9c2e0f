"""A locked copy of the organisation's key: the laptop that holds it can be lost, and the
organisation can still endorse its next laptop."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.services import audit, keys
from amie_desktop.store import Store
from tests.reports.helpers import workshop_with

PASSPHRASE = "violas at dawn, twice"


@pytest.fixture
def signed(store: Store, tmp_path: Path) -> Path:
    """An organisation whose laptop has signed certificates (so it holds the key), and the
    passphrase in a file, as a script gives it."""
    workshop_with(store, ("Olga Ivanova",))
    keys.export_public_key(store, tmp_path / "before.json")
    given = tmp_path / "passphrase.txt"
    given.write_text(f"{PASSPHRASE}\n", encoding="utf-8")
    return given


def _key_file(store: Store) -> Path:
    return store.data_dir / keys.KEYS_FOLDER / keys.ORGANISATION_KEY_FILE


def test_the_key_is_copied_locked_and_put_back_after_the_laptop_is_lost(
    store: Store, signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "usb" / "organisation-key.pem"
    copy.parent.mkdir()
    assert main(["org", "backup-key", "--out", str(copy), "--passphrase-file", str(signed)]) == 0
    said = capsys.readouterr().out
    fingerprint = keys.public_key(store).fingerprint
    assert f"fingerprint {fingerprint}" in said
    written = copy.read_bytes()
    assert written.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert _key_file(store).read_bytes() not in written  # locked, not the key as it lies
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600

    # The laptop is lost: its key file with it.
    original = _key_file(store).read_bytes()
    _key_file(store).unlink()
    request = tmp_path / "new-laptop.json"
    assert main(["--data-dir", str(tmp_path / "new laptop"), "org", "laptop-key", "--out",
                 str(request)]) == 0  # fmt: skip
    assert main(["org", "endorse-laptop", str(request)]) == 1
    assert "Only the laptop that holds the organisation's key" in capsys.readouterr().err

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("violas at dusk, twice\n", encoding="utf-8")
    assert main(["org", "restore-key", str(copy), "--passphrase-file", str(wrong)]) == 1
    assert "cannot be opened with that passphrase" in capsys.readouterr().err
    assert not _key_file(store).exists()

    assert main(["org", "restore-key", str(copy), "--passphrase-file", str(signed)]) == 0
    assert f"fingerprint {fingerprint}" in capsys.readouterr().out
    assert _key_file(store).read_bytes() == original
    assert stat.S_IMODE(_key_file(store).stat().st_mode) == 0o600
    assert main(["org", "endorse-laptop", str(request)]) == 0  # it vouches for laptops again
    done = [event.action for event in audit.recent(store)]
    assert "organisation signing key backed up" in done
    assert "organisation signing key put back" in done


def test_another_organisation_s_key_is_not_put_back(
    store: Store, signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    other = ["--data-dir", str(tmp_path / "other")]
    theirs = tmp_path / "theirs.pem"
    with monkeypatch.context() as other_laptop:
        other_laptop.delenv("AMIE_DATABASE_URL", raising=False)  # its own file, not ours
        assert main([*other, "demo"]) == 0
        assert main([*other, "export", "certificates", "1", "--out", str(tmp_path / "o")]) == 0
        assert main([*other, "org", "backup-key", "--out", str(theirs), "--passphrase-file",
                     str(signed)]) == 0  # fmt: skip
    mine = _key_file(store).read_bytes()
    capsys.readouterr()
    assert main(["org", "restore-key", str(theirs), "--passphrase-file", str(signed)]) == 1
    said = capsys.readouterr().err
    assert "That is not this organisation's key" in said and "Nothing was changed" in said
    assert _key_file(store).read_bytes() == mine


def test_a_short_passphrase_or_a_laptop_without_the_key_writes_nothing(
    store: Store, signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short = tmp_path / "short.txt"
    short.write_text("1234\n", encoding="utf-8")
    copy = tmp_path / "copy.pem"
    assert main(["org", "backup-key", "--out", str(copy), "--passphrase-file", str(short)]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    _key_file(store).unlink()
    assert main(["org", "backup-key", "--out", str(copy), "--passphrase-file", str(signed)]) == 1
    assert "does not hold the organisation's key" in capsys.readouterr().err
    assert not copy.exists()
