"""Errors a user can meet; their message is plain English and is shown as it is."""

from amie_desktop.domain.errors import UserError

__all__ = ["Cancelled", "NotFoundError", "UserError"]


class NotFoundError(UserError):
    """The thing asked for does not exist."""


class Cancelled(UserError):
    """The person pressed Cancel: raised by a progress callback (services/progress.py) to stop
    the work. Subclasses say in their message what was kept (ExportCancelled, ImportCancelled)."""
