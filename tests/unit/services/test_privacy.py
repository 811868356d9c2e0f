"""UK GDPR: erasure leaves no trace, retention does exactly what it previewed, subject access."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from amie_desktop.app import main
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.services import audit, certificates, exports, privacy, reflections
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import (
    Answer,
    Attendance,
    Certificate,
    Person,
    Reflection,
    Workshop,
)

TODAY = date(2026, 11, 25)
NAME = "Quentin Zephyrine-Blackwood"
EMAIL = "q.zephyrine@example.org"
WORDS = "I will ask Quentin's choir what they want to sing"


def add_person_with_history(store: Store) -> int:
    """A person at two workshops, with reflections, a certificate and an audit entry."""
    with store.write() as session:
        person = Person(name=NAME, name_folded=fold(NAME), email=EMAIL, organisation="Zeph Choir")
        for workshop_id in (1, 3):
            attendance = Attendance(
                workshop_id=workshop_id, person=person, consent_quote=True,
                status=AttendanceStatus.ATTENDED,
                consent_quote_at=datetime(2026, 9, 23, 10, tzinfo=UTC),
                consent_wording="You may quote my words without my name.",
            )  # fmt: skip
            reflection = Reflection(phase=Phase.AFTER, state=ReflectionState.SUBMITTED)
            reflection.answers = [
                Answer(question_key="rating.H", rating=4),
                Answer(question_key="do_differently", text=WORDS),
            ]
            attendance.reflections = [reflection]
            session.add(attendance)
        session.add(
            Certificate(
                attendance=attendance, serial=f"AMIE-2026-{workshop_id:04d}-Z",
                check_code=f"Z{workshop_id}", holder_name=NAME, workshop_title="Intro",
            )
        )  # fmt: skip
        audit.record(session, "certificates exported", "1 for Intro")
        session.flush()
        return person.id


def raw_bytes(store: Store) -> bytes:
    assert store.database_path is not None
    data = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{store.database_path}{suffix}")
        if path.exists():
            data += path.read_bytes()
    return data


@pytest.mark.sqlite_only(reason="reads the bytes of the SQLite file, WAL and SHM")
def test_erasing_a_person_leaves_no_trace_in_the_database_file(demo_store: Store) -> None:
    person_id = add_person_with_history(demo_store)
    needles = [s.encode() for s in (NAME, fold(NAME), EMAIL, WORDS, "Zeph Choir")]
    assert all(n in raw_bytes(demo_store) for n in needles)

    report = privacy.erase_person(demo_store, str(person_id))

    data = raw_bytes(demo_store)
    assert [n for n in needles if n in data] == []
    assert (report.attendances, report.reflections, report.answers) == (2, 2, 4)
    assert report.certificates == 1
    said = report.message()
    assert "2 places on registers, 2 reflections with 4 answers" in said
    assert "1 certificate record was kept without the name" in said
    assert "(s)" not in said and "backups" in said
    with demo_store.read() as session:
        certificate = session.scalars(select(Certificate)).one()
        assert certificate.serial.startswith("AMIE-2026-") and certificate.holder_name == ""
        assert certificate.attendance_id is None
        assert session.get(Person, person_id) is None
    assert audit.recent(demo_store, 1)[0].action == "person erased"


def test_erase_person_from_the_command_line(
    demo_store: Store, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_person_with_history(demo_store)
    demo_store.close()
    assert main(["--data-dir", str(data_dir), "erase-person", EMAIL.upper(), "--yes"]) == 0
    said = capsys.readouterr().out
    assert f"This erases {NAME} <{EMAIL}>" in said and "Erased" in said
    assert main(["--data-dir", str(data_dir), "erase-person", EMAIL, "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No person matches" in err


def test_people_are_found_by_id_uuid_email_or_name(demo_store: Store) -> None:
    person_id = add_person_with_history(demo_store)
    found = privacy.find_person(demo_store, str(person_id))
    assert privacy.find_person(demo_store, found.uuid).id == person_id
    assert privacy.find_person(demo_store, EMAIL).attendances == 2
    assert [m.id for m in privacy.search_people(demo_store, "zephyrine")] == [person_id]
    with pytest.raises(NotFoundError):
        privacy.find_person(demo_store, "nobody@example.org")


def test_the_retention_cutoff_counts_calendar_months() -> None:
    assert privacy.retention_cutoff(date(2026, 11, 25), 24) == date(2024, 11, 25)
    assert privacy.retention_cutoff(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert privacy.retention_cutoff(date(2026, 1, 15), 1) == date(2025, 12, 15)


def _state(
    store: Store,
) -> dict[int, tuple[str, str | None, tuple[tuple[str, int | None, str | None], ...]]]:
    """Per attendance: the person's name, their email, and every answer."""
    with store.read() as session:
        return {
            a.id: (a.person.name, a.person.email, tuple(
                (ans.question_key, ans.rating, ans.text)
                for r in a.reflections for ans in sorted(r.answers, key=lambda x: x.id)
            ))
            for a in session.scalars(select(Attendance))
        }  # fmt: skip


