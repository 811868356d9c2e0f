"""Importing registers from CSV files as spreadsheets and booking sites really write them."""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from amie_desktop.app import main
from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import exports, register, workshops
from amie_desktop.services.errors import Cancelled, UserError
from amie_desktop.services.register_import import (
    ColumnMapping,
    CsvFile,
    Field,
    ImportCancelled,
    Outcome,
    apply_import,
    guess_mapping,
    plan_import,
    read_csv,
    read_csv_file,
    rejects_as_text,
    save_rejects,
)
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Attendance, Person


def _workshop(store: Store) -> int:
    return workshops.create_from_template(
        store, builtin_templates()[0], title="Taster", on=date(2026, 11, 25), start=time(10)
    )


def _import(store: Store, workshop_id: int, data: bytes) -> tuple[CsvFile, list[str]]:
    source = read_csv(data)
    plan = apply_import(store, workshop_id, source, guess_mapping(source.headers))
    assert not plan.rejects, plan.rejects
    return source, [r.name for r in register.list_register(store, workshop_id)]


def _counts(store: Store) -> tuple[int, int]:
    with store.read() as session:
        people = session.scalar(select(func.count(Person.id))) or 0
        attendances = session.scalar(select(func.count(Attendance.id))) or 0
    return int(people), int(attendances)


EXCEL_UTF16 = "First name\tSurname\tE-mail\tOrganization\nŁukasz\tWiśniewski\tlw@example.org\tRiverside\n王\t芳\twang@example.org\tChinese School\n"  # noqa: E501


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        pytest.param("Name,Email\nZoë Ó Briain,zoe@example.org\nJürgen Müller,jm@example.org\n"
                     .encode(), "UTF-8", "comma", id="utf8-comma"),
        pytest.param(codecs.BOM_UTF8 + "Full name;Email address;Organisation\r\nZoë Ó Briain;"
                     "zoe@example.org;Northfield\r\nJürgen Müller;jm@example.org;\r\n".encode(),
                     "UTF-8 with BOM", "semicolon", id="utf8-bom-semicolon"),
        pytest.param("NAME,EMAIL ADDRESS\r\nZoë Ó Briain,zoe@example.org\r\nJürgen Müller,"
                     "jm@example.org\r\n".encode("cp1252"), "Windows-1252", "comma",
                     id="excel-cp1252"),
        pytest.param(codecs.BOM_UTF16_LE + "Name\tEmail\r\nZoë Ó Briain\tzoe@example.org\r\n"
                     "Jürgen Müller\tjm@example.org\r\n".encode("utf-16-le"), "UTF-16", "tab",
                     id="excel-unicode-text"),
        pytest.param("Name\tEmail\nZoë Ó Briain\tzoe@example.org\nJürgen Müller\tjm@example.org\n"
                     .encode("utf-16-le"), "UTF-16", "tab", id="utf16-without-bom"),
    ],
)  # fmt: skip
def test_every_encoding_and_separator_reads_the_same_people(
    store: Store, data: bytes, encoding: str, delimiter: str
) -> None:
    wid = _workshop(store)
    source, names = _import(store, wid, data)
    assert (source.encoding, source.delimiter_name) == (encoding, delimiter)
    assert names == ["Jürgen Müller", "Zoë Ó Briain"]
    assert [p.email for p in register.search_people(store, "zoe")] == ["zoe@example.org"]


def test_first_name_and_surname_columns_make_the_name(store: Store) -> None:
    wid = _workshop(store)
    source, names = _import(store, wid, codecs.BOM_UTF16_LE + EXCEL_UTF16.encode("utf-16-le"))
    assert guess_mapping(source.headers) == ColumnMapping(
        first_name=0, last_name=1, email=2, organisation=3
    )
    assert names == ["Łukasz Wiśniewski", "王 芳"]
    assert register.search_people(store, "lukasz")[0].organisation == "Riverside"


