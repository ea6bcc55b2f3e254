"""Loading a client's plan."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.plan.models import Plan
from bot.plan.schema import PlanDocument


async def get_document(session: AsyncSession, *, client_id: int) -> PlanDocument | None:
    plan = await session.scalar(select(Plan).where(Plan.client_id == client_id))
    return None if plan is None else PlanDocument.model_validate(plan.content)


@functools.cache
def _words_query() -> Select[tuple[Any, Any]]:
    """Built once, the chat a parameter: it runs before every message is understood."""
    return (
        select(Plan.content["warning_signs"], Plan.content["triggers"])
        .join(Client, Client.id == Plan.client_id)
        .where(Client.chat_id == bindparam("chat"))
    )


async def words_for_chat(session: AsyncSession, *, chat_id: int) -> tuple[list[str], list[str]]:
    """The warning signs and trigger situations of the client in `chat_id`, as written.

    One query for the two sections alone: it runs before every message is understood, so no
    client or whole plan document is built for it.
    """
    row = (await session.execute(_words_query(), {"chat": chat_id})).first()
    if row is None:
        return [], []
    signs, triggers = row
    return [str(sign) for sign in signs or ()], [str(t["situation"]) for t in triggers or ()]


async def replace(session: AsyncSession, *, client_id: int, document: PlanDocument) -> None:
    plan = await session.scalar(select(Plan).where(Plan.client_id == client_id))
    content = document.model_dump(mode="json")
    if plan is None:
        session.add(Plan(client_id=client_id, content=content))
    else:
        plan.content = content
    await session.flush()
