"""PostgreSQL as the organisation's database: the same migrations, commands and plain words."""

from __future__ import annotations

import csv
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from amie_desktop.app import main
from amie_desktop.services import backups
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store, open_store
from amie_desktop.store.database import head_revision
from amie_desktop.store.models import Base
from tests.postgres import Cluster


@pytest.fixture
def empty_postgres(postgres_cluster: Cluster) -> str:
    """A database with no tables at all, as an admin hands it over."""
    name = "amie_empty"
    postgres_cluster.drop(name)
    return postgres_cluster.create(name, template="template0")


def test_migrating_an_empty_postgresql_database_matches_the_models(
    data_dir: Path, empty_postgres: str
) -> None:
    store = open_store(data_dir, empty_postgres)
    try:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == head_revision()
            differences = compare_metadata(context, Base.metadata)
    finally:
        store.close()
    assert differences == []


def test_laptops_opening_a_new_organisation_database_at_once_all_get_in(
    data_dir: Path, empty_postgres: str
) -> None:
    start = threading.Barrier(4)

    def open_one(number: int) -> Store:
        start.wait()
        return open_store(data_dir / str(number), empty_postgres)

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(open_one, n) for n in range(4)]
        opened = [future.result(timeout=120) for future in futures]
    for store in opened:
        store.close()
    assert len(opened) == 4


def test_every_command_works_on_postgresql(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path / "d"), "--database-url", postgres_url, *args])
        said = capsys.readouterr()
        return code, said.out, said.err

    assert run("demo")[0] == 0
    code, out, _ = run("workshops", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 6
    done = next(r for r in rows if r["attended"] > 0)

    people = tmp_path / "people.csv"
    people.write_text("Name,Email\nAnwen Price,anwen@example.org\n", encoding="utf-8")
    code, out, _ = run("register", "import", str(done["id"]), str(people))
    assert code == 0 and "1" in out

    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    code, _, err = run("export", "certificates", str(done["id"]), "--out", str(out_dir))
    assert code == 0, err
    assert list(out_dir.glob("*.pdf"))
    code, _, err = run("export", "csv", str(done["id"]), "--out", str(out_dir / "register.csv"))
    assert code == 0, err
    register = list(csv.DictReader(io.StringIO((out_dir / "register.csv").read_text("utf-8-sig"))))
    assert any(row.get("Name") == "Anwen Price" for row in register)
    code, _, err = run(
        "export", "programme", "--from", "2020-01-01", "--to", "2030-12-31",
        "--out", str(out_dir / "programme.pdf"),
    )  # fmt: skip
    assert code == 0, err
    assert (out_dir / "programme.pdf").read_bytes().startswith(b"%PDF")

    code, _, err = run("erase-person", "anwen@example.org", "--yes")
    assert code == 0, err
    code, out, _ = run("workshops", "--json")
    assert next(r for r in json.loads(out) if r["id"] == done["id"])["booked"] == done["booked"]

    # Backups of a server are the server's job: the app says so plainly and writes nothing.
    for command in (("backup",), ("restore", str(tmp_path / "any.sqlite3"))):
        code, _, err = run(*command)
        assert code == 1
        assert "pg_dump" in err and "Traceback" not in err
    assert not (tmp_path / "d" / "backups").exists() or not any(
        (tmp_path / "d" / "backups").glob("*.sqlite3")
    )


def test_backups_on_postgresql_point_to_pg_dump(data_dir: Path, postgres_url: str) -> None:
    store = open_store(data_dir, postgres_url)
    try:
        with pytest.raises(UserError, match="pg_dump"):
            backups.make_backup(store, "manual")
    finally:
        store.close()
