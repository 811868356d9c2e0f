"""Nothing personal reaches the log: every command and the station's steps are run with
names, emails and answers nobody else uses, failures included, and every log file is read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc

from amie_desktop.app import build_parser, main
from amie_desktop.domain.values import Phase
from amie_desktop.logs import private_traceback
from amie_desktop.services import reflections, review, workshops
from amie_desktop.store import open_store

NAME = "Zebedee Quarrington-Vole"
EMAIL = "zebedee.qv@privacy-check.example"
WALK_IN = "Wilhelmina Tarrantella"
ORGANISATION = "Vole Valley Choir"
ANSWER = "I will let the Vole Valley tenors choose the warm-up songs"
REASON = "Issued to Zebedee by mistake"
PASSPHRASE = "voles never tell passphrases"
PRIVATE = [NAME, EMAIL, WALK_IN, ORGANISATION, ANSWER, REASON, "Zebedee", "Quarrington", PASSPHRASE]
NOW = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def _run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def _station_flow(folder: Path) -> None:
    """What the station does for one walk-in: open, add, start, draft, send, close."""
    store = open_store(folder)
    try:
        reflections.open_station(store, 1, Phase.AFTER, "1234", now=NOW)
        reflections.find_names(store, 1, "Zebedee")
        attendance = review.add_walk_in(store, 1, WALK_IN, now=NOW)
        reflections.pick_name(store, attendance, Phase.AFTER, now=NOW)
        reflections.save_draft(store, attendance, Phase.AFTER, {"do_differently": ANSWER}, NOW)
        answers = {f"rating.{code}": 4 for code in "HEARD"} | {"do_differently": ANSWER}
        reflections.submit(store, attendance, Phase.AFTER, answers, NOW)
        reflections.close_station(store, "1234", now=NOW)
    finally:
        store.close()


def test_no_name_email_or_answer_reaches_any_log_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    out = tmp_path / "out"
    out.mkdir()
    sheet = tmp_path / f"{NAME}.csv"
    sheet.write_text(f"name,email,organisation\n{NAME},{EMAIL},{ORGANISATION}\n", "utf-8")
    assert _run(folder, "demo") == 0
    _station_flow(folder)
    key = tmp_path / "passphrase.txt"
    key.write_text(PASSPHRASE, "utf-8")
    bundle = str(out / f"{NAME}.amiebundle")
    commands = [
        ["workshops"],
        ["workshops", "--json"],
        ["register", "import", "1", str(sheet), "--dry-run"],
        ["register", "import", "1", str(sheet)],
        ["register", "attended", "1", EMAIL],
        ["register", "attended", "1", NAME],
        ["export", "csv", "1", "--out", str(out / f"{NAME}.csv")],
        ["export", "summary", "1", "--out", str(out / f"{NAME}.pdf")],
        ["export", "programme", "--from", "2020-01-01", "--to", "2030-12-31",
         "--out", str(out / "programme.pdf")],
        ["export", "certificates", "1", "--out", str(out / NAME)],
        ["verify", f"{NAME}-not-a-code"],
        ["certificates", "revoke", "NOPE-0000", "--reason", REASON],
        ["org", "public-key", "--out", str(out / "key.json")],
        ["backup"],
        ["backup", "--out", str(out / f"{NAME}.sqlite3")],
        ["restore", str(out / f"{NAME}.sqlite3")],
        ["station", "serve", EMAIL, "--phase", "after"],
        ["sync"],
        ["bundle", "export", "--out", bundle, "--passphrase-file", str(key)],
        ["bundle", "import", bundle, "--passphrase-file", str(key)],  # its own: refused
        ["erase-person", EMAIL.upper()],
        ["erase-person", f"{NAME}@nowhere.example", "--yes"],
        ["erase-person", EMAIL, "--yes"],
    ]  # fmt: skip
    covered = {command[0] for command in commands} | {"demo"}
    (subcommands,) = [a for a in build_parser()._actions if a.dest == "command"]
    assert set(subcommands.choices) <= covered  # type: ignore[arg-type]
    for command in commands:
        code = _run(folder, *command)
        assert code in (0, 1, 2), command
    # Failures nothing expected: the messages of their exceptions quote personal data.
    failures = [
        RuntimeError(f"could not decode the reflection {ANSWER!r}"),
        sa_exc.IntegrityError(
            "INSERT INTO person ...", {"email": EMAIL},
            Exception(f'duplicate key value violates unique constraint "uq_person_email" '
                      f"DETAIL: Key (email)=({EMAIL}) already exists."),
        ),
        UnicodeDecodeError("utf-8", ANSWER.encode() + b"\xff", len(ANSWER), len(ANSWER) + 1,
                           f"invalid start byte in {NAME}"),
        FileNotFoundError(2, "No such file or directory", str(out / f"{NAME}.pdf")),
    ]  # fmt: skip
    for failure in failures:

        def broken(_store: object, failure: Exception = failure) -> list[object]:
            raise failure

        monkeypatch.setattr(workshops, "list_workshops", broken)
        assert _run(folder, "workshops") == 1
    capsys.readouterr()

    logs = sorted((folder / "logs").iterdir())
    assert logs
    text = "\n".join(path.read_text("utf-8", errors="replace") for path in logs)
    assert "command workshops failed" in text  # the failures were logged, without their data
    assert "IntegrityError" in text and "UnicodeDecodeError" in text
    found = sorted({word for word in PRIVATE if word.casefold() in text.casefold()})
    assert found == []


def test_a_logged_traceback_names_each_exception_and_where_but_quotes_no_data() -> None:
    try:
        try:
            raise OSError(28, "No space left on device", f"/home/x/{NAME}.pdf")
        except OSError as inner:
            raise ValueError(f"bad name {NAME}") from inner
    except ValueError as outer:
        said = private_traceback(outer)
    assert NAME not in said
    assert "OSError: [Errno 28] No space left on device" in said
    assert "ValueError (its message is left out" in said
    assert "test_a_logged_traceback_names_each_exception" in said  # where it happened
