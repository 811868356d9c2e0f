"""A Store opened on first use: the window is drawn from a first look at the file, and the
Store (with SQLAlchemy) is opened just after it is on screen, or sooner if anything asks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amie_desktop.store.database import Store


class LateStore:
    """Stands in for the Store it opens: every attribute is the opened Store's."""

    def __init__(self, opener: Callable[[], Store]) -> None:
        self._opener = opener
        self._opened: Store | None = None
        self._failure: Exception | None = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> Store | None:
        """The Store, once open; None before."""
        return self._opened

    def open(self) -> Store:
        """The Store, opened now if it is not yet (errors are the opener's, e.g. damage).

        A failure is kept and raised again: opening twice after damage was found would find
        the damaged file moved aside and go on with an empty database in its place.
        """
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if self._opened is None:
                try:
                    self._opened = self._opener()
                except Exception as exc:
                    self._failure = exc
                    raise
            return self._opened

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in {"_opener", "_opened", "_failure", "_lock"}:
            raise AttributeError(name)
        return getattr(self.open(), name)
