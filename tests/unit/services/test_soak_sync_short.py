"""A short run of bench/soak_sync.py: SIGKILL of a sync at random moments loses nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres import Cluster

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "soak_sync.py"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_killing_a_sync_again_and_again_ends_as_if_it_had_never_been_killed(
    postgres_cluster: Cluster,  # skips (or fails on CI) where PostgreSQL cannot run
) -> None:
    # The script starts a cluster of its own: it copies and drops databases as it goes.
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--kills", "10", "--workshops", "4", "--seed", "5"],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^10 SIGKILLs of amie-desktop sync", result.stdout, re.MULTILINE)
    assert "the next changed nothing: True" in result.stdout
    assert "All checks passed." in result.stdout
