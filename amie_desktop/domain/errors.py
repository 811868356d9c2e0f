"""The error for problems a user can put right; its message is plain English, shown as it is."""


class UserError(Exception):
    """Something the user can put right: a bad file, an unknown workshop, a wrong PIN."""
