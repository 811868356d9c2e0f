"""The architecture's layer rules: ui -> services -> store/reports -> domain, Qt only in ui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "amie_desktop"
# What each layer may import from the app itself.
ALLOWED = {
    "domain": {"domain"},
    "store": {"store", "domain"},
    "reports": {"reports", "domain"},
    "services": {"services", "store", "reports", "domain"},
    "ui": {"ui", "services", "domain", "store"},
}
QT_FREE = ("domain", "store", "services", "reports")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in ALLOWED else None


def test_the_scan_sees_every_layer() -> None:
    layers = {_layer(p) for p in _modules()}
    assert set(ALLOWED) <= layers


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_keeps_to_its_layer(path: Path) -> None:
    layer = _layer(path)
    for name in _imports(path):
        if layer in QT_FREE:
            assert not name.startswith("PySide6"), f"{path.name} imports Qt ({name})"
        if layer == "ui":
            assert not name.startswith(("sqlalchemy", "amie_desktop.store.")), (
                f"{path.name}: widgets call services, never the database ({name})"
            )
        if name.startswith("amie_desktop.") and layer is not None:
            target = name.split(".")[1]
            if target in ALLOWED:
                assert target in ALLOWED[layer], f"{layer} must not import {target} ({name})"


def test_headless_commands_never_load_qt() -> None:
    for name in ("cli.py", "app.py"):
        top_level = [
            n for n in ast.parse((PACKAGE / name).read_text()).body
            if isinstance(n, ast.Import | ast.ImportFrom)
        ]  # fmt: skip
        for node in top_level:
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            assert not (module or "").startswith(("PySide6", "amie_desktop.ui")), name
