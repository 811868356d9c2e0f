"""Sync by file: encrypted bundles between laptops that are never online and the office."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from amie_desktop.services import (
    bundle,
    certificates,
    keys,
    organisation,
    privacy,
    sync,
    verification,
)
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Device, SigningKey
from tests.sync_helpers import assert_one_body, canonical, new_laptop, people, work_offline

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[list[Store]]:
    stores = [new_laptop(tmp_path, n) for n in (1, 2, 3)]
    yield stores
    for laptop in stores:
        laptop.close()


@pytest.fixture
def org(tmp_path: Path, database_url: str | None) -> Iterator[Store]:
    """The organisation's database: SQLite, and PostgreSQL on the second run."""
    store = open_store(tmp_path / "org", database_url)
    yield store
    store.close()


def _devices(store: Store) -> list[tuple[str, str, int, int]]:
    with store.read() as session:
        return [
            (d.device_id, d.serial_prefix, d.pushed_seq, d.pulled_seq)
            for d in session.scalars(select(Device).order_by(Device.id))
        ]


def _everything(store: Store) -> tuple[dict[str, Any], Any, list[tuple[str, str, int, int]]]:
    """The canonical dump plus the bookkeeping a refused import must leave alone too."""
    return canonical(store), sync.status(store), _devices(store)


def _send(laptop: Store, org: Store, folder: Path, name: str) -> bundle.ImportResult:
    """The laptop exports what the office lacks; the office imports it."""
    path = folder / f"{name}{bundle.SUFFIX}"
    bundle.export_bundle(laptop, path, PASSPHRASE)
    return bundle.import_bundle(org, path, PASSPHRASE)


def _bring_back(org: Store, laptop: Store, folder: Path, name: str) -> bundle.ImportResult:
    """The office exports a file for the laptop; the laptop imports it."""
    path = folder / f"{name}-back{bundle.SUFFIX}"
    letter = sync.status(laptop).serial_prefix or _letter_of(org, laptop)
    bundle.export_bundle(org, path, PASSPHRASE, laptop=letter)
    return bundle.import_bundle(laptop, path, PASSPHRASE)


def _letter_of(org: Store, laptop: Store) -> str:
    me = sync.status(laptop).device_id
    return next(prefix for device, prefix, _, _ in _devices(org) if device == me)


