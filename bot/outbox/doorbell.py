"""Wakes the sender the moment a transaction that wrote to the outbox commits: no polling delay.

Other processes find new rows on their next short poll; this process hears its own at once.
The rows a transaction wrote are kept on its session until it ends, so the inbound flow can
claim them for this process's sender before it commits.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_KEY = "outbox_written"
_ROWS = "outbox_rows"
_listeners: set[asyncio.Event] = set()


def mark(session: AsyncSession, row: object = None) -> None:
    """This transaction wrote outbox rows (`row` among them): ring when (and only if) it commits."""
    info = session.sync_session.info
    info[_KEY] = True
    if row is not None:
        info.setdefault(_ROWS, []).append(row)


def unmark(session: AsyncSession) -> None:
    """Nothing this transaction wrote needs a round of the sender: it was all claimed already."""
    session.sync_session.info.pop(_KEY, None)


def written(session: AsyncSession) -> list[Any]:
    """The rows this transaction has written so far."""
    return list(session.sync_session.info.get(_ROWS, ()))


def listen(bell: asyncio.Event) -> None:
    _listeners.add(bell)


def forget(bell: asyncio.Event) -> None:
    _listeners.discard(bell)


def ring() -> None:
    for bell in list(_listeners):
        bell.set()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_ROWS, None)
    if session.info.pop(_KEY, False):
        ring()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_ROWS, None)
