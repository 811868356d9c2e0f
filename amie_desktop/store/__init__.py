"""Persistence: SQLAlchemy models, engine set-up and Alembic migrations."""

from amie_desktop.store.changes import BACKUPS, Changes
from amie_desktop.store.database import (
    DamagedDatabaseError,
    DatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    Store,
    open_store,
)
from amie_desktop.store.integrity import StorageError

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
