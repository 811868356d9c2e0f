"""Reading content files: a template and a question set as written, and every mistake in one
named, plain sentence (the file, the step or question, the field)."""

from __future__ import annotations

from typing import Any

import pytest

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.content import (
    ContentError,
    QuestionKind,
    parse_questions,
    parse_template,
)
from amie_desktop.domain.heard import Principle
from amie_desktop.domain.values import Phase

SCALE = ["Not yet", "Just starting", "Getting there", "Confident", "Very confident"]


def _template(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": "taster",
        "title": "Taster",
        "summary": "A short one.",
        "cpd_hours": 2,
        "steps": [
            {"title": "Welcome", "minutes": 15},
            {
                "title": "Holistic",
                "minutes": 30,
                "principle": "h",
                "prompt": "What changed?",
                "activity": "Pairs",
                "questions": ["Who noticed?", "When?"],
                "notes": "Cards in the blue box",
            },
        ],
    }
    data.update(changes)
    return data


def _step(number: int, **changes: Any) -> dict[str, Any]:
    data = _template()
    data["steps"][number - 1].update(changes)
    return data


def test_a_template_reads_as_written() -> None:
    template = parse_template(_template(), "taster.toml")
    assert (template.key, template.title, template.summary) == ("taster", "Taster", "A short one.")
    assert template.cpd_hours == 2.0 and isinstance(template.cpd_hours, float)
    assert template.steps == (
        Step("Welcome", 15, None, "", "", (), ""),
        Step(
            "Holistic", 30, Principle.HOLISTIC, "What changed?", "Pairs",
            ("Who noticed?", "When?"), "Cards in the blue box",
        ),
    )  # fmt: skip
    assert template.minutes == 45


def test_left_out_words_are_empty_and_an_empty_principle_is_none() -> None:
    data = _template(steps=[{"title": "Only", "minutes": 5, "principle": ""}])
    del data["summary"]
    template = parse_template(data, "t.toml")
    assert template.summary == ""
    assert template.steps == (Step("Only", 5, None, "", "", (), ""),)


def test_hours_may_be_a_fraction() -> None:
    assert parse_template(_template(cpd_hours=1.5), "t.toml").cpd_hours == 1.5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_template(steps=None), "t.toml: field 'steps' should be list, got None"),
        (_template(key=7), "t.toml: field 'key' should be str, got 7"),
        (_template(title=None), "t.toml: field 'title' should be str, got None"),
        (_template(cpd_hours="3"), "t.toml: field 'cpd_hours' should be int or float, got '3'"),
        (_template(cpd_hours=True), "t.toml: field 'cpd_hours' should be int or float, got True"),
        (_template(summary=5), "t.toml: field 'summary' should be str, got 5"),
        (_step(2, minutes=0), "t.toml step 2: 'minutes' should be more than 0"),
        (_step(1, minutes=-3), "t.toml step 1: 'minutes' should be more than 0"),
        (_step(1, minutes="10"), "t.toml step 1: field 'minutes' should be int, got '10'"),
        (_step(1, minutes=12.5), "t.toml step 1: field 'minutes' should be int, got 12.5"),
        (_step(1, minutes=True), "t.toml step 1: field 'minutes' should be int, got True"),
        (_step(2, title=None), "t.toml step 2: field 'title' should be str, got None"),
        (_step(2, questions="Who?"), "t.toml step 2: 'questions' should be a list of text"),
        (_step(2, questions=["Who?", 3]), "t.toml step 2: 'questions' should be a list of text"),
        (_step(2, prompt=1), "t.toml step 2: field 'prompt' should be str, got 1"),
        (_step(2, activity=[]), "t.toml step 2: field 'activity' should be str, got []"),
        (_step(2, notes=None), "t.toml step 2: field 'notes' should be str, got None"),
        (
            _step(2, principle="Z"),
            "t.toml step 2: 'Z' is not a HEARD principle (use H, E, A, R or D)",
        ),
    ],
)
def test_a_broken_template_says_where_and_what(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ContentError) as raised:
        parse_template(data, "t.toml")
    assert str(raised.value) == message


def _question(**changes: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "key": "rating.H",
        "kind": "rating",
        "phases": ["before", "after"],
        "principle": "H",
        "text": "How confident are you?",
        "easy_read": "How sure are you?",
        "help": "Your own view.",
        "scale": SCALE,
    }
    question.update(changes)
    return question


def _questions(*questions: dict[str, Any], version: object = 2) -> dict[str, Any]:
    return {"version": version, "questions": list(questions)}


def test_a_question_set_reads_as_written() -> None:
    comment = _question(
        key="barriers", kind="text", phases=["after"], principle="", help="", scale=[]
    )
    del comment["help"], comment["scale"], comment["principle"]
    found = parse_questions(_questions(_question(), comment), "q.toml")
    assert found.version == 2
    rating, text = found.questions
    assert (rating.key, rating.kind, rating.phases) == (
        "rating.H", QuestionKind.RATING, (Phase.BEFORE, Phase.AFTER),
    )  # fmt: skip
    assert (rating.text, rating.easy_read, rating.help) == (
        "How confident are you?", "How sure are you?", "Your own view.",
    )  # fmt: skip
    assert rating.principle is Principle.HOLISTIC and rating.scale == tuple(SCALE)
    assert (text.kind, text.phases, text.principle) == (QuestionKind.TEXT, (Phase.AFTER,), None)
    assert (text.help, text.scale) == ("", ())
    assert found.for_phase(Phase.BEFORE) == (rating,)
    assert found.for_phase(Phase.AFTER) == (rating, text)
    assert found.by_key("barriers") is text
    with pytest.raises(KeyError):
        found.by_key("nothing")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 1}, "q.toml: field 'questions' should be list, got None"),
        (_questions(_question(), version="1"), "q.toml: field 'version' should be int, got '1'"),
        (
            _questions(_question(kind="essay")),
            "q.toml question rating.H: 'essay' is not a valid QuestionKind",
        ),
        (
            _questions(_question(kind=None)),
            "q.toml question rating.H: field 'kind' should be str, got None",
        ),
        (
            _questions(_question(phases=["during"])),
            "q.toml question rating.H: 'during' is not a valid Phase",
        ),
        (
            _questions(_question(phases="before")),
            "q.toml question rating.H: field 'phases' should be list, got 'before'",
        ),
        (
            _questions(_question(scale=SCALE[:4])),
            "q.toml question rating.H: a rating question needs five scale labels",
        ),
        (
            _questions(_question(text=None)),
            "q.toml question rating.H: field 'text' should be str, got None",
        ),
        (
            _questions(_question(easy_read=3)),
            "q.toml question rating.H: field 'easy_read' should be str, got 3",
        ),
        (
            _questions(_question(help=None)),
            "q.toml question rating.H: field 'help' should be str, got None",
        ),
        (
            _questions(_question(principle="Q")),
            "q.toml question rating.H: 'Q' is not a HEARD principle (use H, E, A, R or D)",
        ),
        (_questions(_question(), _question()), "q.toml: question keys must be unique"),
    ],
)
def test_a_broken_question_set_says_where_and_what(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ContentError) as raised:
        parse_questions(data, "q.toml")
    assert str(raised.value) == message


def test_a_question_without_a_key_is_named_by_a_question_mark() -> None:
    question = _question()
    del question["key"]
    with pytest.raises(ContentError) as raised:
        parse_questions(_questions(question), "q.toml")
    assert str(raised.value) == "q.toml question ?: field 'key' should be str, got None"
