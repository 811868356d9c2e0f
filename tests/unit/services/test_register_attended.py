"""Marking attendance from a sign-in sheet on the command line: exact people, or everyone booked."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest

from amie_desktop.app import main
from amie_desktop.domain.content import builtin_templates
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import register, workshops
from amie_desktop.store import Store, open_store


def _setup(folder: Path) -> tuple[int, dict[str, register.RegisterRow]]:
    store = open_store(folder)
    wid = workshops.create_from_template(
        store, builtin_templates()[0], title="Taster", on=date(2026, 11, 25), start=time(10)
    )
    other = workshops.create_from_template(
        store, builtin_templates()[0], title="Other", on=date(2026, 12, 2), start=time(10)
    )
    for name, email in [
        ("Jo Smith", "jo_smith@school.example"),
        ("Joanna Xsmith", "joxsmith@school.example"),
        ("Łukasz Wiśniewski", "lw@example.org"),
        ("Ann Lee", ""),
        ("Ruth Adebayo", "ruth@example.org"),
    ]:
        register.add_person(store, wid, name, email)
    register.add_person(store, other, "Elsewhere Only", "else@example.org")
    rows = {r.name: r for r in register.list_register(store, wid)}
    register.mark(store, rows["Ruth Adebayo"].attendance_id, AttendanceStatus.ABSENT)
    store.close()
    return wid, rows


def _status(folder: Path, wid: int) -> dict[str, AttendanceStatus]:
    store = open_store(folder)
    try:
        return {r.name: r.status for r in register.list_register(store, wid)}
    finally:
        store.close()


def test_people_named_exactly_are_marked_and_the_unknown_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    wid, rows = _setup(folder)
    lukasz = rows["Łukasz Wiśniewski"].person
    store = open_store(folder)
    with store.read() as session:
        from amie_desktop.store.models import Person

        lukasz_uuid = session.get(Person, lukasz.id).uuid  # type: ignore[union-attr]
    store.close()
    code = main([
        "--data-dir", str(folder), "register", "attended", str(wid),
        "JO_SMITH@school.example",  # exact, case ignored: not Joanna Xsmith
        lukasz_uuid,
        str(rows["Ann Lee"].person.id),
        "jo%@school.example",  # a pattern matches nobody
        "١٢",  # Arabic-Indic digits are not an id
        "else@example.org",  # known, but not booked on this workshop
    ])  # fmt: skip
    assert code == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Marked 3 people as attended at 'Taster'; 3 not found.",
        "  marked: Jo Smith <jo_smith@school.example>",
        "  marked: Łukasz Wiśniewski <lw@example.org>",
        "  marked: Ann Lee",
        "  not found: jo%@school.example: no person has this id, uuid or email",
        "  not found: ١٢: no person has this id, uuid or email",
        "  not found: else@example.org: not on this workshop's register",
    ]
    assert _status(folder, wid) == {
        "Ann Lee": AttendanceStatus.ATTENDED,
        "Jo Smith": AttendanceStatus.ATTENDED,
        "Joanna Xsmith": AttendanceStatus.BOOKED,
        "Ruth Adebayo": AttendanceStatus.ABSENT,
        "Łukasz Wiśniewski": AttendanceStatus.ATTENDED,
    }
    store = open_store(folder)
    signed = {r.name: r.signed_in_at for r in register.list_register(store, wid)}
    store.close()
    assert signed["Jo Smith"] is not None and signed["Joanna Xsmith"] is None


def test_all_marks_everyone_still_booked_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    wid, rows = _setup(folder)
    base = ["--data-dir", str(folder), "register", "attended", str(wid)]
    assert main([*base, "lw@example.org"]) == 0
    capsys.readouterr()
    assert main([*base, "--all", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["workshop"] == {"id": wid, "title": "Taster"}
    assert [p["name"] for p in result["marked"]] == ["Ann Lee", "Jo Smith", "Joanna Xsmith"]
    assert result["already_attended"] == [] and result["not_found"] == []
    assert _status(folder, wid)["Ruth Adebayo"] is AttendanceStatus.ABSENT  # a choice kept
    assert main([*base, "lw@example.org", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["marked"] == []
    assert again["already_attended"] == [
        {"id": rows["Łukasz Wiśniewski"].person.id, "name": "Łukasz Wiśniewski",
         "email": "lw@example.org"}
    ]  # fmt: skip


def test_nobody_named_is_a_usage_error_and_an_unknown_workshop_a_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    wid, _rows = _setup(folder)
    assert main(["--data-dir", str(folder), "register", "attended", str(wid)]) == 2
    assert "--all" in capsys.readouterr().err
    assert main(["--data-dir", str(folder), "register", "attended", "999", "--all"]) == 1
    err = capsys.readouterr().err
    assert "no workshop" in err and err.count("\n") == 1


def test_an_unknown_person_marks_nobody_else_wrongly(store: Store) -> None:
    wid = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 11, 25), start=time(10)
    )
    register.add_person(store, wid, "Ann Lee", "ann@example.org")
    report = register.mark_attended(store, wid, ["%", "_", "ann@example.org "])
    assert [p.name for p in report.marked] == ["Ann Lee"]
    assert [n.key for n in report.not_found] == ["%", "_"]
