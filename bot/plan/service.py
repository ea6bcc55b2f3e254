"""Loading a client's plan."""

from __future__ import annotations

import functools
import logging
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.plan.models import Plan
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
    plan = await session.scalar(select(Plan).where(Plan.client_id == client_id))
    content = document.model_dump(mode="json")
    if plan is None:
        session.add(Plan(client_id=client_id, content=content))
    else:
        plan.content = content
    await session.flush()
