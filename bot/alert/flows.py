"""Staff acting on an alert from the clinic's Telegram group: who pressed, from where, and
what the press comes to; the change itself is bot/alert/actions.py's, as from every door."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from bot.alert import actions
from bot.alert.models import Alert, AlertStatus
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
    """A staff member pressed Acknowledge or Resolve (with a note): the same take or resolve as
    from the console (bot/alert/actions.py), named by their Telegram account.

    Only in the alert's clinic's linked staff group (`chat_id`, None if unknown): from any other
    chat the answer is `not_found`, the same as for an id that does not exist, so nobody can
    learn which alert ids exist. Staff who may not work the queue are `not_staff`.
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
        if staff is None or not actions.works_queue(staff, alert.clinic_id):
            return ActResult.not_staff
        if alert.status is AlertStatus.resolved:
            return ActResult.already_resolved
        actor = actions.Actor(staff, actions.Door.telegram)
        try:
            if action == "ack":
                await actions.take(session, alert_id=alert_id, actor=actor, now=now)
            elif not note or not note.strip():
                return ActResult.note_needed
            else:
                await actions.resolve(
                    session, alert_id=alert_id, actor=actor, note=note, reason=None, now=now
                )
        except actions.AlreadyTaken:
            return ActResult.already_acknowledged
        except actions.AlreadyResolved:
            return ActResult.already_resolved
    return ActResult.done
