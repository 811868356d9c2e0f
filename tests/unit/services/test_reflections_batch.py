"""Drafts of many people saved in one unit of work (the phone station's group commit)."""

from __future__ import annotations

from datetime import date, time

from amie_desktop.domain.content import builtin_templates
from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import reflections, register, workshops
from amie_desktop.services.reflections import AlreadySubmittedError
from amie_desktop.store import Store


def test_one_persons_refusal_does_not_stop_the_others_drafts(store: Store) -> None:
    workshop = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 12, 6), start=time(10)
    )
    first, sent, last = (
        register.add_person(store, workshop, name).attendance_id
        for name in ("Ada Lovelace", "Brenda Sent", "Cyrus Last")
    )
    reflections.submit(store, sent, Phase.AFTER, {"rating.H": 2})
    problems = reflections.save_drafts(
        store,
        Phase.AFTER,
        [(first, {"rating.H": 4}), (sent, {"rating.H": 5}), (last, {"do_differently": "Listen"})],
    )
    assert problems[0] is None and problems[2] is None
    assert isinstance(problems[1], AlreadySubmittedError)
    first_draft = reflections.stored_reflection(store, first, Phase.AFTER)
    last_draft = reflections.stored_reflection(store, last, Phase.AFTER)
    already = reflections.stored_reflection(store, sent, Phase.AFTER)
    assert first_draft is not None and first_draft.answers == {"rating.H": 4}
    assert last_draft is not None and last_draft.answers == {"do_differently": "Listen"}
    assert first_draft.state is ReflectionState.DRAFT
    assert already is not None
    assert already.state is ReflectionState.SUBMITTED
    assert already.answers == {"rating.H": 2}