def test_retention_anonymises_exactly_what_it_previewed(demo_store: Store) -> None:
    add_person_with_history(demo_store)
    privacy.set_retention_months(demo_store, 1)
    preview = privacy.preview_retention(demo_store, TODAY)
    chosen = {item.attendance_id for item in preview.items}
    with demo_store.read() as session:
        old = {
            w.id for w in session.scalars(select(Workshop).where(Workshop.date < preview.cutoff))
        }
        assert chosen == {a.id for a in session.scalars(select(Attendance)) if a.workshop_id in old}
    assert preview.workshops == 2 and "Ratings stay" in preview.summary()
    assert f"{preview.people} people on {len(chosen)} register places" in preview.summary()
    # Someone added to an old workshop after the preview was shown is not touched by this run.
    with demo_store.write() as session:
        late = Attendance(workshop_id=1, person=Person(name="Late Larry", name_folded="late larry"))
        session.add(late)
        session.flush()
        late_id = late.id
    before = _state(demo_store)

    result = privacy.apply_retention(demo_store, preview)

    after = _state(demo_store)
    changed = {a for a in before if before[a] != after[a]}
    assert changed == chosen and result.attendances == len(chosen)
    for attendance_id in chosen:
        name, email, answers = after[attendance_id]
        assert name == privacy.ANONYMOUS_NAME and email is None
        assert all(text is None for _, _, text in answers)
        ratings = [(k, r) for k, r, _ in before[attendance_id][2] if r is not None]
        assert [(k, r) for k, r, _ in answers] == ratings
    assert after[late_id] == before[late_id]
    # The person with a recent workshop keeps their name there.
    recent = [a for a, (n, _, _) in after.items() if n == NAME]
    assert len(recent) == 1 and recent[0] not in chosen
    assert audit.recent(demo_store, 1)[0].action == "retention run"
    assert privacy.retention_confirmed(demo_store)


def test_retention_runs_by_itself_only_after_the_first_agreed_preview(demo_store: Store) -> None:
    privacy.set_retention_months(demo_store, 1)
    assert privacy.run_retention_if_due(demo_store, TODAY) is None
    assert privacy.preview_retention(demo_store, TODAY).items  # nothing was done

    privacy.apply_retention(demo_store, privacy.preview_retention(demo_store, TODAY))
    assert privacy.preview_retention(demo_store, TODAY).items == ()
    later = privacy.run_retention_if_due(demo_store, date(2026, 12, 20))
    assert later is not None and later.attendances > 0  # the November workshops, now past
    assert "Ratings were kept" in later.message()


def test_retention_months_are_checked(demo_store: Store) -> None:
    with pytest.raises(UserError, match="between 1 and 120"):
        privacy.set_retention_months(demo_store, 0)
    assert privacy.preview_retention(demo_store, TODAY).months == 24


def test_subject_access_export_holds_everything_in_json_and_html(
    demo_store: Store, tmp_path: Path
) -> None:
    person_id = add_person_with_history(demo_store)
    with demo_store.read() as session:
        station_place = session.scalars(
            select(Attendance).where(Attendance.person_id == person_id, Attendance.workshop_id == 3)
        ).one()
    reflections.record_consent(demo_store, station_place.id, quote=True, contact=False)
    shared = tmp_path / "Documents"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)

    json_path, html_path = privacy.export_subject_access(demo_store, EMAIL, shared)

    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["person"]["name"] == NAME and data["person"]["email"] == EMAIL
    assert len(data["attendances"]) == 2
    first, second = data["attendances"]
    assert first["consent_wording"] == {"shown": "You may quote my words without my name."}
    assert first["consent_to_be_quoted_at"].startswith("2026-09-23T10:00")
    assert second["consent_wording"] == {
        "quote": reflections.CONSENT.quote,
        "contact": reflections.CONSENT.contact,
    }
    texts = [a["text"] for r in first["reflections"] for a in r["answers"]]
    assert WORDS in texts
    page = html_path.read_text(encoding="utf-8")
    assert "Information held about Quentin Zephyrine-Blackwood" in page
    assert "Quentin&#x27;s choir" in page
    # The words the station showed read as sentences, not as stored JSON.
    assert "We will never show your name next to them." in page and "{&quot;" not in page
    assert "2026-09-23 10:00 UTC" in page and f"to {NAME}, 0 CPD hours" in page
    assert json_path.stat().st_mode & 0o077 == 0
    assert shared.stat().st_mode & 0o777 == 0o755  # the user's own folder is left as it was
    assert audit.recent(demo_store, 1)[0].detail == f"person {person_id}"


