"""Linux desktop integration files validate with the tools distributions use."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run installs it from Debian")
        pytest.skip(f"{name} is not installed")
    return path


def test_appstream_metainfo_validates() -> None:
    tool = _tool("appstreamcli")
    (metainfo,) = LINUX.glob("*.metainfo.xml")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(metainfo)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_validates_and_names_the_installed_command() -> None:
    tool = _tool("desktop-file-validate")
    (entry,) = LINUX.glob("*.desktop")
    result = subprocess.run([tool, str(entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert "Exec=amie-desktop" in lines and "Icon=amie-desktop" in lines
