"""Issuing, checking and safely writing certificates (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amie_desktop.app import main
from amie_desktop.reports.certificate import CertificateRenderer
from amie_desktop.services import certificates, exports
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Certificate
from tests.reports.helpers import workshop_with


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_verify_says_genuine_with_whom_what_and_when(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Ольга Иванова",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)

    typed = record.check_code.lower().replace("-", " ")  # as someone might type it
    result = certificates.verify(store, typed)
    assert result.genuine
    assert "Ольга Иванова" in result.message() and "Introduction to HEARD" in result.message()
    assert "25 November 2026" in result.message() and "(3 hours of CPD)" in result.message()
    # The QR code's whole text works too.
    assert certificates.verify(store, f"{record.serial} {record.check_code}").genuine


def test_verify_spots_a_record_changed_after_issue(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    with store.write() as session:
        row = session.query(Certificate).one()
        row.cpd_hours = 30.0  # someone edits the database to claim more hours

    result = certificates.verify(store, record.check_code)
    assert result.verdict is certificates.Verdict.TAMPERED
    assert not result.genuine and "Not genuine" in result.message()


def test_verify_rejects_an_unknown_or_altered_code(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    altered = ("B" if record.check_code[0] != "B" else "C") + record.check_code[1:]
    for code in (altered, "ABCDE-FGHJK", "nonsense"):
        result = certificates.verify(store, code)
        assert result.verdict is certificates.Verdict.UNKNOWN, code
        assert "no certificate" in result.message()


def test_a_code_from_another_installation_does_not_check(
    store: Store, out_dir: Path, tmp_path: Path
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    secret = b"another installation's secret key"
    forged = certificates.make_check_code(
        secret, record.serial, "Zoë Ó Briain", "Introduction to HEARD",
        __import__("datetime").date(2026, 11, 25), 3.0,
    )  # fmt: skip
    assert forged != record.check_code
    assert not certificates.verify(store, forged).genuine


def test_cli_verify_and_export(
    store: Store, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workshop = workshop_with(store, ("Łukasz Wiśniewski", "王芳"))
    store.close()
    merged = out_dir / "all.pdf"
    assert main(["export", "certificates", str(workshop), "--out", str(out_dir),
                 "--merged", str(merged)]) == 0  # fmt: skip
    assert "Exported 2 certificates" in capsys.readouterr().out
    assert merged.exists() and len(list(out_dir.glob("2026-11-25 *.pdf"))) == 2


def test_one_certificate_is_said_in_the_singular(
    store: Store, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    store.close()
    assert main(["export", "certificates", str(workshop), "--out", str(out_dir)]) == 0
    assert f"Exported 1 certificate to {out_dir} (1 new, 0 reissued)." in capsys.readouterr().out

    records = certificates.certificates_for(store, workshop)
    assert main(["verify", records[0].check_code]) == 0
    assert "Genuine" in capsys.readouterr().out
    assert main(["verify", "AAAAA-AAAAA"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Not genuine" in captured.err and captured.err.count("\n") == 1


def test_an_export_that_fails_half_way_leaves_the_old_file_intact(
    store: Store, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain", "Łukasz Wiśniewski", "王芳"))
    merged = out_dir / "all.pdf"
    exports.export_certificates(store, workshop, merged=merged)
    before = merged.read_bytes()
    original = CertificateRenderer._page

    def failing_page(self: CertificateRenderer, canvas: object, holder: object) -> None:
        if getattr(holder, "name", "") == "王芳":
            raise OSError(28, "No space left on device")
        original(self, canvas, holder)  # type: ignore[arg-type]

    monkeypatch.setattr(CertificateRenderer, "_page", failing_page)
    with pytest.raises(OSError):
        exports.export_certificates(store, workshop, merged=merged)
    assert merged.read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["all.pdf"]  # no temp file left


def test_cancel_stops_the_export_and_leaves_no_partial_file(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain", "Łukasz Wiśniewski", "王芳"))
    merged = out_dir / "all.pdf"

    def cancel_after_one(done: int, total: int) -> None:
        if done >= 1:
            raise exports.ExportCancelled("Export cancelled.")

    with pytest.raises(exports.ExportCancelled):
        exports.export_certificates(store, workshop, merged=merged, progress=cancel_after_one)
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25 Intro - Zoë Ó Briain", "2026-11-25 Intro - Zoë Ó Briain.pdf"),
        ('Intro: "HEARD"? <yes>/no', "Intro - -HEARD-- -yes--no.pdf"),
        ("Introduction to HEARD: SEN settings", "Introduction to HEARD - SEN settings.pdf"),
        ("Time 10:30", "Time 10-30.pdf"),
        ("CON", "_CON.pdf"),
        ("name. ", "name.pdf"),
    ],
)  # fmt: skip
def test_file_names_are_safe_on_windows(text: str, expected: str) -> None:
    assert exports.safe_file_name(text) == expected


@given(st.text())
def test_any_text_gives_a_usable_file_name(text: str) -> None:
    name = exports.safe_file_name(text)
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= exports.MAX_NAME_BYTES + 4
    assert not any(ch in name for ch in '<>:"/\\|?*') and "\x00" not in name
    assert not name.removesuffix(".pdf").endswith((" ", "."))


def test_cli_verify_json_is_stable(
    store: Store, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    workshop = workshop_with(store, ("Δημήτρης Παπαδόπουλος",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    store.close()
    assert main(["verify", record.check_code, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == {
        "verdict", "genuine", "code", "serial", "holder_name", "workshop_title",
        "workshop_date", "cpd_hours", "issued_at", "reissued_at",
        "organisation", "principles", "revoked_on", "revocation_reason",
    }  # fmt: skip
    assert shown["verdict"] == "genuine" and shown["holder_name"] == "Δημήτρης Παπαδόπουλος"
    assert shown["workshop_date"] == "2026-11-25" and shown["serial"] == record.serial
    assert main(["verify", "AAAAA-AAAAA", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "unknown"


def test_the_certificates_folder_is_made_when_it_does_not_exist_yet(
    store: Store, tmp_path: Path
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    folder = tmp_path / "not there yet" / "certificates"
    result = exports.export_certificates(store, workshop, out_dir=folder)
    assert result.count == 1
    assert [p.name for p in folder.iterdir()] == [
        "2026-11-25 Introduction to HEARD - Zoë Ó Briain.pdf"
    ]


def test_a_certificates_folder_that_cannot_be_made_is_one_plain_message(
    store: Store, tmp_path: Path
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError, match="cannot be made"):
        exports.export_certificates(store, workshop, out_dir=blocker / "certificates")


def test_a_one_hour_certificate_checks_as_one_hour(store: Store, out_dir: Path) -> None:
    from amie_desktop.store.models import Workshop

    workshop = workshop_with(store, ("Zoë Ó Briain",))
    with store.write() as session:
        found = session.get(Workshop, workshop)
        assert found is not None
        found.cpd_hours = 1.0
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    message = certificates.verify(store, record.check_code).message()
    assert "(1 hour of CPD)" in message and "hours" not in message
