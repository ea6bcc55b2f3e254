"""Consent under the privacy notice: the moment a client becomes active, or decides not to."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule
from bot.client import invite as invites
from bot.client.models import Client, ClientStatus, Invite

# A stopped or completed client needs a fresh enrollment, not an old link.
JOINABLE = (ClientStatus.invited, ClientStatus.active, ClientStatus.paused, ClientStatus.blocked)


class ConsentResult(enum.StrEnum):
    accepted = "accepted"
    declined = "declined"
    invalid = "invalid"
    taken = "taken"


@dataclass(frozen=True)
class ConsentOutcome:
    result: ConsentResult
    client: Client | None = None
    first_checkin: datetime | None = None


async def open_notice(session: AsyncSession, *, invite: Invite, chat_id: int) -> None:
    """Remember which chat was shown the notice: only that chat may consent."""
    invite.pending_chat_id = chat_id
    await session.flush()


async def answer(
    session: AsyncSession, *, invite_id: int, chat_id: int, agree: bool, now: datetime
) -> ConsentOutcome:
    invite = await session.get(Invite, invite_id)
    if invite is None or invite.pending_chat_id != chat_id:
        return ConsentOutcome(ConsentResult.invalid)
    if not agree:
        invite.pending_chat_id = None
        return ConsentOutcome(ConsentResult.declined)
    client = await session.get(Client, invite.client_id)
    if client is None or client.status not in JOINABLE:
        return ConsentOutcome(ConsentResult.invalid)
    if invite.used_at is not None or invite.expires_at <= now:
        return ConsentOutcome(ConsentResult.invalid, client)
    if not await invites.redeem(session, invite=invite, client=client, chat_id=chat_id, now=now):
        return ConsentOutcome(ConsentResult.taken, client)
    planned = await schedule.replan(session, client=client, now=now)
    first = min((c.due_at for c in planned), default=None)
    return ConsentOutcome(ConsentResult.accepted, client, first)
