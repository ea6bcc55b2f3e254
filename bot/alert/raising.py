"""Raising an alert in the caller's transaction: the alert and its staff messages commit as one.

Nothing here talks to Telegram: the staff group's messages are outbox rows, so an alert never
exists without its announcement, and a failed send is retried rather than lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.alert import service
from bot.alert.delivery import AlertView, StaffContact
from bot.alert.models import Alert, AlertAction, AlertStatus, AlertType, Severity
from bot.alert.views import build_view
from bot.client.models import Client
from bot.outbox import service as outbox
from bot.outbox.models import Buttons, Lane, Purpose
from bot.policy import deadlines
from bot.texts import alerts as text

NO_GROUP = "no staff group linked"


def alert_buttons(alert_id: int, status: AlertStatus = AlertStatus.open) -> Buttons | None:
    """The buttons that still apply: Acknowledge only while nobody has; none once resolved."""
    row = []
    if status is AlertStatus.open:
        row.append((text.ACK_BUTTON, button_data.alert(alert_id, "ack")))
    if status is not AlertStatus.resolved:
        row.append((text.RESOLVE_BUTTON, button_data.alert(alert_id, "resolve")))
    return [row] if row else None


@dataclass(frozen=True)
class Raised:
    """What happened, in the client's terms: was someone actually told (or about to be)?"""

    alert_id: int
    created: bool
    # False when the clinic has no staff group linked: the client must not hear "staff were told".
    staff_will_be_told: bool


def staff_lane(view: AlertView) -> Lane:
    return deadlines.staff_lane(view.severity)


def _announce(session: AsyncSession, view: AlertView, now: datetime) -> None:
    assert view.staff_chat_id is not None
    outbox.enqueue(
        session,
        lane=staff_lane(view),
        purpose=Purpose.alert_announce,
        chat_id=view.staff_chat_id,
        text=text.render_alert(view),
        buttons=alert_buttons(view.alert_id, view.status),
        alert_id=view.alert_id,
        now=now,
    )


def show_change(session: AsyncSession, view: AlertView, now: datetime) -> None:
    """Edit the alert's group message to its new state (after a repeat, ack or resolve).

    If the announcement has not gone out yet, the sender finds its message id once it has (the
    group's rows go in order), or posts the new state as a message of its own.
    """
    if view.staff_chat_id is None:
        return
    outbox.enqueue(
        session,
        lane=staff_lane(view),
        purpose=Purpose.alert_update,
        chat_id=view.staff_chat_id,
        text=text.render_alert(view),
        buttons=alert_buttons(view.alert_id, view.status),
        alert_id=view.alert_id,
        edit_message_id=view.staff_message_id,
        now=now,
    )


async def raise_alert(
    session: AsyncSession,
    *,
    client: Client,
    type: AlertType,
    severity: Severity,
    evidence: str,
    now: datetime,
    message_id: int | None = None,
    checkin_id: int | None = None,
) -> Raised:
    """Raise or merge the alert, and queue what the staff group must see."""
    earlier = await service.find_mergeable(session, client_id=client.id, type=type, now=now)
    before_severity = earlier.severity if earlier is not None else None
    before_status = earlier.status if earlier is not None else None
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
        service.log_event(session, alert, AlertAction.notify_failed, now=now, detail=NO_GROUP)
        return Raised(alert.id, created, staff_will_be_told=False)
    rose = before_severity is not None and alert.severity.rank > before_severity.rank
    # Someone already took it: a repeat must reach them again, not just edit an old message.
    repeat_after_ack = before_status is AlertStatus.acknowledged
    if created or rose or repeat_after_ack or alert.staff_message_id is None:
        _announce(session, view, now)
    else:
        show_change(session, view, now)
    return Raised(alert.id, created, staff_will_be_told=True)


def remind(session: AsyncSession, view: AlertView, overdue_by: timedelta, now: datetime) -> bool:
    """Queue the overdue reminder in the group; False (and audited) when there is no group."""
    if view.staff_chat_id is None:
        return False
    status = (
        text.STATUS_ACKNOWLEDGED.format(who=view.acknowledged_by)
        if view.acknowledged_by
        else text.STATUS_OPEN
    )
    body = text.REMINDER.format(
        **text.heading(view), overdue=text.duration(overdue_by), status=status
    )
    outbox.enqueue(
        session,
        lane=staff_lane(view),
        purpose=Purpose.alert_remind,
        chat_id=view.staff_chat_id,
        text=body,
        buttons=alert_buttons(view.alert_id, view.status),
        alert_id=view.alert_id,
        now=now,
    )
    return True


def escalate(
    session: AsyncSession, alert: Alert, view: AlertView, admins: list[StaffContact], now: datetime
) -> None:
    """Queue a private message to each linked clinic admin and a line in the group.

    No admin linked on Telegram is a recorded outcome, not an error: the audit trail says so.
    """
    reachable = [a for a in admins if a.telegram_user_id]
    private = text.ESCALATION.format(**text.heading(view))
    for admin in reachable:
        assert admin.telegram_user_id is not None
        outbox.enqueue(
            session,
            lane=staff_lane(view),
            purpose=Purpose.alert_escalate,
            chat_id=admin.telegram_user_id,
            text=private,
            alert_id=view.alert_id,
            now=now,
        )
    names = ", ".join(a.name for a in reachable) or text.NO_ADMIN_LINKED
    if view.staff_chat_id is not None:
        outbox.enqueue(
            session,
            lane=staff_lane(view),
            purpose=Purpose.alert_escalate,
            chat_id=view.staff_chat_id,
            text=text.ESCALATED_IN_GROUP.format(alert_id=view.alert_id, admins=names),
            alert_id=view.alert_id,
            now=now,
        )
    if not reachable:
        service.log_event(
            session, alert, AlertAction.escalated, now=now, detail=text.NO_ADMIN_LINKED
        )