def test_quoted_fields_keep_commas_quotes_and_line_breaks(store: Store) -> None:
    data = (
        b'Name,Organisation,Role\n"Okafor, Chidi","Beatworks\nCIC","Producer ""and"" DJ"\n'
        b"Ann Lee,Hub,Tutor\n"
    )
    wid = _workshop(store)
    source = read_csv(data)
    assert [line for line, _ in source.rows] == [2, 4]
    apply_import(store, wid, source, guess_mapping(source.headers))
    chidi = register.search_people(store, "chidi")[0]
    assert (chidi.name, chidi.organisation, chidi.role) == (
        "Okafor, Chidi", "Beatworks\nCIC", 'Producer "and" DJ'
    )  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"),
    [("Full Name", Field.NAME), ("attendee name", Field.NAME), ("FORENAME", Field.FIRST_NAME),
     ("Last name", Field.LAST_NAME), ("E-mail", Field.EMAIL), ("Email Address", Field.EMAIL),
     ("Organisation", Field.ORGANISATION), ("organization", Field.ORGANISATION),
     ("Job title", Field.ROLE)],
)  # fmt: skip
def test_header_variants_are_recognised(header: str, field: Field) -> None:
    assert guess_mapping(["Ticket number", header]).column(field) == 1


def test_unusable_rows_are_listed_with_the_reason_and_the_rest_imported(store: Store) -> None:
    data = (
        b"Name,Email\n"
        b"Ann Lee,ann@example.org\n"
        b",nobody@example.org\n"
        b"Bo Chen,bo at example\n"
        b"Ann Lee,ANN@example.org\n"
        b"Cy Ng,\n"
        b"cy  ng,\n"
        b",,\n"
    )
    wid = _workshop(store)
    source = read_csv(data)
    plan = apply_import(store, wid, source, guess_mapping(source.headers))
    assert [(r.line, r.reason) for r in plan.rejects] == [
        (3, "There is no name"),
        (4, "'bo at example' is not an email address"),
        (5, "Duplicate of line 2 in this file"),
        (7, "Duplicate of line 6 in this file"),
    ]
    assert [r.name for r in register.list_register(store, wid)] == ["Ann Lee", "Cy Ng"]


