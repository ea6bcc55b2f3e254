"""Return requests: one open request per client, with the clinic's response target."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.client.models import Client
from bot.errors import InvalidInput, NotFound
from bot.return_request.models import OPEN_STATUSES, ReturnRequest, ReturnStatus

# Allowed moves: new -> contacted -> booked | declined (a new request may also close directly).
NEXT = {
    ReturnStatus.new: {ReturnStatus.contacted, ReturnStatus.booked, ReturnStatus.declined},
    ReturnStatus.contacted: {ReturnStatus.booked, ReturnStatus.declined},
}


async def open_for(session: AsyncSession, *, client_id: int) -> ReturnRequest | None:
    return await session.scalar(
        select(ReturnRequest)
        .where(ReturnRequest.client_id == client_id, ReturnRequest.status.in_(OPEN_STATUSES))
        .order_by(ReturnRequest.requested_at.desc())
        .limit(1)
    )


async def request(
    session: AsyncSession, *, client: Client, via: str, now: datetime
) -> tuple[ReturnRequest, bool]:
    """The client's open request, or a new one; the bool says whether it is new."""
    existing = await open_for(session, client_id=client.id)
    if existing is not None:
        return existing, False
    created = ReturnRequest(
        client_id=client.id,
        status=ReturnStatus.new,
        requested_at=now,
        updated_at=now,
        respond_by=now + timedelta(hours=client.clinic.return_response_hours),
        via=via,
    )
    session.add(created)
    await session.flush()
    return created, True


class ChangedMeanwhile(InvalidInput):
    """The request changed after the person saw it: their change is not made over the other."""

    def __init__(self, current: ReturnRequest) -> None:
        super().__init__(f"return request {current.id} changed since it was shown")
        self.current = current


async def update_status(
    session: AsyncSession,
    *,
    request_id: int,
    status: str,
    note: str | None,
    now: datetime,
    by: audit.Actor,
    seen: datetime | None = None,
) -> ReturnRequest:
    """Move the request on, on the audit log as `by` did it, whichever door they used; `seen`
    (its updated_at as shown) refuses a change made meanwhile."""
    found = await session.get(ReturnRequest, request_id, with_for_update=True)
    if found is None:
        raise NotFound(f"no return request {request_id}: see `aftercare return list`")
    if seen is not None and found.updated_at != seen:
        raise ChangedMeanwhile(found)
    try:
        target = ReturnStatus(status)
    except ValueError:
        raise InvalidInput("status must be contacted, booked or declined") from None
    if target not in NEXT.get(found.status, set()):
        raise InvalidInput(
            f"return request {request_id} is {found.status.value}; it can't become {target.value}"
        )
    found.status = target
    found.updated_at = now
    found.staff_note = note
    client = await session.get(Client, found.client_id)
    audit.record(
        session,
        actor=by,
        action=AuditAction.return_request_changed,
        now=now,
        target=f"return request {request_id}",
        detail=target.value,
        clinic_id=client.clinic_id if client is not None else None,
    )
    await session.flush()
    return found


async def get_all(session: AsyncSession, *, open_only: bool = False) -> list[ReturnRequest]:
    query = select(ReturnRequest).order_by(ReturnRequest.requested_at.desc())
    if open_only:
        query = query.where(ReturnRequest.status.in_(OPEN_STATUSES))
    return list(await session.scalars(query))
