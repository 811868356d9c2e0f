"""Four laptops syncing at the same moment (bench/sync_many.py, small): none lost, none twice."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from amie_desktop.store import open_store
from tests.sync_helpers import canonical

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "sync_many.py"


@pytest.mark.slow
def test_four_laptops_syncing_at_once_leave_each_person_once_and_every_serial_unique(
    postgres_url: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--laptops", "4", "--workshops", "3",
         "--per-workshop", "8", "--org", postgres_url],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout

    org = open_store(tmp_path / "org", postgres_url)
    try:
        dump = canonical(org)
    finally:
        org.close()
    assert len(dump["workshop"]) == 12  # 4 laptops x 3 workshops
    assert len(dump["attendance"]) == 96  # x 8 people each
    assert len(dump["person"]) == 90  # 10 booked on every laptop + 4 x 20 of their own
    emails = Counter(person["email"] for person in dump["person"])
    assert emails["shared0@example.org"] == 1 and max(emails.values()) == 1
    serials = sorted(certificate["serial"] for certificate in dump["certificate"])
    assert len(serials) == 96 and len(set(serials)) == 96
    assert Counter(serial.split("-")[2] for serial in serials) == {
        "A": 24, "B": 24, "C": 24, "D": 24
    }  # fmt: skip
    trainers = {tuple(w["facilitators"]) for w in dump["workshop"]}
    assert trainers == {("Trainer 1",), ("Trainer 2",), ("Trainer 3",), ("Trainer 4",)}
