"""Errors a user can meet; their message is plain English and is shown as it is."""


class UserError(Exception):
    """Something the user can put right: a bad file, an unknown workshop, a wrong PIN."""


class NotFoundError(UserError):
    """The thing asked for does not exist."""
