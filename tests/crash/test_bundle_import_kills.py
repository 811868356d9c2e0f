"""A short run of bench/soak_bundle.py: SIGKILL during `bundle import` never leaves half a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "soak_bundle.py"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_killing_a_bundle_import_leaves_all_or_nothing_and_the_next_import_finishes() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--kills", "10", "--workshops", "40", "--seed", "3"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("10 SIGKILLs of bundle import")
    assert "All checks passed" in result.stdout
