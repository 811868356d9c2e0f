"""Facilitate mode: run a workshop step by step, with its timers kept in the database.

Every change is written at once, so a crash or a closed lid loses nothing: the workshop
comes back on the same step with the same time used. A step's timer is stored as the
seconds used so far plus, while it runs, the moment it started running; the time since
then keeps counting while the app is closed, as it does in the room. Pause first to stop it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from amie_desktop.domain.agenda import StepRun
from amie_desktop.domain.clock import Clock, system_clock
from amie_desktop.domain.timing import behind_seconds
from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.services import agenda, audit
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.services.workshops import WorkshopRow
from amie_desktop.store import Store
from amie_desktop.store.models import Workshop, WorkshopStep


@dataclass(frozen=True)
class HowItWent:
    """Planned against actual time for every step, as it stood at `now`."""

    title: str
    started_at: datetime | None
    ended_at: datetime | None
    steps: tuple[StepRun, ...]
    now: datetime

    @property
    def planned_seconds(self) -> float:
        return sum(step.planned_seconds for step in self.steps)

    @property
    def used_seconds(self) -> float:
        return sum(step.used(self.now) for step in self.steps)


@dataclass(frozen=True)
class RunState:
    """Where a workshop's run stands. Times that change each second take `now`."""

    workshop_id: int
    title: str
    status: WorkshopStatus
    paused: bool
    position: int | None
    run_started_at: datetime | None
    run_ended_at: datetime | None
    steps: tuple[StepRun, ...]

    @property
    def running(self) -> bool:
        return self.status is WorkshopStatus.RUNNING

    @property
    def current(self) -> StepRun | None:
        if not self.running or self.position is None:
            return None
        return self.steps[self.position]

    @property
    def following(self) -> StepRun | None:
        """The step after the current one, if there is one."""
        if self.current is None or self.position is None or self.position + 1 >= len(self.steps):
            return None
        return self.steps[self.position + 1]

    @property
    def is_first(self) -> bool:
        return self.position == 0

    @property
    def is_last(self) -> bool:
        return self.position == len(self.steps) - 1

    def behind(self, now: datetime) -> float:
        """Seconds behind the plan (negative when ahead)."""
        planned = [step.planned_seconds for step in self.steps]
        used = [step.used(now) for step in self.steps]
        return behind_seconds(planned, used, self.position if self.running else None)

    def expected_finish(self, now: datetime) -> datetime | None:
        """When the workshop will end if the rest of it keeps to plan from now."""
        current = self.current
        if current is None or self.position is None:
            return None
        left = max(0.0, current.remaining(now)) + sum(
            step.planned_seconds for step in self.steps[self.position + 1 :]
        )
        return now + timedelta(seconds=left)

    def how_it_went(self, now: datetime) -> HowItWent:
        return HowItWent(
            title=self.title,
            started_at=self.run_started_at,
            ended_at=self.run_ended_at,
            steps=self.steps,
            now=now,
        )


# Reading ------------------------------------------------------------------------------


def _load(session: Session, workshop_id: int) -> Workshop:
    workshop = session.scalars(
        select(Workshop).where(Workshop.id == workshop_id).options(selectinload(Workshop.steps))
    ).first()
    if workshop is None:
        raise NotFoundError(f"There is no workshop with id {workshop_id}.")
    return workshop


def _state(workshop: Workshop) -> RunState:
    return RunState(
        workshop_id=workshop.id,
        title=workshop.title,
        status=workshop.status,
        paused=workshop.paused,
        position=workshop.current_position,
        run_started_at=workshop.run_started_at,
        run_ended_at=workshop.run_ended_at,
        steps=tuple(agenda.run_of(step, index) for index, step in enumerate(workshop.steps)),
    )


def get_state(store: Store, workshop_id: int) -> RunState:
    with store.read() as session:
        return _state(_load(session, workshop_id))