def test_withdrawing_consent_to_be_quoted(demo_store: Store) -> None:
    person_id = add_person_with_history(demo_store)
    assert privacy.withdraw_quote_consent(demo_store, str(person_id)) == 2
    with demo_store.read() as session:
        places = session.scalars(select(Attendance).where(Attendance.person_id == person_id)).all()
        assert [a.consent_quote for a in places] == [False, False]
        assert all(
            a.consent_quote_at and a.consent_quote_at.date() == datetime.now(UTC).date()
            for a in places
        )
    assert privacy.withdraw_quote_consent(demo_store, str(person_id)) == 0


def _quotes(store: Store, workshop_id: int) -> list[str]:
    data = exports.summary_data(store, workshop_id)
    return [quote for group in data.commitments for quote in group.quotes]


def test_after_withdrawing_consent_summaries_leave_their_words_out(demo_store: Store) -> None:
    person_id = add_person_with_history(demo_store)
    assert any("choir what they want to sing" in q for q in _quotes(demo_store, 1))
    others = [q for q in _quotes(demo_store, 1) if "choir what they want to sing" not in q]

    privacy.withdraw_quote_consent(demo_store, str(person_id))

    assert _quotes(demo_store, 1) == others  # everyone else who agreed is still quoted
    assert others


def test_a_certificate_whose_holder_was_erased_or_anonymised_says_so_when_checked(
    demo_store: Store, tmp_path: Path
) -> None:
    exports.export_certificates(demo_store, 1, out_dir=tmp_path / "certificates")
    erased, kept, *_ = certificates.certificates_for(demo_store, 1)
    assert certificates.verify(demo_store, erased.check_code).genuine

    privacy.erase_person(demo_store, privacy.search_people(demo_store, erased.holder_name)[0].uuid)

    checked = certificates.verify(demo_store, erased.check_code)
    assert checked.verdict is certificates.Verdict.NAME_REMOVED and not checked.genuine
    said = checked.message()
    assert said.startswith(
        f"Certificate {erased.serial} was issued by Northfield Music Education Hub (demo) for "
    )
    assert "name has since been removed" in said and "Not genuine" not in said
    assert certificates.verify(demo_store, kept.check_code).genuine  # the others still check

    privacy.set_retention_months(demo_store, 1)
    privacy.apply_retention(demo_store, privacy.preview_retention(demo_store, TODAY))
    after_retention = certificates.verify(demo_store, kept.check_code)
    assert after_retention.verdict is certificates.Verdict.NAME_REMOVED


# Erasing exactly the right person -------------------------------------------------------------

LOOK_ALIKES = [
    ("Joanna Xsmith", "joxsmith@school.example"),
    ("Jo Smith", "jo_smith@school.example"),
    ("Percy Cent", "per%cy@school.example"),
    ("Perky Cat", "perxcy@school.example"),
    ("Ann Tickle", "ann@school.example"),
]


def _add_people(
    store: Store, people: list[tuple[str, str]], workshop_id: int = 1
) -> dict[str, int]:
    with store.write() as session:
        made = {}
        for name, email in people:
            person = Person(name=name, name_folded=fold(name), email=email)
            session.add(Attendance(workshop_id=workshop_id, person=person))
            session.flush()
            made[email] = person.id
        return made


def _people(store: Store) -> set[str]:
    with store.read() as session:
        return {p.email or p.name for p in session.scalars(select(Person))}


@pytest.mark.parametrize(
    "key",
    ["jo%smith@school.example", "j__smith@school.example", "%@%", "%", "_", "%school%",
     "JO_SMITH@SCHOOL.EXAMPLE%", "per_cy@school.example", "ann@school.exampl",
     "١٢", "１２", "12.0", "+12", " 1 2 ", "", "@"],
)  # fmt: skip
def test_a_key_that_is_not_exactly_one_person_erases_nobody(demo_store: Store, key: str) -> None:
    _add_people(demo_store, LOOK_ALIKES)
    before = _people(demo_store)
    with pytest.raises(UserError):
        privacy.erase_person(demo_store, key)
    assert _people(demo_store) == before


