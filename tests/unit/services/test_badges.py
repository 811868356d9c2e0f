"""Open Badges 3.0: the published eddsa-jcs-2022 vectors, and badges checked anywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from amie_desktop.app import main
from amie_desktop.services import badges
from amie_desktop.store import Store
from tests.reports.helpers import workshop_with

VECTORS = Path(__file__).parents[2] / "data" / "vc-di-eddsa"
NAME = "Ольга Иванова"


def _published() -> tuple[dict[str, object], Ed25519PrivateKey, bytes]:
    signed = json.loads((VECTORS / "signedJCS.json").read_text(encoding="utf-8"))
    pair = json.loads((VECTORS / "keyPair.json").read_text(encoding="utf-8"))
    private = badges.base58btc_decode(pair["privateKeyMultibase"][1:])
    public = badges.base58btc_decode(pair["publicKeyMultibase"][1:])
    assert private[:2] == b"\x80\x26" and public[:2] == b"\xed\x01"  # multicodec prefixes
    return signed, Ed25519PrivateKey.from_private_bytes(private[2:]), public[2:]


def test_signing_reproduces_the_published_eddsa_jcs_2022_proof() -> None:
    signed, key, _ = _published()
    published_proof = signed.pop("proof")
    assert isinstance(published_proof, dict)
    ours = badges.sign_credential(
        signed, key, published_proof["verificationMethod"], published_proof["created"]
    )
    assert ours["proof"] == published_proof
    assert ours["proof"]["proofValue"] == (
        "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
    )
    signature = badges.base58btc_decode(ours["proof"]["proofValue"][1:])
    assert signature.hex() == (VECTORS / "sigHexJCS.txt").read_text(encoding="ascii").strip()


def test_the_published_credential_verifies_and_a_change_does_not() -> None:
    signed, _, public = _published()
    assert badges.public_key_of(signed["proof"]["verificationMethod"]) == public  # type: ignore[index]
    assert badges.verify_proof(signed, public)
    changed = json.loads(json.dumps(signed))
    changed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    assert not badges.verify_proof(changed, public)


@pytest.fixture
def badge_and_key(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path]:
    workshop_with(store, (NAME,))
    store.close()
    folder = tmp_path / "badges"
    assert main(["export", "certificates", "1", "--badges", str(folder)]) == 0
    assert capsys.readouterr().out == f"Exported 1 signed Open Badges to {folder}.\n"
    key_file = tmp_path / "key.json"
    assert main(["org", "public-key", "--out", str(key_file)]) == 0
    (badge,) = folder.iterdir()
    return badge, key_file


def _verify_elsewhere(
    badge: Path, key_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    capsys.readouterr()
    fresh = tmp_path / "fresh computer"
    with pytest.MonkeyPatch.context() as elsewhere:  # no organisation database there either
        elsewhere.delenv("AMIE_DATABASE_URL", raising=False)
        code = main(["--data-dir", str(fresh), "verify", str(badge), "--public-key", str(key_file)])
    assert not fresh.exists()
    said = capsys.readouterr()
    return code, (said.out + said.err).strip()


def test_a_badge_is_an_open_badge_credential_for_the_workshop(
    badge_and_key: tuple[Path, Path],
) -> None:
    badge, _ = badge_and_key
    assert badge.name == f"2026-11-25 CPD-2026-000001 {NAME}.json"
    document = json.loads(badge.read_text(encoding="utf-8"))
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert document["issuer"]["name"] == "Northfield Music Hub"
    assert document["issuer"]["id"].startswith("did:key:z6Mk")
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == NAME
    assert subject["creditsEarned"] == 3
    achievement = subject["achievement"]
    assert achievement["name"] == "Introduction to HEARD"
    assert (
        "Equitable (People facing the biggest barriers receive the most support)"
        in (achievement["criteria"]["narrative"])
    )
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert document["proof"]["verificationMethod"].startswith("did:key:z6Mk")


def test_a_badge_proves_itself_on_a_fresh_computer_and_any_change_fails(
    badge_and_key: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    badge, key_file = badge_and_key
    code, said = _verify_elsewhere(badge, key_file, tmp_path, capsys)
    assert code == 0
    assert said.startswith(
        f"Genuine: certificate CPD-2026-000001 was issued by Northfield Music Hub to {NAME} "
        "for Introduction to HEARD on 25 November 2026 (3 hours of CPD), issued on "
    )
    original = json.loads(badge.read_text(encoding="utf-8"))
    edits: dict[str, Callable[[dict[str, Any]], None]] = {
        "name": lambda d: d["credentialSubject"]["identifier"][0].update(identityHash="Olga"),
        "workshop": lambda d: d["credentialSubject"]["achievement"].update(name="Advanced"),
        "hours": lambda d: d["credentialSubject"].update(creditsEarned=30),
        "date": lambda d: d["credentialSubject"].update(activityEndDate="2026-11-26T00:00:00Z"),
        "issued": lambda d: d.update(validFrom="2025-01-01T00:00:00Z"),
        "issuer": lambda d: d["issuer"].update(name="Southfield Music Hub"),
        "criteria": lambda d: d["credentialSubject"]["achievement"]["criteria"].update(
            narrative="Anything"
        ),
    }
    for what, edit in edits.items():
        forged = json.loads(json.dumps(original))
        edit(forged)
        badge.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
        code, said = _verify_elsewhere(badge, key_file, tmp_path, capsys)
        assert code == 1, what
        assert said.startswith("amie-desktop: Not genuine: certificate CPD-2026-000001"), what


def test_a_revoked_badge_says_revoked(
    badge_and_key: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    badge, key_file = badge_and_key
    assert main(["certificates", "revoke", "CPD-2026-000001", "--reason", "Wrong person"]) == 0
    assert main(["org", "public-key", "--out", str(key_file)]) == 0
    code, said = _verify_elsewhere(badge, key_file, tmp_path, capsys)
    assert code == 1
    assert said.startswith("amie-desktop: Revoked: certificate CPD-2026-000001 for ")
    assert said.endswith("The reason given: Wrong person")
