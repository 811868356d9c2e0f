"""Value types shared by every layer: statuses, phases and states."""

from __future__ import annotations

from enum import Enum


class WorkshopStatus(Enum):
    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"


class AttendanceStatus(Enum):
    BOOKED = "booked"
    ATTENDED = "attended"
    ABSENT = "absent"


class Phase(Enum):
    BEFORE = "before"
    AFTER = "after"


class ReflectionState(Enum):
    DRAFT = "draft"
    INCOMPLETE = "incomplete"
    SUBMITTED = "submitted"
