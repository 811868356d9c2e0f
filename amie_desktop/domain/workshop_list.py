"""The workshop list's rows and what it is asked for: a search, filters and an order.

Plain values, so the window can show a first page of the list (read at start-up without the
database layer, store/first_look.py) in the same shape the workshops service gives later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import Enum

from amie_desktop.domain.values import WorkshopStatus


@dataclass(frozen=True)
class WorkshopRow:
    id: int
    uuid: str
    title: str
    date: date
    start_time: time
    venue: str
    facilitators: tuple[str, ...]
    status: WorkshopStatus
    booked: int
    attended: int

    def as_json(self) -> dict[str, object]:
        """The stable shape `amie-desktop workshops --json` prints."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "title": self.title,
            "date": self.date.isoformat(),
            "start_time": self.start_time.strftime("%H:%M"),
            "venue": self.venue,
            "facilitators": list(self.facilitators),
            "status": self.status.value,
            "booked": self.booked,
            "attended": self.attended,
        }


class When(Enum):
    ALL = "all"
    UPCOMING = "upcoming"  # today and later
    PAST = "past"


class SortKey(Enum):
    DATE = "date"
    TITLE = "title"
    VENUE = "venue"
    FACILITATORS = "facilitators"
    BOOKED = "booked"
    ATTENDED = "attended"
    STATUS = "status"


@dataclass(frozen=True)
class ListQuery:
    """What the workshop list shows: a search, filters and an order."""

    text: str = ""
    when: When = When.ALL
    facilitator: str = ""
    sort: SortKey = SortKey.DATE
    descending: bool = True
    today: date | None = None
