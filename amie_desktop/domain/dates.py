"""Dates and times as the app says them: British English, whatever the machine's language.

strftime's %B and %a follow the C library's locale, which Qt sets from LANG once a window
exists, so a Polish desktop printed "19 stycznia 2027" on certificates made from the window and
"19 January 2027" from the command line. The names come from this fixed table instead.

Two forms only: long_date in documents and sentences on paper ("19 January 2027"), short_date
everywhere in the window ("Tue 19 Jan 2027"). Files and data meant for other programs (CSV,
JSON) use ISO 8601 through iso_date_time.
"""

from __future__ import annotations

from datetime import date, datetime, time

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# British English's short names, as Qt's en_GB date fields write them too ("Sept", not "Sep").
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec")


def long_date(day: date) -> str:
    """ "19 January 2027": certificates, summaries, reports."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """ "Tue 19 Jan 2027": the window's lists, fields and messages."""
    return f"{DAYS[day.weekday()][:3]} {day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def clock(moment: time | datetime) -> str:
    """ "14:05" (24-hour). A datetime is shown in the machine's time zone."""
    if isinstance(moment, datetime):
        moment = moment.astimezone()
    return f"{moment.hour:02d}:{moment.minute:02d}"


def short_date_time(moment: datetime) -> str:
    """ "Tue 19 Jan 2027, 14:05", in the machine's time zone."""
    local = moment.astimezone()
    return f"{short_date(local.date())}, {clock(local)}"


def iso_date_time(moment: datetime) -> str:
    """ "2027-01-19 14:05" in the machine's time zone: for CSV files that spreadsheets read."""
    local = moment.astimezone()
    return f"{local.date().isoformat()} {clock(local)}"
