"""Writing to the client from an alert, and their answer coming back to the same alert.

The message goes through the outbox, signed with the staff member's first name and the clinic,
and is on the alert's trail; a reply the client writes soon after is recorded on that trail
too, after the policy has read it (a crisis in the reply is still a crisis).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import actions, service
from bot.alert.models import Alert, AlertAction, AlertEvent
from bot.client.models import ENDED, Client
from bot.errors import InvalidInput
from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose
from bot.texts import dialogue as text
from bot.texts.translation import translator_for

# A client's message this soon after a clinic message answers it (and lands on its alert).
REPLY_WINDOW = timedelta(days=3)
MESSAGE_LENGTH = 2000
# What the trail keeps of a reply: which message it was, never the words (they expire).
REPLY_DETAIL = "client message {message_id}"


class ClientUnreachable(InvalidInput):
    """The client has not joined on Telegram, or stopped messages or ended: nothing can go."""


class MessageMissing(InvalidInput):
    pass


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


async def write(
    db: AsyncSession, *, alert_id: int, actor: actions.Actor, body: str, now: datetime
) -> Alert:
    """Queue a message from the clinic to the alert's client, and put it on the trail."""
    body = body.strip()
    if not body:
        raise MessageMissing("write what to send")
    if len(body) > MESSAGE_LENGTH:
        raise MessageMissing(f"a message is at most {MESSAGE_LENGTH} characters")
    alert = await actions.lock(db, alert_id=alert_id)
    actions.check(actor, alert)
    client = await db.get(Client, alert.client_id)
    assert client is not None
    if client.chat_id is None or client.status in ENDED:
        raise ClientUnreachable(f"client {client.pseudonym} can't be written to on Telegram")
    assert actor.staff is not None, "a message is signed by a person"
    t = translator_for(client)
    signed = t(text.FROM_CLINIC).format(
        body=body, name=first_name(actor.staff.name), clinic=client.clinic.name
    )
    outbox.enqueue(
        db,
        lane=Lane.reply,
        purpose=Purpose.staff_reply,
        chat_id=client.chat_id,
        text=signed,
        client_id=client.id,
        alert_id=alert.id,
        now=now,
    )
    service.log_event(
        db,
        alert,
        AlertAction.message_sent,
        now=now,
        actor=actor.staff,
        actor_label=actor.label,
        detail=body,
    )
    return alert


async def attach_reply(
    db: AsyncSession, *, client_id: int, message_id: int, now: datetime
) -> int | None:
    """The alert whose clinic message this client's message answers, with the reply on its
    trail; None when no clinic message went to them within REPLY_WINDOW."""
    alert_id = await db.scalar(
        select(AlertEvent.alert_id)
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(
            Alert.client_id == client_id,
            AlertEvent.action == AlertAction.message_sent,
            AlertEvent.at >= now - REPLY_WINDOW,
        )
        .order_by(AlertEvent.at.desc(), AlertEvent.id.desc())
        .limit(1)
    )
    if alert_id is None:
        return None
    alert = await db.get(Alert, alert_id)
    assert alert is not None
    service.log_event(
        db,
        alert,
        AlertAction.client_replied,
        now=now,
        actor_label="client",
        detail=REPLY_DETAIL.format(message_id=message_id),
    )
    return alert_id