def test_rows_left_out_are_saved_to_fix_and_import_again(store: Store, tmp_path: Path) -> None:
    data = (
        "Ticket;Attendee;Email;Organisation\r\n"
        "1;Zoë Ó Briain;zoe@example.org;Northfield\r\n"
        "2;Bo Chen;bo at example;=HYPERLINK(1)\r\n"
        '3;"Ann\tLee";;Harbour\r\n'
        '4;"Cy Ng;cy@example.org\r\n'
        "5;Dee Roy;dee@example.org;\r\n"
        "6;;nobody@example.org;Riverside\r\n"
    ).encode()
    wid = _workshop(store)
    source = read_csv(data)
    plan = apply_import(store, wid, source, guess_mapping(source.headers))
    assert [(r.line, r.reason) for r in plan.rejects] == [
        (3, "'bo at example' is not an email address"),
        (5, "A quote mark on this line is never closed, so the row cannot be read"),
        (7, "There is no name"),
    ]
    # Copied for a spreadsheet: one line per row left out, three tab-separated cells each.
    assert rejects_as_text(plan) == (
        "Line\tReason\tRow in the file\n"
        "3\t'bo at example' is not an email address\t2;Bo Chen;bo at example;=HYPERLINK(1)\n"
        "5\tA quote mark on this line is never closed, so the row cannot be read\t"
        '4;"Cy Ng;cy@example.org\n'
        "7\tThere is no name\t6;;nobody@example.org;Riverside\n"
    )
    out = tmp_path / "not imported.csv"
    assert save_rejects(plan, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert list(csv.reader(raw.decode("utf-8-sig").splitlines())) == [
        ["Ticket", "Attendee", "Email", "Organisation", "Why it was not imported",
         "Line in the first file"],
        ["2", "Bo Chen", "bo at example", "'=HYPERLINK(1)",
         "'bo at example' is not an email address", "3"],
        ['4;"Cy Ng;cy@example.org', "", "", "",
         "A quote mark on this line is never closed, so the row cannot be read", "5"],
        ["6", "", "nobody@example.org", "Riverside", "There is no name", "7"],
    ]  # fmt: skip
    # Put right in a spreadsheet and imported again: the extra columns are not mistaken for
    # anything, and the fixed rows join the register.
    fixed = out.read_text("utf-8-sig").replace("bo at example", "bo@example.org", 1)
    fixed = fixed.replace("6,,nobody", "6,Eve Park,nobody")
    out.write_text(fixed, "utf-8-sig")
    again = read_csv_file(out)
    second = apply_import(store, wid, again, guess_mapping(again.headers))
    assert [r.name for r in second.rows] == ["Bo Chen", "Eve Park"]
    assert [r.line for r in second.rejects] == [3]


def test_no_rows_left_out_saves_just_the_headings(store: Store, tmp_path: Path) -> None:
    wid = _workshop(store)
    source = read_csv(b"Name,Email\nAnn Lee,ann@example.org\n")
    plan = apply_import(store, wid, source, guess_mapping(source.headers))
    assert rejects_as_text(plan) == "Line\tReason\tRow in the file\n"
    assert save_rejects(plan, tmp_path / "none.csv") == 0
    with pytest.raises(UserError, match="does not exist"):
        save_rejects(plan, tmp_path / "missing" / "x.csv")


def test_reimporting_adds_nobody_twice_and_shows_what_matched(store: Store) -> None:
    known = register.add_person(store, _workshop(store), "Jürgen Müller", organisation="")
    wid = _workshop(store)
    data = "Name,Email,Organisation\nZoë,zoe@example.org,Hub\njurgen muller,,Brass\n".encode()
    source = read_csv(data)
    mapping = guess_mapping(source.headers)
    first = apply_import(store, wid, source, mapping)
    assert [(r.outcome, r.matched_name, r.matched_by) for r in first.rows] == [
        (Outcome.NEW_PERSON, "", ""), (Outcome.MATCHED, "Jürgen Müller", "name")
    ]  # fmt: skip
    assert first.updated == 1
    assert register.search_people(store, "muller")[0].organisation == "Brass"
    counts = _counts(store)
    second = apply_import(store, wid, source, mapping)
    assert _counts(store) == counts
    assert [r.outcome for r in second.rows] == [Outcome.ON_REGISTER] * 2
    assert second.rows[0].describe() == "Already on the register (matched Zoë by email)"
    assert known.person.id in {r.person.id for r in register.list_register(store, wid)}


def test_formula_like_cells_are_stored_exactly_as_typed(store: Store) -> None:
    cells = ['=HYPERLINK("http://x","y")', "+44 7700 900123", "-Dash", "@handle"]
    data = "Name,Organisation\n" + "".join(
        f'"{c.replace(chr(34), 2 * chr(34))}",Org{n}\n' for n, c in enumerate(cells)
    )
    wid = _workshop(store)
    _import(store, wid, data.encode())
    assert sorted(r.name for r in register.list_register(store, wid)) == sorted(cells)


def test_formula_like_cells_never_become_formulas_when_exported(
    store: Store, tmp_path: Path
) -> None:
    data = (
        "Name,Email,Organisation,Role\n"
        '"=cmd|\' /C calc\'!A0",a@example.org,"\t=1+1","+SUM(1,2)"\n'
        '"@Ayo",b@example.org,"\r-2+3",\t@role\n'
        '-Dash,c@example.org,Hub,"=HYPERLINK(""http://x"")"\n'
    )
    wid = _workshop(store)
    _import(store, wid, data.encode())
    kept = {
        (r.name, r.person.organisation, r.person.role) for r in register.list_register(store, wid)
    }
    assert kept == {
        ("=cmd|' /C calc'!A0", "=1+1", "+SUM(1,2)"),
        ("@Ayo", "-2+3", "@role"),
        ("-Dash", "Hub", '=HYPERLINK("http://x")'),
    }
    out = tmp_path / "register.csv"
    exports.export_csv(store, wid, out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.reader(handle))
    cells = [cell for row in exported[1:] for cell in row[:4]]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=cmd|' /C calc'!A0" in cells and "'@role" in cells and "Hub" in cells


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel workbook"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"", "empty"),
        (b"\n\r\n  \n", "empty"),
        (codecs.BOM_UTF16_LE, "empty"),
        (bytes(range(256)) * 4, "not a CSV"),
    ],
    ids=["xlsx", "pdf", "empty", "blank-lines", "bom-only", "binary"],
)
def test_a_file_that_is_not_a_csv_gets_one_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        read_csv(data)
    assert "\n" not in str(caught.value)


def test_the_preview_saves_nothing_and_the_mapping_can_be_changed(store: Store) -> None:
    wid = _workshop(store)
    source = read_csv(b"Ticket,Who,Contact\n1001,Ann Lee,ann@example.org\n")
    guessed = guess_mapping(source.headers)
    assert guessed.name is None
    with pytest.raises(UserError, match="column that holds people's names"):
        plan_import(store, wid, source, guessed)
    mapping = guessed.with_column(Field.NAME, 1).with_column(Field.EMAIL, 2)
    preview = plan_import(store, wid, source, mapping)
    assert [(r.name, r.email) for r in preview.rows] == [("Ann Lee", "ann@example.org")]
    assert not preview.saved and _counts(store) == (0, 0)


