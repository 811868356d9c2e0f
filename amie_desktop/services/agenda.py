"""Agenda steps, shared by workshops and templates: stored rows read as `Step`s and written from
them (one conversion each way), and steps inserted, deleted, moved and edited by position."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from amie_desktop.domain.agenda import Step, StepRun
from amie_desktop.domain.heard import Principle
from amie_desktop.services.errors import UserError
from amie_desktop.store.models import TemplateStep, WorkshopStep

StepRow = WorkshopStep | TemplateStep
S = TypeVar("S", WorkshopStep, TemplateStep)


def step_of(row: StepRow) -> Step:
    """The step a stored row holds."""
    return Step(
        title=row.title,
        minutes=row.minutes,
        principle=Principle(row.principle) if row.principle else None,
        prompt=row.prompt,
        activity=row.activity,
        questions=tuple(row.questions),
        notes=row.notes,
    )


def fill(row: StepRow, step: Step) -> None:
    """Write a step into a stored row, after checking it."""
    step = step.checked()
    row.title = step.title
    row.minutes = step.minutes
    row.principle = step.principle.code if step.principle else None
    row.prompt = step.prompt
    row.activity = step.activity
    row.questions = list(step.questions)
    row.notes = step.notes


def run_of(row: WorkshopStep, position: int) -> StepRun:
    """A workshop's stored step as run so far."""
    return StepRun(
        position=position,
        plan=step_of(row),
        extra_minutes=row.extra_minutes,
        group_notes=row.group_notes,
        started_at=row.started_at,
        ended_at=row.ended_at,
        stored_seconds=row.used_seconds,
        running_since=row.running_since,
        skipped=row.skipped,
    )


def _check_position(position: int, count: int, *, inserting: bool = False) -> None:
    top = count if inserting else count - 1
    if not 0 <= position <= top:
        raise UserError(f"There is no step {position + 1} in this agenda.")


def renumber(steps: list[S]) -> None:
    for number, step in enumerate(steps):
        step.position = number


def insert(session: Session, steps: list[S], position: int, step: Step, row: S) -> None:
    """Put row (a new, empty step) at position, filled from step."""
    _check_position(position, len(steps), inserting=True)
    fill(row, step)
    steps.insert(position, row)
    renumber(steps)
    session.flush()


def delete(session: Session, steps: list[S], position: int) -> Step:
    _check_position(position, len(steps))
    row = steps.pop(position)
    step = step_of(row)
    session.delete(row)
    renumber(steps)
    session.flush()
    return step


def move(session: Session, steps: list[S], source: int, target: int) -> None:
    _check_position(source, len(steps))
    _check_position(target, len(steps))
    row = steps.pop(source)
    steps.insert(target, row)
    renumber(steps)
    session.flush()


def update(steps: list[S], position: int, step: Step) -> None:
    _check_position(position, len(steps))
    fill(steps[position], step)
