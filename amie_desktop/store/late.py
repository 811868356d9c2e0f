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
        self._lock = threading.Lock()

    @property
    def opened(self) -> Store | None:
        """The Store, once open; None before."""
        return self._opened

    def open(self) -> Store:
        """The Store, opened now if it is not yet (errors are the opener's, e.g. damage)."""
        with self._lock:
            if self._opened is None:
                self._opened = self._opener()
            return self._opened

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in {"_opener", "_opened", "_lock"}:
            raise AttributeError(name)
        return getattr(self.open(), name)
