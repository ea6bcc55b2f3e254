"""The end of the taper: the client graduates; /plan and /return keep working afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.plan import service as plans
from bot.plan.schema import PlanDocument

# The last check-in gets a day to be answered before the goodbye.
LAST_ANSWER_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Graduate:
    client_id: int
    chat_id: int
    display_name: str
    clinic_name: str
    plan: PlanDocument | None


async def graduate_due(session: AsyncSession, *, now: datetime) -> list[Graduate]:
    """Active clients whose last taper step is done; marks them completed."""
    pending = exists().where(
        Checkin.client_id == Client.id,
        Checkin.status.in_([CheckinStatus.scheduled, CheckinStatus.sending]),
    )
    candidates = await session.scalars(
        select(Client).where(
            Client.status == ClientStatus.active, Client.graduated_at.is_(None), ~pending
        )
    )
    graduates = []
    for client in candidates:
        last_step = len(client.taper_offsets) - 1
        last = await session.scalar(
            select(func.max(Checkin.sent_at)).where(
                Checkin.client_id == client.id,
                Checkin.kind == CheckinKind.taper,
                Checkin.step == last_step,
                Checkin.status.in_(
                    [CheckinStatus.sent, CheckinStatus.answered, CheckinStatus.missed]
                ),
            )
        )
        answered = await session.scalar(
            select(func.count()).where(
                Checkin.client_id == client.id,
                Checkin.step == last_step,
                Checkin.status.in_([CheckinStatus.answered, CheckinStatus.missed]),
            )
        )
        if last is None or (not answered and last > now - LAST_ANSWER_GRACE):
            continue
        client.status = ClientStatus.completed
        client.graduated_at = now
        graduates.append(
            Graduate(
                client_id=client.id,
                chat_id=client.chat_id or 0,
                display_name=client.display_name,
                clinic_name=client.clinic.name,
                plan=await plans.get_document(session, client_id=client.id),
            )
        )
    await session.flush()
    return graduates