def test_a_cancelled_import_saves_nobody(store: Store) -> None:
    wid = _workshop(store)
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(120))
    source = read_csv(("Name,Email\n" + rows).encode())
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done >= 100:
            raise ImportCancelled("The import was cancelled; nobody was added.")

    with pytest.raises(ImportCancelled, match="nobody was added"):
        apply_import(store, wid, source, guess_mapping(source.headers), progress)
    assert seen[-1] == 100 and _counts(store) == (0, 0)


def test_a_preview_no_longer_wanted_stops_part_way(store: Store) -> None:
    # The window works the preview out in the background and stops it when the trainer
    # picks other columns before it is ready.
    wid = _workshop(store)
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(300))
    source = read_csv(("Name,Email\n" + rows).encode())
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 150:
            raise Cancelled("The preview is no longer wanted.")

    with pytest.raises(Cancelled):
        plan_import(store, wid, source, guess_mapping(source.headers), progress)
    assert seen == [(0, 300), (50, 300), (100, 300), (150, 300)]
    everything = plan_import(store, wid, source, guess_mapping(source.headers), lambda *_: None)
    assert everything.added == 300 and not everything.saved and _counts(store) == (0, 0)


# The command line --------------------------------------------------------------------


def test_command_line_dry_run_then_import_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    store = open_store(folder)
    wid = _workshop(store)
    store.close()
    csv_file = tmp_path / "register.csv"
    csv_file.write_bytes("Name;Email\nZoë;zoe@example.org\n;x@example.org\n".encode("cp1252"))
    base = ["--data-dir", str(folder), "register", "import", str(wid), str(csv_file)]

    assert main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Would add 1 person") and "line 3 rejected: There is no name" in out
    assert main([*base, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["saved"], result["added"], result["encoding"]) == (True, 1, "Windows-1252")
    assert result["rejected"] == [{"line": 3, "reason": "There is no name"}]
    assert main([*base, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["added"], again["already_on_register"]) == (0, 1)
    assert again["rows"][0]["matched_by"] == "email"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"PK\x03\x04rest"), "Excel workbook"),
        (lambda p: None, "no file"),
    ],
    ids=["xlsx", "missing"],
)
def test_command_line_bad_files_exit_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    folder = tmp_path / "d"
    store = open_store(folder)
    wid = _workshop(store)
    store.close()
    target = tmp_path / "people.xlsx"
    make(target)  # type: ignore[operator]
    assert main(["--data-dir", str(folder), "register", "import", str(wid), str(target)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert main(["--data-dir", str(folder), "register", "import", "999", str(target)]) == 1
    assert "no workshop" in capsys.readouterr().err


# Random files: the importer never crashes and never half-imports --------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_store(tmp_path_factory.mktemp("random-imports"))
    yield opened
    opened.close()


_CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12
) | st.sampled_from(["Ann Lee", "ann@example.org", "Zoë", "=1+1", '"', "a@b.co", ""])
_ROW = st.lists(_CELL, min_size=0, max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from(["Name", "Email", "First name", "Surname", "x", ""]),
                    min_size=1, max_size=4),
    rows=st.lists(_ROW, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    raw=st.binary(max_size=40),
    use_raw=st.booleans(),
    give_up=st.booleans(),
)  # fmt: skip
def test_random_files_never_crash_and_never_half_import(
    shared_store: Store,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
    raw: bytes,
    use_raw: bool,
    give_up: bool,
) -> None:
    store = shared_store
    wid = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 1, 1), start=time(10)
    )
    text = "\n".join(delimiter.join(row) for row in [header, *rows])
    data = raw if use_raw else text.encode(encoding, errors="replace")
    before = _counts(store)

    def progress(done: int, total: int) -> None:
        # Giving up at the last moment: every row is written, but not yet committed.
        if give_up and done == total:
            raise ImportCancelled("The import was cancelled; nobody was added.")

    try:
        source = read_csv(data)
        plan = apply_import(store, wid, source, guess_mapping(source.headers), progress)
    except UserError:
        assert _counts(store) == before
        assert register.list_register(store, wid) == []
        return
    assert not give_up
    people, attendances = _counts(store)
    assert attendances - before[1] == plan.added
    assert people - before[0] == plan.count(Outcome.NEW_PERSON)
    on_register = len(register.list_register(store, wid))
    assert on_register == plan.added
    assert len(plan.rows) + len(plan.rejects) <= len(source.rows) + len(source.malformed)
