"""The command line, run as an admin would: exit codes, messages, JSON."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from amie_desktop import __version__
from amie_desktop.app import main
from tests.unit.cli_helpers import run


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"amie-desktop {__version__}"


def test_demo_then_workshops_json_lists_the_demo_workshops(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    made = run("--data-dir", str(folder), "demo")
    assert made.returncode == 0, made.stderr
    assert "PIN is 1234" in made.stdout

    listed = run("--data-dir", str(folder), "workshops", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 6
    assert set(rows[0]) == {"id", "uuid", "title", "date", "start_time", "venue",
                            "facilitators", "status", "booked", "attended"}  # fmt: skip
    assert any(r["title"] == "Introduction to HEARD" and r["attended"] > 0 for r in rows)


def test_demo_twice_is_a_user_error_unless_if_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "d")
    assert main(["--data-dir", folder, "demo"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "demo"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already has workshops" in err
    assert main(["--data-dir", folder, "demo", "--if-empty"]) == 0


def test_workshops_plain_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(tmp_path / "d")
    assert main(["--data-dir", folder, "workshops"]) == 0
    assert capsys.readouterr().out.strip() == "No workshops yet."


def test_a_newer_database_exits_1_with_one_plain_line(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    assert run("--data-dir", str(folder), "workshops").returncode == 0
    db = folder / "amie.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    connection.close()
    before = db.read_bytes()
    result = run("--data-dir", str(folder), "workshops", "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "newer version" in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before


def test_unknown_command_is_a_usage_error() -> None:
    result = run("frobnicate")
    assert result.returncode == 2


def test_every_command_offered_in_help_has_a_handler() -> None:
    from amie_desktop.app import build_parser

    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    assert {"demo", "workshops"} <= set(subparsers.choices)  # type: ignore[arg-type]
    for name, sub in subparsers.choices.items():  # type: ignore[union-attr]
        assert callable(sub.get_default("handler")), name
    assert run("--help").returncode == 0


def test_data_dir_from_environment(tmp_path: Path) -> None:
    folder = tmp_path / "from-env"
    env = {**os.environ, "AMIE_DATA_DIR": str(folder)}
    result = subprocess.run(
        [sys.executable, "-m", "amie_desktop", "workshops"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert (folder / "amie.sqlite3").exists()


def test_an_unexpected_failure_gives_one_line_and_the_details_go_to_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from amie_desktop.services import workshops

    def broken(_store: object) -> list[object]:
        raise RuntimeError("the disk controller hiccupped")

    monkeypatch.setattr(workshops, "list_workshops", broken)
    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "workshops"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "could not handle" in err
    log = (folder / "logs" / "amie-desktop.log").read_text(encoding="utf-8")
    # Where it failed and what kind of error, but not the error's words (they may quote data).
    assert "RuntimeError" in log and "in broken" in log
    assert "RuntimeError: the disk controller hiccupped" not in log


def test_the_log_never_holds_a_pin(tmp_path: Path) -> None:
    from amie_desktop.services import organisation
    from amie_desktop.services.organisation import PinError
    from amie_desktop.store import open_store

    folder = tmp_path / "d"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    store = open_store(folder)
    with pytest.raises(PinError):
        organisation.verify_pin(store, "97531")
    organisation.change_pin(store, "1234", "86420", "86420")
    store.close()
    log = (folder / "logs" / "amie-desktop.log").read_text(encoding="utf-8")
    assert "97531" not in log and "86420" not in log


def test_an_unwritable_data_folder_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    assert main(["--data-dir", str(blocker), "workshops"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be written to" in err


def test_database_url_points_at_another_database(tmp_path: Path) -> None:
    other = tmp_path / "shared" / "team.sqlite3"
    other.parent.mkdir()
    folder = tmp_path / "d"
    url = f"sqlite:///{other}"
    assert run("--data-dir", str(folder), "--database-url", url, "demo").returncode == 0
    listed = run("--data-dir", str(folder), "--database-url", url, "workshops", "--json")
    assert len(json.loads(listed.stdout)) == 6
    assert other.exists() and not (folder / "amie.sqlite3").exists()
    env = {**os.environ, "AMIE_DATABASE_URL": url}
    from_env = subprocess.run(
        [sys.executable, "-m", "amie_desktop", "--data-dir", str(folder), "workshops", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert len(json.loads(from_env.stdout)) == 6


def test_opening_the_window_does_not_load_the_pdf_code() -> None:
    """Start-up speed: the command line is parsed for the window too, and the report and PDF
    libraries (a large share of start-up) load only when an export is made."""
    code = (
        "import sys; from amie_desktop.app import build_parser; "
        "import amie_desktop.ui.application, amie_desktop.ui.main_window; "
        "build_parser().parse_args([]); "
        "print(sorted(m for m in ('reportlab', 'pypdfium2', 'segno', 'uharfbuzz') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.strip() == "[]"
