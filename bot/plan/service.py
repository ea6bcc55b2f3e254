"""Loading a client's plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.plan.models import Plan
from bot.plan.schema import PlanDocument


async def get_document(session: AsyncSession, *, client_id: int) -> PlanDocument | None:
    plan = await session.scalar(select(Plan).where(Plan.client_id == client_id))
    return None if plan is None else PlanDocument.model_validate(plan.content)


async def replace(session: AsyncSession, *, client_id: int, document: PlanDocument) -> None:
    plan = await session.scalar(select(Plan).where(Plan.client_id == client_id))
    content = document.model_dump(mode="json")
    if plan is None:
        session.add(Plan(client_id=client_id, content=content))
    else:
        plan.content = content
    await session.flush()
