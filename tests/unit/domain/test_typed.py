"""Times typed as people type them."""

from __future__ import annotations

from datetime import date, time

import pytest

from amie_desktop.domain.typed import date_problem, parse_date, parse_time, time_problem


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("10:00", time(10, 0)), ("9:30", time(9, 30)), ("09.45", time(9, 45)),
        (" 14 ", time(14, 0)), ("930", time(9, 30)), ("1415", time(14, 15)),
        ("2pm", time(14, 0)), ("2.30 PM", time(14, 30)), ("12am", time(0, 0)),
        ("12 pm", time(12, 0)), ("23:59", time(23, 59)), ("0", time(0, 0)),
        ("10h15", time(10, 15)), ("10", time(10, 0)), ("1000", time(10, 0)),
        ("9.30", time(9, 30)), ("930am", time(9, 30)), ("930pm", time(21, 30)),
        ("1230 pm", time(12, 30)),
    ],
)  # fmt: skip
def test_times_are_read_as_typed(typed: str, meant: time) -> None:
    assert parse_time(typed) == meant


@pytest.mark.parametrize(
    "typed",
    ["", "25:00", "10:60", "13pm", "tea time", "10:5", "10:000", "-1", "1:2:3", "1330pm", "99999"],
)
def test_nonsense_is_not_a_time(typed: str) -> None:
    assert parse_time(typed) is None


def test_the_message_says_what_to_type() -> None:
    assert time_problem("25:00") == (
        "“25:00” is not a time of day. Type hours and minutes, such as 09:30 or 14:00."
    )
    assert time_problem("  ") == "Type a time, such as 09:30 or 14:00."


TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("19/1/2027", date(2027, 1, 19)), ("19/01/2027", date(2027, 1, 19)),
        ("19-1-27", date(2027, 1, 19)), ("19.1.2027", date(2027, 1, 19)),
        ("1/12/2026", date(2026, 12, 1)), (" 19 / 1 / 2027 ", date(2027, 1, 19)),
        ("2027-01-19", date(2027, 1, 19)), ("2027-1-9", date(2027, 1, 9)),
        ("19 Jan 2027", date(2027, 1, 19)), ("19 january 2027", date(2027, 1, 19)),
        ("19 JAN 27", date(2027, 1, 19)), ("19th Jan 2027", date(2027, 1, 19)),
        ("19 Jan, 2027", date(2027, 1, 19)),
        ("Tue 19 Jan 2027", date(2027, 1, 19)), ("tuesday, 19 January 2027", date(2027, 1, 19)),
        ("Wed 30 Sept 2026", date(2026, 9, 30)), ("30 Sep 2026", date(2026, 9, 30)),
        ("1 May 2027", date(2027, 5, 1)), ("Jan 19 2027", date(2027, 1, 19)),
        ("January 19th, 2027", date(2027, 1, 19)),
        # Without a year: the next such day from today (today itself included).
        ("19 Jan", date(2027, 1, 19)), ("25 Nov", date(2026, 11, 25)),
        ("24 Nov", date(2027, 11, 24)), ("3 Dec", date(2026, 12, 3)),
        ("today", date(2026, 11, 25)), ("Tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("29/2/2028", date(2028, 2, 29)),
    ],
)  # fmt: skip
def test_dates_are_read_as_typed(typed: str, meant: date) -> None:
    assert parse_date(typed, TODAY) == meant


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "31/2/2027", "29/2/2027", "19/13/2027", "0/1/2027", "19/1", "1/19/2027",
     "19 Janu 2027", "19 Smarch 2027", "next week", "monkey 19 Jan 2027", "2027-13-01",
     "19/1/202", "19/1/20277", "32 Jan 2027", "19 Jan 2027 10:00", "19Jan2027"],
)  # fmt: skip
def test_nonsense_is_not_a_date(typed: str) -> None:
    assert parse_date(typed, TODAY) is None


def test_the_date_message_says_what_to_type() -> None:
    assert date_problem("31/2/2027") == (
        "“31/2/2027” is not a date. Type the day, month and year, such as 19/1/2027 or 19 Jan 2027."
    )
    assert date_problem("") == "Type a date, such as 19/1/2027 or 19 Jan 2027."
