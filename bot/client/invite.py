"""Single-use invite codes: the link a therapist gives a client to join on Telegram.

Codes come from bot.secret_codes: 160 bits of randomness, stored only as a SHA-256 hash.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.erasure import is_erased
from bot.client.models import Client, ClientStatus, Invite
from bot.errors import InvalidInput
from bot.secret_codes import hash_code, new_code

# Records whose aftercare has ended (as bot.client.models.ENDED): no new link reopens them.
ENDED_STATUSES = (ClientStatus.stopped, ClientStatus.completed)


class InviteProblem(enum.StrEnum):
    unknown = "unknown"
    expired = "expired"
    used = "used"
    ended = "ended"


@dataclass(frozen=True)
class InviteCheck:
    invite: Invite | None
    client: Client | None
    problem: InviteProblem | None


def invite_link(bot_username: str, code: str) -> str:
    """The link a client opens in Telegram: it starts the bot with their code."""
    return f"https://t.me/{bot_username}?start={code}"


def looks_like_code(text: str) -> bool:
    return 16 <= len(text) <= 64 and all(c.isalnum() or c in "-_" for c in text)


def check_invitable(client: Client) -> None:
    """Refuse a link for a record that has ended: it could only ever answer "plan has ended".

    Coming back is a new enrolment (`aftercare client add`: a plan and taper written for now),
    whose link also moves the person's chat over from the old record.
    """
    if client.status not in ENDED_STATUSES:
        return
    if is_erased(client):
        why = "had their data erased at their request"
    elif client.status == ClientStatus.completed:
        why = "has graduated from aftercare"
    else:
        why = "has stopped aftercare"
    raise InvalidInput(
        f"client {client.pseudonym} {why}, so a link for this record would only say their plan "
        "has ended; to re-enrol them, add them again with `aftercare client add` (a new plan "
        "and taper) and invite the new record"
    )


async def create_invite(
    session: AsyncSession, *, client: Client, now: datetime, valid_days: int
) -> tuple[str, Invite]:
    """A new code for the client; earlier unused codes stop working. Ended records are refused."""
    check_invitable(client)
    await session.execute(
        update(Invite)
        .where(Invite.client_id == client.id, Invite.used_at.is_(None))
        .values(expires_at=now)
    )
    code, code_hash = new_code()
    invite = Invite(
        client_id=client.id, code_hash=code_hash, expires_at=now + timedelta(days=valid_days)
    )
    session.add(invite)
    await session.flush()
    return code, invite


async def check_code(session: AsyncSession, *, code: str, now: datetime) -> InviteCheck:
    if not looks_like_code(code):
        return InviteCheck(None, None, InviteProblem.unknown)
    invite = await session.scalar(select(Invite).where(Invite.code_hash == hash_code(code)))
    if invite is None:
        return InviteCheck(None, None, InviteProblem.unknown)
    client = await session.get(Client, invite.client_id)
    if invite.used_at is not None:
        return InviteCheck(invite, client, InviteProblem.used)
    if invite.expires_at <= now:
        return InviteCheck(invite, client, InviteProblem.expired)
    if client is None or client.status in ENDED_STATUSES:
        return InviteCheck(invite, client, InviteProblem.ended)
    return InviteCheck(invite, client, None)


async def redeem(
    session: AsyncSession, *, invite: Invite, client: Client, chat_id: int, now: datetime
) -> bool:
    """Consent given: link the chat and use up the code. False if someone else got there first."""
    used = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(used_at=now)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # A chat can belong to one client only: a re-enrolled person's old record lets go of it.
    await session.execute(update(Client).where(Client.chat_id == chat_id).values(chat_id=None))
    client.chat_id = chat_id
    client.consented_at = now
    client.status = ClientStatus.active
    await session.flush()
    return True
