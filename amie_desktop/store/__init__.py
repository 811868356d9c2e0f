"""Persistence: SQLAlchemy models, engine set-up and Alembic migrations."""

from amie_desktop.store.database import DatabaseError, NewerDatabaseError, Store, open_store

__all__ = ["DatabaseError", "NewerDatabaseError", "Store", "open_store"]
