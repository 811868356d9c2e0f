"""Running the command line as a user does: a fresh process, its output as text."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "amie_desktop", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
