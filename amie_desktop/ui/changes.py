"""The store's changes, told to the window as one Qt signal on the window's thread.

`Store.write()` tells its listeners what each unit of work changed, on whichever thread wrote
(store/changes.py). `DataChanges` listens once per window, gathers what arrives until the
window's thread next runs, and emits `data_changed` with all of it: a job that writes a
thousand times makes a handful of signals, not a thousand redraws. The main window passes each
signal on to the sections whose pages show a table that changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from amie_desktop.store import Changes

if TYPE_CHECKING:
    from amie_desktop.store import Store


class DataChanges(QObject):
    """Emits data_changed(Changes) on the window's thread after the store has changed."""

    data_changed = Signal(object)
    _arrived = Signal()

    def __init__(self, store: Store | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending = Changes()
        self._scheduled = False
        # Queued even from the window's own thread: a page is never refreshed in the middle
        # of the click handler whose write it is hearing about.
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        # One holder, so the window's end unsubscribes without reaching into this object.
        self._subscription: list[Callable[[], None]] = [lambda: None]
        subscription = self._subscription
        self.destroyed.connect(lambda *_: subscription[0]())
        if store is not None:
            self.listen(store)

    def listen(self, store: Store) -> None:
        """Hear the store's changes from now on (a window drawn before its store was open
        starts listening once it is)."""
        self._subscription[0] = store.changes.subscribe(self._take)

    def _unsubscribe(self) -> None:
        self._subscription[0]()

    def stop(self) -> None:
        """Hear no more of the store (the window is closing)."""
        self._unsubscribe()

    def _take(self, changes: Changes) -> None:  # on the thread that wrote
        with self._lock:
            self._pending |= changes
            if self._scheduled:
                return
            self._scheduled = True
        try:
            self._arrived.emit()
        except RuntimeError:  # the window has gone; nobody is left to tell
            self._unsubscribe()

    def flush(self) -> None:
        """Emit now what has arrived, without waiting for the window's thread to come round."""
        self._deliver()

    def _deliver(self) -> None:
        with self._lock:
            changes, self._pending, self._scheduled = self._pending, Changes(), False
        if changes:
            self.data_changed.emit(changes)
