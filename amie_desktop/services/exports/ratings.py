"""Statistics every report shares: submitted answers, ratings before and after, by principle."""

from __future__ import annotations

from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.reports.summary import PrincipleRatings
from amie_desktop.store.models import Answer, Attendance

RATING_KEYS = tuple(f"rating.{p.code}" for p in PRINCIPLES)

# One person's submitted answers before and after, keyed by question.
Answers = tuple[Attendance, dict[str, Answer], dict[str, Answer]]


def submitted_answers(attendance: Attendance, phase: Phase) -> dict[str, Answer]:
    for reflection in attendance.reflections:
        if reflection.phase is phase and reflection.state is ReflectionState.SUBMITTED:
            return {answer.question_key: answer for answer in reflection.answers}
    return {}


def before_and_after(attendance: Attendance) -> Answers:
    return (
        attendance,
        submitted_answers(attendance, Phase.BEFORE),
        submitted_answers(attendance, Phase.AFTER),
    )


def answer_text(answer: Answer | None) -> str:
    return (answer.text or "").strip() if answer is not None else ""


def rating_value(answer: Answer | None) -> int | None:
    return answer.rating if answer is not None else None


def principle_ratings(principle: Principle, answers: list[Answers]) -> PrincipleRatings:
    key = f"rating.{principle.code}"
    before = [v for _, b, _ in answers if (v := rating_value(b.get(key))) is not None]
    after = [v for _, _, a in answers if (v := rating_value(a.get(key))) is not None]
    pairs = [
        (b_value, a_value)
        for _, b, a in answers
        if (b_value := rating_value(b.get(key))) is not None
        and (a_value := rating_value(a.get(key))) is not None
    ]
    return PrincipleRatings(
        principle,
        sum(before) / len(before) if before else None,
        sum(after) / len(after) if after else None,
        len(before),
        len(after),
        len(pairs),
        sum(1 for b_value, a_value in pairs if a_value > b_value),
    )