def test_look_alike_emails_erase_only_the_exact_one(demo_store: Store) -> None:
    made = _add_people(demo_store, LOOK_ALIKES)
    before = _people(demo_store)
    privacy.erase_person(demo_store, "JO_SMITH@school.example")
    assert before - _people(demo_store) == {"jo_smith@school.example"}
    privacy.erase_person(demo_store, "per%cy@school.example")
    assert before - _people(demo_store) == {"jo_smith@school.example", "per%cy@school.example"}
    assert "joxsmith@school.example" in _people(demo_store)
    assert "perxcy@school.example" in _people(demo_store)
    # Non-ASCII digits are not an id; ASCII digits are.
    with pytest.raises(NotFoundError):
        privacy.erase_person(demo_store, "١" * len(str(made["ann@school.example"])))
    privacy.erase_person(demo_store, str(made["ann@school.example"]))
    assert "ann@school.example" not in _people(demo_store)


def test_two_people_whose_emails_differ_only_in_case_are_not_guessed_between(
    demo_store: Store,
) -> None:
    _add_people(demo_store, [("Kim One", "Kim@school.example"), ("Kim Two", "kim@school.example")])
    before = _people(demo_store)
    with pytest.raises(UserError, match="2 people have that email"):
        privacy.erase_person(demo_store, "KIM@school.example")
    assert _people(demo_store) == before
    privacy.erase_person(demo_store, "kim@school.example")  # exact case: still one only
    assert before - _people(demo_store) == {"kim@school.example"}


def test_erasing_a_name_found_in_a_workshop_title_leaves_the_audit_log_alone(
    demo_store: Store,
) -> None:
    with demo_store.write() as session:
        workshop = Workshop(
            title="Annual singing day", date=TODAY, start_time=datetime.now().time()
        )
        session.add(workshop)
        session.flush()
        audit.record(session, "workshop started", workshop.title)
        workshop_id = workshop.id
    _add_people(demo_store, [("Ann", "ann@school.example")], workshop_id)
    entries_before = [(e.action, e.detail) for e in audit.recent(demo_store)]

    report = privacy.erase_person(demo_store, "ann@school.example")

    assert report.message().count("audit") == 0
    entries = [(e.action, e.detail) for e in audit.recent(demo_store)]
    assert entries[1:] == entries_before  # only the erasure itself was added
    assert entries[0][0] == "person erased" and "Ann" not in entries[0][1]
    assert ("workshop started", "Annual singing day") in entries


def test_the_command_line_says_who_and_asks_first(
    demo_store: Store,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _add_people(demo_store, LOOK_ALIKES)
    demo_store.close()
    folder = str(data_dir)
    # No terminal and no --yes: refused plainly, nobody erased.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--data-dir", folder, "erase-person", "ann@school.example"]) == 1
    captured = capsys.readouterr()
    assert "This erases Ann Tickle <ann@school.example>" in captured.out
    assert "Introduction to HEARD (2026-" in captured.out  # the workshops they are on
    assert "nothing was erased" in captured.err and "--yes" in captured.err
    # At a terminal: asked, and anything but yes keeps them.
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "no")
    assert main(["--data-dir", folder, "erase-person", "ann@school.example"]) == 1
    assert "Nothing was erased" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda _prompt: "yes")
    assert main(["--data-dir", folder, "erase-person", "ann@school.example"]) == 0
    assert "Erased the person" in capsys.readouterr().out
    assert main(["--data-dir", folder, "erase-person", "%@%", "--yes"]) == 1
    assert "No person matches" in capsys.readouterr().err
    store = open_store(data_dir)
    try:
        assert "ann@school.example" not in _people(store)
        assert "joxsmith@school.example" in _people(store)
    finally:
        store.close()


@pytest.mark.sqlite_only(reason="the clean-up rewrites the SQLite file on this computer")
def test_an_erasure_whose_clean_up_is_held_up_says_so_and_is_finished_later(
    demo_store: Store,
) -> None:
    """A reader elsewhere keeps the old pages in the WAL: the erasure still commits, says the
    clean-up is not done yet, and the next opening of the database finishes it."""
    person_id = add_person_with_history(demo_store)
    assert demo_store.database_path is not None
    reader = sqlite3.connect(demo_store.database_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchone()  # holds its snapshot
    try:
        report = privacy.erase_person(demo_store, str(person_id))
        assert "could not be rewritten yet" in report.message()
        assert "another program was still reading" in report.message()
        assert "finishes this the next time" in report.message()
        assert NAME.encode() in raw_bytes(demo_store)  # the old pages are still in the WAL
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    demo_store.close()

    again = open_store(demo_store.data_dir)
    try:
        assert NAME.encode() not in raw_bytes(again) and WORDS.encode() not in raw_bytes(again)
        assert not Path(f"{again.database_path}.cleanup-due").exists()
        with again.read() as session:
            assert session.get(Person, person_id) is None
    finally:
        again.close()
