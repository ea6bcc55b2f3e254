"""Where a client stands: the statuses in which they have ended the relationship.

The changes themselves (pause, resume, stop, blocked) are one-door actions in actions.py.
"""

from __future__ import annotations

from bot.client.models import ClientStatus

# Statuses in which the client has ended the relationship; only a new invite reopens it.
ENDED = (ClientStatus.stopped, ClientStatus.completed)
