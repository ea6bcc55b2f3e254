"""The one error the taper raises: input that cannot become a schedule, said in plain words."""

from __future__ import annotations

from bot.errors import InvalidInput


class TaperError(InvalidInput):
    """A template, offset list, window or time zone that cannot be used; the message says why."""
