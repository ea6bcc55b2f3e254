"""A clinic with a therapist, an admin and a client; alerts raised as the product raises them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.alert import raising
from bot.alert.models import AlertType, Severity
from bot.client.models import Client
from bot.database.core import SessionMaker
from bot.outbox.models import OutboxMessage, Purpose
from bot.staff import service as staff_service
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock

NOW = clock.now()


@dataclass
class World:
    clinic_id: int
    therapist_id: int
    admin_id: int
    client_id: int
    duty_id: int


async def raise_crisis(
    sessionmaker: SessionMaker,
    world: World,
    *,
    now: datetime = NOW,
    client_id: int | None = None,
    type: AlertType = AlertType.crisis,
    severity: Severity = Severity.urgent,
    message_id: int | None = None,
) -> int:
    """An alert raised the way the product raises it: in one transaction with its staff rows."""
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id or world.client_id)
        assert client is not None
        raised = await raising.raise_alert(
            session,
            client=client,
            type=type,
            severity=severity,
            evidence="message 1: intent crisis; safety net: end it all",
            now=now,
            message_id=message_id,
        )
    return raised.alert_id


async def staff_rows(sessionmaker: SessionMaker, purpose: Purpose) -> list[OutboxMessage]:
    """The staff-group messages queued with `purpose`, oldest first."""
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.purpose == purpose)
                .order_by(OutboxMessage.id)
            )
        )


async def build_world(
    sessionmaker: SessionMaker, *, group: int | None = -1001, linked: bool = True
) -> World:
    """Riverside Clinic; therapist (Telegram 7001), admin (7002) and duty (7003) unless not
    `linked`."""
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        clinic.staff_chat_id = group
        therapist = await make_therapist(session, clinic)
        therapist.telegram_user_id = 7001 if linked else None
        admin = await staff_service.create(
            session, clinic=clinic, name="Jo Admin", role="clinic_admin"
        )
        admin.telegram_user_id = 7002 if linked else None
        # Works the queue: the therapist may link Telegram, but only duty staff and admins act.
        duty = await staff_service.create(session, clinic=clinic, name="Dee Duty", role="duty")
        duty.telegram_user_id = 7003 if linked else None
        client = await make_client(session, therapist=therapist, now=NOW, name="Sam Jones")
        return World(clinic.id, therapist.id, admin.id, client.id, duty.id)


@pytest.fixture
async def world(sessionmaker: SessionMaker) -> World:
    return await build_world(sessionmaker)
