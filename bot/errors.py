"""Errors the domain raises for a person to read: one line, says what to change."""


class NotFound(LookupError):
    """A clinic, staff member, client or alert that does not exist."""


class InvalidInput(ValueError):
    """Input that cannot be used as given."""
