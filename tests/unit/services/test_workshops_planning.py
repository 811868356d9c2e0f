"""Planning workshops: paged list with search, filters and sort; create, duplicate, edit, agenda."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.content import builtin_template, builtin_templates
from amie_desktop.domain.heard import Principle
from amie_desktop.domain.timing import schedule
from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.services import facilitate, register, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.workshops import ListQuery, SortKey, When, WorkshopDraft
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import WorkshopStep

TODAY = date(2026, 11, 25)


def _plan(store: Store, title: str, on: date, *people: str, venue: str = "Hall") -> int:
    return workshops.create_from_template(
        store, builtin_templates()[0], title=title, on=on, start=time(10, 0),
        venue=venue, facilitators=people,
    )  # fmt: skip


def test_search_ignores_accents_and_case_and_needs_every_word(store: Store) -> None:
    _plan(store, "Introducción a HEARD", TODAY, "Zoë Ó Briain", venue="Café Müller")
    _plan(store, "HEARD taster", TODAY, "Tom Ellison")

    def titles(text: str) -> list[str]:
        return [r.title for r in workshops.workshops_page(store, ListQuery(text=text), 0, 50)]

    assert titles("introduccion") == ["Introducción a HEARD"]
    assert titles("zoe muller") == ["Introducción a HEARD"]
    assert titles("TASTER ellison") == ["HEARD taster"]
    assert titles("taster zoe") == []
    assert titles("50%_") == []
    assert workshops.count_workshops(store, ListQuery(text="heard")) == 2


def test_upcoming_past_and_facilitator_filters(store: Store) -> None:
    _plan(store, "Last month", date(2026, 10, 20), "Ruth Adebayo")
    _plan(store, "Today", TODAY, "Tom Ellison", "Ruth Adebayo")
    _plan(store, "Next month", date(2026, 12, 20), "Tom Ellisonia")

    def titles(**kwargs: object) -> list[str]:
        query = ListQuery(today=TODAY, **kwargs)  # type: ignore[arg-type]
        return [r.title for r in workshops.workshops_page(store, query, 0, 50)]

    assert titles(when=When.UPCOMING) == ["Next month", "Today"]
    assert titles(when=When.PAST) == ["Last month"]
    # A facilitator filter matches whole names, not parts of another name.
    assert titles(facilitator="tom ellison") == ["Today"]
    assert titles(facilitator="Ruth Adebayo", when=When.UPCOMING) == ["Today"]
    assert workshops.facilitator_names(store) == ["Ruth Adebayo", "Tom Ellison", "Tom Ellisonia"]


def test_pages_cover_every_workshop_once_in_the_chosen_order(store: Store) -> None:
    for number in range(23):
        _plan(store, f"Workshop {number:02d}", date(2026, 1, 1 + number))
    busy = _plan(store, "Busy one", date(2025, 6, 1))
    for name in ("Ann", "Bo", "Cy"):
        register.add_person(store, busy, name)
    query = ListQuery(sort=SortKey.TITLE, descending=False)
    pages = [workshops.workshops_page(store, query, offset, 10) for offset in (0, 10, 20)]
    titles = [r.title for page in pages for r in page]
    assert [len(p) for p in pages] == [10, 10, 4]
    assert titles == sorted(titles, key=str.lower)
    newest_first = workshops.workshops_page(store, ListQuery(), 0, 3)
    assert [r.date for r in newest_first] == [
        date(2026, 1, 23),
        date(2026, 1, 22),
        date(2026, 1, 21),
    ]
    by_booked = workshops.workshops_page(store, ListQuery(sort=SortKey.BOOKED), 0, 1)
    assert by_booked[0].title == "Busy one" and by_booked[0].booked == 3


def test_a_workshop_from_a_template_gets_its_own_steps_and_a_planned_end(store: Store) -> None:
    template = builtin_template("heard-taster")
    wid = _plan(store, "Taster", TODAY)
    detail = workshops.get_workshop(store, wid)
    assert [s.title for s in detail.steps] == [s.title for s in template.steps]
    assert detail.end_time is not None
    timing = schedule(detail.row.start_time, [s.minutes for s in detail.steps],
                                detail.end_time)  # fmt: skip
    assert timing.finish == detail.end_time and timing.overrun_minutes == 0


def test_details_are_saved_as_typed_and_problems_save_nothing(store: Store) -> None:
    wid = _plan(store, "Taster", TODAY)
    draft = WorkshopDraft(
        title="  Taster for Łódź partners ", on=date(2027, 1, 5), start=time(13, 30),
        end=time(15, 0), venue="Harbour Arts", facilitators=("Meera Chaudhry", " "),
        cpd_hours=1.5, notes="Bring the hand drums.",
    )  # fmt: skip
    workshops.update_workshop(store, wid, draft)
    saved = workshops.get_workshop(store, wid)
    assert saved.draft.title == "  Taster for Łódź partners "
    assert saved.row.facilitators == ("Meera Chaudhry",)
    assert (saved.row.date, saved.end_time, saved.notes) == (
        date(2027, 1, 5), time(15, 0), "Bring the hand drums."
    )  # fmt: skip
    assert workshops.count_workshops(store, ListQuery(text="lodz")) == 1
    for bad, message in (
        (WorkshopDraft(title=" ", on=TODAY, start=time(10)), "needs a title"),
        (WorkshopDraft(title="X", on=TODAY, start=time(10), end=time(9)), "after the start"),
        (WorkshopDraft(title="X", on=TODAY, start=time(10), cpd_hours=-1), "CPD hours"),
    ):
        with pytest.raises(UserError, match=message):
            workshops.update_workshop(store, wid, bad)
    assert workshops.get_workshop(store, wid).row.title == "  Taster for Łódź partners "


def test_duplicate_copies_details_and_agenda_but_not_the_register(store: Store) -> None:
    wid = _plan(store, "Original", date(2026, 3, 1), "Ruth Adebayo")
    register.add_person(store, wid, "Ann Lee")
    workshops.update_step(store, wid, 0, Step(title="Changed welcome", minutes=7))
    copy = workshops.duplicate_workshop(store, wid, on=date(2026, 9, 1))
    original, duplicate = workshops.get_workshop(store, wid), workshops.get_workshop(store, copy)
    assert duplicate.row.date == date(2026, 9, 1) and duplicate.row.booked == 0
    assert duplicate.steps == original.steps
    assert duplicate.row.facilitators == ("Ruth Adebayo",)
    workshops.update_step(store, copy, 0, Step(title="Only in the copy", minutes=7))
    assert workshops.get_workshop(store, wid).steps[0].title == "Changed welcome"


def test_agenda_steps_insert_delete_move_and_edit_by_position(store: Store) -> None:
    wid = _plan(store, "Taster", TODAY)
    before = workshops.workshop_steps(store, wid)
    extra = Step(title="Listening game", minutes=12, principle=Principle.DIVERSE,
                      questions=("What did you hear?",), notes="Private")  # fmt: skip
    workshops.insert_step(store, wid, 1, extra)
    steps = workshops.workshop_steps(store, wid)
    assert steps[1] == extra and steps[0] == before[0] and steps[2:] == before[1:]
    workshops.move_step(store, wid, 1, len(steps) - 1)
    assert workshops.workshop_steps(store, wid)[-1] == extra
    removed = workshops.delete_step(store, wid, len(steps) - 1)
    assert removed == extra and workshops.workshop_steps(store, wid) == before
    with store.read() as session:
        stored = session.scalars(
            select(WorkshopStep.position)
            .where(WorkshopStep.workshop_id == wid)
            .order_by(WorkshopStep.position)
        ).all()
    assert stored == list(range(len(before)))  # numbered again, no gaps or repeats
    with pytest.raises(UserError, match="1 to 600 minutes"):
        workshops.update_step(store, wid, 0, Step(minutes=0))
    with pytest.raises(UserError, match="no step 99"):
        workshops.move_step(store, wid, 98, 0)
    assert workshops.workshop_steps(store, wid) == before


def test_a_workshop_with_reflections_is_not_deleted(demo_store: Store) -> None:
    done = next(r for r in workshops.list_workshops(demo_store) if r.attended)
    with pytest.raises(UserError, match="reflections"):
        workshops.delete_workshop(demo_store, done.id)
    fresh = _plan(demo_store, "Mistake", TODAY)
    workshops.delete_workshop(demo_store, fresh)
    assert workshops.count_workshops(demo_store, ListQuery(text="mistake")) == 0


def test_an_empty_workshop_is_deleted_and_undo_brings_it_back(store: Store) -> None:
    wid = _plan(store, "Mistake", TODAY)
    workshops.insert_step(store, wid, 0, Step(title="Only in this one", minutes=7))
    gone = workshops.withdraw_workshop(store, wid)
    assert gone.deleted and gone.title == "Mistake"
    assert workshops.count_workshops(store, ListQuery(text="mistake")) == 0
    back = workshops.get_workshop(store, workshops.undo_withdraw(store, gone))
    assert (back.row.title, back.row.date, back.row.status) == ("Mistake", TODAY,
                                                                WorkshopStatus.PLANNED)  # fmt: skip
    assert back.steps[0].title == "Only in this one" and back.steps[0].minutes == 7


def test_a_workshop_with_people_booked_is_cancelled_not_deleted(store: Store) -> None:
    wid = _plan(store, "Rained off", TODAY)
    register.add_person(store, wid, "Ann Lee")
    kept = workshops.withdraw_workshop(store, wid)
    assert not kept.deleted
    row = workshops.get_workshop(store, wid).row
    assert row.status is WorkshopStatus.CANCELLED and row.booked == 1
    with pytest.raises(UserError, match="was cancelled"):
        facilitate.start(store, wid)
    assert workshops.undo_withdraw(store, kept) == wid
    assert workshops.get_workshop(store, wid).row.status is WorkshopStatus.PLANNED


def test_a_workshop_that_happened_stays_on_record(demo_store: Store) -> None:
    done = next(r for r in workshops.list_workshops(demo_store) if r.attended)
    with pytest.raises(UserError, match="already happened"):
        workshops.withdraw_workshop(demo_store, done.id)
    assert workshops.get_workshop(demo_store, done.id).row.status is WorkshopStatus.DONE


def test_workshops_saved_before_the_search_columns_are_found_after_upgrading(
    data_dir: Path,
) -> None:
    from alembic import command

    from amie_desktop.store.database import alembic_config

    store = open_store(data_dir)
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO workshop (uuid, title, date, start_time, venue, facilitators, cpd_hours,"
            " status, notes, template_title, created_at, updated_at) VALUES ('u-1',"
            " 'Atelier à Łódź', '2026-05-01', '10:00:00', 'Café Müller', '[\"Zoë Ó Briain\"]',"
            " 3.0, 'planned', '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    store.close()
    upgraded = open_store(data_dir)
    try:
        found = workshops.workshops_page(upgraded, ListQuery(text="lodz muller"), 0, 10)
        assert [w.title for w in found] == ["Atelier à Łódź"]
        by_person = ListQuery(facilitator="zoe o briain")
        assert workshops.count_workshops(upgraded, by_person) == 1
    finally:
        upgraded.close()
