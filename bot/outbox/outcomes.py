"""Recording what Telegram said about one outbox row, and what that changes elsewhere.

Each row's outcome is its own short transaction, written the moment it is known: a crash repeats
at most the rows that were in flight.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Update, bindparam, case, exists, literal, null, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import service as alerts
from bot.alert.models import Alert, AlertAction
from bot.checkin.models import Checkin, CheckinStatus
from bot.checkin.service import mark_blocked
from bot.client.models import Client, ClientStatus
from bot.database.base import table_of
from bot.outbox import service
from bot.outbox.models import Delivery, OutboxMessage, OutboxStatus, Outcome, Purpose

logger = logging.getLogger(__name__)

ALERT_SENT = {
    Purpose.alert_announce: (AlertAction.notified, "announced in the staff group"),
    Purpose.alert_remind: (AlertAction.reminded, "reminded in the staff group"),
    Purpose.alert_escalate: (AlertAction.escalated, "escalation message delivered"),
    Purpose.crisis_resources: (AlertAction.resources_sent, "crisis resources delivered"),
}


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


@functools.cache
def _checkin_sent() -> Update:
    """The check-in went out. A tap can arrive before this is recorded, so the status moves to
    sent only if it is still sending, decided by the database on the row as it is now: read here
    and written later, an answer committed in between would be overwritten."""
    table = table_of(Checkin)
    still_sending = table.c.status == CheckinStatus.sending
    sent = literal(CheckinStatus.sent, type_=table.c.status.type)
    return (
        update(table)
        .where(table.c.id == bindparam("checkin"))
        .values(
            sent_at=bindparam("at", type_=table.c.sent_at.type),
            telegram_message_id=bindparam("message", type_=table.c.telegram_message_id.type),
            status=case((still_sending, sent), else_=table.c.status),
            last_error=case((still_sending, null()), else_=table.c.last_error),
        )
    )


async def record(
    session: AsyncSession, *, row: OutboxMessage, delivery: Delivery, now: datetime, worker: str
) -> Recorded:
    """Apply one outcome to the row `worker` claimed; not applied if it was taken back meanwhile.

    One conditional UPDATE: the row as claimed (kept by the sender) says what else changes.
    """
    values: dict[str, Any] = {"error": delivery.error}
    if delivery.outcome is Outcome.sent:
        values.update(
            status=OutboxStatus.sent, sent_at=now, telegram_message_id=delivery.message_id
        )
    elif delivery.outcome is Outcome.retry or (
        delivery.outcome is Outcome.failed and row.attempts < service.MAX_REFUSALS
    ):
        values.update(
            status=OutboxStatus.pending,
            claimed_by=None,
            next_attempt_at=now + service.backoff(row.attempts, delivery.retry_after),
        )
    else:
        values.update(status=OutboxStatus.failed)
    params = {f"new_{name}": value for name, value in values.items()}
    result = await session.execute(
        _outcome_update(tuple(values)), {"row_id": row.id, "worker": worker, **params}
    )
    returned = result.all()
    if len(returned) != 1:
        return Recorded(applied=False)
    for name, value in values.items():
        setattr(row, name, value)
    if row.status is OutboxStatus.sent:
        await _sent(session, row, now)
    elif row.status is OutboxStatus.failed:
        await _failed(session, row, delivery, now)
    return Recorded(applied=True, chat_waiting=bool(returned[0][0]))


async def _audit(
    session: AsyncSession, row: OutboxMessage, action: AlertAction, detail: str, now: datetime
) -> None:
    if row.alert_id is None:
        return
    alert = await session.get(Alert, row.alert_id)
    if alert is not None:
        alerts.log_event(session, alert, action, now=now, detail=detail)


async def _sent(session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
    if row.purpose is Purpose.checkin and row.checkin_id is not None:
        params = {"checkin": row.checkin_id, "at": now, "message": row.telegram_message_id}
        await session.execute(_checkin_sent(), params)
        return
    announces = row.purpose is Purpose.alert_announce or (
        row.purpose is Purpose.alert_update and row.edit_message_id is None
    )
    if announces and row.alert_id is not None:
        alert = await session.get(Alert, row.alert_id)
        if alert is not None:
            alert.staff_message_id = row.telegram_message_id
            alert.last_notified_at = now
    if row.purpose in ALERT_SENT:
        action, detail = ALERT_SENT[row.purpose]
        await _audit(session, row, action, detail, now)


async def _failed(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    reason = (delivery.error or delivery.outcome.value)[:200]
    logger.warning("outbox row %s (%s) not delivered: %s", row.id, row.purpose, reason)
    if row.checkin_id is not None and row.purpose is Purpose.checkin:
        checkin = await session.get(Checkin, row.checkin_id)
        if checkin is not None and checkin.status is CheckinStatus.sending:
            checkin.status = CheckinStatus.cancelled
            checkin.last_error = reason
    if row.alert_id is not None:
        await _audit(session, row, AlertAction.notify_failed, f"{row.purpose}: {reason}", now)
    if row.client_id is None:
        return
    client = await session.get(Client, row.client_id)
    if client is None:
        return
    # Late imports: the policy flows raise alerts and queue rows, which import this package.
    from bot.escalation import flows

    if delivery.outcome is Outcome.blocked:
        if client.status is ClientStatus.active:
            await mark_blocked(session, client_ids={client.id})
            await flows.client_blocked(session, client=client, now=now)
    else:
        await flows.undeliverable(session, client=client, reason=reason, now=now)
