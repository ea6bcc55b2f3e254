"""Side effects of alerts: commit first, then tell staff; remind and escalate what is overdue.

Telling staff never raises: a failure is logged and written to the audit trail, and the alert
stays open in the database, so the client's conversation goes on whatever Telegram does.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select

from bot.alert import service
from bot.alert.delivery import AlertNotifier, AlertView, StaffContact
from bot.alert.models import Alert, AlertAction, AlertStatus, AlertType, Severity
from bot.alert.views import build_view, clinic_admins
from bot.client import service as clients
from bot.database.core import SessionMaker
from bot.staff.models import Staff

logger = logging.getLogger(__name__)

NO_GROUP = "no staff group linked"
REMIND_EVERY = timedelta(minutes=15)


class ActResult(enum.StrEnum):
    done = "done"
    not_found = "not_found"
    not_staff = "not_staff"
    already_acknowledged = "already_acknowledged"
    already_resolved = "already_resolved"
    # Allowed to resolve, but a note saying what was done is still missing.
    note_needed = "note_needed"


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


async def _audit(
    sessionmaker: SessionMaker, alert_id: int, action: AlertAction, now: datetime, detail: str
) -> None:
    async with sessionmaker.begin() as session:
        alert = await session.get(Alert, alert_id)
        if alert is not None:
            service.log_event(session, alert, action, now=now, detail=detail)


async def raise_and_notify(
    sessionmaker: SessionMaker,
    notifier: AlertNotifier,
    *,
    client_id: int,
    type: AlertType,
    severity: Severity,
    evidence: str,
    now: datetime,
    message_id: int | None = None,
    checkin_id: int | None = None,
) -> int:
    """Raise (or merge) the alert, then tell the clinic's group; returns the alert id."""
    async with sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client_id)
        earlier = await service.find_mergeable(session, client_id=client_id, type=type, now=now)
        before = earlier.severity if earlier is not None else None
        alert, created = await service.raise_alert(
            session,
            client=client,
            type=type,
            severity=severity,
            evidence=evidence,
            now=now,
            message_id=message_id,
            checkin_id=checkin_id,
        )
        view = await build_view(session, alert=alert)
    if view.staff_chat_id is None:
        logger.warning("alert %s for %s: %s", view.alert_id, view.client_pseudonym, NO_GROUP)
        await _audit(sessionmaker, view.alert_id, AlertAction.notify_failed, now, NO_GROUP)
        return view.alert_id
    rose = before is not None and view.severity.rank > before.rank
    try:
        if created or rose or view.staff_message_id is None:
            group_message_id = await notifier.announce(view)
        else:
            await notifier.update(view)
            group_message_id = None
    except Exception as exc:  # telling staff must never break the client's conversation
        logger.exception("could not notify the staff group of alert %s", view.alert_id)
        await _audit(sessionmaker, view.alert_id, AlertAction.notify_failed, now, _failure(exc))
        return view.alert_id
    async with sessionmaker.begin() as session:
        stored = await session.get(Alert, view.alert_id)
        assert stored is not None
        if group_message_id is not None:
            stored.staff_message_id = group_message_id
            stored.last_notified_at = now
            detail = "announced in the staff group" + (f" ({stored.severity})" if rose else "")
        else:
            detail = f"group message updated (repeat {stored.count})"
        service.log_event(session, stored, AlertAction.notified, now=now, detail=detail)
    return view.alert_id


async def remind_overdue(
    sessionmaker: SessionMaker,
    notifier: AlertNotifier,
    *,
    now: datetime,
    remind_every: timedelta = REMIND_EVERY,
) -> int:
    """Remind the group of every overdue alert; the first time, escalate to clinic admins.

    Returns how many alerts were overdue. State lives in columns, so a restart loses nothing.
    """
    async with sessionmaker.begin() as session:
        due = await service.overdue(session, now=now, remind_every=remind_every)
        work = []
        for alert in due:
            # Claimed before sending: a slow Telegram never makes the next tick remind twice.
            alert.last_notified_at = now
            alert.reminders_sent += 1
            admins = None
            if alert.escalated_at is None:
                alert.escalated_at = now
                admins = await clinic_admins(session, clinic_id=alert.clinic_id)
            work.append((await build_view(session, alert=alert), now - alert.deadline_at, admins))
    for view, overdue_by, admins in work:
        await _remind_one(sessionmaker, notifier, view, overdue_by, now)
        if admins is not None:
            await _escalate_one(sessionmaker, notifier, view, admins, now)
    return len(work)


async def _remind_one(
    sessionmaker: SessionMaker,
    notifier: AlertNotifier,
    view: AlertView,
    overdue_by: timedelta,
    now: datetime,
) -> None:
    if view.staff_chat_id is None:
        await _audit(sessionmaker, view.alert_id, AlertAction.notify_failed, now, NO_GROUP)
        return
    try:
        await notifier.remind(view, overdue_by)
    except Exception as exc:  # the next tick tries again; the audit trail says why
        logger.exception("could not remind the staff group of alert %s", view.alert_id)
        await _audit(sessionmaker, view.alert_id, AlertAction.notify_failed, now, _failure(exc))
        return
    minutes = int(overdue_by.total_seconds() // 60)
    detail = f"overdue by {minutes} min"
    await _audit(sessionmaker, view.alert_id, AlertAction.reminded, now, detail)


async def _escalate_one(
    sessionmaker: SessionMaker,
    notifier: AlertNotifier,
    view: AlertView,
    admins: list[StaffContact],
    now: datetime,
) -> None:
    try:
        await notifier.escalate(view, admins)
    except Exception as exc:  # escalated_at stays set: admins are not paged again every tick
        logger.exception("could not escalate alert %s", view.alert_id)
        await _audit(sessionmaker, view.alert_id, AlertAction.notify_failed, now, _failure(exc))
        return
    names = ", ".join(a.name for a in admins) or "no clinic admin on record"
    await _audit(sessionmaker, view.alert_id, AlertAction.escalated, now, f"to {names}")


async def act(
    sessionmaker: SessionMaker,
    notifier: AlertNotifier,
    *,
    alert_id: int,
    telegram_user_id: int,
    action: Literal["ack", "resolve"],
    note: str | None = None,
    now: datetime,
) -> ActResult:
    """A staff member pressed Acknowledge or Resolve (with a note): check, record, show it."""
    async with sessionmaker.begin() as session:
        alert = await session.get(Alert, alert_id)
        if alert is None:
            return ActResult.not_found
        staff = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == telegram_user_id)
        )
        if staff is None or not service.can_act(staff, alert):
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
        view = await build_view(session, alert=alert)
    await show_change(sessionmaker, notifier, view, now)
    return ActResult.done


async def show_change(
    sessionmaker: SessionMaker, notifier: AlertNotifier, view: AlertView, now: datetime
) -> None:
    """Edit the group message after an ack or resolve; a failure is audited, never raised."""
    if view.staff_chat_id is None or view.staff_message_id is None:
        return
    try:
        await notifier.update(view)
    except Exception as exc:  # the change is recorded; only its display in the group failed
        logger.exception("could not update the group message of alert %s", view.alert_id)
        await _audit(sessionmaker, view.alert_id, AlertAction.notify_failed, now, _failure(exc))
