"""The end of the taper: the client graduates; /plan and /return keep working afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose
from bot.plan import service as plans
from bot.plan.render import render_graduation
from bot.plan.schema import PlanDocument
from bot.texts.translation import translator, translator_for

# The last check-in gets a day to be answered before the goodbye.
LAST_ANSWER_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Graduate:
    client_id: int
    chat_id: int
    display_name: str
    clinic_name: str
    plan: PlanDocument | None
    # The language they read.
    language: str | None = None


async def _claim(session: AsyncSession, *, client_id: int, now: datetime) -> bool:
    """Mark the client completed if still active and not graduated; False: someone else did.

    One conditional UPDATE: on SQLite it waits for a concurrent writer and then sees what it
    wrote; on PostgreSQL it waits for a concurrent transaction that changed the row and then
    re-checks the condition on the committed row. Either way only one claim matches.
    """
    claimed = await session.execute(
        update(Client)
        .where(
            Client.id == client_id,
            Client.status == ClientStatus.active,
            Client.graduated_at.is_(None),
        )
        .values(status=ClientStatus.completed, graduated_at=now)
        .returning(Client.id)
        .execution_options(synchronize_session="fetch")
    )
    return claimed.scalar_one_or_none() is not None


async def graduate_due(session: AsyncSession, *, now: datetime) -> list[Graduate]:
    """Active clients whose last taper step is done; marks them completed.

    Safe with several processes: each client is claimed atomically, so it graduates (and is
    returned for its goodbye) in exactly one transaction. On PostgreSQL candidates another
    transaction is deciding on are skipped (SKIP LOCKED) rather than waited for.
    """
    pending = exists().where(
        Checkin.client_id == Client.id,
        Checkin.status.in_([CheckinStatus.scheduled, CheckinStatus.sending]),
    )
    query = (
        select(Client)
        .where(Client.status == ClientStatus.active, Client.graduated_at.is_(None), ~pending)
        .order_by(Client.id)
        .execution_options(populate_existing=True)
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Client)
    candidates = list(await session.scalars(query))
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
        if not await _claim(session, client_id=client.id, now=now):
            continue
        graduates.append(
            Graduate(
                client_id=client.id,
                chat_id=client.chat_id or 0,
                display_name=client.display_name,
                clinic_name=client.clinic.name,
                plan=await plans.get_document(session, client_id=client.id),
                language=translator_for(client).language,
            )
        )
    await session.flush()
    return graduates


def queue_goodbye(session: AsyncSession, grad: Graduate, *, now: datetime) -> None:
    """The goodbye with the plan in short, through the outbox (a failed send is retried)."""
    outbox.enqueue(
        session,
        lane=Lane.nudge,
        purpose=Purpose.graduation,
        chat_id=grad.chat_id,
        text=render_graduation(
            grad.plan,
            name=grad.display_name,
            clinic=grad.clinic_name,
            t=translator(grad.language),
        ),
        client_id=grad.client_id,
        now=now,
    )