def test_a_laptops_file_brings_its_work_to_the_office_and_its_letter_back(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    laptop = laptops[0]
    work_offline(laptop, 1)
    path = tmp_path / f"laptop1{bundle.SUFFIX}"

    exported = bundle.export_bundle(laptop, path, PASSPHRASE)
    assert exported.changes > 20
    raw = path.read_bytes()
    assert raw.startswith(b"AMIE-BUNDLE")
    for secret in (b"Anwen", b"anwen@example.org", b"Northfield", "Łukasz".encode()):
        assert secret not in raw  # the personal data is encrypted
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only

    imported = bundle.import_bundle(org, path, PASSPHRASE)
    assert imported.received == exported.changes and imported.applied.written > 20
    assert imported.words().startswith(f"Imported {exported.changes} changes from a laptop")
    assert canonical(org) == canonical(laptop)
    assert [prefix for _, prefix, _, _ in _devices(org)] == ["A"]

    back = _bring_back(org, laptop, tmp_path, "laptop1")
    assert back.nothing_changed and back.made_by == "organisation"
    assert sync.status(laptop).serial_prefix == "A"  # its certificates from now on: CPD-…-A-…
    # Acknowledged: the laptop's next file carries nothing already at the office.
    assert bundle.export_bundle(laptop, tmp_path / "next.amiebundle", PASSPHRASE).changes == 0


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    work_offline(laptops[0], 1)
    path = tmp_path / "twice.amiebundle"
    bundle.export_bundle(laptops[0], path, PASSPHRASE)
    first = bundle.import_bundle(org, path, PASSPHRASE)
    after_first = _everything(org)
    second = bundle.import_bundle(org, path, PASSPHRASE)
    assert not first.nothing_changed and second.nothing_changed
    assert second.words().startswith("Nothing new: everything in this file from a laptop")
    assert _everything(org) == after_first


def _refused(org: Store, path: Path, passphrase: str, error: type[UserError], words: str) -> None:
    before = _everything(org)
    with pytest.raises(error, match=words) as caught:
        bundle.import_bundle(org, path, passphrase)
    assert "Nothing was changed." in str(caught.value)
    assert "Anwen" not in str(caught.value) and passphrase not in str(caught.value)
    assert _everything(org) == before


@pytest.fixture
def exported(laptops: list[Store], org: Store, tmp_path: Path) -> Path:
    """The office already holds some of laptop 1's work; a file with more of it is on the way."""
    work_offline(laptops[0], 1)
    _send(laptops[0], org, tmp_path, "first")
    work_offline(laptops[0], 2)
    path = tmp_path / "more.amiebundle"
    bundle.export_bundle(laptops[0], path, PASSPHRASE)
    return path


def test_a_wrong_passphrase_is_refused_and_changes_nothing(org: Store, exported: Path) -> None:
    _refused(
        org, exported, "Correct horse battery staple", bundle.WrongPassphraseError,
        "That passphrase does not open more.amiebundle",
    )  # fmt: skip


@pytest.mark.parametrize("where", [0.05, 0.5, 0.97])
def test_a_damaged_byte_anywhere_is_refused_and_changes_nothing(
    org: Store, exported: Path, where: float
) -> None:
    data = bytearray(exported.read_bytes())
    data[int(len(data) * where)] ^= 0x20
    exported.write_bytes(bytes(data))
    _refused(org, exported, PASSPHRASE, bundle.DamagedBundleError, "is damaged or incomplete")


def test_a_file_cut_short_is_refused_and_changes_nothing(org: Store, exported: Path) -> None:
    data = exported.read_bytes()
    exported.write_bytes(data[: len(data) * 2 // 3])
    _refused(org, exported, PASSPHRASE, bundle.DamagedBundleError, "cut short")


def _rewrite_header(path: Path, **changes: object) -> None:
    """Change the header in clear and make the file whole again (length and SHA-256), as
    someone tampering with it would."""
    data = path.read_bytes()
    fixed = len(b"AMIE-BUNDLE") + 1 + 1 + 4
    length = int.from_bytes(data[fixed - 4 : fixed], "big")
    header = json.loads(data[fixed : fixed + length]) | changes
    text = json.dumps(header).encode()
    body = data[: fixed - 4] + len(text).to_bytes(4, "big") + text + data[fixed + length : -32]
    path.write_bytes(body + hashlib.sha256(body).digest())


@pytest.mark.parametrize(
    "changes",
    [{"since": -1}, {"created_at": "2020-01-01T00:00:00+00:00"}, {"nonce": "!!"}, {"check": 7}],
    ids=["marks", "date", "bad-nonce", "bad-check"],
)
def test_a_header_changed_on_the_way_is_refused_as_damaged(
    org: Store, exported: Path, changes: dict[str, object]
) -> None:
    _rewrite_header(exported, **changes)  # the header is authenticated with the contents
    _refused(org, exported, PASSPHRASE, bundle.DamagedBundleError, "is damaged or incomplete")


def test_a_file_that_is_not_a_bundle_is_refused(org: Store, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Name,Email\nAnwen Price,anwen@example.org\n", encoding="utf-8")
    _refused(org, path, PASSPHRASE, bundle.NotABundleError, "is not a bundle of changes")
    _refused(org, tmp_path / "missing.amiebundle", PASSPHRASE, UserError, "There is no file")


def test_a_file_for_another_organisation_is_refused_both_ways(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    laptop = laptops[0]
    work_offline(laptop, 1)
    _send(laptop, org, tmp_path, "first")
    _bring_back(org, laptop, tmp_path, "first")  # the laptop now belongs to `org`
    work_offline(laptop, 2)
    to_office = tmp_path / "to-office.amiebundle"
    bundle.export_bundle(laptop, to_office, PASSPHRASE)

    other = open_store(tmp_path / "other-org")
    try:
        stranger = new_laptop(tmp_path, 9)
        try:
            _send(stranger, other, tmp_path, "stranger")  # `other` is an organisation's too
            from_other = tmp_path / "from-other.amiebundle"
            bundle.export_bundle(other, from_other, PASSPHRASE, everything=True)
        finally:
            stranger.close()
        words = "belongs to another organisation's database"
        _refused(other, to_office, PASSPHRASE, bundle.OtherOrganisationError, words)
        _refused(laptop, from_other, PASSPHRASE, bundle.OtherOrganisationError, words)
        _refused(org, from_other, PASSPHRASE, bundle.WrongPlaceError, "import it on a laptop")
    finally:
        other.close()


def test_a_file_brought_to_the_wrong_database_says_where_it_goes(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    first, second = laptops[0], laptops[1]
    for number, laptop in enumerate((first, second), start=1):
        work_offline(laptop, number)
        _send(laptop, org, tmp_path, f"laptop{number}")
        _bring_back(org, laptop, tmp_path, f"laptop{number}")
    from_first = tmp_path / "from-first.amiebundle"
    bundle.export_bundle(first, from_first, PASSPHRASE, everything=True)
    for_first = tmp_path / "for-first.amiebundle"
    bundle.export_bundle(org, for_first, PASSPHRASE, laptop="A")

    _refused(second, from_first, PASSPHRASE, bundle.WrongPlaceError, "comes from a laptop")
    _refused(first, from_first, PASSPHRASE, bundle.WrongPlaceError, "from this database itself")
    _refused(second, for_first, PASSPHRASE, bundle.WrongPlaceError, "made for another laptop")
    _refused(org, for_first, PASSPHRASE, bundle.WrongPlaceError, "from this database itself")


def test_a_short_passphrase_or_no_laptop_named_at_the_office_writes_no_file(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    path = tmp_path / "x.amiebundle"
    with pytest.raises(UserError, match="at least 10 characters"):
        bundle.export_bundle(laptops[0], path, "short")
    _send(laptops[0], org, tmp_path, "first")
    with pytest.raises(UserError, match=r"say which laptop the file is for.*known here: A\."):
        bundle.export_bundle(org, path, PASSPHRASE)
    with pytest.raises(UserError, match="No laptop here answers to 'Q'"):
        bundle.export_bundle(org, path, PASSPHRASE, laptop="Q")
    assert not path.exists()


def _round(
    laptops: list[Store], org: Store, order: tuple[int, ...], folder: Path, name: str
) -> list[bool]:
    """Each laptop in turn sends its file and gets one back; whether each import changed things."""
    changed = []
    for i in order:
        sent = _send(laptops[i], org, folder, f"{name}-{i}")
        back = _bring_back(org, laptops[i], folder, f"{name}-{i}")
        changed.append(not (sent.nothing_changed and back.nothing_changed))
    return changed


def test_three_laptops_that_are_never_online_end_up_holding_the_same_data_by_files(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    # First contact: each laptop's first file registers it, the file back gives its letter.
    _round(laptops, org, (0, 1, 2), tmp_path, "hello")
    assert [sync.status(laptop).serial_prefix for laptop in laptops] == ["A", "B", "C"]
    for number, laptop in enumerate(laptops, start=1):
        work_offline(laptop, number)

    # Files delivered out of order: every laptop exports, the office imports them in another
    # order, then makes one file for every laptop, imported in yet another order.
    outgoing = []
    for number, laptop in enumerate(laptops, start=1):
        path = tmp_path / f"out-{number}.amiebundle"
        bundle.export_bundle(laptop, path, PASSPHRASE)
        outgoing.append(path)
    for i in (2, 0, 1):
        bundle.import_bundle(org, outgoing[i], PASSPHRASE)
    for_all = tmp_path / "for-all.amiebundle"
    bundle.export_bundle(org, for_all, PASSPHRASE, everything=True)
    for i in (1, 2, 0):
        bundle.import_bundle(laptops[i], for_all, PASSPHRASE)
    _round(laptops, org, (2, 1, 0), tmp_path, "second")

    expected = assert_one_body(laptops, org)
    anwen = next(p for p in expected["person"] if p["email"] == "anwen@example.org")

    # A second round changes nothing anywhere.
    assert _round(laptops, org, (0, 1, 2), tmp_path, "again") == [False, False, False]
    assert all(canonical(laptop) == expected for laptop in laptops)

    # An erasure on laptop 2 is gone everywhere after the next round, and stays gone.
    privacy.erase_person(laptops[1], "anwen@example.org")
    _round(laptops, org, (1, 0, 2), tmp_path, "erased")
    for held in (*laptops, org):
        assert people(held)["anwen@example.org"] == 0
        dump = canonical(held)
        assert anwen["uuid"] in dump["tombstones"]
        assert "Anwen" not in repr({k: v for k, v in dump.items() if k != "tombstones"})
    assert all(canonical(laptop) == canonical(org) for laptop in laptops)
    # An old file that still holds her, imported late, cannot bring her back.
    bundle.import_bundle(org, outgoing[0], PASSPHRASE)
    assert people(org)["anwen@example.org"] == 0
    assert _round(laptops, org, (0, 1, 2), tmp_path, "last") == [False, False, False]


def test_a_certificate_signed_on_a_laptop_checks_as_genuine_at_the_office_after_a_file(
    laptops: list[Store], org: Store, tmp_path: Path
) -> None:
    first, second = laptops[0], laptops[1]
    organisation.set_up(org, "Northfield Music Hub", "2468", "2468")  # the office's own copy
    work_offline(first, 1)  # issues certificates, signed with this laptop's key
    signed = certificates.issue(first, 1).certificates[0].holder.qr_text  # as its QR code says
    with pytest.raises(UserError, match="has not issued signed certificates yet"):
        verification.verify_anything(org, signed)  # the office knows no key yet

    _send(first, org, tmp_path, "first")
    (result,) = verification.verify_anything(org, signed)
    assert result.genuine and result.message().startswith("Genuine: certificate CPD-")
    with org.read() as session:
        kinds = sorted(session.scalars(select(SigningKey.kind)))
    assert kinds == ["laptop", "organisation"]  # public halves only: no private key travels

    # A laptop that is never online learns the organisation's key from the file back.
    _send(second, org, tmp_path, "second")
    _bring_back(org, second, tmp_path, "second")
    assert keys.local_keyring(second).fingerprint == keys.local_keyring(first).fingerprint
