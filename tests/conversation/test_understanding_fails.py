"""When the understander itself fails, the deterministic safety net still reads the message:
a crisis in plain words is a crisis, anything else goes to a person as "needs review"."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import cast

import pytest
from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.client.models import Client
from bot.conversation.flow import NOT_UNDERSTOOD, Inbound, receive
from bot.conversation.models import ClientMessage
from bot.nlu.service import Understander
from bot.nlu.understanding import Risk, Understanding
from bot.outbox.models import Lane, OutboxMessage, Purpose
from bot.policy.rules import Reply
from bot.services import Services
from bot.texts import dialogue as dialogue_text
from tests.factories import make_linked_client

CHAT = 15_301
STAFF_GROUP = -100_301
CRISIS = "i want to end it all tonight"


class BrokenUnderstander:
    """Fails on every message, as a bug in a backend or its client would."""

    async def understand(
        self,
        text: str,
        *,
        language: str | None = None,
        warning_signs: Sequence[str] = (),
        triggers: Sequence[str] = (),
    ) -> Understanding:
        raise RuntimeError("the classifier fell over")


@pytest.fixture
async def broken(services: Services) -> Services:
    """An active client in CHAT whose clinic has a staff group; every reading fails."""
    now = services.now()
    async with services.sessionmaker.begin() as session:
        await make_linked_client(session, chat_id=CHAT, now=now, staff_chat_id=STAFF_GROUP)
    return dataclasses.replace(services, understander=cast(Understander, BrokenUnderstander()))


async def _outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessionmaker() as session:
        query = select(OutboxMessage).where(OutboxMessage.chat_id == CHAT)
        return list(await session.scalars(query.order_by(OutboxMessage.id)))


async def _alerts(services: Services) -> list[Alert]:
    async with services.sessionmaker() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def test_a_crisis_is_still_a_crisis_when_understanding_fails(broken: Services) -> None:
    handled = await receive(broken, Inbound(CHAT, CRISIS))
    reading = handled.understanding
    assert (reading.risk, reading.source) == (Risk.crisis, "safety_net")
    assert reading.net_matches
    assert handled.decision.reply is Reply.crisis
    [alert] = await _alerts(broken)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    first, *_ = await _outbox(broken)
    assert (first.lane, first.purpose) == (Lane.crisis, Purpose.crisis_resources)
    async with broken.sessionmaker() as session:
        [stored] = list(await session.scalars(select(ClientMessage)))
    assert (stored.risk, stored.source) == ("crisis", "safety_net")


async def test_anything_else_goes_to_review_when_understanding_fails(broken: Services) -> None:
    handled = await receive(broken, Inbound(CHAT, "just checking in, nothing much to say"))
    assert handled.understanding == NOT_UNDERSTOOD
    assert handled.decision.reply is Reply.needs_review
    [alert] = await _alerts(broken)
    assert (alert.type, alert.severity) == (AlertType.needs_review, Severity.routine)
    async with broken.sessionmaker() as session:
        client = await session.scalar(select(Client).where(Client.chat_id == CHAT))
        assert client is not None
        clinic = client.clinic
    [reply] = await _outbox(broken)
    assert reply.text == dialogue_text.NEEDS_REVIEW.format(
        clinic=clinic.name, office_hours=clinic.office_hours
    )
