"""Trying the bot as a client: the real inbound flow on a message, then nothing kept.

The message is read and handled exactly as if the client had sent it (their plan, their status,
an open question, the clinic's policy), in a transaction that is rolled back: no message, alert,
reply or taper change is stored, nothing reaches Telegram, and the outbox sender is never woken
(it rings only on commit). What would have been sent and raised is read before the rollback.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, AlertAction, AlertEvent
from bot.client.models import Client
from bot.conversation import commands
from bot.conversation.flow import (
    Handled,
    Inbound,
    Kind,
    reading_language,
    receive_in,
    understand,
)
from bot.errors import NotFound
from bot.nlu.understanding import Understanding
from bot.outbox.doorbell import written
from bot.outbox.models import Lane, OutboxMessage
from bot.policy.rules import Decision
from bot.services import Services

# A client who has not joined has no chat: the flow is given this one, per client, instead.
NO_CHAT_YET = -(2**62)


@dataclass(frozen=True)
class WouldSend:
    """One message the bot would send: its words, its buttons' labels, and whether it goes
    ahead of everything else (the crisis lane)."""

    text: str
    buttons: list[str]
    urgent: bool


@dataclass(frozen=True)
class WouldRaise:
    """An alert the message would raise (or merge into the open one of its kind)."""

    type: str
    severity: str
    merged: bool


@dataclass(frozen=True)
class Preview:
    reading: Understanding
    decision: Decision
    to_client: list[WouldSend]
    to_staff: list[WouldSend]
    alerts: list[WouldRaise]

    @property
    def pages_clinic(self) -> bool:
        return bool(self.alerts)


def _would_send(row: OutboxMessage) -> WouldSend:
    labels = [button[0] for line in row.buttons or () for button in line if button]
    return WouldSend(text=row.text, buttons=labels, urgent=row.lane == Lane.crisis)


async def _last_event(session: AsyncSession, client_id: int) -> int:
    found = await session.scalar(
        select(func.max(AlertEvent.id))
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(Alert.client_id == client_id)
    )
    return found or 0


async def _raised(session: AsyncSession, client_id: int, after: int) -> list[WouldRaise]:
    rows = await session.execute(
        select(Alert.type, Alert.severity, AlertEvent.action)
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(
            Alert.client_id == client_id,
            AlertEvent.id > after,
            AlertEvent.action.in_([AlertAction.created, AlertAction.merged]),
        )
        .order_by(AlertEvent.id)
    )
    return [
        WouldRaise(type=kind.value, severity=severity.value, merged=action is AlertAction.merged)
        for kind, severity, action in rows.tuples()
    ]


def _inbound(chat_id: int, client_id: int, text: str) -> Inbound:
    """The message as the bot would take it: a command with its words apart, else text."""
    command = commands.split_command(text)
    if command is None:
        return Inbound(chat_id=chat_id, text=text, client_id=client_id)
    name, argument, rest = command
    return Inbound(
        chat_id=chat_id,
        text=rest,
        kind=Kind.command,
        client_id=client_id,
        command=name,
        argument=argument,
    )


async def try_message(services: Services, *, client_id: int, text: str) -> Preview:
    """What the bot would do with `text` from this client; nothing is kept or sent."""
    inbound_words = _inbound(0, client_id, text).text
    reading = None
    if inbound_words.strip():
        language = await reading_language(services, _inbound(0, client_id, text))
        reading = await understand(services, inbound_words, language)
    async with services.sessionmaker() as session:
        try:
            client = await session.get(Client, client_id)
            if client is None:
                raise NotFound(f"no client with id {client_id}")
            if client.chat_id is None:
                client.chat_id = NO_CHAT_YET + client.id
            chat_id = client.chat_id
            before = await _last_event(session, client_id)
            inbound = _inbound(chat_id, client_id, text)
            handled: Handled = await receive_in(session, services, inbound, reading)
            rows = written(session)
            to_client = [_would_send(r) for r in rows if r.chat_id == chat_id]
            to_staff = [_would_send(r) for r in rows if r.chat_id != chat_id]
            alerts = await _raised(session, client_id, before)
        finally:
            await session.rollback()
    return Preview(handled.understanding, handled.decision, to_client, to_staff, alerts)
