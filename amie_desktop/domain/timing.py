"""Rules for an agenda's times: when each step starts, the countdown's levels (time running low,
overtime), and how the figures read."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

_DAY = date(2000, 1, 1)  # any day: a plan's times are read on one day's clock


@dataclass(frozen=True)
class Schedule:
    """When each step starts, when the agenda finishes, and by how much it runs over."""

    starts: tuple[time, ...]
    finish: time
    total_minutes: int
    overrun_minutes: int  # 0 when the agenda fits before the planned end (or there is none)


def schedule(start: time, minutes: Sequence[int], end: time | None = None) -> Schedule:
    """Steps of these lengths, one after another from start; the overrun is measured against end.
    A plan that runs past midnight finishes on the next day's clock (23:30 + 60 min: 00:30)."""
    clock = datetime.combine(_DAY, start)
    starts = []
    for length in minutes:
        starts.append(clock.time())
        clock += timedelta(minutes=length)
    total = sum(minutes)
    overrun = 0
    if end is not None:
        planned = (datetime.combine(_DAY, end) - datetime.combine(_DAY, start)).total_seconds()
        overrun = max(0, total - int(planned // 60))
    return Schedule(tuple(starts), clock.time(), total, overrun)


def default_end(start: time, minutes: int) -> time | None:
    """The end a new workshop is given: start plus its agenda's minutes, or None (no planned
    end) when that would fall on the next day."""
    finish = datetime.combine(_DAY, start) + timedelta(minutes=minutes)
    return finish.time() if finish.date() == _DAY else None


LOW_SHARE = 0.20  # the countdown warns when a fifth of the step's time is left
CRITICAL_SHARE = 0.05  # and warns harder in the last twentieth


class TimerLevel(Enum):
    """How urgent the countdown is; each level also has words, so colour is never the only sign."""

    PLENTY = "plenty"
    LOW = "low"
    CRITICAL = "critical"
    OVERTIME = "overtime"

    @property
    def words(self) -> str:
        return _WORDS[self]


_WORDS = {
    TimerLevel.PLENTY: "Time left",
    TimerLevel.LOW: "Time running low",
    TimerLevel.CRITICAL: "Almost out of time",
    TimerLevel.OVERTIME: "Over time by",
}


def timer_level(remaining_seconds: float, allowed_seconds: float) -> TimerLevel:
    """The countdown's level when remaining_seconds of allowed_seconds are left."""
    if remaining_seconds < 0:
        return TimerLevel.OVERTIME
    if allowed_seconds <= 0:
        return TimerLevel.CRITICAL if remaining_seconds == 0 else TimerLevel.PLENTY
    share = remaining_seconds / allowed_seconds
    if share <= CRITICAL_SHARE:
        return TimerLevel.CRITICAL
    if share <= LOW_SHARE:
        return TimerLevel.LOW
    return TimerLevel.PLENTY


def countdown_text(remaining_seconds: float) -> str:
    """'12:05' while time is left; '+1:30' once over time. Whole seconds, counting as a clock does.

    Time left is rounded up (a countdown shows 0:01 until the very end); time over is rounded down.
    """
    if remaining_seconds >= 0:
        whole = math.ceil(remaining_seconds - 1e-9)
        sign = ""
    else:
        whole = math.floor(-remaining_seconds + 1e-9)
        sign = "+" if whole else ""
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes}:{seconds:02d}"


def minutes_text(seconds: float) -> str:
    """A duration in words, to the nearest minute: '1 minute', '12 minutes', 'under a minute'."""
    minutes = round(abs(seconds) / 60)
    if minutes == 0:
        return "under a minute"
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def drift_text(behind_seconds: float) -> str:
    """How far the workshop is off its plan: '3 minutes behind', '2 minutes ahead', 'On time'."""
    if abs(behind_seconds) < 30:
        return "On time"
    return f"{minutes_text(behind_seconds)} {'behind' if behind_seconds > 0 else 'ahead'}"


def behind_seconds(
    planned_seconds: list[float], used_seconds: list[float], current: int | None
) -> float:
    """Seconds behind plan (negative when ahead), counting steps before `current` in full.

    A step already left counts what it used against what was planned; the step under way
    only counts once it runs past its plan, so the figure never says "ahead" merely because
    the current step is not over yet. With current None (finished), every step counts.
    """
    done = len(planned_seconds) if current is None else current
    drift = sum(
        used - planned
        for planned, used in zip(planned_seconds[:done], used_seconds[:done], strict=True)
    )
    if current is not None and current < len(planned_seconds):
        drift += max(0.0, used_seconds[current] - planned_seconds[current])
    return drift


def difference_text(over_seconds: float) -> str:
    """A step against its plan: '2 minutes over', '3 minutes under', 'On plan'."""
    if abs(over_seconds) < 30:
        return "On plan"
    return f"{minutes_text(over_seconds)} {'over' if over_seconds > 0 else 'under'}"


def spent_text(seconds: float) -> str:
    """Time spent, in words a table can hold: '45 s', '10 min', '16 min 40 s'."""
    whole = round(abs(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
