"""What Telegram's answer about a staff or crisis message changes for its alert, and for the
staff group's health: a group that stops receiving is never left to fail silently."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import service as alerts
from bot.alert.models import Alert, AlertAction
from bot.alert.views import clinic_admins
from bot.clinic import service as clinics
from bot.clinic.models import Clinic
from bot.outbox import outcomes
from bot.outbox import service as outbox
from bot.outbox.models import Delivery, Lane, OutboxMessage, Purpose
from bot.texts import staff_notices as text

logger = logging.getLogger(__name__)

ALERT_SENT = {
    Purpose.alert_announce: (AlertAction.notified, "announced in the staff group"),
    Purpose.alert_remind: (AlertAction.reminded, "reminded in the staff group"),
    Purpose.alert_escalate: (AlertAction.escalated, "escalation message delivered"),
    Purpose.crisis_resources: (AlertAction.resources_sent, "crisis resources delivered"),
}
STAFF_GROUP_PURPOSES = (
    Purpose.alert_announce,
    Purpose.alert_update,
    Purpose.alert_remind,
    Purpose.alert_escalate,
    Purpose.staff_reply,
)


async def _audit(
    session: AsyncSession, row: OutboxMessage, action: AlertAction, detail: str, now: datetime
) -> None:
    if row.alert_id is None:
        return
    alert = await session.get(Alert, row.alert_id)
    if alert is not None:
        alerts.log_event(session, alert, action, now=now, detail=detail)


@outcomes.on_sent(*ALERT_SENT, Purpose.alert_update, Purpose.staff_reply)
async def alert_message_sent(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
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
    if row.purpose in STAFF_GROUP_PURPOSES:
        # The group receives again: the console stops warning.
        await session.execute(
            update(Clinic)
            .where(
                Clinic.staff_chat_id == row.chat_id, Clinic.staff_group_failing_since.is_not(None)
            )
            .values(staff_group_failing_since=None, staff_group_error=None)
            .execution_options(synchronize_session=False)
        )


@outcomes.on_given_up
@outcomes.on_blocked
async def alert_message_refused(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    reason = (delivery.error or delivery.outcome.value)[:200]
    if row.alert_id is not None:
        await _audit(session, row, AlertAction.notify_failed, f"{row.purpose}: {reason}", now)
    await _staff_group_failing(session, row, reason, now, text.GROUP_FAILING)


@outcomes.on_still_retrying
async def alert_message_stuck(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    reason = (delivery.error or delivery.outcome.value)[:200]
    await _staff_group_failing(session, row, reason, now, text.GROUP_STILL_RETRYING)


async def _staff_group_failing(
    session: AsyncSession, row: OutboxMessage, reason: str, now: datetime, notice: str
) -> None:
    if row.purpose in STAFF_GROUP_PURPOSES:
        await staff_group_not_receiving(
            session, chat_id=row.chat_id, reason=reason, now=now, notice=notice
        )


async def staff_group_not_receiving(
    session: AsyncSession,
    *,
    chat_id: int,
    reason: str,
    now: datetime,
    notice: str = text.GROUP_FAILING,
) -> None:
    """The group is marked failing (the console shows it until a message gets through again)
    and, the first time, the clinic's admins hear it in their own chats."""
    clinic = await session.scalar(select(Clinic).where(Clinic.staff_chat_id == chat_id))
    if clinic is None:
        return
    already = clinic.staff_group_failing_since is not None
    clinic.staff_group_error = reason[:300]
    if already:
        return  # the admins were told when it started
    clinic.staff_group_failing_since = now
    logger.error("the staff group of %s is not receiving: %s", clinic.name, reason)
    body = notice.format(clinic=clinic.name, error=reason)
    for admin in await clinic_admins(session, clinic_id=clinic.id):
        if admin.telegram_user_id is not None:
            outbox.enqueue(
                session,
                lane=Lane.crisis,
                purpose=Purpose.staff_notice,
                chat_id=admin.telegram_user_id,
                text=body,
                now=now,
            )


@outcomes.on_migrated
async def staff_group_migrated(
    session: AsyncSession, old_chat_id: int, new_chat_id: int, now: datetime
) -> None:
    """The group became a supergroup: it stays the clinic's staff group under its new id."""
    await clinics.move_staff_group(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
