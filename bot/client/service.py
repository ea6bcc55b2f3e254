"""Queries and changes for clients."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client, ClientStatus
from bot.clinic.models import Clinic
from bot.errors import NotFound

# No 0/O or 1/I so a pseudonym read out on the phone is not misheard.
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PSEUDONYM = re.compile(f"C-[{PSEUDONYM_ALPHABET}]{{6}}")


def new_pseudonym() -> str:
    return "C-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))


async def get(session: AsyncSession, *, client_id: int) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}: see `aftercare client list`")
    return client


async def get_by_ref(session: AsyncSession, *, ref: str) -> Client:
    """A client by id or pseudonym (e.g. 12 or C-7KX2QD)."""
    ref = ref.strip()
    if ref.isdigit():
        client = await session.get(Client, int(ref))
    else:
        client = await session.scalar(select(Client).where(Client.pseudonym == ref.upper()))
    if client is None:
        raise NotFound(f"no client {ref!r}: see `aftercare client list`")
    return client


async def get_by_chat(session: AsyncSession, *, chat_id: int) -> Client | None:
    return await session.scalar(select(Client).where(Client.chat_id == chat_id))


async def get_all(session: AsyncSession, *, clinic_id: int | None = None) -> list[Client]:
    query = select(Client).order_by(Client.id)
    if clinic_id is not None:
        query = query.where(Client.clinic_id == clinic_id)
    return list(await session.scalars(query))


async def language_of(
    session: AsyncSession, *, chat_id: int | None = None, client_id: int | None = None
) -> str | None:
    """The language a client reads (their own, else their clinic's default), by id or chat; None
    for a chat that is not a client's."""
    language = func.coalesce(Client.language, Clinic.default_language)
    query = select(language).join(Clinic, Clinic.id == Client.clinic_id)
    who = Client.id == client_id if client_id is not None else Client.chat_id == chat_id
    return await session.scalar(query.where(who))


def receives_checkins(client: Client) -> bool:
    return client.status == ClientStatus.active
