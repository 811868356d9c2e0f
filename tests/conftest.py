"""Every test runs offscreen, with its own temporary data folder; none touches the real one.

Store, service and command-line tests that use the `store` fixture run twice: on SQLite and on
a real PostgreSQL server (a throwaway cluster on 127.0.0.1, one fresh database per test).
"""

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
from tests import postgres

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots-out"
TESTS = Path(__file__).resolve().parent
# Where the `store` fixture runs on both engines; elsewhere (the window, reports) SQLite only.
BOTH_ENGINES = (
    TESTS / "unit" / "store",
    TESTS / "unit" / "services",
    TESTS / "unit" / "test_cli.py",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test is about the SQLite file itself"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_kind" not in metafunc.fixturenames:
        return
    path = Path(str(metafunc.definition.path))
    both = any(path == place or place in path.parents for place in BOTH_ENGINES)
    if both and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[postgres.Cluster]:
    """A PostgreSQL cluster for the whole run; with CI=true, missing binaries fail the tests."""
    reason = postgres.missing_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests cannot run on CI: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    cluster = postgres.Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh, migrated, empty PostgreSQL database, dropped after the test."""
    cluster: postgres.Cluster = request.getfixturevalue("postgres_cluster")
    name, url = cluster.new_database()
    yield url
    cluster.drop(name)


@pytest.fixture
def database_url(database_kind: str, request: pytest.FixtureRequest) -> str | None:
    """None for SQLite in the data folder; a PostgreSQL URL on the PostgreSQL run."""
    if database_kind == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return None


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("AMIE_DATA_DIR", str(folder))
    monkeypatch.delenv("AMIE_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def store(
    data_dir: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Store]:
    if database_url is not None:  # the command line and reopened stores find the same database
        monkeypatch.setenv("AMIE_DATABASE_URL", database_url)
    opened = open_store(data_dir, database_url)
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
