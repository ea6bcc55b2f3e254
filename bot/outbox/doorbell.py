"""Wakes the sender the moment a transaction that wrote to the outbox commits: no polling delay.

Other processes find new rows on their next short poll; this process hears its own at once.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_KEY = "outbox_written"
_listeners: set[asyncio.Event] = set()


def mark(session: AsyncSession) -> None:
    """This transaction wrote outbox rows: ring when (and only if) it commits."""
    session.sync_session.info[_KEY] = True


def listen(bell: asyncio.Event) -> None:
    _listeners.add(bell)


def forget(bell: asyncio.Event) -> None:
    _listeners.discard(bell)


def ring() -> None:
    for bell in list(_listeners):
        bell.set()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_KEY, False):
        ring()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
