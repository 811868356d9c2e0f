"""Every test runs offscreen, with its own temporary data folder; none touches the real one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("AMIE_DATABASE_URL", None)

from amie_desktop.services import demo
from amie_desktop.store import Store, open_store

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots-out"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("AMIE_DATA_DIR", str(folder))
    monkeypatch.delenv("AMIE_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store: Store) -> Store:
    demo.add_demo(store, today=date(2026, 11, 25))
    return store


@pytest.fixture
def screenshot_dir() -> Path:
    """Where screen grabs go, for a person to look at (kept out of git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
