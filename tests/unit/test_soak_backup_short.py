"""A short run of bench/soak_backup.py: SIGKILL during writes and backups loses nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "soak_backup.py"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_killing_the_app_while_it_saves_loses_no_committed_row_and_breaks_no_backup() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "6", "--seed", "7"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("6 SIGKILLs")
    assert "All checks passed" in result.stdout
