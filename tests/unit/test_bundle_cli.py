"""`amie-desktop bundle export|import` as a trainer and the office run them."""

from __future__ import annotations

import getpass
import io
import json
from pathlib import Path

import pytest

from amie_desktop.app import main

PASSPHRASE = "seven silver otters"


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def _workshop_count(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> int:
    assert main(["--data-dir", str(data_dir), "workshops", "--json"]) == 0
    return len(json.loads(capsys.readouterr().out))


def test_a_laptops_work_reaches_the_office_by_file_and_a_second_import_changes_nothing(
    tmp_path: Path, passphrase_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, office = ["--data-dir", str(tmp_path / "laptop")], tmp_path / "office"
    out = tmp_path / "usb" / "ruth.amiebundle"
    out.parent.mkdir()
    assert main([*laptop, "demo"]) == 0
    capsys.readouterr()

    key = ["--passphrase-file", str(passphrase_file)]
    assert main([*laptop, "bundle", "export", "--out", str(out), *key]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Wrote ") and "Take it to the office" in said
    assert PASSPHRASE not in said

    importing = ["--data-dir", str(office), "bundle", "import", str(out), *key]
    assert main([*importing, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["from"] == "laptop" and first["written"] > 100
    assert _workshop_count(office, capsys) == 6

    assert main(importing) == 0
    assert capsys.readouterr().out.startswith("Nothing new: everything in this file")
    assert _workshop_count(office, capsys) == 6

    # The office sends the laptop its letter back; then the laptop has nothing left to send.
    back = tmp_path / "usb" / "for-ruth.amiebundle"
    exporting = ["--data-dir", str(office), "bundle", "export", "--out", str(back)]
    assert main([*exporting, "--laptop", "A", *key, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["for_laptop"] == "A"
    assert main([*laptop, "bundle", "import", str(back), *key]) == 0
    assert capsys.readouterr().out.startswith("Nothing new")
    assert main([*laptop, "bundle", "export", "--out", str(out), *key, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == 0


def test_a_wrong_passphrase_is_one_plain_line_and_a_non_zero_exit(
    tmp_path: Path, passphrase_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, office = ["--data-dir", str(tmp_path / "laptop")], tmp_path / "office"
    out = tmp_path / "ruth.amiebundle"
    assert main([*laptop, "demo"]) == 0
    assert main([*laptop, "bundle", "export", "--out", str(out),
                 "--passphrase-file", str(passphrase_file)]) == 0  # fmt: skip
    capsys.readouterr()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("seven silver otter\n", encoding="utf-8")

    code = main(["--data-dir", str(office), "bundle", "import", str(out),
                 "--passphrase-file", str(wrong)])  # fmt: skip
    said = capsys.readouterr()
    assert code == 1
    assert said.err.count("\n") == 1 and "That passphrase does not open" in said.err
    assert "Traceback" not in said.err and "seven silver" not in said.out + said.err
    assert _workshop_count(office, capsys) == 0


def test_the_passphrase_is_typed_twice_at_a_terminal_and_never_taken_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = ["--data-dir", str(tmp_path / "laptop")]
    out = tmp_path / "ruth.amiebundle"
    assert main([*laptop, "demo"]) == 0
    capsys.readouterr()

    # A script with no terminal and no --passphrase-file is told what to do; no file is written.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert main([*laptop, "bundle", "export", "--out", str(out)]) == 1
    assert "--passphrase-file" in capsys.readouterr().err and not out.exists()

    typed = iter([PASSPHRASE, PASSPHRASE + "!"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert main([*laptop, "bundle", "export", "--out", str(out)]) == 1
    assert "The two passphrases differ" in capsys.readouterr().err and not out.exists()

    typed = iter(["short", "short"])
    assert main([*laptop, "bundle", "export", "--out", str(out)]) == 1
    assert "at least 10 characters" in capsys.readouterr().err and not out.exists()

    typed = iter([PASSPHRASE, PASSPHRASE])
    assert main([*laptop, "bundle", "export", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"AMIE-BUNDLE")

    with pytest.raises(SystemExit):  # there is no way to give it on the command line
        main([*laptop, "bundle", "export", "--out", str(out), "--passphrase", PASSPHRASE])
