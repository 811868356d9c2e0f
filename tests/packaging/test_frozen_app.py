"""The Linux bundle builds from the spec, and the frozen app runs its command line offscreen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("bundle")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    assert pyinstaller.exists(), "pyinstaller is part of the test extras"
    subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(ROOT / "packaging" / "amie-desktop.spec")],
        check=True, cwd=ROOT, timeout=900,
    )  # fmt: skip
    app = work / "dist" / "amie-desktop" / "amie-desktop"
    assert app.exists()
    yield app
    shutil.rmtree(work, ignore_errors=True)


def _run(app: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(app), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_frozen_app_reports_its_version(frozen_app: Path) -> None:
    from amie_desktop import __version__

    result = _run(frozen_app, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"amie-desktop {__version__}"


def test_frozen_app_builds_the_demo_with_its_migrations_and_content(
    frozen_app: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "frozen-data"
    made = _run(frozen_app, "--data-dir", str(folder), "demo")
    assert made.returncode == 0, made.stderr
    listed = _run(frozen_app, "--data-dir", str(folder), "workshops", "--json")
    assert listed.returncode == 0, listed.stderr
    titles = {row["title"] for row in json.loads(listed.stdout)}
    assert "Introduction to HEARD" in titles and len(titles) >= 4
