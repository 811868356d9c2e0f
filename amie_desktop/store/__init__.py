"""Persistence: SQLAlchemy models, engine set-up and Alembic migrations.

The names below that need SQLAlchemy (the Store and its errors) are loaded on first use, so
a module that only names the Store in its types, or reads Changes, does not pay for importing
SQLAlchemy: the window draws its workshop list before that import (store/first_look.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from amie_desktop.store.changes import BACKUPS, Changes
from amie_desktop.store.integrity import StorageError

if TYPE_CHECKING:
    from amie_desktop.store.database import (
        DamagedDatabaseError,
        DatabaseError,
        NewerDatabaseError,
        NotADatabaseError,
        Store,
        open_store,
    )

_FROM_DATABASE = frozenset({
    "DamagedDatabaseError", "DatabaseError", "NewerDatabaseError", "NotADatabaseError",
    "Store", "open_store",
})  # fmt: skip

__all__ = [
    "BACKUPS",
    "Changes",
    "DamagedDatabaseError",
    "DatabaseError",
    "NewerDatabaseError",
    "NotADatabaseError",
    "StorageError",
    "Store",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_DATABASE:
        return getattr(importlib.import_module("amie_desktop.store.database"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
