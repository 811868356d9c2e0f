"""One session per phone: a random token in a cookie, and what that phone has chosen and typed."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from amie_desktop.services.reflections import AnswerValue, NameMatch

# A session forgotten after this long without a request (a workshop day at the most).
IDLE_LIFETIME_SECONDS = 4 * 60 * 60
# Phones in one room; past this new phones are asked to wait (a flood, not a workshop).
MAX_SESSIONS = 400
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def same_token(given: str | None, expected: str) -> bool:
    """Compare tokens in constant time, so timing tells an attacker nothing."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@dataclass
class Options:
    """The "make this easier" choices of one phone."""

    larger_text: bool = False
    high_contrast: bool = False
    easy_read: bool = False
    readable_font: bool = False

    def body_classes(self) -> str:
        names = [
            ("larger-text", self.larger_text),
            ("high-contrast", self.high_contrast),
            ("readable-font", self.readable_font),
        ]
        return " ".join(name for name, on in names if on)


@dataclass
class PhoneSession:
    token: str
    csrf: str
    last_seen: float
    attendance_id: int | None = None
    name: str = ""
    matches: tuple[NameMatch, ...] = ()
    consent_given: bool = False
    consent_quote: bool = False
    consent_contact: bool = False
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    sent: bool = False
    word_sent: bool = False
    # A name that was used before, waiting for the booking email or "that's not me".
    checking: NameMatch | None = None
    wrong_emails: int = 0

    def forget_person(self) -> None:
        """Back to "find your name": nothing of the person picked before stays on this phone."""
        self.attendance_id = None
        self.name = ""
        self.matches = ()
        self.checking = None
        self.consent_given = False
        self.consent_quote = False
        self.consent_contact = False
        self.answers = {}


class SessionFullError(Exception):
    """More phones than a room can hold are trying to join."""


@dataclass
class SessionBook:
    """The sessions of one opening of the station, and which name each phone has taken."""

    clock: Callable[[], float] = time.monotonic
    _sessions: dict[str, PhoneSession] = field(default_factory=dict)
    _claims: dict[int, str] = field(default_factory=dict)
    sent: int = 0

    def open(self) -> PhoneSession:
        now = self.clock()
        self._expire(now)
        if len(self._sessions) >= MAX_SESSIONS:
            raise SessionFullError
        session = PhoneSession(token=new_token(), csrf=new_token(), last_seen=now)
        self._sessions[session.token] = session
        return session

    def get(self, token: str | None) -> PhoneSession | None:
        if not token:
            return None
        session = self._sessions.get(token)
        if session is None:
            return None
        now = self.clock()
        if now - session.last_seen > IDLE_LIFETIME_SECONDS:
            self._drop(session)
            return None
        session.last_seen = now
        return session

    def claim(self, session: PhoneSession, attendance_id: int) -> bool:
        """Take a name for this phone; False when another phone has it already."""
        holder = self._claims.get(attendance_id)
        if holder is not None and holder != session.token:
            return False
        self.release(session)
        self._claims[attendance_id] = session.token
        session.attendance_id = attendance_id
        return True

    def holds(self, session: PhoneSession, attendance_id: int) -> bool:
        return self._claims.get(attendance_id) == session.token

    def release(self, session: PhoneSession) -> None:
        if session.attendance_id is not None and not session.sent:
            self._claims.pop(session.attendance_id, None)
        session.forget_person()

    def record_sent(self, session: PhoneSession) -> None:
        session.sent = True
        self.sent += 1

    @property
    def joined(self) -> int:
        return len(self._sessions)

    def clear(self) -> None:
        self._sessions.clear()
        self._claims.clear()

    def _expire(self, now: float) -> None:
        for session in [
            s for s in self._sessions.values() if now - s.last_seen > IDLE_LIFETIME_SECONDS
        ]:
            self._drop(session)

    def _drop(self, session: PhoneSession) -> None:
        self._sessions.pop(session.token, None)
        if session.attendance_id is not None and not session.sent:
            self._claims.pop(session.attendance_id, None)
