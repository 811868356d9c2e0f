"""Register files as they arrive from Central European spreadsheets, old Macs and broken exports."""

from __future__ import annotations

import json
import os
import threading
from datetime import date, time
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import register, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.register_import import (
    apply_import,
    guess_mapping,
    looks_garbled,
    plan_import,
    read_csv,
    read_csv_file,
)
from amie_desktop.store import Store, open_store

# A Polish and Czech register, as its spreadsheet would hold it; each test writes it in the
# bytes of one encoding.
REGISTER = (
    "Name,E-mail,Organisation\n"
    "Łukasz Wiśniewski,lw@example.org,Szkoła Muzyczna w Łodzi\n"
    "Małgorzata Żółkiewska,mz@example.org,Gdańsk\n"
    "Zofia Ściborska,zs@example.org,Kraków\n"
    "Antonín Dvořák,ad@example.org,Praha\n"
    "Žaneta Šťastná,zs2@example.org,Brno\n"
)
NAMES = [  # sorted as Python sorts: by code point
    "Antonín Dvořák",
    "Małgorzata Żółkiewska",
    "Zofia Ściborska",
    "Łukasz Wiśniewski",
    "Žaneta Šťastná",
]


def _workshop(store: Store) -> int:
    return workshops.create_from_template(
        store, builtin_templates()[0], title="Taster", on=date(2026, 11, 25), start=time(10)
    )


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("cp1250", "Windows-1250"),
        ("iso8859_2", "ISO-8859-2"),
        ("mac_latin2", "Mac Central European"),
        ("utf-8", "UTF-8"),
    ],
)
def test_a_central_european_register_imports_with_every_name_right(
    store: Store, codec: str, label: str
) -> None:
    source = read_csv(REGISTER.encode(codec))
    assert source.encoding == label
    wid = _workshop(store)
    plan = apply_import(store, wid, source, guess_mapping(source.headers))
    assert plan.garbled == 0 and not plan.rejects
    assert sorted(r.name for r in register.list_register(store, wid)) == NAMES
    assert register.search_people(store, "lukasz")[0].organisation == "Szkoła Muzyczna w Łodzi"


def test_a_western_register_from_an_old_mac_reads_as_mac_roman() -> None:
    data = "Name,Email\nZoë Ó Briain,zoe@example.org\nJürgen Müller,jm@example.org\n"
    source = read_csv(data.encode("mac_roman"))
    assert source.encoding == "Mac Roman"
    assert [row[0] for _, row in source.rows] == ["Zoë Ó Briain", "Jürgen Müller"]


def test_the_preview_flags_garbled_names_and_the_chosen_encoding_fixes_them(
    store: Store,
) -> None:
    wid = _workshop(store)
    wrong = read_csv(REGISTER.encode("cp1250"), "cp1252")  # as the old importer read it
    plan = plan_import(store, wid, wrong, guess_mapping(wrong.headers))
    flagged = {r.name for r in plan.rows if r.garbled}
    assert {"£ukasz Wiœniewski", "Zofia Œciborska", "Žaneta Š�astná"} <= flagged
    assert "garbled" in plan.summary() and "Windows-1252" in plan.summary()
    assert "looks garbled" in plan.rows[0].describe()
    right = wrong.read_as("cp1250")
    plan = plan_import(store, wid, right, guess_mapping(right.headers))
    assert plan.garbled == 0 and "garbled" not in plan.summary()
    assert sorted(r.name for r in plan.rows) == NAMES


@pytest.mark.parametrize(
    ("name", "garbled"),
    [
        ("£ukasz Wiœniewski", True),  # Windows-1250 read as Windows-1252
        ("Wi¶niewski", True),  # ISO-8859-2 read as Windows-1252
        ("Szko³a", True),
        ("Ã‰milie DuprÃ©", True),  # UTF-8 read as Windows-1252
        ("Å‚ukasz", True),
        ("JŸrgen MŸller", True),  # Mac Roman read as Windows-1252
        ("Ann\x85Lee", True),
        ("Łukasz Wiśniewski", False),
        ("Zoë Ó Briain", False),
        ("Seán O’Brien", False),
        ("Anne-Sophie d'Aubigné", False),
        ("ŁUKASZ WIŚNIEWSKI", False),
        ("Cœur", False),
        ("Nguyễn Thị Lan", False),
        ("Олександра", False),
        ("王 芳", False),
        ("محمد", False),
    ],
)
def test_names_with_the_marks_of_a_wrong_encoding_are_flagged(name: str, garbled: bool) -> None:
    assert looks_garbled(name) is garbled


