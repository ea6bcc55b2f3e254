"""Staff acting on an alert from the clinic's Telegram group: checked, recorded, and shown.

The group message's new state is an outbox row written in the same transaction as the change.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from bot.alert import raising, service
from bot.alert.models import Alert, AlertStatus
from bot.alert.views import build_view
from bot.clinic.models import Clinic
from bot.database.core import SessionMaker
from bot.staff.models import Staff


class ActResult(enum.StrEnum):
    done = "done"
    not_found = "not_found"
    not_staff = "not_staff"
    already_acknowledged = "already_acknowledged"
    already_resolved = "already_resolved"
    # Allowed to resolve, but a note saying what was done is still missing.
    note_needed = "note_needed"


async def act(
    sessionmaker: SessionMaker,
    *,
    alert_id: int,
    telegram_user_id: int,
    chat_id: int | None,
    action: Literal["ack", "resolve"],
    note: str | None = None,
    now: datetime,
) -> ActResult:
    """A staff member pressed Acknowledge or Resolve (with a note): check, record, and queue
    the group message's new state in the same transaction.

    Only in the alert's clinic's linked staff group (`chat_id`, None if unknown): from any other
    chat the answer is `not_found`, the same as for an id that does not exist, so nobody can
    learn which alert ids exist. A deactivated staff member is `not_staff`.
    """
    async with sessionmaker.begin() as session:
        alert = await session.get(Alert, alert_id)
        if alert is None:
            return ActResult.not_found
        clinic = await session.get(Clinic, alert.clinic_id)
        if chat_id is None or clinic is None or clinic.staff_chat_id != chat_id:
            return ActResult.not_found
        staff = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == telegram_user_id)
        )
        # Deactivated staff are refused here, before the clinic check in `service.can_act`.
        if staff is None or staff.deactivated_at is not None or not service.can_act(staff, alert):
            return ActResult.not_staff
        if alert.status is AlertStatus.resolved:
            return ActResult.already_resolved
        label = f"{staff.name} (telegram)"
        if action == "ack":
            if alert.status is AlertStatus.acknowledged:
                return ActResult.already_acknowledged
            await service.acknowledge(
                session, alert_id=alert_id, actor=staff, actor_label=label, now=now
            )
        else:
            if not note or not note.strip():
                return ActResult.note_needed
            await service.resolve(
                session, alert_id=alert_id, actor=staff, actor_label=label, note=note, now=now
            )
        raising.show_change(session, await build_view(session, alert=alert), now)
    return ActResult.done
