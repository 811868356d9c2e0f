"""`amie-desktop org join` and `sync` as an admin runs them: the password kept safe, never shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as NoKeyring

from amie_desktop.app import main
from amie_desktop.services import organisation, sync
from amie_desktop.services.organisation import PinError
from amie_desktop.store import open_store
from tests.postgres import PASSWORD, PASSWORD_USER, Cluster


class MemoryKeyring(KeyringBackend):
    """A system keyring that lives for one test."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def system_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def hub_url(postgres_cluster: Cluster, postgres_url: str) -> str:
    """The test database's address for a role that must give its password."""
    database = postgres_url.rsplit("/", 1)[1]
    return postgres_cluster.url(database, user=PASSWORD_USER)


def _every_byte_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_join_keeps_the_password_in_the_keyring_and_nowhere_in_the_data_folder(
    tmp_path: Path,
    hub_url: str,
    postgres_url: str,
    system_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(sync.PASSWORD_VARIABLE, raising=False)
    laptop = ["--data-dir", str(tmp_path / "laptop")]
    assert main([*laptop, "demo"]) == 0
    with_password = hub_url.replace(f"{PASSWORD_USER}@", f"{PASSWORD_USER}:{PASSWORD}@")
    capsys.readouterr()

    assert main([*laptop, "org", "join", with_password, "--name", "Ruth's laptop"]) == 0
    said = capsys.readouterr()
    assert "Joined the organisation's database" in said.out
    assert "CPD-YEAR-A-NNNNNN" in said.out and "system keyring" in said.out
    assert PASSWORD not in said.out + said.err
    assert list(system_keyring.saved.values()) == [PASSWORD]
    assert PASSWORD.encode() not in _every_byte_under(tmp_path / "laptop")

    # The organisation's database now holds the laptop's six demo workshops.
    assert main(["--data-dir", str(tmp_path / "office"), "--database-url", postgres_url,
                 "workshops", "--json"]) == 0  # fmt: skip
    assert len(json.loads(capsys.readouterr().out)) == 6

    # Later syncs find the address saved and the password in the keyring.
    assert main([*laptop, "sync", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["nothing_changed"] is True and report["changed_here"] == 0

    # No keyring and no password given: one plain line, and nothing printed of the address's
    # secrets; with the password in the environment it works again.
    keyring.set_keyring(NoKeyring())
    assert main([*laptop, "sync"]) == 1
    said = capsys.readouterr()
    assert said.err.count("\n") == 1 and "refused the user name or password" in said.err
    assert PASSWORD not in said.out + said.err and "Traceback" not in said.err
    monkeypatch.setenv(sync.PASSWORD_VARIABLE, PASSWORD)
    assert main([*laptop, "sync"]) == 0
    assert "Up to date" in capsys.readouterr().out


def test_a_wrong_password_is_refused_plainly_and_not_echoed(
    tmp_path: Path, hub_url: str, system_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = ["--data-dir", str(tmp_path / "laptop")]
    wrong = "not-the-Pa55word"
    url = hub_url.replace(f"{PASSWORD_USER}@", f"{PASSWORD_USER}:{wrong}@")
    assert main([*laptop, "org", "join", url]) == 1
    said = capsys.readouterr()
    assert "refused the user name or password" in said.err and wrong not in said.out + said.err
    assert system_keyring.saved == {}


def test_sync_before_joining_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "laptop"), "sync"]) == 1
    assert "org join URL" in capsys.readouterr().err


def test_org_name_sets_up_a_new_organisation_database_from_a_server_with_no_screen(
    tmp_path: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The office names its new database as the laptops are named, with no window to open; a
    PIN that will not do, or none given where it cannot be typed, sets nothing up."""
    office = ["--data-dir", str(tmp_path / "office"), "--database-url", postgres_url]
    pin = tmp_path / "pin.txt"
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main([*office, "org", "name", "Northfield Music Hub"]) == 1
    assert "Type the PIN at a terminal, or give it in a file with --pin-file FILE" in (
        capsys.readouterr().err
    )
    pin.write_text("12\n", encoding="utf-8")
    assert main([*office, "org", "name", "Northfield Music Hub", "--pin-file", str(pin)]) == 1
    assert "The PIN must be at least 4 digits." in capsys.readouterr().err
    store = open_store(tmp_path / "office", postgres_url)
    try:
        assert organisation.get_settings(store) is None

        pin.write_text("2468\n", encoding="utf-8")
        assert (
            main([*office, "org", "name", " Northfield  Music Hub ", "--pin-file", str(pin)]) == 0
        )
        assert "Set up Northfield Music Hub" in capsys.readouterr().out
        settings = organisation.get_settings(store)
        assert settings is not None and settings.name == "Northfield Music Hub"
        organisation.verify_pin(store, "2468")  # the PIN from the file, and no other
        with pytest.raises(PinError):
            organisation.verify_pin(store, "1357")

        assert main([*office, "org", "name", "Northfield and District Music Hub"]) == 0
        assert "now called Northfield and District Music Hub" in capsys.readouterr().out
        renamed = organisation.get_settings(store)
        assert renamed is not None and renamed.name == "Northfield and District Music Hub"
    finally:
        store.close()
