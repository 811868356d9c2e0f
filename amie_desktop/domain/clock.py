"""The clock the app reads: the system's, or one a test sets and moves on by hand.

Everything that asks "what time is it?" (a run's timers, "today" for a new workshop's date,
whether a walk-in is at today's workshop) takes a Clock, so a test can run the window against
a clock it controls and check what a user would see at a known moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]  # returns a zone-aware moment


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_today(clock: Clock) -> date:
    """Today's date on this computer, by the clock given."""
    return clock().astimezone().date()
