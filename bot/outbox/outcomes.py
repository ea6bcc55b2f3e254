"""Recording what Telegram said about one outbox row; what that changes elsewhere is decided by
handlers the other domains register (the outbox imports none of them).

Each row's outcome is its own short transaction, written the moment it is known: a crash repeats
at most the rows that were in flight.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Update, bindparam, delete, exists, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database.base import table_of
from bot.outbox import service
from bot.outbox.models import Delivery, OutboxMessage, OutboxStatus, Outcome, Purpose

logger = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, OutboxMessage, Delivery, datetime], Awaitable[None]]
# A row still retried after this many attempts (about five minutes of backoff) is told about once.
TELL_AFTER_ATTEMPTS = 9

_on_sent: dict[Purpose, list[Handler]] = defaultdict(list)
_on_given_up: list[Handler] = []
_on_blocked: list[Handler] = []
_on_still_retrying: list[Handler] = []
_on_migrated: list[Callable[[AsyncSession, int, int, datetime], Awaitable[None]]] = []


def on_sent(*purposes: Purpose) -> Callable[[Handler], Handler]:
    """Register what a sent row of these purposes changes (in the outcome's transaction)."""

    def register(handler: Handler) -> Handler:
        for purpose in purposes:
            if handler not in _on_sent[purpose]:
                _on_sent[purpose].append(handler)
        return handler

    return register


def _adder(handlers: list[Any]) -> Callable[[Any], Any]:
    def register(handler: Any) -> Any:
        if handler not in handlers:
            handlers.append(handler)
        return handler

    return register


# A row Telegram refused for good (repeated 400s, any other 4xx).
on_given_up = _adder(_on_given_up)
# The person blocked the bot (403).
on_blocked = _adder(_on_blocked)
# Still not sent after TELL_AFTER_ATTEMPTS tries (5xx, timeouts, 429s): someone must hear of it.
on_still_retrying = _adder(_on_still_retrying)
# A group became a supergroup: (session, old chat id, new chat id, now).
on_migrated = _adder(_on_migrated)


@dataclass(frozen=True)
class Recorded:
    """What recording an outcome found: whether it applied (False: the row was taken back
    meanwhile), and whether a later row of the same chat is waiting, read in the same statement."""

    applied: bool
    chat_waiting: bool = False

    def __bool__(self) -> bool:
        return self.applied


@functools.cache
def _outcome_update(columns: tuple[str, ...]) -> Update:
    """The UPDATE for one kind of outcome, built once: one runs for every message sent. It
    returns whether the chat has a row waiting, which decides if the next is claimed at once."""
    table = table_of(OutboxMessage)
    later = table.alias("later")
    waiting = exists().where(
        later.c.chat_id == table.c.chat_id, later.c.status == OutboxStatus.pending
    )
    return (
        update(table)
        .where(
            table.c.id == bindparam("row_id"),
            table.c.status == OutboxStatus.sending,
            table.c.claimed_by == bindparam("worker"),
        )
        .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in columns})
        .returning(waiting)
    )


async def record(
    session: AsyncSession, *, row: OutboxMessage, delivery: Delivery, now: datetime, worker: str
) -> Recorded:
    """Apply one outcome to the row `worker` claimed; not applied if it was taken back meanwhile.

    One conditional UPDATE: the row as claimed (kept by the sender) says what else changes.
    """
    if delivery.outcome is Outcome.migrated and delivery.migrate_to is not None:
        return await _migrated(session, row, delivery.migrate_to, now, worker)
    values: dict[str, Any] = {"error": delivery.error}
    if delivery.parts_sent:
        values["parts_sent"] = delivery.parts_sent
    if delivery.outcome is Outcome.sent:
        values.update(
            status=OutboxStatus.sent, sent_at=now, telegram_message_id=delivery.message_id
        )
        if row.document is not None:  # the file is health data: kept only until it is sent
            values["document"] = None
    elif delivery.outcome is Outcome.retry or (
        delivery.outcome is Outcome.failed and row.attempts < service.refusals_allowed(row)
    ):
        values.update(
            status=OutboxStatus.pending,
            claimed_by=None,
            next_attempt_at=now + service.backoff(row.attempts, delivery.retry_after),
        )
    else:
        values.update(status=OutboxStatus.failed, document=None)
    params = {f"new_{name}": value for name, value in values.items()}
    result = await session.execute(
        _outcome_update(tuple(values)), {"row_id": row.id, "worker": worker, **params}
    )
    returned = result.all()
    if len(returned) != 1:
        return Recorded(applied=False)
    for name, value in values.items():
        setattr(row, name, value)
    if row.purpose is Purpose.stranger and row.status is not OutboxStatus.pending:
        # "Nothing you send here is kept": not even the chat id of what the bot said.
        await session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.id == row.id)
            .execution_options(synchronize_session=False)
        )
        return Recorded(applied=True, chat_waiting=bool(returned[0][0]))
    if row.status is OutboxStatus.sent:
        for handler in _on_sent.get(row.purpose, ()):
            await handler(session, row, delivery, now)
    elif row.status is OutboxStatus.failed:
        reason = (delivery.error or delivery.outcome.value)[:200]
        logger.warning("outbox row %s (%s) not delivered: %s", row.id, row.purpose, reason)
        handlers = _on_blocked if delivery.outcome is Outcome.blocked else _on_given_up
        for handler in handlers:
            await handler(session, row, delivery, now)
    elif row.attempts == TELL_AFTER_ATTEMPTS:
        for handler in _on_still_retrying:
            await handler(session, row, delivery, now)
    return Recorded(applied=True, chat_waiting=bool(returned[0][0]))


async def _migrated(
    session: AsyncSession, row: OutboxMessage, new_chat_id: int, now: datetime, worker: str
) -> Recorded:
    """The chat has a new id: this row goes there at once, uncounted, and so does everything
    else waiting for the old one (the handlers re-point the chat wherever it is stored)."""
    old_chat_id = row.chat_id
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row.id,
            OutboxMessage.status == OutboxStatus.sending,
            OutboxMessage.claimed_by == worker,
        )
        .values(
            chat_id=new_chat_id,
            status=OutboxStatus.pending,
            claimed_by=None,
            attempts=OutboxMessage.attempts - 1,
            next_attempt_at=now,
            error=f"chat migrated from {old_chat_id}",
        )
        .execution_options(synchronize_session=False)
    )
    if int(result.rowcount) != 1:  # type: ignore[attr-defined]
        return Recorded(applied=False)
    await service.repoint(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    row.chat_id, row.status, row.next_attempt_at = new_chat_id, OutboxStatus.pending, now
    logger.warning("chat %s migrated to %s: its messages go there now", old_chat_id, new_chat_id)
    for handler in _on_migrated:
        await handler(session, old_chat_id, new_chat_id, now)
    return Recorded(applied=True)
