"""One way for long work to report how far it has got, and to be stopped.

A service that takes a while accepts `progress: Progress | None`, and calls
progress(done, total) as it goes. To stop the work, progress raises `Cancelled`
(services/errors.py) or a subclass; the service leaves nothing half-done (one transaction, or
files written atomically) and lets the exception through. A progress callback never answers
anything: there is no "return False to stop".
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
