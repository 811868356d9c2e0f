"""An agenda's times: each step's start, the countdown's levels (20% and 5% left, overtime), and
how figures read."""

from __future__ import annotations

from datetime import time

import pytest

from amie_desktop.domain.timing import (
    TimerLevel,
    behind_seconds,
    countdown_text,
    default_end,
    difference_text,
    drift_text,
    schedule,
    spent_text,
    timer_level,
)


@pytest.mark.parametrize(
    ("remaining", "level"),
    [
        (600, TimerLevel.PLENTY),
        (121, TimerLevel.PLENTY),
        (120, TimerLevel.LOW),  # exactly a fifth left
        (31, TimerLevel.LOW),
        (30, TimerLevel.CRITICAL),  # exactly a twentieth left
        (0, TimerLevel.CRITICAL),
        (-1, TimerLevel.OVERTIME),
    ],
)
def test_levels_of_a_ten_minute_step(remaining: float, level: TimerLevel) -> None:
    assert timer_level(remaining, 600) is level


def test_a_step_with_no_time_planned_is_over_as_soon_as_it_starts() -> None:
    assert timer_level(0, 0) is TimerLevel.CRITICAL
    assert timer_level(-5, 0) is TimerLevel.OVERTIME


def test_every_level_has_words_so_colour_is_not_the_only_sign() -> None:
    assert len({level.words for level in TimerLevel}) == len(TimerLevel)


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (600, "10:00"),
        (59.2, "1:00"),  # a countdown shows a second until that second is gone
        (0.4, "0:01"),
        (0, "0:00"),
        (-0.5, "0:00"),
        (-65.9, "+1:05"),
        (3725, "1:02:05"),
    ],
)
def test_countdown_text(remaining: float, text: str) -> None:
    assert countdown_text(remaining) == text


@pytest.mark.parametrize(
    ("behind", "text"),
    [(0, "On time"), (29, "On time"), (-29, "On time"), (60, "1 minute behind"),
     (-185, "3 minutes ahead"), (30, "under a minute behind")],
)  # fmt: skip
def test_drift_text(behind: float, text: str) -> None:
    assert drift_text(behind) == text


def test_behind_counts_left_steps_in_full_and_the_current_only_when_over() -> None:
    planned = [600.0, 300.0, 900.0]
    assert behind_seconds(planned, [500.0, 100.0, 0.0], 1) == -100
    assert behind_seconds(planned, [500.0, 400.0, 0.0], 1) == 0
    assert behind_seconds(planned, [700.0, 400.0, 0.0], 1) == 200
    # Finished: every step counts, including a skipped one that used no time.
    assert behind_seconds(planned, [700.0, 0.0, 950.0], None) == 100 - 300 + 50


@pytest.mark.parametrize(
    ("seconds", "text"), [(45, "45 s"), (600, "10 min"), (1000, "16 min 40 s"), (59.6, "1 min")]
)
def test_spent_text(seconds: float, text: str) -> None:
    assert spent_text(seconds) == text


@pytest.mark.parametrize(
    ("over", "text"), [(10, "On plan"), (-29, "On plan"), (120, "2 minutes over"),
                       (-60, "1 minute under")],
)  # fmt: skip
def test_difference_text(over: float, text: str) -> None:
    assert difference_text(over) == text


def test_schedule_gives_each_step_its_start_and_the_overrun_past_the_planned_end() -> None:
    timing = schedule(time(9, 30), [20, 45, 30], end=time(10, 30))
    assert timing.starts == (time(9, 30), time(9, 50), time(10, 35))
    assert timing.finish == time(11, 5)
    assert (timing.total_minutes, timing.overrun_minutes) == (95, 35)
    assert schedule(time(9, 30), [20], end=None).overrun_minutes == 0
    # Ending exactly on time, or early, is no overrun.
    assert schedule(time(9, 30), [30, 30], end=time(10, 30)).overrun_minutes == 0
    assert schedule(time(9, 30), [30, 30], end=time(10, 29)).overrun_minutes == 1
    assert schedule(time(9, 30), [20], end=time(12, 0)).overrun_minutes == 0


def test_an_empty_agenda_finishes_when_it_starts() -> None:
    timing = schedule(time(14, 0), [])
    assert (timing.starts, timing.finish, timing.total_minutes) == ((), time(14, 0), 0)


def test_a_late_agenda_reads_on_the_next_day_clock() -> None:
    assert schedule(time(23, 30), [45, 15]).finish == time(0, 30)
    assert schedule(time(23, 30), [45, 15]).starts == (time(23, 30), time(0, 15))


@pytest.mark.parametrize(
    ("start", "minutes", "end"),
    [
        (time(9, 30), 180, time(12, 30)),
        (time(22, 0), 119, time(23, 59)),
        (time(22, 0), 120, None),  # midnight is the next day: no planned end
        (time(23, 0), 90, None),
        (time(10, 0), 0, time(10, 0)),
    ],
)
def test_a_new_workshop_ends_when_its_agenda_does_if_that_is_the_same_day(
    start: time, minutes: int, end: time | None
) -> None:
    assert default_end(start, minutes) == end
