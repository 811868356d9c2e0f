"""Fixtures for document tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder to export into (the data folder lives beside it, not in it)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder
