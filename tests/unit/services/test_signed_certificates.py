"""Signed certificates checked anywhere: a fresh computer with only the public key file."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import cbor2
import pytest

from amie_desktop.app import main
from amie_desktop.services import certificates, exports, keys, signing
from amie_desktop.store import Store
from amie_desktop.store.models import Workshop
from tests.reports.helpers import workshop_with

NAME = "Ольга Иванова"


@pytest.fixture
def issued(store: Store, tmp_path: Path) -> tuple[Path, Path]:
    """One certificate's PDF and the organisation's public key file."""
    workshop = workshop_with(store, (NAME,))
    (pdf,) = exports.export_certificates(store, workshop, out_dir=tmp_path / "out").files
    key_file = tmp_path / "northfield.json"
    keys.export_public_key(store, key_file)
    return pdf, key_file


def _qr_text(store: Store) -> str:
    (issued,) = certificates.issue(store, 1).certificates
    return issued.holder.qr_text


def _verify_elsewhere(
    given: str, key_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """`amie-desktop verify` on a computer where the app has never run."""
    fresh = tmp_path / "fresh computer"
    with pytest.MonkeyPatch.context() as elsewhere:  # no organisation database there either
        elsewhere.delenv("AMIE_DATABASE_URL", raising=False)
        code = main(["--data-dir", str(fresh), "verify", given, "--public-key", str(key_file)])
    assert not fresh.exists()  # nothing was made there, not even a log
    said = capsys.readouterr()
    return code, (said.out + said.err).strip()


def test_the_pdf_alone_proves_itself_on_a_fresh_computer(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, key_file = issued
    store.close()
    code, said = _verify_elsewhere(str(pdf), key_file, tmp_path, capsys)
    assert code == 0
    assert said == (
        "Genuine: certificate CPD-2026-000001 was issued by Northfield Music Hub to "
        f"{NAME} for Introduction to HEARD on 25 November 2026 (3 hours of CPD), issued on "
        f"{certificates.long_day(certificates.certificates_for(store, 1)[0].issued_at.date())}."
    )


def test_the_qr_text_proves_itself_and_any_changed_field_fails(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, key_file = issued
    text = _qr_text(store)
    assert _verify_elsewhere(text, key_file, tmp_path, capsys)[0] == 0

    fields = cbor2.loads(signing.b45decode(text.removeprefix("AMIE1:")))
    changes = {
        0: "Olga Ivanova", 1: "Advanced HEARD", 2: fields[2] + 1, 3: 30.0, 4: 1,
        5: fields[5] + 1, 6: fields[6] - 1, 7: fields[6] + 5,
    }  # fmt: skip
    for index, value in changes.items():
        forged = list(fields)
        forged[index] = value
        forged_text = "AMIE1:" + signing.b45encode(cbor2.dumps(forged))
        code, said = _verify_elsewhere(forged_text, key_file, tmp_path, capsys)
        assert code == 1, index
        assert said.startswith("amie-desktop: Not genuine: certificate CPD-2026-"), index


def test_the_credential_file_proves_itself_and_any_changed_field_fails(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, key_file = issued
    (one,) = certificates.issue(store, 1).certificates
    document = json.loads(one.holder.credential)
    good = tmp_path / "certificate.json"
    good.write_text(json.dumps(document), encoding="utf-8")
    assert _verify_elsewhere(str(good), key_file, tmp_path, capsys)[0] == 0

    changes = {
        "organisation": "Southfield Music Hub", "name": "Olga", "workshop": "Advanced HEARD",
        "date": "2026-11-26", "cpd_hours": 6, "principles": "H", "serial": "CPD-2026-000002",
        "issued": "2026-01-01", "reissued": "2026-12-31",
    }  # fmt: skip
    for field, value in changes.items():
        forged = json.loads(json.dumps(document))
        forged["statement"][field] = value
        changed = tmp_path / f"changed {field}.json"
        changed.write_text(json.dumps(forged), encoding="utf-8")
        code, said = _verify_elsewhere(str(changed), key_file, tmp_path, capsys)
        assert (code, said[:31]) == (1, "amie-desktop: Not genuine: cert"), field


def test_revoked_says_revoked_here_and_wherever_the_new_key_file_goes(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, old_key_file = issued
    assert main(["certificates", "revoke", "CPD-2026-000001", "--reason", "Did not attend"]) == 0
    assert "Certificate CPD-2026-000001 is revoked" in capsys.readouterr().out

    (record,) = certificates.certificates_for(store, 1)
    here = certificates.verify(store, record.check_code)
    assert here.verdict is signing.Verdict.REVOKED
    assert "The reason given: Did not attend" in here.message()

    new_key_file = tmp_path / "northfield-new.json"
    assert main(["org", "public-key", "--out", str(new_key_file)]) == 0
    capsys.readouterr()
    code, said = _verify_elsewhere(str(pdf), new_key_file, tmp_path, capsys)
    assert code == 1
    assert said.startswith(
        f"amie-desktop: Revoked: certificate CPD-2026-000001 for {NAME} (Introduction to HEARD "
        "on 25 November 2026) was issued by Northfield Music Hub but withdrawn on "
    )
    assert said.endswith("The reason given: Did not attend")
    # Whoever still holds last year's key file cannot know yet: it says genuine.
    assert _verify_elsewhere(str(pdf), old_key_file, tmp_path, capsys)[0] == 0


def test_another_organisations_key_says_unknown_signer(
    store: Store,
    issued: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf, _ = issued
    monkeypatch.delenv("AMIE_DATABASE_URL", raising=False)  # the other one is a laptop's file
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "demo"]) == 0
    assert main(["--data-dir", str(other), "export", "certificates", "1", "--out",
                 str(tmp_path / "other certificates")]) == 0  # fmt: skip
    other_key = tmp_path / "other.json"
    assert main(["--data-dir", str(other), "org", "public-key", "--out", str(other_key)]) == 0
    capsys.readouterr()
    code, said = _verify_elsewhere(str(pdf), other_key, tmp_path, capsys)
    assert code == 1
    assert said.startswith(
        "amie-desktop: Not confirmed: this certificate was not signed by a key that Northfield "
        "Music Education Hub (demo) vouches for."
    )


def test_a_changed_key_file_is_refused_with_one_plain_message(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, key_file = issued
    body = json.loads(key_file.read_text(encoding="utf-8"))
    body["revoked_certificates"] = []
    body["organisation"] = "Northfield Music Hub Ltd"
    key_file.write_text(json.dumps(body), encoding="utf-8")
    code, said = _verify_elsewhere(str(pdf), key_file, tmp_path, capsys)
    assert (code, said) == (
        1,
        f"amie-desktop: The file {key_file.name} has been changed since the organisation "
        "published it, so it cannot be trusted. Ask the organisation for a fresh copy.",
    )


def test_a_printed_code_needs_the_organisations_records(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, key_file = issued
    (record,) = certificates.certificates_for(store, 1)
    code, said = _verify_elsewhere(record.check_code, key_file, tmp_path, capsys)
    assert (code, said) == (
        1,
        "amie-desktop: A check code typed by hand can be checked only on the organisation's "
        "own laptops. Scan the certificate's QR code, or give its PDF file, instead.",
    )
    # On the organisation's laptop it checks, signature and all.
    assert certificates.verify(store, record.check_code.lower()).genuine


def test_private_keys_are_owner_only_files_and_never_in_the_database(
    store: Store, issued: tuple[Path, Path], data_dir: Path
) -> None:
    folder = store.data_dir / "keys"
    found = sorted(p.name for p in folder.iterdir())
    assert found == ["laptop-signing-key.pem", "organisation-signing-key.pem"]
    for path in folder.iterdir():
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        private = signing.load_private(path).private_bytes_raw()
        store.close()
        for file in store.data_dir.glob("*.sqlite3*"):
            assert private not in file.read_bytes()


def test_a_changed_record_is_caught_by_its_signature(
    store: Store, issued: tuple[Path, Path]
) -> None:
    (record,) = certificates.certificates_for(store, 1)
    with store.write() as session:
        session.get(Workshop, 1).cpd_hours = 30  # type: ignore[union-attr]
        from amie_desktop.store.models import Certificate

        row = session.query(Certificate).one()
        row.cpd_hours = 30
    result = certificates.verify(store, record.check_code)
    assert result.verdict is signing.Verdict.TAMPERED


def test_a_withdrawn_laptop_key_keeps_what_it_issued_before(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from amie_desktop.store.models import SigningKey

    pdf, _ = issued
    (one,) = certificates.issue(store, 1).certificates
    key = signing.load_private(store.data_dir / "keys" / "laptop-signing-key.pem")
    with store.write() as session:
        laptop = session.query(SigningKey).filter_by(kind="laptop").one()
        laptop.revoked_at = datetime.now(UTC)
        laptop.revocation_reason = "Laptop lost on the train"
    key_file = tmp_path / "after.json"
    keys.export_public_key(store, key_file)
    assert _verify_elsewhere(str(pdf), key_file, tmp_path, capsys)[0] == 0
    # Whoever has the lost laptop can still sign, but nobody will believe it.
    statement = signing.Statement.from_json(json.loads(one.holder.credential)["statement"])
    forged = signing.sign(replace(statement, serial="CPD-2026-000099"), key)
    code, said = _verify_elsewhere(forged.qr_text(), key_file, tmp_path, capsys)
    assert code == 1 and said.startswith("amie-desktop: Not confirmed: this certificate was not")


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_base45_matches_rfc_9285_examples(data: bytes, text: str) -> None:
    assert signing.b45encode(data) == text
    assert signing.b45decode(text) == data


def test_bad_input_to_verify_is_one_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "verify", "AMIE1:NOT*REAL"]) == 1
    assert capsys.readouterr().err == (
        "amie-desktop: This computer does not know the organisation's key. Give the "
        "organisation's public key file with --public-key FILE.\n"
    )
    missing = tmp_path / "nowhere.json"
    assert main(["--data-dir", str(fresh), "verify", "AMIE1:X", "--public-key", str(missing)]) == 1
    assert capsys.readouterr().err.startswith(
        f"amie-desktop: The key file {missing} cannot be read"
    )
    assert not fresh.exists()


def test_a_reissue_after_a_name_change_removes_the_old_file_and_says_so(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from amie_desktop.store.models import Person

    workshop_with(store, ("Olga Ivanova", "Zoë Ó Briain"))
    folder = tmp_path / "out"
    stranger = folder / "notes.pdf"
    folder.mkdir()
    stranger.write_bytes(b"%PDF-1.4 not ours")
    exports.export_certificates(store, 1, out_dir=folder)
    with store.write() as session:
        session.query(Person).filter_by(name="Olga Ivanova").one().name = "Ольга Иванова"
    store.close()
    assert main(["export", "certificates", "1", "--out", str(folder)]) == 0
    said = capsys.readouterr().out
    assert said.endswith(
        "(0 new, 1 reissued).\nRemoved 2026-11-25 Introduction to HEARD - Olga Ivanova.pdf: its "
        "certificate was reissued under a new name.\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-11-25 Introduction to HEARD - Zoë Ó Briain.pdf",
        "2026-11-25 Introduction to HEARD - Ольга Иванова.pdf",
        "notes.pdf",
    ]


def test_a_second_laptop_is_endorsed_then_withdrawn_without_losing_what_it_issued(
    store: Store, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workshop_with(store, ("Olga Ivanova",))
    store.close()
    # Both laptops meet in one database (the organisation's, on the PostgreSQL run).
    shared = store.engine.url.render_as_string(hide_password=False)
    laptop_b = ["--data-dir", str(tmp_path / "laptop B"), "--database-url", shared]
    assert main(["org", "public-key", "--out", str(tmp_path / "before.json")]) == 0

    assert main([*laptop_b, "export", "certificates", "1", "--out", str(tmp_path / "b")]) == 1
    assert "its key has not been endorsed by the organisation" in capsys.readouterr().err
    assert main([*laptop_b, "org", "laptop-key", "--out", str(tmp_path / "b.json")]) == 0
    assert main(["org", "endorse-laptop", str(tmp_path / "b.json")]) == 0
    assert main([*laptop_b, "export", "certificates", "1", "--out", str(tmp_path / "b")]) == 0
    (pdf,) = (tmp_path / "b").glob("*.pdf")
    assert main(["org", "public-key", "--out", str(tmp_path / "after.json")]) == 0

    assert _verify_elsewhere(str(pdf), tmp_path / "after.json", tmp_path, capsys)[0] == 0
    code, said = _verify_elsewhere(str(pdf), tmp_path / "before.json", tmp_path, capsys)
    assert code == 1 and "ask the organisation for its latest public key file" in said

    capsys.readouterr()
    assert main(["org", "laptops"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and sum("1 certificates  in use" in line for line in listed) == 1
    laptop_b_key = next(line for line in listed if "1 certificates" in line).split()[0]
    assert main(["org", "withdraw-laptop", laptop_b_key[:8], "--reason", "Lost on a train"]) == 0
    assert main(["org", "public-key", "--out", str(tmp_path / "withdrawn.json")]) == 0
    # What laptop B issued before stays genuine; it cannot issue more.
    assert _verify_elsewhere(str(pdf), tmp_path / "withdrawn.json", tmp_path, capsys)[0] == 0
    assert main([*laptop_b, "export", "certificates", "1", "--out", str(tmp_path / "b2")]) == 1
    assert "signing key has been withdrawn by the organisation" in capsys.readouterr().err


def test_a_long_qr_text_is_never_taken_for_a_file_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 300 characters with no "/" would be too long a file name for the operating system.
    text = "AMIE1:" + "A" * 300
    assert main(["verify", text]) == 1
    assert capsys.readouterr().err == (
        "amie-desktop: This computer does not know the organisation's key. Give the "
        "organisation's public key file with --public-key FILE.\n"
    )


def test_files_that_hold_no_certificate_get_one_plain_message(
    store: Store, issued: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, key_file = issued
    summary = tmp_path / "summary.pdf"
    exports.export_summary(store, 1, summary)
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 cut short")
    expected = {
        summary: "summary.pdf carries no signed certificate (it may be older than signed "
        "certificates). Check the code printed on it instead.",
        picture: "photo.png is neither a certificate PDF nor a certificate or badge file.",
        broken: "broken.pdf is not a PDF that can be read.",
    }
    for path, message in expected.items():
        assert _verify_elsewhere(str(path), key_file, tmp_path, capsys) == (
            1,
            f"amie-desktop: {message}",
        )
