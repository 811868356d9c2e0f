"""Reading a time of day as people type it: "10:00", "9.30", "930", "14", "2pm"."""

from __future__ import annotations

import re
from datetime import time

_TIME = re.compile(
    r"^\s*(?P<hour>\d{1,2})(?:\s*[:.h ]\s*(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"^\s*(?P<hour>\d{1,2})(?P<minute>\d{2})\s*$")


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
