"""The template library: built-ins read-only, "save as my template", and own templates edited."""

from __future__ import annotations

from datetime import date, time

import pytest

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.content import builtin_templates
from amie_desktop.services import templates, workshops
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.store import Store


def _planned(store: Store, key: str) -> int:
    return workshops.create_from_template(
        store, templates.template_content(store, key), on=date(2026, 12, 1), start=time(10)
    )


def test_built_ins_are_listed_first_and_cannot_be_changed(store: Store) -> None:
    listed = templates.list_templates(store)
    assert [t.title for t in listed] == [t.title for t in builtin_templates()]
    assert all(t.builtin for t in listed)
    key = listed[0].key
    with pytest.raises(UserError, match="Built-in templates cannot be changed"):
        templates.update_template(store, key, "Mine now", "", 3.0)
    with pytest.raises(UserError, match="Built-in templates cannot be changed"):
        templates.update_template_step(store, key, 0, Step(title="Changed"))
    assert templates.template_content(store, key) == builtin_templates()[0]


def test_save_a_workshop_as_my_template_and_plan_from_it(store: Store) -> None:
    first = _planned(store, templates.list_templates(store)[0].key)
    workshops.update_step(store, first, 0, Step(title="Our own welcome", minutes=5))
    key = templates.save_as_template(store, first, "Hub welcome session", "Our usual opener")
    mine = next(t for t in templates.list_templates(store) if t.key == key)
    assert not mine.builtin and mine.title == "Hub welcome session"
    assert templates.template_steps(store, key) == workshops.workshop_steps(store, first)
    second = _planned(store, key)
    assert workshops.get_workshop(store, second).steps[0].title == "Our own welcome"
    with pytest.raises(UserError, match="needs a title"):
        templates.save_as_template(store, first, "  ")


def test_editing_a_template_never_changes_a_planned_workshop(store: Store) -> None:
    source = _planned(store, templates.list_templates(store)[1].key)
    key = templates.save_as_template(store, source, "Mine")
    planned = _planned(store, key)
    before = workshops.workshop_steps(store, planned)
    templates.update_template_step(store, key, 0, Step(title="Rewritten", minutes=30))
    templates.insert_template_step(store, key, 1, Step(title="Extra"))
    templates.move_template_step(store, key, 1, 0)
    assert templates.delete_template_step(store, key, 0).title == "Extra"
    assert templates.template_steps(store, key)[0].title == "Rewritten"
    assert workshops.workshop_steps(store, planned) == before
    summary = templates.update_template(store, key, "Mine, renamed", "Shorter", 2.0)
    assert (summary.title, summary.summary, summary.cpd_hours) == ("Mine, renamed", "Shorter", 2.0)
    for title, hours, message in (
        ("  ", 2.0, "A template needs a title."),
        ("Mine", -0.5, "CPD hours should be between 0 and 100."),
        ("Mine", 100.5, "CPD hours should be between 0 and 100."),
    ):
        with pytest.raises(UserError) as raised:
            templates.update_template(store, key, title, "Changed", hours)
        assert str(raised.value) == message
    assert templates.template_content(store, key).title == "Mine, renamed"  # nothing saved
    # The limits themselves are allowed.
    assert templates.update_template(store, key, "Free", "", 0.0).cpd_hours == 0.0
    assert templates.update_template(store, key, "Long", "", 100.0).cpd_hours == 100.0
    templates.delete_template(store, key)
    assert workshops.workshop_steps(store, planned) == before
    with pytest.raises(NotFoundError):
        templates.template_content(store, key)


def test_copy_to_edit_makes_an_editable_copy_and_leaves_the_built_in_alone(store: Store) -> None:
    taster = next(t for t in templates.list_templates(store) if t.title.startswith("HEARD taster"))
    key = templates.copy_template(store, taster.key)
    again = templates.copy_template(store, taster.key)
    third = templates.copy_template(store, taster.key)
    titles = {t.title for t in templates.list_templates(store) if not t.builtin}
    assert titles == {
        "HEARD taster (90 minutes) (my copy)",
        "HEARD taster (90 minutes) (my copy 2)",
        "HEARD taster (90 minutes) (my copy 3)",
    }
    # A copy of one's own template is made the same way.
    mine = templates.template_content(store, templates.copy_template(store, third))
    assert mine.title == "HEARD taster (90 minutes) (my copy 3) (my copy)"
    assert mine.steps == templates.template_steps(store, taster.key)
    assert templates.template_steps(store, key) == templates.template_steps(store, taster.key)
    copied = templates.template_content(store, key)
    assert (copied.summary, copied.cpd_hours) == (taster.summary, 1.5)

    templates.update_template_step(store, key, 0, Step(title="Our own welcome", minutes=5))
    templates.update_template(store, key, "Taster for our hub", taster.summary, 2.0)
    assert templates.template_steps(store, key)[0].title == "Our own welcome"
    # The built-in and the other copy are as they were.
    assert templates.template_steps(store, taster.key)[0].title == "Welcome and arrival"
    assert templates.template_steps(store, again)[0].title == "Welcome and arrival"


@pytest.mark.parametrize("key", ["own:999", "own:²", "own:١", "own:", "own:-1", "nonsense"])
def test_a_template_key_that_names_nothing_is_not_found(store: Store, key: str) -> None:
    # "own:²" passed str.isdigit() and then int() raised a ValueError nobody explained.
    with pytest.raises(NotFoundError, match="no longer exists"):
        templates.template_content(store, key)
