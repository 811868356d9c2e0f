"""Reading dates and times of day as people type them: "10:00", "9.30", "930am", "14", "2pm";
"19/1/2027", "19 Jan 2027", "Tue 19 Jan 2027", "2027-01-19", "tomorrow"."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from amie_desktop.domain.dates import MONTHS

_TIME = re.compile(
    r"^\s*(?P<hour>\d{1,2})(?:\s*[:.h ]\s*(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(
    r"^\s*(?P<hour>\d{1,2})(?P<minute>\d{2})\s*(?P<half>[ap]\.?m\.?)?\s*$", re.IGNORECASE
)


def parse_time(text: str) -> time | None:
    """The time typed, or None when it is not one. Hours alone are whole hours ("14" is 14:00);
    "930" and "0930" read as 09:30; "am"/"pm" turn a 12-hour clock into 24."""
    found = _TIME.match(text) or _DIGITS.match(text)
    if found is None:
        return None
    hour = int(found["hour"])
    minute = int(found["minute"] or 0)
    half = (found.groupdict().get("half") or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def time_problem(text: str) -> str:
    """The plain-English reason a typed time was not taken."""
    shown = text.strip()[:20]
    return (
        f"“{shown}” is not a time of day. Type hours and minutes, such as 09:30 or 14:00."
        if shown
        else "Type a time, such as 09:30 or 14:00."
    )


# Dates ---------------------------------------------------------------------------------

# Each month by its full name, its first three letters, and "Sept" as Britain writes it.
_MONTH_NAMES = {"sept": 9} | {
    spelling: number
    for number, name in enumerate(MONTHS, start=1)
    for spelling in (name.lower(), name[:3].lower())
}
_WEEKDAY = (
    r"(?:(?:monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri"
    r"|saturday|sat|sunday|sun)\.?,?\s+)?"
)
# 19/1/2027, 19-01-27, 19.1.2027: day first, as in Britain.
_NUMERIC = re.compile(
    r"^(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{2}|\d{4})$"
)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
# 19 Jan 2027, Tue 19 January 2027, 19th Jan; the year may be left out.
_WORDS = re.compile(
    _WEEKDAY
    + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?P<month>[a-z]+)\.?,?(?:\s+(?P<year>\d{4}|\d{2}))?$"
)
# Jan 19 2027, January 19th, 2027
_MONTH_FIRST = re.compile(
    _WEEKDAY + r"(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(?P<year>\d{4}))?$"
)
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}


def parse_date(text: str, today: date) -> date | None:
    """The date typed, or None when it is not one. Day before month, as in Britain; a
    two-digit year is in this century; a date without a year is its next one from today.
    A weekday typed before the date ("Tue 19 Jan 2027", as the window shows dates) is ignored.
    """
    typed = " ".join(text.strip().lower().split())
    if typed in _RELATIVE:
        return today + timedelta(days=_RELATIVE[typed])
    found = _NUMERIC.match(typed) or _ISO.match(typed)
    if found is not None:
        return _date(found["year"], int(found["month"]), found["day"], today)
    found = _WORDS.match(typed) or _MONTH_FIRST.match(typed)
    if found is None or found["month"] not in _MONTH_NAMES:
        return None
    return _date(found["year"], _MONTH_NAMES[found["month"]], found["day"], today)


def _date(year: str | None, month: int, day: str, today: date) -> date | None:
    try:
        if year is None:  # the next 19 January from today, this year's if not yet past
            this_year = date(today.year, month, int(day))
            return this_year if this_year >= today else date(today.year + 1, month, int(day))
        return date(int(year) + (2000 if len(year) == 2 else 0), month, int(day))
    except ValueError:  # 31 February, month 13, or 29 February in a year without one
        return None


def date_problem(text: str) -> str:
    """The plain-English reason a typed date was not taken."""
    shown = text.strip()[:30]
    return (
        f"“{shown}” is not a date. Type the day, month and year, such as 19/1/2027 or 19 Jan 2027."
        if shown
        else "Type a date, such as 19/1/2027 or 19 Jan 2027."
    )
