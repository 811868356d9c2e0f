"""A wheel built from the repository carries every file of the top-level assets/ folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

# Runs in a clean interpreter (-S: no site, so not the editable install of this checkout),
# with the wheel's files first on the path and the dependencies from this environment.
PROBE = """
import json, sys
from importlib import resources
import amie_desktop
from amie_desktop.domain.content import asset_folder, builtin_templates, reflection_questions
folder = asset_folder()
files = sorted(
    str(p.relative_to(str(folder))) for p in __import__("pathlib").Path(str(folder)).rglob("*")
    if p.is_file() and "__pycache__" not in p.parts
)
print(json.dumps({
    "package": amie_desktop.__file__,
    "files": files,
    "templates": len(builtin_templates()),
    "questions": len(reflection_questions().questions),
}))
"""


def _repository_assets() -> list[str]:
    folder = ROOT / "assets"
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def _clean_copy(tmp_path: Path) -> Path:
    """The files a wheel is built from, without build/ left over from an earlier build."""
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in ("amie_desktop", "assets"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    return source


def test_an_installed_wheel_finds_every_asset(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "-w", str(wheels), str(_clean_copy(tmp_path))],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = wheels.glob("amie_desktop-*.whl")
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    dependencies = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), dependencies])}
    result = subprocess.run(
        [sys.executable, "-S", "-c", PROBE],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    found = json.loads(result.stdout)
    assert found["package"].startswith(str(target))
    assert found["files"] == _repository_assets()
    assert "fonts/AmieNames-Regular.ttf" in found["files"]
    assert found["templates"] >= 2
    assert found["questions"] >= 5
