"""An agenda step, as planned and as run: the one shape every layer passes around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from amie_desktop.domain.errors import UserError
from amie_desktop.domain.heard import Principle
from amie_desktop.domain.timing import TimerLevel, timer_level

MAX_STEP_MINUTES = 600
MAX_STEP_TITLE = 200


@dataclass(frozen=True)
class Step:
    """One step as planned; the same in a built-in template, a template of one's own and a
    workshop, and the same whether it is being read, typed or put back by an undo."""

    title: str = "New step"
    minutes: int = 10
    principle: Principle | None = None
    prompt: str = ""
    activity: str = ""
    questions: tuple[str, ...] = ()
    notes: str = ""

    def checked(self) -> Step:
        """The step, or a UserError saying what a trainer must put right."""
        if not 1 <= self.minutes <= MAX_STEP_MINUTES:
            raise UserError(f"A step lasts from 1 to {MAX_STEP_MINUTES} minutes.")
        if len(self.title) > MAX_STEP_TITLE:
            raise UserError(f"A step title can be at most {MAX_STEP_TITLE} characters.")
        return self


@dataclass(frozen=True)
class StepRun:
    """One step of a workshop as run: its plan, the minutes added, the room's notes and the
    time used. A step's timer is the seconds stored so far plus, while it runs, the time since
    `running_since`; figures that change each second take `now`."""

    position: int
    plan: Step
    extra_minutes: int = 0
    group_notes: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    stored_seconds: float = 0.0
    running_since: datetime | None = None
    skipped: bool = False

    @property
    def planned_seconds(self) -> float:
        return self.plan.minutes * 60.0

    @property
    def allowed_seconds(self) -> float:
        """The plan plus any minutes added during the run."""
        return (self.plan.minutes + self.extra_minutes) * 60.0

    @property
    def reached(self) -> bool:
        return self.started_at is not None

    @property
    def clock_minutes(self) -> int | None:
        """Whole minutes on the wall clock from first entering the step to last leaving it
        (pauses and returns included); None for a step never left."""
        if self.started_at is None or self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60)

    def used(self, now: datetime) -> float:
        """Seconds this step has had so far (paused time not counted)."""
        if self.running_since is None:
            return self.stored_seconds
        return self.stored_seconds + max(0.0, (now - self.running_since).total_seconds())

    def remaining(self, now: datetime) -> float:
        return self.allowed_seconds - self.used(now)

    def difference(self, now: datetime) -> float:
        """Seconds over the plan (negative when under); added minutes do not count."""
        return self.used(now) - self.planned_seconds

    def level(self, now: datetime) -> TimerLevel:
        return timer_level(self.remaining(now), self.allowed_seconds)
