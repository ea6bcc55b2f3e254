"""The return-request queue: requests to come back, the closest response target first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.return_request.models import OPEN_STATUSES, ReturnRequest, ReturnStatus

LIMIT = 200
SHOW = ("open", "closed", "all")


@dataclass(frozen=True)
class ReturnRow:
    request_id: int
    pseudonym: str
    status: ReturnStatus
    requested_at: datetime
    respond_by: datetime
    via: str
    staff_note: str | None
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


async def requests(db: AsyncSession, *, show: str = "open", limit: int = LIMIT) -> list[ReturnRow]:
    query = (
        select(
            ReturnRequest.id,
            Client.pseudonym,
            ReturnRequest.status,
            ReturnRequest.requested_at,
            ReturnRequest.respond_by,
            ReturnRequest.via,
            ReturnRequest.staff_note,
            ReturnRequest.updated_at,
        )
        .join(Client, Client.id == ReturnRequest.client_id)
        .order_by(ReturnRequest.respond_by, ReturnRequest.id)
        .limit(limit)
    )
    if show == "open":
        query = query.where(ReturnRequest.status.in_(OPEN_STATUSES))
    elif show == "closed":
        query = query.where(ReturnRequest.status.not_in(OPEN_STATUSES))
    return [ReturnRow(*row) for row in (await db.execute(query)).all()]


async def open_count(db: AsyncSession) -> int:
    count = await db.scalar(
        select(func.count(ReturnRequest.id)).where(ReturnRequest.status == ReturnStatus.new)
    )
    return int(count or 0)
