"""Agenda steps, shared by workshops and templates: insert, delete, move and edit by position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from amie_desktop.domain.content import StepContent, TemplateContent
from amie_desktop.domain.heard import Principle
from amie_desktop.services.errors import UserError
from amie_desktop.store.models import TemplateStep, WorkshopStep

MAX_STEP_MINUTES = 600
StepRow = WorkshopStep | TemplateStep
S = TypeVar("S", WorkshopStep, TemplateStep)


@dataclass(frozen=True)
class StepDraft:
    """What a trainer writes for one step; the same for a workshop and a template."""

    title: str = "New step"
    minutes: int = 10
    principle: Principle | None = None
    prompt: str = ""
    activity: str = ""
    questions: tuple[str, ...] = ()
    notes: str = ""

    @classmethod
    def from_content(cls, step: StepContent) -> StepDraft:
        return cls(
            title=step.title,
            minutes=step.minutes,
            principle=step.principle,
            prompt=step.prompt,
            activity=step.activity,
            questions=step.questions,
            notes=step.notes,
        )

    @classmethod
    def from_row(cls, row: StepRow) -> StepDraft:
        return cls(
            title=row.title,
            minutes=row.minutes,
            principle=Principle(row.principle) if row.principle else None,
            prompt=row.prompt,
            activity=row.activity,
            questions=tuple(row.questions),
            notes=row.notes,
        )

    def as_content(self) -> StepContent:
        return StepContent(
            title=self.title,
            minutes=self.minutes,
            principle=self.principle,
            prompt=self.prompt,
            activity=self.activity,
            questions=self.questions,
            notes=self.notes,
        )

    def checked(self) -> StepDraft:
        """The draft, or a UserError saying what a trainer must put right."""
        if not 1 <= self.minutes <= MAX_STEP_MINUTES:
            raise UserError(f"A step lasts from 1 to {MAX_STEP_MINUTES} minutes.")
        if len(self.title) > 200:
            raise UserError("A step title can be at most 200 characters.")
        return self

    def fill(self, row: StepRow) -> None:
        row.title = self.title
        row.minutes = self.minutes
        row.principle = self.principle.code if self.principle else None
        row.prompt = self.prompt
        row.activity = self.activity
        row.questions = list(self.questions)
        row.notes = self.notes


def drafts_from_template(template: TemplateContent) -> tuple[StepDraft, ...]:
    return tuple(StepDraft.from_content(step) for step in template.steps)


def _check_position(position: int, count: int, *, inserting: bool = False) -> None:
    top = count if inserting else count - 1
    if not 0 <= position <= top:
        raise UserError(f"There is no step {position + 1} in this agenda.")


def renumber(steps: list[S]) -> None:
    for number, step in enumerate(steps):
        step.position = number


def insert(session: Session, steps: list[S], position: int, draft: StepDraft, row: S) -> None:
    """Put row (a new, empty step) at position, filled from draft."""
    _check_position(position, len(steps), inserting=True)
    draft.checked().fill(row)
    steps.insert(position, row)
    renumber(steps)
    session.flush()


def delete(session: Session, steps: list[S], position: int) -> StepDraft:
    _check_position(position, len(steps))
    row = steps.pop(position)
    draft = StepDraft.from_row(row)
    session.delete(row)
    renumber(steps)
    session.flush()
    return draft


def move(session: Session, steps: list[S], source: int, target: int) -> None:
    _check_position(source, len(steps))
    _check_position(target, len(steps))
    row = steps.pop(source)
    steps.insert(target, row)
    renumber(steps)
    session.flush()


def update(steps: list[S], position: int, draft: StepDraft) -> None:
    _check_position(position, len(steps))
    draft.checked().fill(steps[position])
