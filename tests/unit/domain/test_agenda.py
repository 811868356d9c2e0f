"""An agenda step as planned (its limits) and as run (time used, left, over, on the clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from amie_desktop.domain.agenda import Step, StepRun
from amie_desktop.domain.errors import UserError
from amie_desktop.domain.timing import TimerLevel

NINE = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PLAN = Step(minutes=10)


def test_a_new_step_reads_as_the_editor_shows_it() -> None:
    assert Step() == Step("New step", 10, None, "", "", (), "")


@pytest.mark.parametrize("minutes", [1, 600])
def test_a_step_may_last_from_one_minute_to_ten_hours(minutes: int) -> None:
    step = Step(minutes=minutes)
    assert step.checked() is step


@pytest.mark.parametrize("minutes", [0, -5, 601])
def test_a_step_outside_its_limits_says_what_they_are(minutes: int) -> None:
    with pytest.raises(UserError) as raised:
        Step(minutes=minutes).checked()
    assert str(raised.value) == "A step lasts from 1 to 600 minutes."


def test_a_step_title_may_have_two_hundred_characters_and_no_more() -> None:
    assert Step(title="x" * 200).checked().title == "x" * 200
    with pytest.raises(UserError) as raised:
        Step(title="x" * 201).checked()
    assert str(raised.value) == "A step title can be at most 200 characters."


def test_a_paused_step_counts_only_its_stored_time() -> None:
    run = StepRun(0, PLAN, stored_seconds=125.0, started_at=NINE)
    assert run.used(NINE + timedelta(hours=3)) == 125.0
    assert run.remaining(NINE) == 475.0
    assert run.difference(NINE) == -475.0


def test_a_running_step_keeps_counting_from_when_it_started_running() -> None:
    run = StepRun(0, PLAN, stored_seconds=60.0, running_since=NINE, started_at=NINE)
    assert run.used(NINE + timedelta(seconds=30)) == 90.0
    # A clock set backwards never takes time off.
    assert run.used(NINE - timedelta(minutes=5)) == 60.0


def test_added_minutes_give_more_time_but_do_not_change_the_plan() -> None:
    run = StepRun(0, PLAN, extra_minutes=2, stored_seconds=660.0)
    assert (run.planned_seconds, run.allowed_seconds) == (600.0, 720.0)
    assert run.remaining(NINE) == 60.0
    assert run.difference(NINE) == 60.0  # over the plan, though within the time allowed
    assert run.level(NINE) is TimerLevel.LOW  # a minute of twelve left: low, not over time


@pytest.mark.parametrize(
    ("used", "level"),
    [(0.0, TimerLevel.PLENTY), (480.0, TimerLevel.LOW), (570.0, TimerLevel.CRITICAL),
     (601.0, TimerLevel.OVERTIME)],
)  # fmt: skip
def test_the_countdown_level_follows_the_time_left(used: float, level: TimerLevel) -> None:
    assert StepRun(0, PLAN, stored_seconds=used).level(NINE) is level


def test_a_step_is_reached_once_started() -> None:
    assert not StepRun(0, PLAN).reached
    assert StepRun(0, PLAN, started_at=NINE).reached


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [(0, 0), (29, 0), (31, 1), (90 * 60 + 29, 90), (90 * 60 + 31, 91)],
)
def test_minutes_on_the_clock_run_from_entering_a_step_to_leaving_it(
    seconds: int, minutes: int
) -> None:
    run = StepRun(
        0, PLAN, started_at=NINE, ended_at=NINE + timedelta(seconds=seconds), stored_seconds=5.0
    )
    assert run.clock_minutes == minutes


def test_a_step_not_left_has_no_minutes_on_the_clock() -> None:
    assert StepRun(0, PLAN).clock_minutes is None
    assert StepRun(0, PLAN, started_at=NINE).clock_minutes is None
    assert StepRun(0, PLAN, ended_at=NINE).clock_minutes is None


def test_a_running_step_counts_down_and_runs_over_as_the_clock_moves() -> None:
    run = StepRun(0, PLAN, stored_seconds=300.0, running_since=NINE, started_at=NINE)
    later = NINE + timedelta(minutes=4, seconds=30)
    assert run.remaining(later) == 30.0
    assert run.difference(later) == -30.0
    assert run.level(later) is TimerLevel.CRITICAL  # 30 s of 600: a twentieth left
    much_later = NINE + timedelta(minutes=6)
    assert (run.remaining(much_later), run.difference(much_later)) == (-60.0, 60.0)
    assert run.level(much_later) is TimerLevel.OVERTIME
