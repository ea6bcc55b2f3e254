"""Loading a client's plan, and saving a new version of it (the earlier ones are kept)."""

from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.plan.models import Plan, PlanVersion
from bot.plan.schema import PlanDocument

logger = logging.getLogger(__name__)


async def get_document(session: AsyncSession, *, client_id: int) -> PlanDocument | None:
    content = await session.scalar(_content_query(), {"client": client_id})
    return None if content is None else PlanDocument.model_validate(content)


@functools.cache
def _content_query() -> Select[tuple[Any]]:
    """The plan's content alone, built once: a plan request reads it for every message."""
    return select(Plan.content).where(Plan.client_id == bindparam("client"))


# The two plan sections every message is read against, as columns of a query that joins Plan.
WORDS = (Plan.content["warning_signs"], Plan.content["triggers"])


def words_of(signs: Any, triggers: Any) -> tuple[list[str], list[str]]:
    """The warning signs and trigger situations, as written, from the `WORDS` columns; a plan
    that does not have them reads as none (the safety net runs whatever the plan holds)."""
    try:
        return [str(sign) for sign in signs or ()], [str(t["situation"]) for t in triggers or ()]
    except (KeyError, TypeError):
        logger.exception("a plan's signs or triggers could not be read")
        return [], []


async def replace(session: AsyncSession, *, client_id: int, document: PlanDocument) -> None:
    """The plan the client reads becomes `document` (no version kept: see `save`)."""
    plan = await session.scalar(select(Plan).where(Plan.client_id == client_id))
    content = document.model_dump(mode="json")
    if plan is None:
        session.add(Plan(client_id=client_id, content=content))
    else:
        plan.content = content
    await session.flush()


async def save(
    session: AsyncSession,
    *,
    client_id: int,
    document: PlanDocument,
    saved_by: str,
    now: datetime,
) -> PlanVersion:
    """`document` becomes the client's plan (what /plan shows) and its newest version."""
    await replace(session, client_id=client_id, document=document)
    last = await session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.client_id == client_id)
    )
    version = PlanVersion(
        client_id=client_id,
        number=(last or 0) + 1,
        content=document.model_dump(mode="json"),
        saved_at=now,
        saved_by=saved_by[:200],
    )
    session.add(version)
    await session.flush()
    return version


async def versions(session: AsyncSession, *, client_id: int) -> list[PlanVersion]:
    """Every version of the client's plan, newest first."""
    return list(
        await session.scalars(
            select(PlanVersion)
            .where(PlanVersion.client_id == client_id)
            .order_by(PlanVersion.number.desc())
        )
    )
