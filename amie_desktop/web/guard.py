"""Limits that keep one phone or one address from flooding the station: requests per minute."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0
# Addresses and sessions remembered at once; past this the oldest quiet ones are forgotten.
MAX_KEYS = 5000


@dataclass
class RateLimiter:
    """A sliding one-minute window per key (an address or a session)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        """Count one request for `key`; False when it is over the limit for the last minute."""
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= MAX_KEYS:
                self._forget_quiet(now)
            hits = self._hits[key] = deque()
        while hits and now - hits[0] >= WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        return True

    def _forget_quiet(self, now: float) -> None:
        quiet = [key for key, hits in self._hits.items() if not hits or now - hits[-1] >= 60]
        for key in quiet or list(self._hits)[: MAX_KEYS // 10]:
            del self._hits[key]
