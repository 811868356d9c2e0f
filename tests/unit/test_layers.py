"""The layer rules (ui -> services -> store/reports -> domain; Qt only in ui) as contracts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_of_the_code(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "amie_desktop", tree / "amie_desktop")
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint_imports(_copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


PROBES = {
    # Each forbidden import, in the three forms the old hand-written scan missed or caught.
    "reports_imports_store_package": ("reports/_probe.py", "from amie_desktop import store\n"),
    "domain_imports_services_relatively": ("domain/_probe.py", "from .. import services\n"),
    "store_imports_qt_inside_a_function": (
        "store/_probe.py",
        "def f() -> None:\n    import PySide6.QtWidgets\n",
    ),
    "ui_imports_the_models": ("ui/_probe.py", "from amie_desktop.store import models\n"),
    "ui_uses_sqlalchemy": ("ui/_probe.py", "import sqlalchemy\n"),
    "services_import_the_window": ("services/_probe.py", "import amie_desktop.ui.jobs\n"),
}


@pytest.mark.parametrize("where,code", list(PROBES.values()), ids=list(PROBES))
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, where: str, code: str) -> None:
    tree = _copy_of_the_code(tmp_path)
    (tree / "amie_desktop" / where).write_text(code, encoding="utf-8")
    result = _lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
