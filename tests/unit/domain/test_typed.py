"""Times typed as people type them."""

from __future__ import annotations

from datetime import time

import pytest

from amie_desktop.domain.typed import parse_time, time_problem


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("10:00", time(10, 0)), ("9:30", time(9, 30)), ("09.45", time(9, 45)),
        (" 14 ", time(14, 0)), ("930", time(9, 30)), ("1415", time(14, 15)),
        ("2pm", time(14, 0)), ("2.30 PM", time(14, 30)), ("12am", time(0, 0)),
        ("12 pm", time(12, 0)), ("23:59", time(23, 59)), ("0", time(0, 0)),
        ("10h15", time(10, 15)),
    ],
)  # fmt: skip
def test_times_are_read_as_typed(typed: str, meant: time) -> None:
    assert parse_time(typed) == meant


@pytest.mark.parametrize(
    "typed", ["", "25:00", "10:60", "13pm", "tea time", "10:5", "10:000", "-1", "1:2:3"]
)
def test_nonsense_is_not_a_time(typed: str) -> None:
    assert parse_time(typed) is None


def test_the_message_says_what_to_type() -> None:
    assert time_problem("25:00") == (
        "“25:00” is not a time of day. Type hours and minutes, such as 09:30 or 14:00."
    )
    assert time_problem("  ") == "Type a time, such as 09:30 or 14:00."