def how_it_went(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> HowItWent:
    """Planned against actual time for every step, as it stands now."""
    return get_state(store, workshop_id).how_it_went(clock())


def choose_default(rows: list[WorkshopRow], today: date) -> int | None:
    """The workshop to offer first: one already running, else today's, else the next to come."""
    for row in rows:
        if row.status is WorkshopStatus.RUNNING:
            return row.id
    todays = [row for row in rows if row.date == today and row.status is WorkshopStatus.PLANNED]
    if todays:
        return min(todays, key=lambda row: row.start_time).id
    coming = [row for row in rows if row.date > today and row.status is WorkshopStatus.PLANNED]
    if coming:
        return min(coming, key=lambda row: (row.date, row.start_time)).id
    return rows[0].id if rows else None


# Changing -----------------------------------------------------------------------------


def _stop_timer(step: WorkshopStep, now: datetime) -> None:
    if step.running_since is not None:
        # A clock set backwards must never take time off a step.
        step.used_seconds += max(0.0, (now - step.running_since).total_seconds())
        step.running_since = None


def _enter(workshop: Workshop, position: int, now: datetime) -> None:
    """Make the step at position the current one, with its timer running."""
    step = workshop.steps[position]
    if step.started_at is None:
        step.started_at = now
    step.ended_at = None
    step.skipped = False
    step.running_since = now
    workshop.current_position = position
    workshop.paused = False


def _leave(workshop: Workshop, now: datetime) -> WorkshopStep:
    step = _current(workshop)
    _stop_timer(step, now)
    step.ended_at = now
    return step


def _current(workshop: Workshop) -> WorkshopStep:
    position = workshop.current_position
    if workshop.status is not WorkshopStatus.RUNNING or position is None:
        raise UserError(f"“{workshop.title}” is not running. Start it first.")
    return workshop.steps[position]


def _change(
    store: Store, workshop_id: int, clock: Clock, change: Callable[[Workshop, datetime], None]
) -> RunState:
    with store.write() as session:
        workshop = _load(session, workshop_id)
        change(workshop, clock())
        session.flush()
        return _state(workshop)


def start(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> RunState:
    """Start a planned workshop on its first step; a running one is simply resumed as it is."""

    def change(workshop: Workshop, now: datetime) -> None:
        if workshop.status is WorkshopStatus.RUNNING:
            return
        if workshop.status is WorkshopStatus.DONE:
            raise UserError(
                f"“{workshop.title}” has already finished. Its summary shows how it went."
            )
        if workshop.status is WorkshopStatus.CANCELLED:
            raise UserError(f"“{workshop.title}” was cancelled. Undo that in Workshops to run it.")
        if not workshop.steps:
            raise UserError(f"“{workshop.title}” has no agenda steps yet. Add some to run it.")
        workshop.status = WorkshopStatus.RUNNING
        workshop.run_started_at = now
        workshop.run_ended_at = None
        _enter(workshop, 0, now)
        _record(workshop, "workshop started")

    return _change(store, workshop_id, clock, change)


def _record(workshop: Workshop, action: str) -> None:
    session = Session.object_session(workshop)
    if session is not None:
        audit.record(session, action, workshop.title)


def _finish(workshop: Workshop, now: datetime) -> None:
    _leave(workshop, now)
    workshop.status = WorkshopStatus.DONE
    workshop.run_ended_at = now
    workshop.paused = False
    _record(workshop, "workshop finished")


def _advance(workshop: Workshop, now: datetime) -> None:
    position = workshop.current_position or 0
    if position + 1 >= len(workshop.steps):
        _finish(workshop, now)
        return
    _leave(workshop, now)
    _enter(workshop, position + 1, now)


def next_step(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> RunState:
    """Move on to the next step; on the last step this finishes the workshop."""

    def change(workshop: Workshop, now: datetime) -> None:
        _current(workshop)
        _advance(workshop, now)

    return _change(store, workshop_id, clock, change)


def skip_step(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> RunState:
    """Leave the current step out (it is marked skipped) and move on."""

    def change(workshop: Workshop, now: datetime) -> None:
        _current(workshop).skipped = True
        _advance(workshop, now)

    return _change(store, workshop_id, clock, change)


def previous_step(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> RunState:
    """Go back a step; its timer carries on from the time it had already used."""

    def change(workshop: Workshop, now: datetime) -> None:
        _current(workshop)
        position = workshop.current_position or 0
        if position == 0:
            raise UserError("This is the first step; there is nothing before it.")
        _leave(workshop, now)
        _enter(workshop, position - 1, now)

    return _change(store, workshop_id, clock, change)


def finish(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> RunState:
    """End the workshop now: the current step ends and steps not reached stay empty."""

    def change(workshop: Workshop, now: datetime) -> None:
        _current(workshop)
        _finish(workshop, now)

    return _change(store, workshop_id, clock, change)


def reopen(store: Store, workshop_id: int, *, clock: Clock = system_clock) -> RunState:
    """Undo a finish: the workshop runs again on the step it finished on."""

    def change(workshop: Workshop, now: datetime) -> None:
        if workshop.status is not WorkshopStatus.DONE or workshop.current_position is None:
            raise UserError(f"“{workshop.title}” was not finished here, so cannot be reopened.")
        workshop.status = WorkshopStatus.RUNNING
        workshop.run_ended_at = None
        _enter(workshop, workshop.current_position, now)
        _record(workshop, "workshop reopened")

    return _change(store, workshop_id, clock, change)


def set_paused(
    store: Store, workshop_id: int, paused: bool, *, clock: Clock = system_clock
) -> RunState:
    """Stop or restart the current step's timer."""

    def change(workshop: Workshop, now: datetime) -> None:
        step = _current(workshop)
        if paused == workshop.paused:
            return
        workshop.paused = paused
        if paused:
            _stop_timer(step, now)
        else:
            step.running_since = now

    return _change(store, workshop_id, clock, change)


def add_minutes(
    store: Store, workshop_id: int, minutes: int = 1, *, clock: Clock = system_clock
) -> RunState:
    """Give the current step more time (the plan itself is unchanged)."""

    def change(workshop: Workshop, now: datetime) -> None:
        step = _current(workshop)
        step.extra_minutes = max(-step.minutes, step.extra_minutes + minutes)

    return _change(store, workshop_id, clock, change)


def save_group_notes(store: Store, workshop_id: int, position: int, text: str) -> None:
    """Keep what the room said during a step."""
    with store.write() as session:
        workshop = _load(session, workshop_id)
        if not 0 <= position < len(workshop.steps):
            raise NotFoundError(f"“{workshop.title}” has no step {position + 1}.")
        workshop.steps[position].group_notes = text