def test_a_quote_never_closed_rejects_its_line_and_keeps_the_rows_after_it(
    store: Store,
) -> None:
    data = (
        b"Name,Email\n"
        b'"Ann Lee,ann@example.org\n'
        b"Bob Okafor,bob@example.org\n"
        b'"Cy Adams",cy@example.org\n'
        b'Dee "DJ" Kaur,dee@example.org\n'
        b'"Eve\nMensah",eve@example.org\n'
        b"Fola Ade,fola@example.org\n"
    )
    wid = _workshop(store)
    source = read_csv(data)
    plan = apply_import(store, wid, source, guess_mapping(source.headers))
    assert [(r.line, r.reason) for r in plan.rejects] == [
        (2, "A quote mark on this line is never closed, so the row cannot be read")
    ]
    assert plan.rejects[0].text == '"Ann Lee,ann@example.org'
    assert sorted(r.name for r in register.list_register(store, wid)) == [
        "Bob Okafor", "Cy Adams", 'Dee "DJ" Kaur', "Eve\nMensah", "Fola Ade"
    ]  # fmt: skip
    assert [r.line for r in plan.rows] == [3, 4, 5, 6, 8]
    assert "1 row rejected" in plan.summary()


def test_a_quote_never_closed_on_the_last_line_is_rejected_not_swallowed(store: Store) -> None:
    source = read_csv(b'Name,Email\nAnn Lee,ann@example.org\n"Bob Okafor,bob@example.org\n')
    plan = plan_import(store, _workshop(store), source, guess_mapping(source.headers))
    assert [r.name for r in plan.rows] == ["Ann Lee"]
    assert [r.line for r in plan.rejects] == [3]


def test_a_nul_byte_deep_in_the_file_never_reaches_a_name(store: Store) -> None:
    padding = "".join(f"Person {n},p{n}@example.org\n" for n in range(1000))
    assert len(padding) > 20000
    data = "Name,Email\n" + padding + "Eve\x00 Mensah,eve@example.org\nFola,f@example.org\n"
    wid = _workshop(store)
    source = read_csv(data.encode())
    plan = apply_import(store, wid, source, guess_mapping(source.headers))
    assert [(r.line, r.text) for r in plan.rejects] == [(1002, "Eve Mensah,eve@example.org")]
    assert "not text" in plan.rejects[0].reason
    names = {r.name for r in register.list_register(store, wid)}
    assert len(names) == 1001 and "Fola" in names
    assert not [n for n in names if "\x00" in n or "Eve" in n]


def test_a_pipe_is_refused_at_once_instead_of_waiting_for_ever(tmp_path: Path) -> None:
    fifo = tmp_path / "register.csv"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            read_csv_file(fifo)
        except UserError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    try:
        assert not reader.is_alive(), "reading a pipe waited for a writer"
        assert outcome == [f"{fifo} is not a file saved on disk (it is a pipe or a device)."]
    finally:
        if reader.is_alive():  # let the old behaviour's blocked open go
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_command_line_reports_the_encoding_and_takes_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    store = open_store(folder)
    wid = _workshop(store)
    store.close()
    csv_file = tmp_path / "rejestr.csv"
    csv_file.write_bytes(REGISTER.encode("iso8859_2"))
    base = ["--data-dir", str(folder), "register", "import", str(wid), str(csv_file)]

    assert main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Encoding detected: ISO-8859-2, comma separated." in out
    assert "garbled" not in out
    assert main([*base, "--dry-run", "--encoding", "windows-1252"]) == 0
    out = capsys.readouterr().out
    assert "Read as Windows-1252" in out and "4 names look garbled" in out
    assert "line 2: £ukasz Wi¶niewski: New person" in out
    assert main([*base, "--json", "--encoding", "latin2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["encoding"] == "ISO-8859-2" and result["added"] == 5
    assert not [row for row in result["rows"] if row["looks_garbled"]]
    assert main([*base, "--encoding", "klingon"]) == 1
    err = capsys.readouterr().err
    assert "'klingon' is not an encoding this app can read" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "data", [b'"Name,Email\nAnn Lee,ann@example.org\n', b'"Name,Email\n'], ids=["rows", "alone"]
)
def test_a_header_that_cannot_be_read_is_one_plain_message(data: bytes) -> None:
    with pytest.raises(UserError) as caught:
        read_csv(data)
    assert str(caught.value) == (
        "The header (line 1) cannot be read: a quote mark on this line is never closed, "
        "so the row cannot be read."
    )
