"""Running a workshop: steps, timers, pause, notes, the plan figure, and surviving a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.timing import TimerLevel
from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.services import audit, facilitate, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import WorkshopStep


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def workshop_id(store: Store) -> int:
    return workshops.create_from_template(
        store, builtin_template("heard-taster"), on=date(2026, 11, 25), start=time(9, 30)
    )


def test_starting_puts_the_workshop_on_its_first_step_and_records_when(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    state = facilitate.start(store, workshop_id, clock=clock)
    assert state.status is WorkshopStatus.RUNNING
    assert state.current is not None and state.current.position == 0
    assert state.current.started_at == clock.now
    assert state.run_started_at == clock.now
    assert state.following is state.steps[1]
    assert workshops.get_workshop(store, workshop_id).row.status is WorkshopStatus.RUNNING
    assert audit.recent(store)[0].action == "workshop started"


def test_the_countdown_runs_from_the_steps_minutes(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    state = facilitate.start(store, workshop_id, clock=clock)
    step = state.current
    assert step is not None
    allowed = step.plan.minutes * 60
    clock.advance(allowed * 0.5)
    assert step.remaining(clock.now) == pytest.approx(allowed * 0.5)
    assert step.level(clock.now) is TimerLevel.PLENTY
    clock.advance(allowed * 0.35)  # 15% left
    assert step.level(clock.now) is TimerLevel.LOW
    clock.advance(allowed * 0.12)  # 3% left
    assert step.level(clock.now) is TimerLevel.CRITICAL
    clock.advance(allowed * 0.05)
    assert step.level(clock.now) is TimerLevel.OVERTIME
    assert step.remaining(clock.now) < 0


def test_next_records_end_and_start_times_and_the_time_used(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    first_started = clock.now
    clock.advance(200)
    state = facilitate.next_step(store, workshop_id, clock=clock)
    first = state.steps[0]
    assert (first.started_at, first.ended_at) == (first_started, clock.now)
    assert first.used(clock.now) == 200
    assert state.position == 1
    assert state.steps[1].started_at == clock.now
    assert state.steps[1].ended_at is None


def test_pause_stops_the_timer_and_resume_carries_on(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    clock.advance(60)
    state = facilitate.set_paused(store, workshop_id, True, clock=clock)
    assert state.paused
    clock.advance(600)
    assert state.current is not None and state.current.used(clock.now) == 60
    state = facilitate.set_paused(store, workshop_id, False, clock=clock)
    clock.advance(30)
    assert not state.paused
    assert state.current is not None and state.current.used(clock.now) == 90


def test_a_minute_added_gives_the_step_more_time_but_not_the_plan(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    state = facilitate.start(store, workshop_id, clock=clock)
    assert state.current is not None
    before = state.current.remaining(clock.now)
    state = facilitate.add_minutes(store, workshop_id, clock=clock)
    assert state.current is not None
    assert state.current.remaining(clock.now) == before + 60
    assert state.current.planned_seconds == before


def test_going_back_continues_the_earlier_steps_time_and_keeps_its_first_start(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    first_started = clock.now
    clock.advance(100)
    facilitate.next_step(store, workshop_id, clock=clock)
    clock.advance(20)
    state = facilitate.previous_step(store, workshop_id, clock=clock)
    assert state.position == 0
    clock.advance(15)
    first = state.steps[0]
    assert first.started_at == first_started and first.ended_at is None
    assert first.used(clock.now) == 115
    assert state.steps[1].used(clock.now) == 20
    with pytest.raises(UserError, match="first step"):
        facilitate.previous_step(store, workshop_id, clock=clock)


def test_skip_marks_the_step_and_moves_on(store: Store, workshop_id: int, clock: FakeClock) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    state = facilitate.skip_step(store, workshop_id, clock=clock)
    assert state.steps[0].skipped and state.position == 1
    # Going back to a skipped step means it is done after all.
    state = facilitate.previous_step(store, workshop_id, clock=clock)
    assert not state.steps[0].skipped


def test_ahead_or_behind_the_plan(store: Store, workshop_id: int, clock: FakeClock) -> None:
    state = facilitate.start(store, workshop_id, clock=clock)
    first = state.steps[0].planned_seconds
    second = state.steps[1].planned_seconds
    clock.advance(first - 120)  # first step two minutes early
    state = facilitate.next_step(store, workshop_id, clock=clock)
    assert state.behind(clock.now) == -120
    clock.advance(second / 2)  # halfway through the second: still two minutes ahead
    assert state.behind(clock.now) == -120
    clock.advance(second / 2 + 300)  # five minutes over on the second
    assert state.behind(clock.now) == 180
    later_plan = sum(step.planned_seconds for step in state.steps[2:])
    assert state.expected_finish(clock.now) == clock.now + timedelta(seconds=later_plan)


def test_finishing_on_the_last_step_gives_how_it_went(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    state = facilitate.start(store, workshop_id, clock=clock)
    used = []
    for number, step in enumerate(state.steps):
        spent = step.plan.minutes * 60 + 10 * number
        used.append(spent)
        clock.advance(spent)
        state = facilitate.next_step(store, workshop_id, clock=clock)
    assert state.status is WorkshopStatus.DONE
    assert state.current is None
    assert state.run_ended_at == clock.now
    summary = facilitate.how_it_went(store, workshop_id, clock=clock)
    assert [step.used(summary.now) for step in summary.steps] == used
    over = [step.difference(summary.now) for step in summary.steps]
    assert over == [10 * n for n in range(len(used))]
    assert summary.used_seconds == sum(used)
    assert all(step.ended_at is not None for step in summary.steps)
    with pytest.raises(UserError, match="already finished"):
        facilitate.start(store, workshop_id, clock=clock)


def test_finish_early_leaves_later_steps_unreached_and_reopen_goes_back(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    clock.advance(60)
    state = facilitate.finish(store, workshop_id, clock=clock)
    assert state.status is WorkshopStatus.DONE
    assert [step.reached for step in state.steps[:2]] == [True, False]
    state = facilitate.reopen(store, workshop_id, clock=clock)
    assert state.running and state.position == 0
    assert [entry.action for entry in audit.recent(store)[:2]] == [
        "workshop reopened", "workshop finished",
    ]  # fmt: skip
    clock.advance(5)
    assert state.current is not None and state.current.used(clock.now) == 65


def test_group_notes_are_kept_per_step(store: Store, workshop_id: int, clock: FakeClock) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    facilitate.save_group_notes(store, workshop_id, 0, "Lots of ideas about local bands")
    state = facilitate.get_state(store, workshop_id)
    assert state.steps[0].group_notes == "Lots of ideas about local bands"
    assert state.steps[1].group_notes == ""
    with pytest.raises(UserError, match="no step 99"):
        facilitate.save_group_notes(store, workshop_id, 98, "lost")


def test_changes_need_a_running_workshop(store: Store, workshop_id: int, clock: FakeClock) -> None:
    with pytest.raises(UserError, match="not running"):
        facilitate.next_step(store, workshop_id, clock=clock)
    with pytest.raises(UserError, match="no workshop"):
        facilitate.start(store, 9999, clock=clock)


def test_a_clock_set_backwards_never_takes_time_off(
    store: Store, workshop_id: int, clock: FakeClock
) -> None:
    facilitate.start(store, workshop_id, clock=clock)
    clock.advance(90)
    facilitate.set_paused(store, workshop_id, True, clock=clock)
    facilitate.set_paused(store, workshop_id, False, clock=clock)
    clock.advance(-3600)
    state = facilitate.next_step(store, workshop_id, clock=clock)
    assert state.steps[0].used(clock.now) == 90


def test_a_restart_mid_workshop_finds_the_same_step_and_time_used(
    data_dir: Path, clock: FakeClock
) -> None:
    first = open_store(data_dir)
    workshop_id = workshops.create_from_template(
        first, builtin_template("heard-taster"), on=date(2026, 11, 25), start=time(9, 30)
    )
    facilitate.start(first, workshop_id, clock=clock)
    clock.advance(300)
    facilitate.next_step(first, workshop_id, clock=clock)
    clock.advance(125)
    facilitate.add_minutes(first, workshop_id, clock=clock)
    facilitate.save_group_notes(first, workshop_id, 1, "Half the room had never heard of HEARD")
    before = facilitate.get_state(first, workshop_id)
    first.engine.dispose()  # as after a crash: nothing is closed politely

    again = open_store(data_dir)
    after = facilitate.get_state(again, workshop_id)
    assert after.position == 1 and after.running
    assert after.current is not None and before.current is not None
    assert after.current.used(clock.now) == 125
    assert after.current.remaining(clock.now) == before.current.remaining(clock.now)
    assert after.steps[0].used(clock.now) == 300
    assert after.current.group_notes == "Half the room had never heard of HEARD"
    # The timer kept running while the app was closed, as the room did.
    clock.advance(60)
    assert after.current.used(clock.now) == 185
    again.close()


def test_a_restart_while_paused_keeps_exactly_the_time_used(
    data_dir: Path, clock: FakeClock
) -> None:
    first = open_store(data_dir)
    workshop_id = workshops.create_from_template(
        first, builtin_template("heard-taster"), on=date(2026, 11, 25), start=time(9, 30)
    )
    facilitate.start(first, workshop_id, clock=clock)
    clock.advance(42)
    facilitate.set_paused(first, workshop_id, True, clock=clock)
    first.engine.dispose()
    clock.advance(3600)  # lid closed over lunch
    again = open_store(data_dir)
    state = facilitate.get_state(again, workshop_id)
    assert state.paused
    assert state.current is not None and state.current.used(clock.now) == 42
    with again.read() as session:
        stored = session.scalars(select(WorkshopStep).order_by(WorkshopStep.position)).first()
        assert stored is not None and stored.running_since is None
    again.close()


def test_default_choice_is_the_running_one_then_todays(demo_store: Store, clock: FakeClock) -> None:
    rows = workshops.list_workshops(demo_store)
    today = date(2026, 11, 25)
    chosen = facilitate.choose_default(rows, today)
    assert next(r for r in rows if r.id == chosen).date == today
    later = next(r for r in rows if r.date > today)
    facilitate.start(demo_store, later.id, clock=clock)
    rows = workshops.list_workshops(demo_store)
    assert facilitate.choose_default(rows, today) == later.id
    assert facilitate.choose_default([], today) is None
