"""HEARD content and the packaged templates and questions."""

from __future__ import annotations

import pytest

from amie_desktop.domain.content import (
    ContentError,
    QuestionKind,
    builtin_templates,
    parse_template,
    reflection_questions,
)
from amie_desktop.domain.contrast import contrast_ratio
from amie_desktop.domain.heard import CREDIT, PRINCIPLES, Principle
from amie_desktop.domain.text import counted, fold
from amie_desktop.domain.values import Phase


def test_the_five_principles_spell_heard_and_credit_amie() -> None:
    assert "".join(p.code for p in PRINCIPLES) == "HEARD"
    assert [p.label for p in PRINCIPLES] == [
        "Holistic", "Equitable", "Authentic", "Representative", "Diverse",
    ]  # fmt: skip
    assert "AMIE" in CREDIT and "Youth Music" in CREDIT
    assert Principle.from_code("e") is Principle.EQUITABLE
    assert Principle.from_code(" Representative ") is Principle.REPRESENTATIVE  # a name will do
    with pytest.raises(ValueError, match="not a HEARD principle"):
        Principle.from_code("X")


@pytest.mark.parametrize("principle", PRINCIPLES, ids=lambda p: p.label)
def test_principle_colours_carry_white_text_legibly(principle: Principle) -> None:
    assert contrast_ratio("#FFFFFF", principle.info.colour) >= 4.5


def test_builtin_templates_cover_a_three_hour_and_a_ninety_minute_workshop() -> None:
    by_key = {t.key: t for t in builtin_templates()}
    intro, taster = by_key["introduction-to-heard"], by_key["heard-taster"]
    assert (intro.minutes, intro.cpd_hours) == (180, 3.0)
    assert (taster.minutes, taster.cpd_hours) == (90, 1.5)
    for template in (intro, taster):
        covered = {s.principle for s in template.steps if s.principle}
        assert covered == set(PRINCIPLES)
        for step in template.steps:
            if step.principle:
                assert step.prompt and step.activity and step.notes and step.questions


def test_reflection_questions_rate_every_principle_before_and_after() -> None:
    questions = reflection_questions()
    for phase in Phase:
        rated = {q.principle for q in questions.for_phase(phase) if q.kind is QuestionKind.RATING}
        assert set(PRINCIPLES) <= rated
    after_only = {q.key for q in questions.for_phase(Phase.AFTER)} - {
        q.key for q in questions.for_phase(Phase.BEFORE)
    }
    assert after_only == {"do_differently", "focus_principle", "barriers", "usefulness"}
    assert all(q.easy_read for q in questions.questions)


def test_a_broken_template_names_the_step_and_field() -> None:
    broken = {"key": "k", "title": "T", "cpd_hours": 1, "steps": [{"title": "S", "minutes": 0}]}
    with pytest.raises(ContentError, match=r"step 1.*minutes"):
        parse_template(broken, "mine.toml")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("lukasz", "Łukasz Wiśniewski"), ("zoe", "Zoë Ó Briain"), ("muller", "Jürgen Müller"),
     ("nguyen", "Nguyễn Thị Lan"), ("ayse", "Ayşe Yılmaz"), ("bjorn", "Björn Svensson")],
)  # fmt: skip
def test_folding_makes_names_findable_without_accents(typed: str, stored: str) -> None:
    assert fold(typed) in fold(stored)


def test_folding_keeps_non_latin_scripts_intact() -> None:
    assert fold("প্রিয়াঙ্কা দাস") == "প্রিয়াঙ্কা দাস"
    assert fold("  王芳 ") == "王芳"
    assert fold("ОЛЬГА") == "ольга"


@pytest.mark.parametrize("cell", ["=1+1", "+44 20 7946 0000", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_could_run_as_formulas_are_quoted(cell: str) -> None:
    from amie_desktop.domain.text import spreadsheet_safe

    assert spreadsheet_safe(cell) == "'" + cell


def test_ordinary_cells_are_left_alone() -> None:
    from amie_desktop.domain.text import spreadsheet_safe

    assert spreadsheet_safe("Zoë Ó Briain") == "Zoë Ó Briain"
    assert spreadsheet_safe("") == ""


def test_counts_read_as_people_write_them() -> None:
    # Messages once said "1 person(s)" and "2 place(s)".
    assert counted(1, "person", "people") == "1 person"
    assert counted(2, "person", "people") == "2 people"
    assert counted(0, "row", "rows") == "0 rows"
