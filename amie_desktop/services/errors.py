"""Errors a user can meet; their message is plain English and is shown as it is."""

from amie_desktop.domain.errors import UserError

__all__ = ["NotFoundError", "UserError"]


class NotFoundError(UserError):
    """The thing asked for does not exist."""
